"""Receiving a concern, without keeping anything that identifies the person raising it."""

from __future__ import annotations

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import HttpRequest

from portal.core.privacy import daily_address_key
from portal.core.visibility import visible_to_public
from portal.registry.models import DevicePage
from portal.signage.codes import generate_code

from .models import Concern
from .notifications import tell_staff

PER_VISITOR_PER_HOUR = 5
PER_DEVICE_PER_HOUR = 30


def device_open_to_concerns(code: str) -> DevicePage | None:
    """The device a concern may be raised about: live and not restricted.

    Devices past their "do not show after" date still qualify: their sign may still be in the
    street, and the resident should be heard.
    """
    return visible_to_public(DevicePage.objects.live()).filter(code=code).first()


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


def receive_concern(
    *,
    device_id: int | None,
    category: str,
    description: str,
    email: str,
    dpia_id: int | None = None,
) -> Concern:
    """Store a concern already checked by ``ConcernForm`` and tell staff once it is committed.

    The web form and Open311 both come through here, so a concern gets the same reference
    format and the same e-mail to staff whichever way it arrives.
    """
    concern = record_concern(
        device_id=device_id,
        dpia_id=dpia_id,
        category=category,
        description=description,
        email=email,
    )
    tell_staff(concern)
    return concern
