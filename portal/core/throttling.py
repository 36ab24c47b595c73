"""Rate limits for the public web forms, keyed by a daily keyed hash of the address.

DRF's throttle machinery is used directly (the requests are plain Django ones); its own key
would be the raw IP address, which residents' requests never leave in the cache.
"""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .privacy import daily_address_key


class DailyAddressThrottle(SimpleRateThrottle):
    """A rate limit for the public web forms, per daily address key; used without a DRF view.

    Subclasses set ``scope`` and ``default_rate``; ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``
    overrides the rate when it names the scope.
    """

    default_rate = "30/hour"

    def get_rate(self) -> str:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope) or self.default_rate

    def get_cache_key(self, request: Any, view: Any) -> str:
        ident = f"a:{daily_address_key(self.get_ident(request))}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
