"""The device lifecycle on a schedule: dated status changes, unlisting and review reminders.

``manage.py apply_lifecycle`` runs ``apply_lifecycle`` once a day. Public pages do not wait
for it: listings leave out devices past "do not show after" as they are served. The command
makes the stored records agree (status and search index) and tells staff what is overdue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.search.index import remove_object

from .models import DevicePage, DeviceStatus

# Statuses a dated change may move a device out of: a paused or investigated device
# stays as staff left it until they decide otherwise.
SCHEDULED_CHANGES: list[tuple[str, set[str], str]] = [
    # (date field, statuses it applies to, new status)
    ("installed_on", {DeviceStatus.PLANNED}, DeviceStatus.INSTALLED),
    (
        "retired_on",
        {
            DeviceStatus.PLANNED,
            DeviceStatus.INSTALLED,
            DeviceStatus.ACTIVE,
            DeviceStatus.PAUSED,
            DeviceStatus.UNDER_INVESTIGATION,
        },
        DeviceStatus.RETIRED,
    ),
]


@dataclass
class LifecycleReport:
    changed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    unlisted: list[str] = field(default_factory=list)
    overdue: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [*self.changed, *self.skipped, *self.unlisted, *self.overdue]


def overdue_for_review(day: date | None = None) -> dict[str, list[Any]]:
    """Live devices (not retired) and DPIAs whose review date has passed, oldest first."""
    from portal.assessments.models import DpiaPage

    day = day or timezone.localdate()
    devices = (
        DevicePage.objects.live()
        .exclude(status=DeviceStatus.RETIRED)
        .filter(review_by__lt=day)
        .order_by("review_by", "title")
    )
    dpias = DpiaPage.objects.live().filter(review_by__lt=day).order_by("review_by", "title")
    return {"devices": list(devices), "dpias": list(dpias)}


def apply_lifecycle(day: date | None = None) -> LifecycleReport:
    day = day or timezone.localdate()
    report = LifecycleReport()
    for device in DevicePage.objects.live().order_by("title"):
        _apply_scheduled_status(device, day, report)
        if device.is_unlisted(day):
            # Listings already leave it out; a search backend outside the database may not.
            remove_object(device)
            report.unlisted.append(
                _("Not listed: %(title)s (%(code)s), do not show after %(day)s.")
                % {"title": device.title, "code": device.code, "day": device.hide_after}
            )
    overdue = overdue_for_review(day)
    for device in overdue["devices"]:
        report.overdue.append(
            _("Review overdue: device %(title)s (%(code)s), due %(day)s.")
            % {"title": device.title, "code": device.code, "day": device.review_by}
        )
    for dpia in overdue["dpias"]:
        report.overdue.append(
            _("Review overdue: DPIA %(title)s, due %(day)s.")
            % {"title": dpia.title, "day": dpia.review_by}
        )
    return report


def _apply_scheduled_status(device: DevicePage, day: date, report: LifecycleReport) -> None:
    for date_field, from_statuses, new_status in SCHEDULED_CHANGES:
        due = getattr(device, date_field)
        if due is None or due > day or device.status not in from_statuses:
            continue
        if device.has_unpublished_changes:
            # Publishing would also publish someone's unfinished draft: leave it to them.
            report.skipped.append(
                _(
                    "Not changed: %(title)s (%(code)s) is due to become “%(status)s” but has "
                    "unpublished changes. Publish or discard them, then run this again."
                )
                % {
                    "title": device.title,
                    "code": device.code,
                    "status": DeviceStatus(new_status).label,
                }
            )
            return
        _publish_status(device, new_status, due)
        report.changed.append(
            _("Now “%(status)s”: %(title)s (%(code)s), as planned for %(day)s.")
            % {
                "status": DeviceStatus(new_status).label,
                "title": device.title,
                "code": device.code,
                "day": due,
            }
        )


@transaction.atomic
def _publish_status(device: DevicePage, status: str, since: date) -> None:
    device.status = status
    device.status_since = since
    revision = device.save_revision(log_action=True, clean=False)
    revision.publish(log_action=True)
