"""A survey as plain data: what the web form, the app, validation and results all read.

Built once from the page's StreamField, so every consumer sees the same keys, kinds and
options, and nothing else needs to know about Wagtail blocks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _

from .blocks import Dimension, option_key
from .estimates import LIKERT_FIVE_POINT, PREFER_NOT_TO_SAY, Judgement, Question, QuestionKind

# The five points and the four judgements, worded for the page and the app.
LIKERT_LABELS = {
    "strongly_disagree": "Strongly disagree",
    "disagree": "Disagree",
    "neither": "Neither agree nor disagree",
    "agree": "Agree",
    "strongly_agree": "Strongly agree",
}
JUDGEMENT_LABELS = {
    Judgement.ACCEPTABLE: "Acceptable",
    Judgement.ACCEPTABLE_WITH_CONDITIONS: "Acceptable, but only with conditions",
    Judgement.NOT_ACCEPTABLE: "Not acceptable",
    Judgement.NOT_SURE: "Not sure",
}
PREFER_NOT_TO_SAY_LABEL = "Prefer not to say"


@dataclass(frozen=True)
class Option:
    key: str
    label: str


@dataclass(frozen=True)
class QuestionDefinition:
    key: str
    kind: str  # scenario, likert, single_choice, multiple_choice, ranking, free_text, demographic
    text: str
    hint: str = ""
    required: bool = False
    options: tuple[Option, ...] = ()
    conditions: tuple[Option, ...] = ()
    vignette: str = ""
    limit: int = 0  # characters of free text (the comment box of a scenario, or a free text)
    most_choices: int | None = None
    dimension: str = ""  # demographic questions: age_band, area or other

    @property
    def offers_prefer_not_to_say(self) -> bool:
        return self.kind in {"demographic", "single_choice", "likert"}

    @property
    def statistics(self) -> Question | None:
        """The question as ``surveys.estimates`` counts it; None for free text."""
        if self.kind == "free_text":
            return None
        kind = {
            "scenario": QuestionKind.SCENARIO,
            "likert": QuestionKind.LIKERT,
            "single_choice": QuestionKind.SINGLE_CHOICE,
            "demographic": QuestionKind.SINGLE_CHOICE,
            "multiple_choice": QuestionKind.MULTIPLE_CHOICE,
            "ranking": QuestionKind.RANKING,
        }[self.kind]
        return Question(
            self.key,
            kind,
            options=tuple(option.key for option in self.options),
            conditions=tuple(option.key for option in self.conditions),
        )

    def label_of(self, key: str) -> str:
        if key == PREFER_NOT_TO_SAY:
            return _(PREFER_NOT_TO_SAY_LABEL)
        for option in (*self.options, *self.conditions):
            if option.key == key:
                return option.label
        return key


@dataclass(frozen=True)
class SectionDefinition:
    heading: str
    introduction: str
    questions: tuple[QuestionDefinition, ...]


@dataclass(frozen=True)
class SurveyDefinition:
    sections: tuple[SectionDefinition, ...]
    questions: dict[str, QuestionDefinition] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for section in self.sections:
            for question in section.questions:
                self.questions[question.key] = question

    def dimension_question(self, dimension: str) -> QuestionDefinition | None:
        return next(
            (
                q
                for q in self.questions.values()
                if q.kind == "demographic" and q.dimension == dimension
            ),
            None,
        )

    def as_dict(self) -> dict[str, Any]:
        return {"sections": [asdict(section) for section in self.sections]}


def build_definition(sections: Any) -> SurveyDefinition:
    """The definition of a survey from its ``sections`` StreamField value."""
    built = []
    seen: set[str] = set()
    for section in sections:
        value = section.value
        questions = []
        for block in value["questions"]:
            question = _question(block.block_type, block.value, block.id)
            key = question.key
            # Two questions with the same text in one survey still need their own keys.
            suffix = 2
            while key in seen:
                key = f"{question.key}-{suffix}"
                suffix += 1
            seen.add(key)
            questions.append(question if key == question.key else _with_key(question, key))
        built.append(
            SectionDefinition(
                heading=value["heading"],
                introduction=value.get("introduction") or "",
                questions=tuple(questions),
            )
        )
    return SurveyDefinition(tuple(built))


def _with_key(question: QuestionDefinition, key: str) -> QuestionDefinition:
    return replace(question, key=key)


def _options(values: Any) -> tuple[Option, ...]:
    return tuple(Option(option_key(option), option["label"]) for option in values or [])


def _question(kind: str, value: Any, block_id: str | None) -> QuestionDefinition:
    key = (value.get("key") or slugify(value["question"])[:60] or str(block_id)).strip("-")
    common = {
        "key": key,
        "kind": kind,
        "text": value["question"],
        "hint": value.get("hint") or "",
        "required": bool(value.get("required")),
    }
    if kind == "scenario":
        return QuestionDefinition(
            **common,
            vignette=value["vignette"],
            options=tuple(Option(j.value, _(label)) for j, label in JUDGEMENT_LABELS.items()),
            conditions=_options(value.get("conditions")),
            limit=value.get("comment_limit") or 0,
        )
    if kind == "likert":
        return QuestionDefinition(
            **common,
            options=tuple(Option(point, _(LIKERT_LABELS[point])) for point in LIKERT_FIVE_POINT),
        )
    if kind == "free_text":
        return QuestionDefinition(**common, limit=value.get("limit") or 500)
    if kind == "demographic":
        # Never required: "prefer not to say" and skipping are always allowed.
        return QuestionDefinition(
            **{**common, "required": False},
            options=_options(value.get("options")),
            dimension=value.get("dimension") or Dimension.OTHER,
        )
    return QuestionDefinition(
        **common,
        options=_options(value.get("options")),
        most_choices=value.get("most_choices"),
    )
