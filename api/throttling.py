"""Rate limits on writes, keyed by contributor or by a daily keyed hash of the address.

DRF's own throttles put the raw IP address in the cache key; residents' addresses are never
kept, even briefly, so the key is an HMAC that changes every day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.throttling import ScopedRateThrottle

from portal.core.privacy import daily_address_key

if TYPE_CHECKING:  # rest_framework.views imports this module through its settings
    from rest_framework.request import Request


class WriteThrottle(ScopedRateThrottle):
    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        contributor = getattr(request.auth, "public_id", None)
        address = f"a:{daily_address_key(self.get_ident(request))}"
        ident = f"c:{contributor}" if contributor else address
        return self.cache_format % {"scope": self.scope, "ident": ident}
