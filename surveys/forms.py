"""One section of a survey as a GOV.UK form: what was posted, turned into answers, and back.

The rules live in ``validation.check_answers``, shared with the API. This module only turns
form fields into the answer shapes it checks (``{"judgement": …, "conditions": […]}``, a list
for several choices, a list in order for a ranking) and back, and checks what only a form can
get wrong: the places typed for a ranking.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.humanize.templatetags.humanize import ordinal
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .definition import QuestionDefinition, SectionDefinition, SurveyDefinition
from .estimates import PREFER_NOT_TO_SAY, Judgement
from .validation import check_answers

RADIO_KINDS = {"likert", "single_choice", "demographic"}


@dataclass(frozen=True)
class Choice:
    """One radio, checkbox or ranking row, ready for the template."""

    id: str
    value: str
    label: str
    checked: bool = False
    place: str = ""  # a ranking's chosen place, "1", "2", …


class QuestionField:
    """A question of a section: its names on the form, its value, its error."""

    def __init__(self, question: QuestionDefinition, value: Any) -> None:
        self.question = question
        self.value = value  # the answer in check_answers' shape, or None
        self.error: str | None = None
        self.error_target: str | None = None  # the input the error is about, when not the first
        self.place_values: dict[str, str] = {}  # a ranking's places as typed

    # --- names and ids -------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return f"q-{self.question.key}"

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def anchor(self) -> str:
        """The id the error summary links to: the question's first input, or the one at fault."""
        if self.error_target:
            return self.error_target
        if self.kind == "ranking":
            return f"{self.name}-{self.question.options[0].key}"
        return self.name

    @property
    def legend(self) -> str:
        if self.question.required:
            return self.question.text
        return _("%(question)s (optional)") % {"question": self.question.text}

    @property
    def hint(self) -> str:
        question = self.question
        if self.kind == "multiple_choice":
            extra = (
                ngettext(
                    "Choose up to %(most)d answer.",
                    "Choose up to %(most)d answers.",
                    question.most_choices,
                )
                % {"most": question.most_choices}
                if question.most_choices
                else _("Choose all that apply.")
            )
            return f"{question.hint} {extra}".strip()
        if self.kind == "ranking":
            extra = _(
                "Give each a different place, 1st for the most important. Leave them all "
                "blank to skip this question."
            )
            return f"{question.hint} {extra}".strip()
        return question.hint

    @property
    def limit_hint(self) -> str:
        return _("You can enter up to %(limit)d characters.") % {"limit": self.question.limit}

    # --- values for the template ---------------------------------------------------------------

    @property
    def selected(self) -> str:
        value = self.value
        if self.kind == "scenario":
            value = value.get("judgement") if isinstance(value, dict) else None
        return value if isinstance(value, str) else ""

    @property
    def choices(self) -> list[Choice]:
        """The radios (or checkboxes, for several choices), with "Prefer not to say" apart."""
        chosen = self.value if isinstance(self.value, list) else [self.selected]
        return [
            Choice(self._id(index), option.key, option.label, option.key in chosen)
            for index, option in enumerate(self.question.options)
        ]

    @property
    def prefer_not_to_say(self) -> Choice | None:
        if not self.question.offers_prefer_not_to_say:
            return None
        return Choice(
            f"{self.name}-prefer-not-to-say",
            PREFER_NOT_TO_SAY,
            self.question.label_of(PREFER_NOT_TO_SAY),
            self.selected == PREFER_NOT_TO_SAY,
        )

    @property
    def conditions(self) -> list[Choice]:
        value = self.value if isinstance(self.value, dict) else {}
        chosen = value.get("conditions") or []
        return [
            Choice(
                f"{self.name}-conditions-{index + 1}",
                option.key,
                option.label,
                option.key in chosen,
            )
            for index, option in enumerate(self.question.conditions)
        ]

    @property
    def condition_label(self) -> str:
        return self.question.label_of(Judgement.ACCEPTABLE_WITH_CONDITIONS)

    @property
    def text(self) -> str:
        if self.kind == "scenario":
            value = self.value if isinstance(self.value, dict) else {}
            return value.get("comment") or ""
        return self.value if isinstance(self.value, str) else ""

    @property
    def places(self) -> list[str]:
        return [ordinal(number) for number in range(1, len(self.question.options) + 1)]

    @property
    def ranking_rows(self) -> list[Choice]:
        if self.place_values:
            typed = self.place_values
        else:
            order = self.value if isinstance(self.value, list) else []
            typed = {key: str(order.index(key) + 1) for key in order}
        return [
            Choice(
                f"{self.name}-{option.key}",
                option.key,
                option.label,
                place=typed.get(option.key, ""),
            )
            for option in self.question.options
        ]

    def _id(self, index: int) -> str:
        # GOV.UK: the first input carries the question's own id, for the error summary's link.
        return self.name if index == 0 else f"{self.name}-{index + 1}"

    # --- reading a posted form -----------------------------------------------------------------

    def read(self, data: QueryDict) -> None:
        """Take this question's answer from the form, in the shape check_answers expects."""
        name = self.name
        if self.kind in RADIO_KINDS:
            self.value = data.get(name) or None
        elif self.kind == "multiple_choice":
            self.value = data.getlist(name) or None
        elif self.kind == "free_text":
            self.value = data.get(name, "").replace("\r\n", "\n") or None
        elif self.kind == "scenario":
            answer: dict[str, Any] = {}
            if data.get(name):
                answer["judgement"] = data[name]
            if data.getlist(f"{name}-conditions"):
                answer["conditions"] = data.getlist(f"{name}-conditions")
            comment = data.get(f"{name}-comment", "").replace("\r\n", "\n")
            if comment.strip():
                answer["comment"] = comment
            self.value = answer or None
        elif self.kind == "ranking":
            self.value = self._read_ranking(data)

    def _read_ranking(self, data: QueryDict) -> list[str] | None:
        options = self.question.options
        self.place_values = {
            option.key: data.get(f"{self.name}-{option.key}", "").strip() for option in options
        }
        given = {key: place for key, place in self.place_values.items() if place}
        if not given:
            return None
        count = len(options)
        places: dict[str, int] = {}
        for option in options:
            place = given.get(option.key)
            if place is None:
                continue
            if not place.isdigit() or not 1 <= int(place) <= count:
                self._fail(
                    _("Give %(option)s a place from 1st to %(last)s.")
                    % {"option": option.label, "last": ordinal(count)},
                    f"{self.name}-{option.key}",
                )
                return None
            places[option.key] = int(place)
        for place in sorted(set(places.values())):
            sharing = [option.label for option in options if places.get(option.key) == place]
            if len(sharing) > 1:
                message = (
                    _("%(options)s both have %(place)s. Give each option a different place.")
                    if len(sharing) == 2
                    else _("%(options)s all have %(place)s. Give each option a different place.")
                )
                self._fail(
                    message % {"options": _join(sharing), "place": ordinal(place)},
                    f"{self.name}-{next(o.key for o in options if places.get(o.key) == place)}",
                )
                return None
        if sorted(places.values()) != list(range(1, len(places) + 1)):
            self._fail(
                _(
                    "Start from 1st and leave no gaps: give places 1st, 2nd and so on to the "
                    "options you rank."
                )
            )
            return None
        return sorted(places, key=places.__getitem__)

    def _fail(self, message: str, target: str | None = None) -> None:
        self.error = message
        self.error_target = target

    def take_error(self, message: str) -> None:
        """An error from check_answers; a scenario's too-long comment points at the comment box."""
        target = None
        if self.kind == "scenario" and len(self.text.strip()) > self.question.limit > 0:
            target = f"{self.name}-comment"
        self._fail(message, target)


class SectionForm:
    """The questions of one section, from a posted form or from the answers kept so far."""

    def __init__(
        self,
        definition: SurveyDefinition,
        number: int,
        *,
        data: QueryDict | None = None,
        answers: dict[str, Any] | None = None,
    ) -> None:
        self.definition = definition
        self.number = number
        self.section: SectionDefinition = definition.sections[number - 1]
        answers = answers or {}
        self.fields = [QuestionField(q, answers.get(q.key)) for q in self.section.questions]
        self.is_bound = data is not None
        if data is not None:
            for field in self.fields:
                field.read(data)

    @property
    def keys(self) -> set[str]:
        return {question.key for question in self.section.questions}

    def raw_answers(self) -> dict[str, Any]:
        """This section's answers as check_answers takes them; unanswered questions left out."""
        return {field.question.key: field.value for field in self.fields if field.value is not None}

    def is_valid(self) -> bool:
        if any(field.error for field in self.fields):
            return False
        checked = check_answers(self.definition, self.raw_answers(), only=self.keys)
        self.add_errors(checked.errors)
        return checked.valid

    def add_errors(self, errors: dict[str, list[str]]) -> None:
        for field in self.fields:
            messages = errors.get(field.question.key)
            if messages and not field.error:
                field.take_error(messages[0])

    @property
    def errors(self) -> bool:
        return any(field.error for field in self.fields)

    def error_links(self) -> list[tuple[str, str]]:
        """(the id to link to, the message), one per question in the order they appear."""
        return [(field.anchor, field.error) for field in self.fields if field.error]


def _join(labels: list[str]) -> str:
    """ "Safety and Privacy", "Safety, Privacy and Cost"."""
    if len(labels) < 2:
        return "".join(labels)
    return _("%(first)s and %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}
