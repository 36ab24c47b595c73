"""The admin's survey exports: each survey's responses and codebook as CSV, for analysis.

Row-level responses are for staff given the "Can view response" permission
(``surveys.view_response``) through a group; seeing the admin is not enough.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.db.models import Count
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from wagtail.admin.auth import permission_required

from .export import codebook_rows, csv_lines, response_rows
from .models import SurveyPage

VIEW_RESPONSES = "surveys.view_response"


@permission_required(VIEW_RESPONSES)
def export_index(request: HttpRequest) -> HttpResponse:
    surveys = (
        SurveyPage.objects.annotate(response_count=Count("responses"))
        .select_related("series")
        .order_by("-opens_at", "title")
    )
    return render(request, "surveys/admin/export_index.html", {"surveys": surveys})


@permission_required(VIEW_RESPONSES)
def responses_csv(request: HttpRequest, survey_id: int) -> StreamingHttpResponse:
    return _download(request, survey_id, response_rows, "responses")


@permission_required(VIEW_RESPONSES)
def codebook_csv(request: HttpRequest, survey_id: int) -> StreamingHttpResponse:
    return _download(request, survey_id, codebook_rows, "codebook")


def _download(
    request: HttpRequest,
    survey_id: int,
    rows: Callable[[SurveyPage], Iterator[list[str]]],
    what: str,
) -> StreamingHttpResponse:
    survey = get_object_or_404(SurveyPage, pk=survey_id)
    response = StreamingHttpResponse(
        csv_lines(rows(survey)), content_type="text/csv; charset=utf-8"
    )
    filename = f"{survey.slug}-{what}-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # Row-level data: never kept by a browser or a proxy on the way.
    response["Cache-Control"] = "private, no-store"
    return response
