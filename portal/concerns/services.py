"""Receiving a concern, without keeping anything that identifies the person raising it."""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from portal.core.privacy import daily_address_key
from portal.signage.codes import generate_code

from .models import Concern

PER_VISITOR_PER_HOUR = 5
PER_DEVICE_PER_HOUR = 30


def _visitor_key(request: HttpRequest) -> str:
    address_key = daily_address_key(request.META.get("REMOTE_ADDR", ""))
    return f"plainsight:concerns:visitor:{address_key}"


def _over_limit(key: str, limit: int) -> bool:
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        cache.set(key, 1, 3600)
        count = 1
    return count > limit


def too_many_concerns(request: HttpRequest, subject: int | str) -> bool:
    """Per visitor, and per device (or DPIA) so one page cannot be flooded from many places."""
    visitor = _over_limit(_visitor_key(request), PER_VISITOR_PER_HOUR)
    device = _over_limit(f"plainsight:concerns:subject:{subject}", PER_DEVICE_PER_HOUR)
    return visitor or device


def record_concern(
    *,
    device_id: int | None,
    category: str,
    description: str,
    email: str,
    dpia_id: int | None = None,
) -> Concern:
    while True:
        reference = "C" + generate_code().replace("-", "")
        try:
            with transaction.atomic():
                return Concern.objects.create(
                    reference=reference,
                    device_id=device_id,
                    dpia_id=dpia_id,
                    category=category,
                    description=description,
                    email=email,
                )
        except IntegrityError:
            continue
