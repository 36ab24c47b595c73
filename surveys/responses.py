"""Taking in a response: checked, stored once per client_uuid, once per participant, with a receipt.

Used by the web form and the API alike. Nothing that identifies a person is stored: the
participant token is kept only as a keyed hash that differs per survey.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.receipts import new_receipt

from .models import Channel, FreeTextAnswer, ParticipationCode, Response, SurveyPage
from .validation import check_answers


@dataclass
class Outcome:
    result: str  # "created", "duplicate" or "rejected"
    receipt: str | None = None
    submitted_at: datetime.datetime | None = None
    errors: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        if self.result == "rejected":
            return {"result": self.result, "errors": self.errors}
        return {
            "result": self.result,
            "receipt": self.receipt,
            "submitted_at": self.submitted_at.isoformat() if self.submitted_at else None,
        }


def participant_hash(survey: SurveyPage, token: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"survey:{survey.pk}:{token}".encode(), hashlib.sha256).hexdigest()


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def submit(
    survey: SurveyPage,
    answers: Any,
    *,
    client_uuid: uuid.UUID,
    channel: str = Channel.WEB,
    participant_token: str = "",
    code: str = "",
) -> Outcome:
    existing = _existing(client_uuid, survey)
    if existing is not None:
        return existing
    if not survey.is_open():
        return Outcome("rejected", errors={"survey": [_closed_message(survey)]})
    checked = check_answers(survey.definition, answers)
    errors = dict(checked.errors)
    participant = participant_hash(survey, participant_token) if participant_token else ""
    code_row = None
    if survey.require_code or code:
        code_row, problem = _usable_code(survey, code)
        if problem:
            errors["code"] = [problem]
    if not checked.answers and not checked.free_text and not errors:
        errors["answers"] = [_("Answer at least one question before sending.")]
    if participant and Response.objects.filter(survey=survey, participant=participant).exists():
        errors["participant"] = [_("You have already answered this survey. Thank you.")]
    if errors:
        # A copy sent at the same moment may have been stored between the first look and the
        # participant and code checks; then this is that response, not a second one.
        return _existing(client_uuid, survey) or Outcome("rejected", errors=errors)
    try:
        with transaction.atomic():
            if code_row is not None:
                # Claim the code in the same transaction; a code used meanwhile claims nothing.
                claimed = ParticipationCode.objects.filter(
                    pk=code_row.pk, used_at__isnull=True
                ).update(used_at=timezone.now())
                if not claimed:
                    raise _CodeTaken
            response = Response.objects.create(
                survey=survey,
                client_uuid=client_uuid,
                receipt=new_receipt("S"),
                submitted_at=timezone.now(),
                channel=channel,
                answers=checked.answers,
                participant=participant,
                code=code_row,
            )
            FreeTextAnswer.objects.bulk_create(
                FreeTextAnswer(response=response, question_key=key, text=text)
                for key, text in checked.free_text.items()
            )
    except _CodeTaken:
        return _existing(client_uuid, survey) or Outcome(
            "rejected", errors={"code": [_used_code_message()]}
        )
    except IntegrityError:
        # Sent twice at once: the other request stored it, or this participant answered.
        return _existing(client_uuid, survey) or Outcome(
            "rejected", errors={"participant": [_("You have already answered this survey.")]}
        )
    return Outcome("created", response.receipt, response.submitted_at)


class _CodeTaken(Exception):
    """The code was claimed by another response while this one was being stored."""


def _existing(client_uuid: uuid.UUID, survey: SurveyPage) -> Outcome | None:
    row = (
        Response.objects.filter(client_uuid=client_uuid)
        .values("survey_id", "receipt", "submitted_at")
        .first()
    )
    if row is None:
        return None
    if row["survey_id"] != survey.pk:
        # Handing back another survey's receipt would tell the sender this one was stored.
        return Outcome(
            "rejected",
            errors={
                "client_uuid": [
                    _(
                        "This client_uuid was already used for a response to another survey. "
                        "Make a new UUID for each response."
                    )
                ]
            },
        )
    return Outcome("duplicate", row["receipt"], row["submitted_at"])


def _closed_message(survey: SurveyPage) -> str:
    if timezone.now() < survey.opens_at:
        return _("This survey opens on %(day)s.") % {
            "day": f"{timezone.localtime(survey.opens_at):%-d %B %Y}"
        }
    return _("This survey closed on %(day)s.") % {
        "day": f"{timezone.localtime(survey.closes_at):%-d %B %Y}"
    }


def _used_code_message() -> str:
    return _("This code has already been used. Each code is for one response.")


def _usable_code(survey: SurveyPage, code: str) -> tuple[ParticipationCode | None, str | None]:
    text = normalise_code(code or "")
    if not text:
        return None, _("Enter the code printed on your invitation letter, e.g. K7Q2-MX9P.")
    row = ParticipationCode.objects.filter(survey=survey, code=text).first()
    if row is None:
        return None, _("This code is not one of this survey's. Check it against your letter.")
    if row.used_at is not None:
        return None, _used_code_message()
    return row, None
