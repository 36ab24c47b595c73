"""The published results of a survey: the page at <survey>/results/ and the CSV download.

Both only arrange what ``surveys.results.survey_results`` computed; nothing here counts.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.core.visibility import visible_to_public

from .charts import Bar, bar_chart_svg
from .models import SurveyPage
from .results import Breakdown, Figure, QuestionResults, SurveyResults, Table, survey_results

# Markers shown in place of a hidden figure, as in official statistics.
MARKERS = {"small": "[s]", "complementary": "[c]"}
DIMENSION_HEADINGS = {"age_band": "By age band", "area": "By area"}
CACHE_CONTROL = "public, max-age=300"
# An en dash where there is no figure to give (not asked, or no base).
NO_FIGURE = "\u2013"


def hidden_reason_text(reason: str, minimum: int) -> str:
    if reason == "small":
        return ngettext(
            "hidden: fewer than %(minimum)d person",
            "hidden: fewer than %(minimum)d people",
            minimum,
        ) % {"minimum": minimum}
    return _("hidden so that another hidden figure cannot be worked out")


def results_page(request: HttpRequest, page: SurveyPage) -> HttpResponse:
    if not page.results_published:
        raise Http404(_("The results of this survey are not published yet."))
    results = survey_results(page)
    context = page.get_context(request)
    context.update(
        {
            "results": results,
            "questions": [_question(question, results) for question in results.questions],
            "markers": [
                (MARKERS[reason], hidden_reason_text(reason, results.minimum_cell_size))
                for reason in ("small", "complementary")
            ],
            "date_range": _date_range(results),
            "empty_groups": ", ".join(results.weighting.empty_groups) if results.weighting else "",
        }
    )
    return TemplateResponse(request, "surveys/results.html", context)


def _date_range(results: SurveyResults) -> str:
    if results.first_response is None or results.last_response is None:
        return ""
    first = date_format(localtime(results.first_response), "j F Y")
    last = date_format(localtime(results.last_response), "j F Y")
    if first == last:
        return _("on %(day)s") % {"day": first}
    return _("between %(first)s and %(last)s") % {"first": first, "last": last}


@dataclass(frozen=True)
class Cell:
    text: str
    marker: str = ""
    reason: str = ""


def _cell(figure: Figure | None, minimum: int, *, show: str = "percentage") -> Cell:
    if figure is None:
        return Cell(text=NO_FIGURE)
    if figure.hidden:
        return Cell(
            text="",
            marker=MARKERS[figure.hidden],
            reason=hidden_reason_text(figure.hidden, minimum),
        )
    if show == "count":
        return Cell(text=f"{figure.count:,}")
    if show == "weighted":
        return Cell(text=_percentage(figure.weighted_percentage, figure.weighted_margin))
    if figure.percentage is None:
        return Cell(text=f"{figure.count:,}")
    return Cell(text=_percentage(figure.percentage, figure.margin))


def _percentage(percentage: float | None, margin: float | None) -> str:
    if percentage is None:
        return NO_FIGURE
    if margin is None:
        return f"{percentage:.0f}%"
    return _("%(value)s%% (± %(margin)s)") % {
        "value": f"{percentage:.0f}",
        "margin": f"{margin:.0f}",
    }


def _question(question: QuestionResults, results: SurveyResults) -> dict[str, Any]:
    minimum = results.minimum_cell_size
    table = question.table
    bars = [
        Bar(
            label=row.label,
            percentage=row.figure.percentage,
            margin=row.figure.margin,
            summary=row.summary,
        )
        for row in table.rows
    ]
    base = table.base.count
    description = _(
        "Percentages of the %(base)s people who answered. Hidden figures are shown as gaps."
    ) % {"base": f"{base:,}" if base is not None else _("(hidden)")}
    return {
        "results": question,
        "anchor": f"question-{question.key}",
        "chart": bar_chart_svg(
            bars, title=question.text, description=description, chart_id=question.key
        )
        if base
        else "",
        "table": _table_view(table, minimum, weighted=results.weighted),
        "conditions": _table_view(question.conditions, minimum, weighted=results.weighted)
        if question.conditions
        else None,
        "breakdowns": [_breakdown_view(breakdown, minimum) for breakdown in question.breakdowns],
        "waves": _waves_view(question, minimum),
        "is_ranking": question.kind == "ranking",
    }


def _table_view(table: Table, minimum: int, *, weighted: bool) -> dict[str, Any]:
    return {
        "base": _cell(table.base, minimum, show="count"),
        "adds_up": table.adds_up,
        "rows": [
            {
                "label": row.label,
                "summary": row.summary,
                "count": _cell(row.figure, minimum, show="count"),
                "percentage": _cell(row.figure, minimum),
                "weighted": _cell(row.figure, minimum, show="weighted") if weighted else None,
                "mean_rank": NO_FIGURE if row.mean_rank is None else f"{row.mean_rank:.1f}",
                "ranked_by": NO_FIGURE if row.ranked_by is None else f"{row.ranked_by:,}",
            }
            for row in table.rows
        ],
    }


def _breakdown_view(breakdown: Breakdown, minimum: int) -> dict[str, Any]:
    return {
        "heading": _(DIMENSION_HEADINGS.get(breakdown.dimension, breakdown.dimension)),
        "groups": breakdown.groups,
        "bases": [_cell(base, minimum, show="count") for base in breakdown.bases],
        "merged": ", ".join(breakdown.merged),
        "rows": [
            {
                "label": row.label,
                "summary": row.summary,
                "cells": [_cell(figure, minimum) for figure in row.figures],
            }
            for row in breakdown.rows
        ],
    }


def _waves_view(question: QuestionResults, minimum: int) -> dict[str, Any] | None:
    comparison = question.waves
    if comparison is None:
        return None
    return {
        "waves": comparison.waves,
        "bases": [_cell(base, minimum, show="count") for base in comparison.bases],
        "rows": [
            {"label": row.label, "cells": [_cell(figure, minimum) for figure in row.figures]}
            for row in comparison.rows
        ],
    }


# --- CSV --------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "question_key",
    "question",
    "table",
    "group",
    "answer_key",
    "answer",
    "count",
    "base",
    "percentage",
    "margin_of_error_points",
    "weighted_percentage",
    "weighted_margin_of_error_points",
    "hidden_reason",
)


def results_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """Every published table of a survey as one CSV, hidden figures left empty."""
    page = visible_to_public(SurveyPage.objects.live()).filter(slug=slug).first()
    if page is None:
        raise Http404(_("No published survey has that address."))
    if not page.results_published:
        raise Http404(_("The results of this survey are not published yet."))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(survey_results(page)))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{page.slug}-results.csv"'
    response["Cache-Control"] = CACHE_CONTROL
    return response


def csv_rows(results: SurveyResults) -> Iterator[list[Any]]:
    for question in results.questions:
        common = [question.key, question.text]
        base = question.table.base
        for row in question.table.rows:
            yield [*common, "overall", "", row.key, row.label, *_csv_figure(row.figure, base)]
        if question.conditions is not None:
            conditions_base = question.conditions.base
            for row in question.conditions.rows:
                yield [
                    *common,
                    "conditions",
                    "",
                    row.key,
                    row.label,
                    *_csv_figure(row.figure, conditions_base),
                ]
        for breakdown in question.breakdowns:
            for row in breakdown.rows:
                for group, group_base, figure in zip(
                    breakdown.groups, breakdown.bases, row.figures, strict=True
                ):
                    yield [
                        *common,
                        breakdown.dimension,
                        group,
                        row.key,
                        row.label,
                        *_csv_figure(figure, group_base),
                    ]


def _csv_figure(figure: Figure, base: Figure) -> list[Any]:
    def number(value: float | None) -> str:
        return "" if value is None or figure.hidden else f"{value:.1f}"

    return [
        "" if figure.count is None else figure.count,
        "" if base.count is None else base.count,
        number(figure.percentage),
        number(figure.margin),
        number(figure.weighted_percentage),
        number(figure.weighted_margin),
        figure.hidden or "",
    ]
