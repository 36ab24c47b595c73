"""Rate limits on writes, keyed by contributor or by a daily keyed hash of the address.

DRF's own throttles put the raw IP address in the cache key; residents' addresses are never
kept, even briefly, so the key is an HMAC that changes every day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.settings import api_settings
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


class SurveyResponseThrottle(WriteThrottle):
    """Survey responses, counted per address (responses are anonymous: there is no contributor).

    The rate is ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["survey_responses"]`` when set. The
    default allows an app to send a queue of responses it kept offline, and a consultation event
    where many people answer on one Wi-Fi connection, while stopping a script that floods a
    survey from one address.
    """

    default_rate = "60/hour"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or self.default_rate
