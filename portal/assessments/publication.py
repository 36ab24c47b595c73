"""Publication levels: what of an assessment the public may see.

Every field and every row of a DPIA is public, redacted (the public sees that something was
withheld, and why) or internal (not shown at all). All public output goes through
``public_text`` and ``public_rows``, so nothing withheld can reach a page by another route.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import PageLogEntry

from portal.core.links import public_url

__all__ = ["public_url"]


class PublicationLevel(models.TextChoices):
    PUBLIC = "public", _("Public")
    REDACTED = "redacted", _("Redacted: the public sees that it was withheld and why")
    INTERNAL = "internal", _("Internal: not shown to the public")


def publication_times(page: Any, *, newest_first: bool = True, limit: int | None = 20) -> list[Any]:
    """When a record was published or changed: its history for readers and for ATRS."""
    entries = PageLogEntry.objects.filter(page=page, action="wagtail.publish").order_by(
        "-timestamp" if newest_first else "timestamp"
    )
    times = entries.values_list("timestamp", flat=True)
    return list(times[:limit] if limit else times)


def level_and_reason(
    default: str = PublicationLevel.PUBLIC, label: Any = None
) -> tuple[models.CharField, models.CharField]:
    """A publication level field and the public reason a redaction needs."""
    return (
        models.CharField(
            label or _("publication"),
            max_length=10,
            choices=PublicationLevel.choices,
            default=default,
        ),
        models.CharField(_("reason withheld"), max_length=300, blank=True),
    )


@dataclass(frozen=True)
class PublicText:
    """What the public sees of one field: its text, or the reason it was withheld."""

    label: str
    text: str = ""
    withheld_because: str = ""

    @property
    def is_withheld(self) -> bool:
        return bool(self.withheld_because)


def public_text(*, label: str, text: str, level: str, reason: str) -> PublicText | None:
    if level == PublicationLevel.PUBLIC:
        return PublicText(label=label, text=text)
    if level == PublicationLevel.REDACTED:
        return PublicText(label=label, withheld_because=reason)
    return None


def public_rows(rows: Iterable[Any]) -> list[Any]:
    """Rows the public may see in full, and stand-ins for redacted rows; internal ones vanish."""
    shown: list[Any] = []
    for row in rows:
        if row.publication_level == PublicationLevel.PUBLIC:
            shown.append(row)
        elif row.publication_level == PublicationLevel.REDACTED:
            shown.append(
                PublicText(label=str(_("Withheld")), withheld_because=row.redaction_reason)
            )
    return shown


def check_reason(level: str, reason: str, *, field: str) -> None:
    if level == PublicationLevel.REDACTED and not reason.strip():
        raise ValidationError(
            {
                field: _(
                    "Say why this is withheld, in a sentence residents will read, for example "
                    "“It would show where security equipment is.”"
                )
            }
        )
