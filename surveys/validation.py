"""Checking one set of answers against a survey, with an error per question that says how to fix it.

The same rules for the web form and the API. Countable answers come back cleaned, for the
``answers`` of a Response; free text (answers to free-text questions and scenario comments)
comes back separately, because it is published only after a moderator has read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .definition import QuestionDefinition, SurveyDefinition
from .estimates import PREFER_NOT_TO_SAY, Judgement


@dataclass
class CheckedAnswers:
    answers: dict[str, Any] = field(default_factory=dict)
    free_text: dict[str, str] = field(default_factory=dict)  # question key → text
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


def check_answers(
    definition: SurveyDefinition, raw: Any, *, only: set[str] | None = None
) -> CheckedAnswers:
    """Check ``raw`` ({question key: answer}); ``only`` limits it to one section's questions."""
    checked = CheckedAnswers()
    if not isinstance(raw, dict):
        checked.errors["answers"] = [
            _('Send the answers as a JSON object, e.g. {"question-key": "option-key"}.')
        ]
        return checked
    keys = set(definition.questions) if only is None else only
    for name in sorted(set(raw) - set(definition.questions)):
        checked.errors[str(name)[:60]] = [
            _("This survey has no question “%(key)s”. Use the keys from its definition.")
            % {"key": str(name)[:60]}
        ]
    for key in keys:
        question = definition.questions[key]
        problem = _check_one(question, raw.get(key), checked)
        if problem:
            checked.errors[key] = [problem]
    return checked


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _check_one(question: QuestionDefinition, value: Any, checked: CheckedAnswers) -> str | None:
    if _blank(value):
        if question.required:
            return _("Answer this question: “%(text)s”.") % {"text": question.text}
        return None
    offered = [option.key for option in question.options]
    if question.kind in {"single_choice", "likert", "demographic"}:
        if value == PREFER_NOT_TO_SAY and question.offers_prefer_not_to_say:
            checked.answers[question.key] = value
            return None
        if value not in offered:
            return _choose_from(question)
        checked.answers[question.key] = value
        return None
    if question.kind == "multiple_choice":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return _("Give the answers as a list of option keys.")
        if any(v not in offered for v in value):
            return _choose_from(question)
        if len(set(value)) != len(value):
            return _("Choose each answer once.")
        if question.most_choices and len(value) > question.most_choices:
            return _("Choose up to %(most)d answers.") % {"most": question.most_choices}
        checked.answers[question.key] = [key for key in offered if key in value]
        return None
    if question.kind == "ranking":
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return _("Give the options as a list in your order, most preferred first.")
        if any(v not in offered for v in value):
            return _choose_from(question)
        if len(set(value)) != len(value):
            return _("Give each option one place only.")
        checked.answers[question.key] = list(value)
        return None
    if question.kind == "free_text":
        return _free_text(question, value, question.key, checked)
    return _scenario(question, value, checked)


def _choose_from(question: QuestionDefinition) -> str:
    return _("Choose from the answers offered: %(options)s.") % {
        "options": ", ".join(option.key for option in question.options)
    }


def _free_text(
    question: QuestionDefinition, value: Any, store_as: str, checked: CheckedAnswers
) -> str | None:
    if not isinstance(value, str):
        return _("Give your answer as text.")
    text = value.strip()
    if len(text) > question.limit:
        return _("Keep your answer to %(limit)d characters; it has %(count)d.") % {
            "limit": question.limit,
            "count": len(text),
        }
    if text:
        checked.free_text[store_as] = text
    return None


def _scenario(question: QuestionDefinition, value: Any, checked: CheckedAnswers) -> str | None:
    if isinstance(value, str):
        value = {"judgement": value}
    if not isinstance(value, dict) or set(value) - {"judgement", "conditions", "comment"}:
        return _('Give {"judgement": …, "conditions": […], "comment": "…"}.')
    judgement = value.get("judgement")
    if _blank(judgement):
        if question.required:
            return _("Say whether this is acceptable to you.")
        judgement = None
    elif judgement not in set(Judgement):
        return _("Choose one of: acceptable, acceptable_with_conditions, not_acceptable, not_sure.")
    conditions = value.get("conditions") or []
    condition_keys = [option.key for option in question.conditions]
    if not isinstance(conditions, list) or any(c not in condition_keys for c in conditions):
        return _("Choose conditions from those offered: %(options)s.") % {
            "options": ", ".join(condition_keys) or _("none")
        }
    if conditions and judgement != Judgement.ACCEPTABLE_WITH_CONDITIONS:
        return _(
            "Conditions go with “acceptable, but only with conditions”. Choose that, or untick "
            "the conditions."
        )
    comment = value.get("comment") or ""
    if comment:
        if not question.limit:
            return _("This scenario takes no comment.")
        problem = _free_text(question, comment, question.key, checked)
        if problem:
            return problem
    if judgement is not None:
        answer: dict[str, Any] = {"judgement": judgement}
        if conditions:
            answer["conditions"] = [key for key in condition_keys if key in conditions]
        checked.answers[question.key] = answer
    return None
