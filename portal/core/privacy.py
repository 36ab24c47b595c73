"""Rate limits without keeping residents' addresses."""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings


def daily_address_key(address: str) -> str:
    """A keyed hash of an IP address that changes every day.

    Enough to count one visitor's requests for an hour in the cache; it cannot be turned back
    into the address, and it is never written to the database or the logs.
    """
    day = datetime.date.today().isoformat()
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{day}:{address}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
