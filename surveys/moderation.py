"""Moderating residents' free text: publishing it, withholding it, or putting it back.

Every decision goes through ``moderate_free_text``, whoever makes it (the admin queue, a bulk
action, a script). It checks the change makes sense and that a needed reason is given, then
writes the decision in one transaction: one read and one UPDATE per few thousand answers,
however many are chosen. The reason is for staff only; it is never published.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import FreeTextAnswer, FreeTextStatus

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

DECIDED: Final = frozenset({FreeTextStatus.PUBLISHED, FreeTextStatus.WITHHELD})
REASON_MAX_LENGTH: Final = 300
# Rows per UPDATE: well inside the parameter limits of SQLite (32,766) and PostgreSQL (65,535).
UPDATE_CHUNK: Final = 2000


def reason_required(from_status: str, to_status: str) -> bool:
    """Withholding, or changing an earlier decision, needs a reason; publishing does not."""
    return to_status == FreeTextStatus.WITHHELD or from_status in DECIDED


def moderate_free_text(
    answers: QuerySet[FreeTextAnswer] | Iterable[FreeTextAnswer],
    *,
    to_status: str,
    user: AbstractBaseUser | None,
    reason: str = "",
) -> int:
    """Move free-text answers to ``to_status``; return how many changed.

    Answers already in ``to_status`` are left alone. Raises ValidationError, before anything
    is written, if the status is unknown or a needed reason is missing or too long.
    """
    if to_status not in FreeTextStatus.values:
        raise ValidationError(
            _("“%(status)s” is not a status. Choose pending, published or withheld.")
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
            _select(answers)
            .exclude(status=to_status)
            .select_for_update()
            .values_list("pk", "status")
            .order_by("pk")
        )
        if not changing:
            return 0
        if not reason:
            _check_reason({status for _pk, status in changing}, to_status=to_status)
        now = timezone.now()
        ids = [pk for pk, _status in changing]
        for offset in range(0, len(ids), UPDATE_CHUNK):
            FreeTextAnswer.objects.filter(pk__in=ids[offset : offset + UPDATE_CHUNK]).update(
                status=to_status, moderated_by=user, moderated_at=now, reason=reason
            )
    return len(changing)


def publish(
    answers: QuerySet[FreeTextAnswer] | Iterable[FreeTextAnswer],
    *,
    user: AbstractBaseUser | None,
    reason: str = "",
) -> int:
    return moderate_free_text(answers, to_status=FreeTextStatus.PUBLISHED, user=user, reason=reason)


def withhold(
    answers: QuerySet[FreeTextAnswer] | Iterable[FreeTextAnswer],
    *,
    user: AbstractBaseUser | None,
    reason: str,
) -> int:
    return moderate_free_text(answers, to_status=FreeTextStatus.WITHHELD, user=user, reason=reason)


def _select(answers: QuerySet[FreeTextAnswer] | Iterable[FreeTextAnswer]) -> QuerySet:
    if isinstance(answers, QuerySet):
        return FreeTextAnswer.objects.filter(pk__in=answers.values("pk"))
    return FreeTextAnswer.objects.filter(pk__in=[answer.pk for answer in answers])


def _check_reason(from_statuses: set[str], *, to_status: str) -> None:
    if to_status == FreeTextStatus.WITHHELD:
        message = _(
            "Say why these comments are not published, e.g. “Names a member of staff”. "
            "The reason is kept for staff and never shown to the public."
        )
    elif from_statuses & DECIDED:
        message = _(
            "Some of these comments were already published or withheld. Say why the decision "
            "is being changed, e.g. “Name removed on a second reading”."
        )
    else:
        return
    raise ValidationError({"reason": message}, code="reason_required")
