"""When public data last changed, for ``Last-Modified`` and ``If-Modified-Since``.

The body's hash (the ETag) is always right; ``Last-Modified`` must never be older than the
last change, or a client asking "has it changed since?" would be told no when it had. Pages
change by publishing, unpublishing, moving or deletion (all in Wagtail's page log), and also
silently at midnight, when a "do not show after" date passes: so the answer is never earlier
than the start of today.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from wagtail.models import Page, PageLogEntry

CHANGING_ACTIONS = (
    "wagtail.publish",
    "wagtail.unpublish",
    "wagtail.delete",
    "wagtail.move",
    "wagtail.view_restriction.create",
    "wagtail.view_restriction.edit",
    "wagtail.view_restriction.delete",
)


def start_of_today() -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(), time.min))


def latest(*moments: datetime | None) -> datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def pages_last_changed(*models: type[Page]) -> datetime:
    """The latest publish, unpublish, move or deletion of pages of these types, or midnight."""
    content_types = ContentType.objects.get_for_models(*models).values()
    logged = PageLogEntry.objects.filter(
        content_type__in=content_types, action__in=CHANGING_ACTIONS
    ).aggregate(at=Max("timestamp"))["at"]
    # Pages created by imports or the demo may have no log entry.
    published = Page.objects.filter(content_type__in=content_types).aggregate(
        at=Max("last_published_at")
    )["at"]
    return latest(logged, published, start_of_today())  # type: ignore[return-value]


def with_last_modified(response: HttpResponse, moment: datetime | None) -> HttpResponse:
    """Set ``Last-Modified`` (never before today's midnight; see the module's note)."""
    moment = latest(moment, start_of_today())
    if moment is not None:
        response["Last-Modified"] = http_date(moment.timestamp())
    return response
