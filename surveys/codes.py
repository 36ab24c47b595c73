"""Participation codes for postal invitations: made in batches, printed, used once each.

A code is 8 characters from the receipts' alphabet (no 0/O, 1/I/L or U/V to misread), printed
as ``K7Q2-MX9P`` and stored without the dash, as ``surveys.responses.normalise_code`` reads
what a resident types. About 39 bits each, so guessing a live code is hopeless and a clash
with an existing code is rare; the few clashes are simply drawn again.

No record is kept of which code went to which address: that would let a response be traced
to a household.
"""

from __future__ import annotations

import secrets
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.core.receipts import RECEIPT_ALPHABET

from .models import ParticipationCode, SurveyPage

CODE_LENGTH: Final = 8
MOST_PER_BATCH: Final = 50_000
BATCH_NAME_MAX_LENGTH: Final = 40
INSERT_CHUNK: Final = 2000
# Clashes are rare (tens of thousands of codes among 650 billion), so a few rounds always do.
MOST_ROUNDS: Final = 10


def format_code(code: str) -> str:
    """``K7Q2MX9P`` as printed: ``K7Q2-MX9P``."""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def new_code() -> str:
    number = secrets.randbelow(len(RECEIPT_ALPHABET) ** CODE_LENGTH)
    characters = []
    for _position in range(CODE_LENGTH):
        number, digit = divmod(number, len(RECEIPT_ALPHABET))
        characters.append(RECEIPT_ALPHABET[digit])
    return "".join(characters)


def generate_codes(survey: SurveyPage, count: int, *, batch: str) -> list[str]:
    """Make ``count`` new codes for ``survey`` in a new batch; return them, stored form.

    Raises ValidationError (keyed by field) for a count outside 1 to 50,000, an empty batch
    name, or a batch name the survey already has.
    """
    batch = batch.strip()
    problems = batch_problems(survey, count, batch=batch)
    if problems:
        raise ValidationError(problems)
    # Every code drawn, in order; those stored for this batch make the batch.
    drawn: dict[str, None] = {}
    stored: set[str] = set()
    with transaction.atomic():
        for _round in range(MOST_ROUNDS):
            fresh = []
            while len(fresh) < count - len(stored):
                code = new_code()
                if code not in drawn:
                    drawn[code] = None
                    fresh.append(code)
            ParticipationCode.objects.bulk_create(
                (ParticipationCode(survey=survey, code=code, batch=batch) for code in fresh),
                batch_size=INSERT_CHUNK,
                # A clash with a code already stored is skipped here and drawn again next round.
                ignore_conflicts=True,
            )
            stored = set(
                ParticipationCode.objects.filter(survey=survey, batch=batch).values_list(
                    "code", flat=True
                )
            )
            if len(stored) >= count:
                return [code for code in drawn if code in stored]
    raise RuntimeError("Could not draw enough distinct participation codes; try again.")


def batch_problems(survey: SurveyPage, count: int, *, batch: str) -> dict[str, str]:
    """What is wrong with a request for a batch, by field, in words staff can act on."""
    problems = {}
    if not 1 <= count <= MOST_PER_BATCH:
        problems["count"] = _(
            "Enter a number from 1 to %(most)s. For a bigger mailing, make several batches."
        ) % {"most": f"{MOST_PER_BATCH:,}"}
    if not batch:
        problems["batch"] = _("Give the batch a name, e.g. “North ward letters, March”.")
    elif len(batch) > BATCH_NAME_MAX_LENGTH:
        problems["batch"] = _("Keep the batch name to %(most)d characters or fewer.") % {
            "most": BATCH_NAME_MAX_LENGTH
        }
    elif ParticipationCode.objects.filter(survey=survey, batch=batch).exists():
        problems["batch"] = _(
            "This survey already has a batch called “%(batch)s”. Choose another name, e.g. "
            "“%(batch)s 2”."
        ) % {"batch": batch}
    return problems
