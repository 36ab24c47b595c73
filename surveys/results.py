"""A survey's published results: every figure the results page, the API and the CSV show.

``survey_results(page)`` reads the answers once, tabulates each countable question overall
and by age band and by area, hides small counts, weights to population margins when the page
gives them, compares waves of a tracker series and lists published comments. Nothing here
knows about requests or templates, so the page, the API and the CSV cannot disagree.

Disclosure control across linked tables
---------------------------------------
One question is published as several tables that share figures: the overall counts are the
row totals of the age table and of the area table. Each table is protected on its own by
``surveys.disclosure`` (bands merged first, then primary and complementary suppression), and
each breakdown has a "Not stated" column for people who did not give their age or area, so
that its columns add up to the overall table exactly. Because the tables share totals, a
cell hidden safely in one could still be worked out with the help of another (the overall
table hides "not acceptable" while the age table's totals and cells add up to it, say).
``_close_linked_leaks`` therefore puts every published equation of all of a question's
tables together and, while any hidden figure is fixed by them (a row of the reduced
equations with a single unknown), hides the smallest published figure that shares an
equation with it. Breakdown tables do not repeat the row totals: the overall table shows
them, with its own suppression.

Derived figures (net agree, net disagree) are published only when every figure they add up
is published, so they never carry information the published cells do not. The conditions of
a scenario are shares of those who chose "acceptable with conditions", so they are withheld
when that count is hidden. Weighted figures are shown only where the count of people is.

Caching
-------
The computed results are cached under a key made of the survey's id, the language, the
number and the latest submission time of its responses, the number of published comments, a
fingerprint of the settings that shape the figures, and the same for the other published
waves of its series. Finding the key costs two small queries; any new response, moderated
comment or edit to the page makes a new key.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, Min, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .definition import QuestionDefinition
from .disclosure import HiddenReason, merge_sparse_bands, protect_counts, protect_table
from .estimates import (
    NET_AGREE,
    NET_DISAGREE,
    PREFER_NOT_TO_SAY,
    Estimate,
    FrequencyTable,
    QuestionKind,
    tabulate_question,
)
from .models import FreeTextAnswer, FreeTextStatus, Response, SurveyPage
from .weighting import rake

RESULTS_VERSION = 1
CACHE_SECONDS = 24 * 60 * 60
DIMENSIONS = ("age_band", "area")
NOT_STATED = "not_stated"


# --- the shape of the results --------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A count of people and its share, as published.

    ``count`` and ``percentage`` are ``None`` when hidden, and ``hidden`` then says why
    (``"small"`` or ``"complementary"``, see ``surveys.disclosure.HiddenReason``).
    ``margin`` is the 95 % margin of error in percentage points. The weighted figures are
    set only when the survey is weighted, and only where the count is published.
    """

    count: int | None
    percentage: float | None = None
    margin: float | None = None
    hidden: str | None = None
    weighted_percentage: float | None = None
    weighted_margin: float | None = None

    @property
    def is_hidden(self) -> bool:
        return self.hidden is not None


@dataclass(frozen=True)
class Row:
    """One answer of a question. ``summary`` rows are net agree / net disagree.

    For ranking questions the figure is the share ranking the option first, ``mean_rank``
    the mean position among those who ranked it (1 = most preferred) and ``ranked_by`` how
    many did; both are ``None`` when fewer than the minimum ranked it.
    """

    key: str
    label: str
    figure: Figure
    summary: bool = False
    mean_rank: float | None = None
    weighted_mean_rank: float | None = None
    ranked_by: int | None = None


@dataclass(frozen=True)
class Table:
    """One question's answers overall, with the base every percentage is a share of.

    ``adds_up`` is false for multiple-choice tables, where one person may choose several.
    """

    rows: tuple[Row, ...]
    base: Figure
    weighted_base: float | None = None
    effective_base: float | None = None
    adds_up: bool = True


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    figures: tuple[Figure, ...]
    summary: bool = False


@dataclass(frozen=True)
class Breakdown:
    """A question's answers by group: columns are bands after sparse ones were merged, and
    "Not stated" for those who did not say. Percentages are of each column's base."""

    dimension: str
    groups: tuple[str, ...]
    bases: tuple[Figure, ...]
    rows: tuple[BreakdownRow, ...]
    merged: tuple[str, ...] = ()  # labels of columns that merged two or more bands


@dataclass(frozen=True)
class WaveColumn:
    survey_id: int
    label: str
    url_path: str
    current: bool


@dataclass(frozen=True)
class WaveComparison:
    """A question's overall percentages in each published wave of the series that asked it.

    ``bases`` and each row's ``figures`` follow ``waves``; a wave that did not ask the
    question, or did not offer that answer, has ``None``.
    """

    waves: tuple[WaveColumn, ...]
    bases: tuple[Figure | None, ...]
    rows: tuple[BreakdownRow, ...]


@dataclass(frozen=True)
class QuestionResults:
    key: str
    kind: str
    text: str
    vignette: str
    table: Table
    prefer_not_to_say: int
    not_answered: int
    breakdowns: tuple[Breakdown, ...] = ()
    conditions: Table | None = None
    conditions_withheld: bool = False
    waves: WaveComparison | None = None
    comments: tuple[str, ...] = ()


@dataclass(frozen=True)
class FreeTextResults:
    key: str
    text: str
    comments: tuple[str, ...]


@dataclass(frozen=True)
class Weighting:
    """How the weighted figures were made. ``problem`` is set when weighting was not possible
    (the figures are then unweighted only); ``empty_groups`` lists population groups with no
    respondents, which the weighted figures leave out."""

    dimensions: tuple[str, ...]
    converged: bool
    iterations: int
    effective_size: float
    empty_groups: tuple[str, ...] = ()
    not_stated: Mapping[str, int] = field(default_factory=dict)
    problem: str = ""


@dataclass(frozen=True)
class SurveyResults:
    survey_id: int
    title: str
    responses: int
    first_response: datetime.datetime | None
    last_response: datetime.datetime | None
    minimum_cell_size: int
    questions: tuple[QuestionResults, ...]
    free_text: tuple[FreeTextResults, ...]
    weighting: Weighting | None
    waves: tuple[WaveColumn, ...] = ()

    @property
    def weighted(self) -> bool:
        return self.weighting is not None and not self.weighting.problem

    @property
    def has_hidden(self) -> bool:
        return any(_question_has_hidden(question) for question in self.questions)


# --- entry point ------------------------------------------------------------------------------


def survey_results(page: SurveyPage) -> SurveyResults:
    """The published results of ``page``, from the cache when nothing has changed."""
    waves = _response_summaries(page)
    comment_count = FreeTextAnswer.objects.filter(
        response__survey=page, status=FreeTextStatus.PUBLISHED
    ).count()
    own = waves.get(page.pk, _NO_RESPONSES)
    signature = "|".join(
        f"{survey_id}:{summary.count}:{summary.latest}:{summary.fingerprint}"
        for survey_id, summary in sorted(waves.items())
    )
    key = "survey-results:{}:{}:{}:{}".format(
        RESULTS_VERSION,
        page.pk,
        get_language() or "",
        _digest(f"{_settings_fingerprint(page)}|{comment_count}|{signature}"),
    )
    results = cache.get(key)
    if results is None:
        results = _compute_without_collector(page, own, waves)
        cache.set(key, results, CACHE_SECONDS)
    return results


def _compute_without_collector(
    page: SurveyPage, own: _Summary, waves: dict[int, _Summary]
) -> SurveyResults:
    # Reading 100,000 answers makes millions of small objects and no reference cycles; Python's
    # cyclic collector would walk all of them again and again while they pile up, making the
    # work grow faster than the number of answers. Paused here, it runs once afterwards.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _compute(page, own, waves)
    finally:
        if was_enabled:
            gc.enable()


@dataclass(frozen=True)
class _Summary:
    count: int
    first: datetime.datetime | None
    latest: datetime.datetime | None
    fingerprint: str


_NO_RESPONSES = _Summary(0, None, None, "")


def _response_summaries(page: SurveyPage) -> dict[int, _Summary]:
    """Response count and times for the page and the other published waves of its series:
    one query."""
    waves = Q(survey_id=page.pk)
    if page.series_id:
        waves |= Q(survey__series_id=page.series_id, survey__results_published=True) & Q(
            survey__live=True
        )
    rows = (
        Response.objects.filter(waves)
        .values("survey_id", "survey__last_published_at")
        .annotate(count=Count("id"), first=Min("submitted_at"), latest=Max("submitted_at"))
        .order_by()
    )
    return {
        row["survey_id"]: _Summary(
            row["count"], row["first"], row["latest"], str(row["survey__last_published_at"])
        )
        for row in rows
    }


def _settings_fingerprint(page: SurveyPage) -> str:
    return json.dumps(
        [
            page.title,
            page.minimum_cell_size,
            page.population_margins,
            page.sections.raw_data if hasattr(page.sections, "raw_data") else str(page.sections),
            str(page.last_published_at),
            page.series_id,
            page.wave_label,
        ],
        sort_keys=True,
        default=str,
    )


def _digest(text: str) -> str:
    return hashlib.blake2s(text.encode(), digest_size=12).hexdigest()


# --- computing ---------------------------------------------------------------------------------


@dataclass
class _Core:
    """A wave's figures without the wave comparison or comments (cached on its own, so that
    every wave's page shows another wave's figures exactly as that wave's page does)."""

    questions: tuple[QuestionResults, ...]
    weighting: Weighting | None


def _compute(page: SurveyPage, own: _Summary, waves: Mapping[int, _Summary]) -> SurveyResults:
    core = _core_results(page, own)
    questions = list(core.questions)
    wave_columns: tuple[WaveColumn, ...] = ()
    if page.series_id:
        wave_columns, questions = _with_wave_comparisons(page, questions, waves)
    comments = _published_comments(page)
    questions = [
        _replace(question, comments=tuple(comments.get(question.key, ()))) for question in questions
    ]
    free_text = tuple(
        FreeTextResults(key=q.key, text=q.text, comments=tuple(comments.get(q.key, ())))
        for q in page.definition.questions.values()
        if q.kind == "free_text"
    )
    return SurveyResults(
        survey_id=page.pk,
        title=page.title,
        responses=own.count,
        first_response=own.first,
        last_response=own.latest,
        minimum_cell_size=page.minimum_cell_size,
        questions=tuple(questions),
        free_text=free_text,
        weighting=core.weighting,
        waves=wave_columns,
    )


def _replace(question: QuestionResults, **changes: Any) -> QuestionResults:
    from dataclasses import replace

    return replace(question, **changes)


def _core_results(page: SurveyPage, summary: _Summary) -> _Core:
    key = "survey-results-core:{}:{}:{}:{}".format(
        RESULTS_VERSION,
        page.pk,
        get_language() or "",
        _digest(f"{summary.count}|{summary.latest}|{_settings_fingerprint(page)}"),
    )
    core = cache.get(key)
    if core is None:
        answers = list(
            Response.objects.filter(survey=page)
            .order_by("pk")
            .values_list("answers", flat=True)
            .iterator(chunk_size=5000)
        )
        core = compute_core(page, answers)
        cache.set(key, core, CACHE_SECONDS)
    return core


def compute_core(page: SurveyPage, answers: Sequence[Mapping[str, Any]]) -> _Core:
    """Every question's figures from the answers given (no database access)."""
    definition = page.definition
    minimum = page.minimum_cell_size
    dimension_questions = {
        dimension: question
        for dimension in DIMENSIONS
        if (question := definition.dimension_question(dimension)) is not None
    }
    groups = {
        dimension: _group_indexes(question, answers)
        for dimension, question in dimension_questions.items()
    }
    weighting, weights = _weights(page, answers, dimension_questions)
    questions = []
    for question in definition.questions.values():
        statistics = question.statistics
        if statistics is None:
            continue
        questions.append(
            _question_results(
                question,
                answers,
                weights=weights,
                groups={d: g for d, g in groups.items() if dimension_questions[d] is not question},
                dimension_questions=dimension_questions,
                minimum=minimum,
            )
        )
    return _Core(questions=tuple(questions), weighting=weighting)


def _group_indexes(
    question: QuestionDefinition, answers: Sequence[Mapping[str, Any]]
) -> dict[str, list[int]]:
    """Respondent positions per band of a demographic question, in band order, and last
    ``NOT_STATED`` for those who gave none."""
    indexes: dict[str, list[int]] = {option.key: [] for option in question.options}
    not_stated: list[int] = []
    for position, answer in enumerate(answers):
        band = answer.get(question.key)
        (indexes.get(band, not_stated) if isinstance(band, str) else not_stated).append(position)
    indexes[NOT_STATED] = not_stated
    return indexes


def _weights(
    page: SurveyPage,
    answers: Sequence[Mapping[str, Any]],
    dimension_questions: Mapping[str, QuestionDefinition],
) -> tuple[Weighting | None, list[float] | None]:
    margins = page.population_margins or {}
    if not margins or not answers:
        return None, None
    targets: dict[str, dict[str, float]] = {}
    labels: dict[tuple[str, str], str] = {}
    for dimension, shares in margins.items():
        question = dimension_questions.get(dimension)
        if question is None:
            return _weighting_problem(
                margins,
                _("The survey has no %(dimension)s question to weight by.")
                % {"dimension": _dimension_name(dimension)},
            ), None
        by_label = {option.label: option.key for option in question.options}
        keys = {option.key for option in question.options}
        targets[dimension] = {}
        for band, share in shares.items():
            key = band if band in keys else by_label.get(band)
            if key is None:
                return _weighting_problem(
                    margins,
                    _("The population margins name %(band)s, which is not an answer offered.")
                    % {"band": band},
                ), None
            targets[dimension][key] = share
            labels[(dimension, key)] = question.label_of(key)
    categories = [
        {dimension: answer.get(dimension_questions[dimension].key) for dimension in targets}
        for answer in answers
    ]
    try:
        raked = rake(categories, targets)
    except ValueError as error:
        return _weighting_problem(margins, str(error)), None
    empty = tuple(
        labels.get((dimension, key), key)
        for dimension, keys in raked.empty_categories.items()
        for key in keys
    )
    return (
        Weighting(
            dimensions=tuple(targets),
            converged=raked.converged,
            iterations=raked.iterations,
            effective_size=raked.effective_sample_size,
            empty_groups=empty,
            not_stated=dict(raked.missing),
        ),
        list(raked.weights),
    )


def _weighting_problem(margins: Mapping[str, Any], problem: str) -> Weighting:
    return Weighting(
        dimensions=tuple(margins),
        converged=False,
        iterations=0,
        effective_size=0.0,
        problem=problem,
    )


def _dimension_name(dimension: str) -> str:
    return {"age_band": _("age band"), "area": _("area")}.get(dimension, dimension)


# --- one question ------------------------------------------------------------------------------


def _rows_of(table: FrequencyTable) -> list[str]:
    return [row.key for row in table.options]


def _people(table: FrequencyTable) -> list[int]:
    return [row.estimate.unweighted_count for row in table.options]


def _transpose(rows: Sequence[Sequence[int]]) -> list[list[int]]:
    return [list(column) for column in zip(*rows, strict=True)]


def _subset(answers: Sequence[Mapping[str, Any]], indexes: Sequence[int]) -> list[Any]:
    return [answers[index] for index in indexes]


def _question_results(
    question: QuestionDefinition,
    answers: Sequence[Mapping[str, Any]],
    *,
    weights: Sequence[float] | None,
    groups: Mapping[str, Mapping[str, list[int]]],
    dimension_questions: Mapping[str, QuestionDefinition],
    minimum: int,
) -> QuestionResults:
    statistics = question.statistics
    assert statistics is not None
    overall = tabulate_question(statistics, answers)
    weighted = None if weights is None else tabulate_question(statistics, answers, weights=weights)
    partition = statistics.kind is not QuestionKind.MULTIPLE_CHOICE
    option_keys = _rows_of(overall)
    totals = _people(overall)
    base = overall.unweighted_base

    protection = _Protection(minimum=minimum, partition=partition, rows=len(option_keys))
    protection.add_overall(totals, base)

    # Each breakdown: counts by original band, sparse bands merged, then "Not stated".
    breakdown_tables: dict[str, tuple[list[str], list[list[int]], list[FrequencyTable], list]] = {}
    for dimension, bands in groups.items():
        dimension_question = dimension_questions[dimension]
        band_keys = [key for key in bands if key != NOT_STATED]
        if not band_keys:
            continue
        band_tables = [
            tabulate_question(statistics, _subset(answers, bands[key])) for key in band_keys
        ]
        merged = merge_sparse_bands(
            [dimension_question.label_of(key) for key in band_keys],
            _transpose([_people(table) for table in band_tables]),
            threshold=minimum,
        )
        column_members = [
            [position for band in members for position in bands[band_keys[band]]]
            for members in merged.members
        ]
        labels = list(merged.labels)
        merged_labels = [
            label for label, members in zip(labels, merged.members, strict=True) if len(members) > 1
        ]
        if bands[NOT_STATED]:
            column_members.append(bands[NOT_STATED])
            labels.append(_("Not stated"))
        column_tables = [
            tabulate_question(statistics, _subset(answers, members)) for members in column_members
        ]
        # Columns where nobody answered this question say nothing and are left out.
        keep = [j for j, table in enumerate(column_tables) if table.unweighted_base > 0]
        if len(keep) < 2:
            continue
        labels = [labels[j] for j in keep]
        column_tables = [column_tables[j] for j in keep]
        cell_counts = _transpose([_people(table) for table in column_tables])
        protection.add_breakdown(dimension, cell_counts, [t.unweighted_base for t in column_tables])
        breakdown_tables[dimension] = (labels, cell_counts, column_tables, merged_labels)

    protection.close_leaks()

    table = _overall_table(question, overall, weighted, protection, minimum=minimum)
    breakdowns = tuple(
        _breakdown(question, dimension, labels, tables, merged_labels, protection)
        for dimension, (labels, _counts, tables, merged_labels) in breakdown_tables.items()
    )
    conditions, withheld = None, False
    if overall.conditions is not None and overall.conditions.options:
        conditional = option_keys.index("acceptable_with_conditions")
        if protection.is_hidden(("t", conditional)):
            withheld = True
        else:
            conditions = _conditions_table(
                question,
                overall.conditions,
                None if weighted is None else weighted.conditions,
                minimum=minimum,
            )
    return QuestionResults(
        key=question.key,
        kind=question.kind,
        text=question.text,
        vignette=question.vignette,
        table=table,
        prefer_not_to_say=overall.prefer_not_to_say,
        not_answered=overall.not_answered,
        breakdowns=breakdowns,
        conditions=conditions,
        conditions_withheld=withheld,
    )


def _figure(
    estimate: Estimate,
    hidden: str | None,
    weighted: Estimate | None = None,
    *,
    base_hidden: bool = False,
) -> Figure:
    if hidden is not None:
        return Figure(count=None, hidden=hidden)
    if base_hidden:
        return Figure(count=estimate.unweighted_count)
    return Figure(
        count=estimate.unweighted_count,
        percentage=estimate.percentage,
        margin=estimate.margin_of_error_points,
        weighted_percentage=None if weighted is None else weighted.percentage,
        weighted_margin=None if weighted is None else weighted.margin_of_error_points,
    )


def _overall_table(
    question: QuestionDefinition,
    overall: FrequencyTable,
    weighted: FrequencyTable | None,
    protection: _Protection,
    *,
    minimum: int,
) -> Table:
    base_hidden = protection.reason(("base",))
    rows = []
    for i, option in enumerate(overall.options):
        weighted_option = None if weighted is None else weighted.options[i]
        enough_rankers = option.ranked_by is not None and option.ranked_by >= minimum
        rows.append(
            Row(
                key=option.key,
                label=question.label_of(option.key),
                figure=_figure(
                    option.estimate,
                    protection.reason(("t", i)),
                    None if weighted_option is None else weighted_option.estimate,
                    base_hidden=base_hidden is not None,
                ),
                mean_rank=option.mean_rank if enough_rankers else None,
                weighted_mean_rank=(
                    weighted_option.mean_rank if enough_rankers and weighted_option else None
                ),
                ranked_by=option.ranked_by if enough_rankers else None,
            )
        )
    rows.extend(_summary_rows(question, overall, weighted, [row.figure for row in rows]))
    return Table(
        rows=tuple(rows),
        base=Figure(
            count=None if base_hidden else overall.unweighted_base,
            hidden=base_hidden,
        ),
        weighted_base=None if weighted is None else weighted.base,
        effective_base=None if weighted is None else weighted.effective_base,
        adds_up=overall.kind is not QuestionKind.MULTIPLE_CHOICE,
    )


def _summary_rows(
    question: QuestionDefinition,
    table: FrequencyTable,
    weighted: FrequencyTable | None,
    figures: Sequence[Figure],
) -> list[Row]:
    """Net agree and net disagree, published only when every point they add up is."""
    if table.kind is not QuestionKind.LIKERT:
        return []
    half = len(table.options) // 2
    parts = {NET_AGREE: figures[-half:], NET_DISAGREE: figures[:half]}
    labels = {NET_AGREE: _("Agree (net)"), NET_DISAGREE: _("Disagree (net)")}
    rows = []
    for summary in table.summaries:
        hidden = any(figure.is_hidden for figure in parts[summary.key])
        weighted_summary = None if weighted is None else weighted[summary.key].estimate
        rows.append(
            Row(
                key=summary.key,
                label=labels[summary.key],
                figure=_figure(
                    summary.estimate,
                    HiddenReason.COMPLEMENTARY.value if hidden else None,
                    weighted_summary,
                    base_hidden=any(
                        figure.count is not None and figure.percentage is None for figure in figures
                    ),
                ),
                summary=True,
            )
        )
    return rows


def _conditions_table(
    question: QuestionDefinition,
    conditions: FrequencyTable,
    weighted: FrequencyTable | None,
    *,
    minimum: int,
) -> Table:
    """Conditions are a multiple choice among those who chose "acceptable with conditions":
    each small count is hidden; no equation ties them together, so none is hidden for another."""
    rows = []
    for i, option in enumerate(conditions.options):
        count = option.estimate.unweighted_count
        hidden = HiddenReason.SMALL.value if 0 < count < minimum else None
        rows.append(
            Row(
                key=option.key,
                label=question.label_of(option.key),
                figure=_figure(
                    option.estimate,
                    hidden,
                    None if weighted is None else weighted.options[i].estimate,
                ),
            )
        )
    return Table(
        rows=tuple(rows),
        base=Figure(count=conditions.unweighted_base),
        weighted_base=None if weighted is None else weighted.base,
        effective_base=None if weighted is None else weighted.effective_base,
        adds_up=False,
    )


def _breakdown(
    question: QuestionDefinition,
    dimension: str,
    labels: Sequence[str],
    tables: Sequence[FrequencyTable],
    merged_labels: Sequence[str],
    protection: _Protection,
) -> Breakdown:
    bases = tuple(
        Figure(
            count=None if protection.is_hidden(("b", dimension, j)) else table.unweighted_base,
            hidden=protection.reason(("b", dimension, j)),
        )
        for j, table in enumerate(tables)
    )
    columns: list[list[Figure]] = []
    for j, table in enumerate(tables):
        base_hidden = bases[j].is_hidden
        figures = [
            _figure(
                option.estimate, protection.reason(("c", dimension, i, j)), base_hidden=base_hidden
            )
            for i, option in enumerate(table.options)
        ]
        summaries = _summary_rows(question, table, None, figures)
        columns.append(figures + [row.figure for row in summaries])
    keys = [option.key for option in tables[0].options]
    row_labels = [question.label_of(key) for key in keys]
    summary_rows = _summary_rows(question, tables[0], None, columns[0][: len(keys)])
    keys += [row.key for row in summary_rows]
    row_labels += [row.label for row in summary_rows]
    return Breakdown(
        dimension=dimension,
        groups=tuple(labels),
        bases=bases,
        rows=tuple(
            BreakdownRow(
                key=key,
                label=label,
                figures=tuple(column[i] for column in columns),
                summary=key in (NET_AGREE, NET_DISAGREE),
            )
            for i, (key, label) in enumerate(zip(keys, row_labels, strict=True))
        ),
        merged=tuple(merged_labels),
    )


# --- disclosure control across a question's tables ------------------------------------------

_Entry = tuple[Any, ...]


class _Protection:
    """The hidden figures of one question's overall table and breakdowns, kept consistent.

    Entries: ``("t", i)`` the overall count of answer ``i``; ``("base",)`` the overall base;
    ``("c", dimension, i, j)`` a breakdown cell; ``("b", dimension, j)`` a column's base.
    """

    def __init__(self, *, minimum: int, partition: bool, rows: int) -> None:
        self.minimum = minimum
        self.partition = partition
        self.rows = rows
        self.values: dict[_Entry, int] = {}
        self.hidden: dict[_Entry, str] = {}
        self.equations: list[list[tuple[_Entry, int]]] = []

    def add_overall(self, totals: Sequence[int], base: int) -> None:
        self.values[("base",)] = base
        for i, total in enumerate(totals):
            self.values[("t", i)] = total
        labels = [str(i) for i in range(len(totals))]
        if self.partition:
            protected = protect_counts(labels, list(totals), minimum=self.minimum)
            self.equations.append([*((("t", i), 1) for i in range(len(totals))), (("base",), -1)])
            for i, cell in enumerate(protected.cells):
                if cell.hidden:
                    self.hidden[("t", i)] = cell.hidden.value
            if protected.total.hidden:
                self.hidden[("base",)] = protected.total.hidden.value
        else:
            for i, total in enumerate(totals):
                if 0 < total < self.minimum:
                    self.hidden[("t", i)] = HiddenReason.SMALL.value

    def add_breakdown(
        self, dimension: str, counts: Sequence[Sequence[int]], bases: Sequence[int]
    ) -> None:
        columns = len(bases)
        for i, row in enumerate(counts):
            for j, count in enumerate(row):
                self.values[("c", dimension, i, j)] = count
            self.equations.append(
                [*((("c", dimension, i, j), 1) for j in range(columns)), (("t", i), -1)]
            )
        for j, base in enumerate(bases):
            self.values[("b", dimension, j)] = base
        self.equations.append(
            [*((("b", dimension, j), 1) for j in range(columns)), (("base",), -1)]
        )
        labels = [str(j) for j in range(columns)]
        if self.partition:
            for j in range(columns):
                self.equations.append(
                    [
                        *((("c", dimension, i, j), 1) for i in range(len(counts))),
                        (("b", dimension, j), -1),
                    ]
                )
            protected = protect_table(
                counts,
                row_labels=[str(i) for i in range(len(counts))],
                column_labels=labels,
                minimum=self.minimum,
            )
            for i, row in enumerate(protected.cells):
                for j, cell in enumerate(row):
                    if cell.hidden:
                        self.hidden[("c", dimension, i, j)] = cell.hidden.value
            for i, total in enumerate(protected.row_totals):
                if total.hidden:
                    self.hidden.setdefault(("t", i), total.hidden.value)
            for j, total in enumerate(protected.column_totals):
                if total.hidden:
                    self.hidden[("b", dimension, j)] = total.hidden.value
            if protected.grand_total.hidden:
                self.hidden[("base",)] = protected.grand_total.hidden.value
        else:
            # One person may choose several answers: only each row adds up (to the overall
            # count of that answer), so each row is protected as a one-way table.
            for i, row in enumerate(counts):
                protected = protect_counts(labels, list(row), minimum=self.minimum)
                for j, cell in enumerate(protected.cells):
                    if cell.hidden:
                        self.hidden[("c", dimension, i, j)] = cell.hidden.value
                if protected.total.hidden:
                    self.hidden.setdefault(("t", i), protected.total.hidden.value)

    def close_leaks(self) -> None:
        """Hide more figures until no hidden one follows from all the published equations."""
        for _round in range(len(self.values) + 1):
            leaked = _determined(self.equations, self.values, set(self.hidden))
            if not leaked:
                return
            target = min(leaked, key=repr)
            candidates = {
                entry
                for equation in self.equations
                if any(entry == target for entry, _coefficient in equation)
                for entry, _coefficient in equation
                if entry not in self.hidden
            }
            if not candidates:  # pragma: no cover - a determined entry shares an equation
                candidates = {entry for entry in self.values if entry not in self.hidden}
            choice = min(candidates, key=self._cost)
            self.hidden[choice] = HiddenReason.COMPLEMENTARY.value

    def _cost(self, entry: _Entry) -> tuple[int, bool, int, str]:
        kind_order = {"c": 0, "t": 1, "b": 2, "base": 3}[entry[0]]
        value = self.values[entry]
        return (kind_order, value == 0, value, repr(entry))

    def reason(self, entry: _Entry) -> str | None:
        return self.hidden.get(entry)

    def is_hidden(self, entry: _Entry) -> bool:
        return entry in self.hidden


def _determined(
    equations: Iterable[Sequence[tuple[_Entry, int]]],
    values: Mapping[_Entry, int],
    hidden: set[_Entry],
) -> list[_Entry]:
    """Hidden entries whose value follows from the published ones by the equations.

    Each equation says its entries, with their coefficients, add up to 0. Published entries
    are constants, so each equation is a linear equation in the hidden ones; a hidden entry
    is fixed exactly when its unit vector lies in the span of those equations, which in
    reduced row echelon form means a row with a single non-zero entry.
    """
    unknowns = sorted(hidden, key=repr)
    position = {entry: index for index, entry in enumerate(unknowns)}
    matrix: list[list[Fraction]] = []
    for equation in equations:
        row = [Fraction(0)] * len(unknowns)
        touched = False
        for entry, coefficient in equation:
            if entry in position:
                row[position[entry]] += coefficient
                touched = True
        if touched and any(row):
            matrix.append(row)
    pivot_row = 0
    pivots: list[int] = []
    for column in range(len(unknowns)):
        found = next((r for r in range(pivot_row, len(matrix)) if matrix[r][column] != 0), None)
        if found is None:
            continue
        matrix[pivot_row], matrix[found] = matrix[found], matrix[pivot_row]
        lead = matrix[pivot_row][column]
        matrix[pivot_row] = [value / lead for value in matrix[pivot_row]]
        for r in range(len(matrix)):
            if r != pivot_row and matrix[r][column] != 0:
                factor = matrix[r][column]
                matrix[r] = [
                    a - factor * b for a, b in zip(matrix[r], matrix[pivot_row], strict=True)
                ]
        pivots.append(column)
        pivot_row += 1
    return [
        unknowns[column]
        for r, column in enumerate(pivots)
        if sum(value != 0 for value in matrix[r]) == 1
    ]


# --- waves and comments -----------------------------------------------------------------------


def _with_wave_comparisons(
    page: SurveyPage,
    questions: list[QuestionResults],
    summaries: Mapping[int, _Summary],
) -> tuple[tuple[WaveColumn, ...], list[QuestionResults]]:
    from portal.core.visibility import visible_to_public

    others = (
        visible_to_public(SurveyPage.objects.live())
        .filter(series_id=page.series_id, results_published=True)
        .exclude(pk=page.pk)
    )
    waves = sorted([page, *others], key=lambda wave: (wave.opens_at, wave.pk))
    if len(waves) < 2:
        return (), questions
    columns = tuple(
        WaveColumn(
            survey_id=wave.pk,
            label=wave.wave_label or wave.title,
            url_path=wave.url or "",
            current=wave.pk == page.pk,
        )
        for wave in waves
    )
    cores = {
        wave.pk: (
            {q.key: q for q in questions}
            if wave.pk == page.pk
            else {
                q.key: q
                for q in _core_results(wave, summaries.get(wave.pk, _NO_RESPONSES)).questions
            }
        )
        for wave in waves
    }
    compared = []
    for question in questions:
        asked = [cores[wave.pk].get(question.key) for wave in waves]
        if sum(other is not None and other.kind == question.kind for other in asked) < 2:
            compared.append(question)
            continue
        rows = []
        for row in question.table.rows:
            figures: list[Figure | None] = []
            for other in asked:
                match = None
                if other is not None and other.kind == question.kind:
                    match = next((r.figure for r in other.table.rows if r.key == row.key), None)
                figures.append(match)
            rows.append(
                BreakdownRow(
                    key=row.key, label=row.label, figures=tuple(figures), summary=row.summary
                )  # type: ignore[arg-type]
            )
        comparison = WaveComparison(
            waves=columns,
            bases=tuple(
                other.table.base if other is not None and other.kind == question.kind else None
                for other in asked
            ),
            rows=tuple(rows),
        )
        compared.append(_replace(question, waves=comparison))
    return columns, compared


def _published_comments(page: SurveyPage) -> dict[str, list[str]]:
    comments: dict[str, list[str]] = {}
    rows = (
        FreeTextAnswer.objects.filter(response__survey=page, status=FreeTextStatus.PUBLISHED)
        .order_by("response__submitted_at", "pk")
        .values_list("question_key", "text")
    )
    for key, text in rows:
        comments.setdefault(key, []).append(text)
    return comments


def _question_has_hidden(question: QuestionResults) -> bool:
    figures = [row.figure for row in question.table.rows]
    figures += [figure for b in question.breakdowns for row in b.rows for figure in row.figures]
    figures += [figure for b in question.breakdowns for figure in b.bases]
    if question.conditions is not None:
        figures += [row.figure for row in question.conditions.rows]
    return question.conditions_withheld or any(figure.is_hidden for figure in figures)


__all__ = [
    "PREFER_NOT_TO_SAY",
    "Breakdown",
    "BreakdownRow",
    "Figure",
    "FreeTextResults",
    "QuestionResults",
    "Row",
    "SurveyResults",
    "Table",
    "WaveColumn",
    "WaveComparison",
    "Weighting",
    "compute_core",
    "survey_results",
]
