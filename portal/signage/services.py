"""Short codes, short links and scan counting: plain functions the views and commands call."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from .codes import generate_code
from .models import DailyScanCount, IssuedCode

if TYPE_CHECKING:
    from portal.registry.models import DevicePage


def issue_code() -> str:
    """A code no device has ever had. Recorded at once, so it can never be issued again."""
    while True:
        candidate = generate_code()
        try:
            with transaction.atomic():
                IssuedCode.objects.create(code=candidate)
        except IntegrityError:
            continue
        return candidate


def short_link(code: str) -> str:
    """The absolute short link printed under a sign's QR code, e.g. https://x.gov.uk/d/K7Q-29XG."""
    return f"{settings.SHORT_LINK_BASE_URL.rstrip('/')}/d/{code}"


def short_link_text(code: str) -> str:
    """The short link as printed for people to type: without the scheme."""
    return short_link(code).split("://", 1)[-1]


def record_scan(device: DevicePage, *, day: datetime.date | None = None) -> None:
    """Add one to the device's count for the day. No detail about the visitor is kept."""
    day = day or timezone.localdate()
    updated = DailyScanCount.objects.filter(device=device, day=day).update(scans=F("scans") + 1)
    if updated:
        return
    try:
        with transaction.atomic():
            DailyScanCount.objects.create(device=device, day=day, scans=1)
    except IntegrityError:
        # Another request created the row between our update and insert.
        DailyScanCount.objects.filter(device=device, day=day).update(scans=F("scans") + 1)


def scans_by_day(device: DevicePage, *, days: int = 30) -> list[tuple[datetime.date, int]]:
    """Scans for each of the last ``days`` days, oldest first, zeros included."""
    today = timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    counts = dict(
        DailyScanCount.objects.filter(device=device, day__gte=first).values_list("day", "scans")
    )
    return [
        (
            first + datetime.timedelta(days=offset),
            counts.get(first + datetime.timedelta(days=offset), 0),
        )
        for offset in range(days)
    ]


def scan_totals(*, days: int = 30) -> list[tuple[int, int]]:
    """(device id, scans) over the last ``days`` days, most scanned first."""
    first = timezone.localdate() - datetime.timedelta(days=days - 1)
    return list(
        DailyScanCount.objects.filter(day__gte=first)
        .values("device_id")
        .annotate(total=Sum("scans"))
        .order_by("-total")
        .values_list("device_id", "total")
    )
