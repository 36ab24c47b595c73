"""Moderating readings: accepting, rejecting or re-opening them, with an audit trail.

Every decision goes through ``moderate``, whoever makes it (a single reading's page in the
admin, a bulk action, a script): it checks the change makes sense, records one
``ModerationEvent`` per reading that changed, and rebuilds the published results those
readings count towards, all in one transaction. A thousand readings cost a handful of
queries: one read, one update per few thousand rows and the events inserted together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import CampaignPage, ModerationEvent, Reading, ReadingStatus
from .results import refresh_for_readings

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Which decisions can follow which. A flagged reading was flagged by a check on its value or
# place, so it is accepted or rejected, never quietly put back as if nothing had been found.
TRANSITIONS: Final[dict[str, frozenset[str]]] = {
    ReadingStatus.PENDING: frozenset(
        {ReadingStatus.FLAGGED, ReadingStatus.ACCEPTED, ReadingStatus.REJECTED}
    ),
    ReadingStatus.FLAGGED: frozenset({ReadingStatus.ACCEPTED, ReadingStatus.REJECTED}),
    ReadingStatus.ACCEPTED: frozenset(
        {ReadingStatus.PENDING, ReadingStatus.FLAGGED, ReadingStatus.REJECTED}
    ),
    ReadingStatus.REJECTED: frozenset(
        {ReadingStatus.PENDING, ReadingStatus.FLAGGED, ReadingStatus.ACCEPTED}
    ),
}
DECIDED: Final = frozenset({ReadingStatus.ACCEPTED, ReadingStatus.REJECTED})
REASON_MAX_LENGTH: Final = 300
# Rows per UPDATE: well inside the parameter limits of SQLite (32,766) and PostgreSQL (65,535).
UPDATE_CHUNK: Final = 2000

# The quality checks ingestion runs, in words a moderator reads in the queue.
FLAG_LABELS: Final = {
    "unusually_low": gettext_lazy("Lower than usual"),
    "unusually_high": gettext_lazy("Higher than usual"),
    "outside_area": gettext_lazy("Outside the campaign area"),
}


def flag_label(code: str) -> str:
    return str(FLAG_LABELS.get(code, code.replace("_", " ").capitalize()))


def flags_in_words(flags: Iterable[str]) -> str:
    return ", ".join(flag_label(code) for code in flags)


def explain_flags(reading: Reading, campaign: CampaignPage | None = None) -> list[str]:
    """One sentence per flag saying what the check found and what to look at."""
    campaign = campaign or reading.campaign
    explanations = []
    for code in reading.flags:
        if code == "unusually_low":
            explanations.append(
                _(
                    "The value is below the usual lowest value of %(low)g %(unit)s for this "
                    "campaign. Check the photo and notes for a fault or a misread number."
                )
                % {"low": campaign.expected_min, "unit": campaign.unit}
            )
        elif code == "unusually_high":
            explanations.append(
                _(
                    "The value is above the usual highest value of %(high)g %(unit)s for this "
                    "campaign. Real peaks happen; check the photo and notes before deciding."
                )
                % {"high": campaign.expected_max, "unit": campaign.unit}
            )
        elif code == "outside_area":
            explanations.append(
                _(
                    "The reading was taken outside the campaign area. Check the location: "
                    "the phone may have had a poor fix, or the volunteer was elsewhere."
                )
            )
        else:
            explanations.append(flag_label(code))
    return explanations


def reason_required(from_status: str, to_status: str) -> bool:
    """Rejecting, flagging or overturning a decision needs a reason; accepting does not."""
    return to_status in {ReadingStatus.REJECTED, ReadingStatus.FLAGGED} or from_status in DECIDED


def moderate(
    readings: QuerySet[Reading] | Iterable[Reading],
    *,
    to_status: str,
    user: AbstractBaseUser | None,
    reason: str = "",
) -> int:
    """Move readings to ``to_status``; return how many changed.

    Readings already in ``to_status`` are left alone and get no event. Raises ValidationError,
    before anything is written, if a change is not allowed or a needed reason is missing.
    """
    if to_status not in TRANSITIONS:
        raise ValidationError(
            _("“%(status)s” is not a status. Choose pending, flagged, accepted or rejected.")
            % {"status": to_status},
            code="invalid_status",
        )
    reason = reason.strip()
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(max)d characters or fewer; it has %(count)d.")
                % {"max": REASON_MAX_LENGTH, "count": len(reason)}
            },
            code="max_length",
        )
    with transaction.atomic():
        changing = list(
            _select(readings)
            .exclude(status=to_status)
            .select_for_update(of=("self",))
            .only("pk", "status", "campaign_id", "period_start")
            .order_by("pk")
        )
        if not changing:
            return 0
        _check(changing, to_status=to_status, reason=reason)
        now = timezone.now()
        ids = [reading.pk for reading in changing]
        for offset in range(0, len(ids), UPDATE_CHUNK):
            Reading.objects.filter(pk__in=ids[offset : offset + UPDATE_CHUNK]).update(
                status=to_status, reviewed_by=user, reviewed_at=now, review_reason=reason
            )
        ModerationEvent.objects.bulk_create(
            ModerationEvent(
                reading_id=reading.pk,
                user=user,
                from_status=reading.status,
                to_status=to_status,
                reason=reason,
                at=now,
            )
            for reading in changing
        )
        # Only accepted readings are published, so only changes to or from accepted matter.
        refresh_for_readings(
            reading for reading in changing if ReadingStatus.ACCEPTED in (reading.status, to_status)
        )
    return len(changing)


def accept(
    readings: QuerySet[Reading] | Iterable[Reading],
    *,
    user: AbstractBaseUser | None,
    reason: str = "",
) -> int:
    return moderate(readings, to_status=ReadingStatus.ACCEPTED, user=user, reason=reason)


def reject(
    readings: QuerySet[Reading] | Iterable[Reading],
    *,
    user: AbstractBaseUser | None,
    reason: str,
) -> int:
    return moderate(readings, to_status=ReadingStatus.REJECTED, user=user, reason=reason)


def _select(readings: QuerySet[Reading] | Iterable[Reading]) -> QuerySet[Reading]:
    if isinstance(readings, QuerySet):
        return Reading.objects.filter(pk__in=readings.values("pk"))
    return Reading.objects.filter(pk__in=[reading.pk for reading in readings])


def _check(changing: list[Reading], *, to_status: str, reason: str) -> None:
    not_allowed = [r for r in changing if to_status not in TRANSITIONS[r.status]]
    if not_allowed:
        raise ValidationError(
            _(
                "%(count)d of these readings cannot become “%(to)s” from “%(from)s”. "
                "Accept or reject flagged readings instead of putting them back as pending."
            )
            % {
                "count": len(not_allowed),
                "to": ReadingStatus(to_status).label,
                "from": ReadingStatus(not_allowed[0].status).label,
            },
            code="transition",
        )
    if reason:
        return
    if to_status == ReadingStatus.REJECTED:
        message = _("Say why the readings are rejected, e.g. “Tube found split on collection”.")
    elif to_status == ReadingStatus.FLAGGED:
        message = _("Say what needs a closer check, e.g. “Compare with the site's duplicate tube”.")
    elif any(reading.status in DECIDED for reading in changing):
        message = _(
            "Some of these readings were already accepted or rejected. Say why the decision "
            "is being changed, e.g. “Volunteer sent a corrected photo”."
        )
    else:
        return
    raise ValidationError({"reason": message}, code="reason_required")
