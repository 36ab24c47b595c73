"""Shares of respondents with their base and 95 % margin of error, for one survey question.

Plain data in, plain data out: no Django, so the results page, the API, the CSV export and the
benchmark all compute the same figures from the same function, and the tests run in
milliseconds.

Input shapes
------------
A *response* is a mapping from question key to that respondent's answer. What an answer looks
like depends on the kind of question:

=================  =========================================================================
kind               answer
=================  =========================================================================
single choice      one option key, e.g. ``"bus"``
multiple choice    a sequence of option keys, e.g. ``["bus", "cycle"]``
Likert             one option key from the question's scale, most negative first
scenario           ``{"judgement": "acceptable_with_conditions", "conditions": ["audited"]}``
                   or just the judgement key
ranking            a sequence of option keys, most preferred first (may be partial)
=================  =========================================================================

``PREFER_NOT_TO_SAY`` in place of an answer, a missing key, ``None`` or an empty sequence are
not answers: those respondents are left out of the base and counted separately, so every
percentage is stated with the number of people it is a percentage *of*. An empty
multiple-choice answer counts as not answered because a form cannot tell "none of these" from
"skipped"; a question that needs "none of these" should offer it as an option.

Weights, when given, are a sequence parallel to the responses (see ``surveys.weighting``).
Option keys that the question does not offer raise ``ValueError``: silently dropping them would
understate every base, so answers must be migrated when a question's options change.

The margin of error
-------------------
The textbook margin is ``1.96 * sqrt(p * (1 - p) / n)`` (the normal or "Wald" interval). It is
fine for large bases and middling shares but says "0 % ± 0 points" when nobody in a group of
eight chose an option, which claims a certainty the data does not have. We therefore compute
the Wilson score interval, which stays inside [0, 1] and keeps a sensible width for small
bases and shares near 0 or 1, and publish as "± x points" the larger of its two distances from
the observed share. For bases of a hundred or more and shares between 10 % and 90 % this
agrees with the textbook figure to within about half a point; for small bases it is honestly
wider. The exact (asymmetric) bounds are returned as well for anyone who wants them.

For weighted data the share is the weighted share and ``n`` is Kish's effective sample size
``(Σw)² / Σw²``, which shrinks as the weights grow more unequal, so the margin widens to
reflect the precision lost to weighting.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# 95 % two-sided critical value of the standard normal distribution.
Z_95 = 1.959963984540054

PREFER_NOT_TO_SAY = "prefer_not_to_say"


class QuestionKind(StrEnum):
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    LIKERT = "likert"
    SCENARIO = "scenario"
    RANKING = "ranking"


class Judgement(StrEnum):
    """The four answers to a scenario question, in the order the page shows them."""

    ACCEPTABLE = "acceptable"
    ACCEPTABLE_WITH_CONDITIONS = "acceptable_with_conditions"
    NOT_ACCEPTABLE = "not_acceptable"
    NOT_SURE = "not_sure"


LIKERT_FIVE_POINT = (
    "strongly_disagree",
    "disagree",
    "neither",
    "agree",
    "strongly_agree",
)

NET_AGREE = "net_agree"
NET_DISAGREE = "net_disagree"


@dataclass(frozen=True)
class Question:
    """What the statistics need to know about a question: its key, kind and options.

    ``options`` are in display order. For a Likert question they are the scale from most
    negative to most positive (``LIKERT_FIVE_POINT`` unless given); for a scenario question
    they are the judgements (``Judgement`` in order unless given) and ``conditions`` are the
    conditions a respondent can attach to "acceptable with conditions".
    """

    key: str
    kind: QuestionKind
    options: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.options:
            defaults = {
                QuestionKind.LIKERT: LIKERT_FIVE_POINT,
                QuestionKind.SCENARIO: tuple(Judgement),
            }
            if self.kind not in defaults:
                raise ValueError(f"Question {self.key!r} needs its options listed.")
            object.__setattr__(self, "options", tuple(defaults[self.kind]))
        if len(set(self.options)) != len(self.options):
            raise ValueError(f"Question {self.key!r} lists an option twice; list each once.")
        if self.kind is QuestionKind.LIKERT and (
            len(self.options) < 3 or len(self.options) % 2 == 0
        ):
            raise ValueError(
                f"Likert question {self.key!r} needs an odd number of points (3 or more), "
                "so that it has a middle point between agree and disagree."
            )
        if self.conditions and self.kind is not QuestionKind.SCENARIO:
            raise ValueError(f"Only scenario questions have conditions; {self.key!r} does not.")


@dataclass(frozen=True)
class Estimate:
    """A share of a base with its 95 % interval. Counts are weighted when weights were given.

    ``proportion``, ``margin_of_error``, ``lower`` and ``upper`` are fractions in [0, 1], or
    ``None`` when the base is empty (no share can be stated). Multiply by 100 for percentages
    and "± x points".
    """

    count: float
    base: float
    unweighted_count: int
    unweighted_base: int
    effective_base: float
    proportion: float | None
    margin_of_error: float | None
    lower: float | None
    upper: float | None

    @property
    def percentage(self) -> float | None:
        return None if self.proportion is None else 100 * self.proportion

    @property
    def margin_of_error_points(self) -> float | None:
        return None if self.margin_of_error is None else 100 * self.margin_of_error


@dataclass(frozen=True)
class OptionResult:
    """One row of a frequency table.

    For ranking questions ``estimate`` is the share ranking the option first, ``mean_rank`` the
    (weighted) mean position among those who ranked it (1 = most preferred) and
    ``ranked_by`` how many people ranked it at all. Other kinds leave those two ``None``.
    """

    key: str
    estimate: Estimate
    mean_rank: float | None = None
    ranked_by: int | None = None


@dataclass(frozen=True)
class FrequencyTable:
    """The results of one question.

    ``base`` and ``unweighted_base`` are the respondents who answered; ``prefer_not_to_say``
    and ``not_answered`` are counts of people (unweighted) left out of the base. ``summaries``
    holds the net agree / net disagree rows of a Likert question; ``conditions`` is, for a
    scenario question, the multiple-choice table of conditions among those who judged the
    scenario acceptable with conditions.
    """

    question_key: str
    kind: QuestionKind
    options: tuple[OptionResult, ...]
    base: float
    unweighted_base: int
    effective_base: float
    prefer_not_to_say: int
    not_answered: int
    summaries: tuple[OptionResult, ...] = ()
    conditions: FrequencyTable | None = None
    weighted: bool = False

    def __getitem__(self, key: str) -> OptionResult:
        """The row for an option (or ``NET_AGREE`` / ``NET_DISAGREE``) by its key."""
        for row in (*self.options, *self.summaries):
            if row.key == key:
                return row
        raise KeyError(key)


def effective_sample_size(weights: Sequence[float]) -> float:
    """Kish's effective sample size, ``(Σw)² / Σw²``; 0 for no (or only zero) weights."""
    total = math.fsum(weights)
    squares = math.fsum(weight * weight for weight in weights)
    return 0.0 if squares == 0 else total * total / squares


def normal_margin_of_error(proportion: float, sample_size: float, *, z: float = Z_95) -> float:
    """The textbook half-width ``z * sqrt(p(1 - p) / n)``, for comparison and for reports."""
    if sample_size <= 0:
        raise ValueError("A margin of error needs a base of at least one respondent.")
    return z * math.sqrt(proportion * (1 - proportion) / sample_size)


def wilson_interval(
    proportion: float, sample_size: float, *, z: float = Z_95
) -> tuple[float, float]:
    """The Wilson score interval for a share observed in ``sample_size`` (possibly effective)
    respondents: (lower, upper), both in [0, 1]."""
    if sample_size <= 0:
        raise ValueError("An interval needs a base of at least one respondent.")
    z_squared = z * z
    denominator = 1 + z_squared / sample_size
    centre = (proportion + z_squared / (2 * sample_size)) / denominator
    half_width = (z / denominator) * math.sqrt(
        proportion * (1 - proportion) / sample_size + z_squared / (4 * sample_size**2)
    )
    # Rounding can leave a bound a hair on the wrong side of the share itself (p = 1 gives an
    # upper bound of 0.9999999999999999); the interval always contains the observed share.
    lower = min(proportion, max(0.0, centre - half_width))
    upper = max(proportion, min(1.0, centre + half_width))
    return lower, upper


def estimate_share(
    count: float,
    base: float,
    *,
    unweighted_count: int | None = None,
    unweighted_base: int | None = None,
    effective_base: float | None = None,
) -> Estimate:
    """The share ``count / base`` with its Wilson 95 % interval.

    Without the optional arguments the data is taken as unweighted (counts of people). For
    weighted data pass the weighted ``count`` and ``base``, the numbers of people behind them
    and the effective base (Kish) of the respondents in the base.
    """
    unweighted_count = round(count) if unweighted_count is None else unweighted_count
    unweighted_base = round(base) if unweighted_base is None else unweighted_base
    effective_base = float(unweighted_base) if effective_base is None else effective_base
    if base <= 0 or effective_base <= 0:
        return Estimate(count, base, unweighted_count, unweighted_base, effective_base, *[None] * 4)
    # Rounding in weighted sums can nudge a share a hair outside [0, 1].
    proportion = min(1.0, max(0.0, count / base))
    lower, upper = wilson_interval(proportion, effective_base)
    margin = max(proportion - lower, upper - proportion)
    return Estimate(
        count=count,
        base=base,
        unweighted_count=unweighted_count,
        unweighted_base=unweighted_base,
        effective_base=effective_base,
        proportion=proportion,
        margin_of_error=margin,
        lower=lower,
        upper=upper,
    )


class _Tally:
    """Weighted and unweighted counts per option, and the base they are shares of."""

    __slots__ = ("base", "base_squares", "counts", "people", "unweighted_base")

    def __init__(self, options: Sequence[str]) -> None:
        self.counts = dict.fromkeys(options, 0.0)
        self.people = dict.fromkeys(options, 0)
        self.base = 0.0
        self.base_squares = 0.0
        self.unweighted_base = 0

    def add_respondent(self, weight: float) -> None:
        self.base += weight
        self.base_squares += weight * weight
        self.unweighted_base += 1

    def add_choice(self, option: str, weight: float) -> None:
        self.counts[option] += weight
        self.people[option] += 1

    @property
    def effective_base(self) -> float:
        if self.base_squares == 0:
            return 0.0
        return self.base * self.base / self.base_squares

    def estimate(self, option: str) -> Estimate:
        return self.estimate_of(self.counts[option], self.people[option])

    def estimate_of(self, count: float, people: int) -> Estimate:
        return estimate_share(
            count,
            self.base,
            unweighted_count=people,
            unweighted_base=self.unweighted_base,
            effective_base=self.effective_base,
        )


def _is_unanswered(answer: Any) -> bool:
    if answer is None or answer == "":
        return True
    return isinstance(answer, list | tuple | set | frozenset) and not answer


def _unknown_option(question: Question, option: Any, offered: Sequence[str]) -> ValueError:
    return ValueError(
        f"An answer to {question.key!r} gives {option!r}, which is not one of its options "
        f"{list(offered)}. Migrate stored answers when a question's options change."
    )


def tabulate_question(
    question: Question,
    responses: Sequence[Mapping[str, Any]],
    *,
    weights: Sequence[float] | None = None,
) -> FrequencyTable:
    """The frequency table of one question over all responses (weighted if weights are given).

    Each option's share is of the respondents who answered; for multiple-choice questions and
    a scenario's conditions a respondent can choose several, so shares may add up to more
    than 100 %. One pass over the responses: 100,000 responses take a fraction of a second.
    """
    if weights is not None and len(weights) != len(responses):
        raise ValueError(
            f"There are {len(responses)} responses but {len(weights)} weights; "
            "give one weight per response, in the same order."
        )
    if weights is not None and any(
        not (weight >= 0 and math.isfinite(weight)) for weight in weights
    ):
        raise ValueError("Weights must be finite and not negative.")
    answers = [response.get(question.key) for response in responses]
    tabulate = _TABULATORS[question.kind]
    return tabulate(question, answers, weights)


def _respondent_weights(count: int, weights: Sequence[float] | None) -> Sequence[float]:
    return [1.0] * count if weights is None else weights


def _tabulate_single_choice(
    question: Question, answers: Sequence[Any], weights: Sequence[float] | None
) -> FrequencyTable:
    tally = _Tally(question.options)
    counts, people = tally.counts, tally.people
    prefer_not_to_say = not_answered = 0
    for answer, weight in zip(answers, _respondent_weights(len(answers), weights), strict=True):
        if _is_unanswered(answer):
            not_answered += 1
            continue
        if answer == PREFER_NOT_TO_SAY:
            prefer_not_to_say += 1
            continue
        if not isinstance(answer, str) or answer not in counts:
            raise _unknown_option(question, answer, question.options)
        counts[answer] += weight
        people[answer] += 1
        tally.add_respondent(weight)
    summaries = _likert_summaries(question, tally) if question.kind is QuestionKind.LIKERT else ()
    return _table(question, tally, prefer_not_to_say, not_answered, weights, summaries=summaries)


def _likert_summaries(question: Question, tally: _Tally) -> tuple[OptionResult, ...]:
    """Net disagree is the points below the middle of the scale, net agree those above it."""
    half = len(question.options) // 2
    disagree, agree = question.options[:half], question.options[-half:]
    return tuple(
        OptionResult(
            key=key,
            estimate=tally.estimate_of(
                sum(tally.counts[option] for option in points),
                sum(tally.people[option] for option in points),
            ),
        )
        for key, points in ((NET_AGREE, agree), (NET_DISAGREE, disagree))
    )


def _tabulate_multiple_choice(
    question: Question,
    answers: Sequence[Any],
    weights: Sequence[float] | None,
    *,
    options: Sequence[str] | None = None,
) -> FrequencyTable:
    options = question.options if options is None else options
    tally = _Tally(options)
    counts, people = tally.counts, tally.people
    prefer_not_to_say = not_answered = 0
    for answer, weight in zip(answers, _respondent_weights(len(answers), weights), strict=True):
        if _is_unanswered(answer):
            not_answered += 1
            continue
        if answer == PREFER_NOT_TO_SAY or (
            not isinstance(answer, str) and PREFER_NOT_TO_SAY in answer
        ):
            prefer_not_to_say += 1
            continue
        if isinstance(answer, str):
            # A lone key is one choice, not a sequence of one-letter options.
            answer = (answer,)
        # A respondent is counted once per option however a form repeats it.
        for option in set(answer):
            if option not in counts:
                raise _unknown_option(question, option, options)
            counts[option] += weight
            people[option] += 1
        tally.add_respondent(weight)
    return _table(question, tally, prefer_not_to_say, not_answered, weights)


def _tabulate_scenario(
    question: Question, answers: Sequence[Any], weights: Sequence[float] | None
) -> FrequencyTable:
    judgements: list[Any] = []
    conditional_conditions: list[Any] = []
    conditional_weights: list[float] = []
    for answer, weight in zip(answers, _respondent_weights(len(answers), weights), strict=True):
        if isinstance(answer, Mapping):
            judgement, conditions = answer.get("judgement"), answer.get("conditions")
        else:
            judgement, conditions = answer, None
        judgements.append(judgement)
        # Conditions are published as the share of those who made the scenario conditional,
        # the group for whom "which conditions matter" is the question.
        if judgement == Judgement.ACCEPTABLE_WITH_CONDITIONS:
            conditional_conditions.append(conditions)
            conditional_weights.append(weight)
    table = _tabulate_single_choice(question, judgements, weights)
    condition_table = _tabulate_multiple_choice(
        question,
        conditional_conditions,
        None if weights is None else conditional_weights,
        options=question.conditions,
    )
    return FrequencyTable(
        question_key=table.question_key,
        kind=question.kind,
        options=table.options,
        base=table.base,
        unweighted_base=table.unweighted_base,
        effective_base=table.effective_base,
        prefer_not_to_say=table.prefer_not_to_say,
        not_answered=table.not_answered,
        conditions=condition_table,
        weighted=table.weighted,
    )


def _tabulate_ranking(
    question: Question, answers: Sequence[Any], weights: Sequence[float] | None
) -> FrequencyTable:
    first_choices = _Tally(question.options)
    rank_sums = dict.fromkeys(question.options, 0.0)
    rank_weights = dict.fromkeys(question.options, 0.0)
    ranked_by = dict.fromkeys(question.options, 0)
    prefer_not_to_say = not_answered = 0
    for answer, weight in zip(answers, _respondent_weights(len(answers), weights), strict=True):
        if _is_unanswered(answer):
            not_answered += 1
            continue
        if answer == PREFER_NOT_TO_SAY:
            prefer_not_to_say += 1
            continue
        if isinstance(answer, str) or len(set(answer)) != len(answer):
            raise ValueError(
                f"A ranking of {question.key!r} must list each option at most once, "
                f"most preferred first; got {answer!r}."
            )
        for position, option in enumerate(answer, start=1):
            if option not in rank_sums:
                raise _unknown_option(question, option, question.options)
            rank_sums[option] += position * weight
            rank_weights[option] += weight
            ranked_by[option] += 1
        first_choices.add_choice(answer[0], weight)
        first_choices.add_respondent(weight)
    rows = tuple(
        OptionResult(
            key=option,
            estimate=first_choices.estimate(option),
            mean_rank=rank_sums[option] / rank_weights[option] if rank_weights[option] else None,
            ranked_by=ranked_by[option],
        )
        for option in question.options
    )
    return FrequencyTable(
        question_key=question.key,
        kind=question.kind,
        options=rows,
        base=first_choices.base,
        unweighted_base=first_choices.unweighted_base,
        effective_base=first_choices.effective_base,
        prefer_not_to_say=prefer_not_to_say,
        not_answered=not_answered,
        weighted=weights is not None,
    )


def _table(
    question: Question,
    tally: _Tally,
    prefer_not_to_say: int,
    not_answered: int,
    weights: Sequence[float] | None,
    *,
    summaries: tuple[OptionResult, ...] = (),
) -> FrequencyTable:
    return FrequencyTable(
        question_key=question.key,
        kind=question.kind,
        options=tuple(
            OptionResult(key=option, estimate=tally.estimate(option)) for option in tally.counts
        ),
        base=tally.base,
        unweighted_base=tally.unweighted_base,
        effective_base=tally.effective_base,
        prefer_not_to_say=prefer_not_to_say,
        not_answered=not_answered,
        summaries=summaries,
        weighted=weights is not None,
    )


_TABULATORS = {
    QuestionKind.SINGLE_CHOICE: _tabulate_single_choice,
    QuestionKind.LIKERT: _tabulate_single_choice,
    QuestionKind.MULTIPLE_CHOICE: _tabulate_multiple_choice,
    QuestionKind.SCENARIO: _tabulate_scenario,
    QuestionKind.RANKING: _tabulate_ranking,
}
