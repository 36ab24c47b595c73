"""A survey's responses as CSV for staff analysis, and a codebook that explains every column.

Row-level data for staff who may view responses, never public. It holds nothing that leads to
a person: no participant hash, no participation code, the day a response arrived but not the
time (an exact time can be matched to someone seen answering at a library kiosk or a drop-in
event), and rows in receipt order within each day (receipts are random), not arrival order,
for the same reason. Free text appears only once a moderator has published it.

Values are the question's option keys, which stay the same when labels are reworded and
across the waves of a tracker; the codebook gives each key's label.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from .definition import PREFER_NOT_TO_SAY_LABEL, QuestionDefinition, SurveyDefinition
from .estimates import PREFER_NOT_TO_SAY, Judgement
from .models import Channel, FreeTextAnswer, FreeTextStatus, Response, SurveyPage

CODEBOOK_HEADER = ("column", "question_key", "question_text", "kind", "value", "label", "notes")
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    """What a column reads: the response's countable answers and its published free text."""

    response: Response
    answers: dict[str, Any]
    published: dict[str, str]  # question key → text


@dataclass(frozen=True)
class Column:
    name: str
    value: Callable[[Row], str]
    question_key: str = ""
    question_text: str = ""
    kind: str = ""
    codes: tuple[tuple[str, str], ...] = ()  # (value, label)
    notes: str = ""


def columns(definition: SurveyDefinition) -> list[Column]:
    """Every column of the export, in order: the response's own, then each question's."""
    built = [
        Column(
            "receipt",
            lambda row: row.response.receipt,
            notes=_("The reference the person was given. Random: it says nothing about them."),
        ),
        Column(
            "submitted_on",
            lambda row: timezone.localdate(row.response.submitted_at).isoformat(),
            notes=_(
                "The day the response arrived (YYYY-MM-DD). The time is left out: an exact time "
                "can link a response to a person seen answering at a kiosk or an event."
            ),
        ),
        Column(
            "channel",
            lambda row: row.response.channel,
            codes=tuple((str(value), str(label)) for value, label in Channel.choices),
            notes=_("Where the response was made."),
        ),
    ]
    for question in definition.questions.values():
        built.extend(_question_columns(question))
    return _unique_names(built)


def _question_columns(question: QuestionDefinition) -> list[Column]:
    key = question.key
    about = {"question_key": key, "question_text": question.text, "kind": question.kind}
    options = tuple((option.key, option.label) for option in question.options)
    if question.kind in {"single_choice", "likert", "demographic"}:
        codes = options
        if question.offers_prefer_not_to_say:
            codes = (*codes, (PREFER_NOT_TO_SAY, _(PREFER_NOT_TO_SAY_LABEL)))
        notes = _("One value per response; blank = not answered.")
        if question.kind == "likert":
            notes += " " + _("The values are in scale order, from strongly disagree.")
        return [
            Column(key, lambda row: _text(row.answers.get(key)), **about, codes=codes, notes=notes)
        ]
    if question.kind == "multiple_choice":
        return [
            Column(
                f"{key}.{option_key}",
                _chosen(key, option_key),
                **about,
                codes=(("1", _("Chosen: %(label)s") % {"label": label}), ("0", _("Not chosen"))),
                notes=_("Blank = the question was not answered."),
            )
            for option_key, label in options
        ]
    if question.kind == "ranking":
        count = len(options)
        places = tuple(
            (str(place), _("Place %(place)d of %(count)d") % {"place": place, "count": count})
            for place in range(1, count + 1)
        )
        return [
            Column(
                f"{key}.{option_key}",
                _position(key, option_key),
                **about,
                codes=places,
                notes=_(
                    "The place given to “%(label)s”: 1 = most preferred. Blank = not placed, or "
                    "the question not answered."
                )
                % {"label": label},
            )
            for option_key, label in options
        ]
    if question.kind == "free_text":
        return [
            Column(
                key,
                lambda row: row.published.get(key, ""),
                **about,
                notes=_("Free text: published answers only; blank until a moderator publishes."),
            )
        ]
    return _scenario_columns(question, about)


def _scenario_columns(question: QuestionDefinition, about: dict[str, str]) -> list[Column]:
    key = question.key
    judged = [
        Column(
            key,
            lambda row: _text((row.answers.get(key) or {}).get("judgement")),
            **about,
            codes=tuple((option.key, option.label) for option in question.options),
            notes=_("The judgement on the scenario; blank = not answered."),
        )
    ]
    for option in question.conditions:
        judged.append(
            Column(
                f"{key}.condition.{option.key}",
                _condition(key, option.key),
                **about,
                codes=(
                    ("1", _("Attached: %(label)s") % {"label": option.label}),
                    ("0", _("Not attached")),
                ),
                notes=_(
                    "Only for “acceptable, but only with conditions”; blank for other judgements."
                ),
            )
        )
    if question.limit:
        judged.append(
            Column(
                f"{key}.comment",
                lambda row: row.published.get(key, ""),
                **about,
                notes=_("Free text: published comments only; blank until a moderator publishes."),
            )
        )
    return judged


def _chosen(key: str, option_key: str) -> Callable[[Row], str]:
    def value(row: Row) -> str:
        chosen = row.answers.get(key)
        if not isinstance(chosen, list):
            return ""
        return "1" if option_key in chosen else "0"

    return value


def _position(key: str, option_key: str) -> Callable[[Row], str]:
    def value(row: Row) -> str:
        order = row.answers.get(key)
        if not isinstance(order, list) or option_key not in order:
            return ""
        return str(order.index(option_key) + 1)

    return value


def _condition(key: str, condition_key: str) -> Callable[[Row], str]:
    def value(row: Row) -> str:
        answer = row.answers.get(key)
        if not isinstance(answer, dict):
            return ""
        if answer.get("judgement") != Judgement.ACCEPTABLE_WITH_CONDITIONS:
            return ""
        return "1" if condition_key in (answer.get("conditions") or []) else "0"

    return value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _unique_names(built: list[Column]) -> list[Column]:
    # Hand-set keys may contain dots, so two columns could share a name; never let them.
    seen: set[str] = set()
    unique = []
    for column in built:
        name, suffix = column.name, 2
        while name in seen:
            name, suffix = f"{column.name}-{suffix}", suffix + 1
        seen.add(name)
        unique.append(column if name == column.name else _renamed(column, name))
    return unique


def _renamed(column: Column, name: str) -> Column:
    return Column(
        name,
        column.value,
        column.question_key,
        column.question_text,
        column.kind,
        column.codes,
        column.notes,
    )


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def response_rows(survey: SurveyPage) -> Iterator[list[str]]:
    """The header, then one row per response."""
    built = columns(survey.definition)
    yield [column.name for column in built]
    published = Prefetch(
        "free_text",
        queryset=FreeTextAnswer.objects.filter(status=FreeTextStatus.PUBLISHED),
        to_attr="published_text",
    )
    responses = (
        Response.objects.filter(survey=survey)
        .order_by(TruncDate("submitted_at"), "receipt")
        .only("receipt", "submitted_at", "channel", "answers")
        .prefetch_related(published)
        .iterator(chunk_size=500)
    )
    for response in responses:
        row = Row(
            response=response,
            answers=response.answers if isinstance(response.answers, dict) else {},
            published={text.question_key: text.text for text in response.published_text},
        )
        yield [safe_cell(column.value(row)) for column in built]


def codebook_rows(survey: SurveyPage) -> Iterator[list[str]]:
    """The header, then a row per value of each column (one row for a column of free values)."""
    yield list(CODEBOOK_HEADER)
    for column in columns(survey.definition):
        about = [column.name, column.question_key, column.question_text, column.kind]
        for value, label in column.codes or (("", ""),):
            yield [safe_cell(cell) for cell in (*about, value, label, column.notes)]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """CSV text, a line at a time, for a streamed download."""
    writer = csv.writer(_Echo())
    # A byte-order mark, so spreadsheet programs read accented and non-Latin text correctly.
    yield "\ufeff"
    for row in rows:
        yield writer.writerow(row)
