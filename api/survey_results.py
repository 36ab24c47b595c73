"""GET /api/v1/surveys/<slug>/results/: a survey's published results, figure for figure as on
its results page. Hidden figures are ``null`` with a ``hidden`` reason code ("small" or
"complementary"), never the number."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.core.visibility import visible_to_public
from surveys.models import SurveyPage
from surveys.results import SurveyResults, survey_results

from . import shapes

ERROR = shapes.ERROR


class SurveyResultsView(APIView):
    authentication_classes: list = []

    @extend_schema(
        operation_id="survey_results_retrieve",
        summary="A survey's published results",
        description=(
            "Each question's answers overall and by age band and area, with bases and 95 % "
            "margins of error in percentage points; weighted figures when the survey is "
            "weighted; other waves of a tracker series; published comments. Counts under the "
            "survey's minimum, and figures that would let one be worked out, are null with "
            "`hidden` set to `small` or `complementary`."
        ),
        responses={200: dict, 404: ERROR},
    )
    def get(self, request: Request, slug: str) -> Response:
        page = visible_to_public(SurveyPage.objects.live()).filter(slug=slug).first()
        if page is None:
            raise exceptions.NotFound(_("No published survey has this slug."))
        if not page.results_published:
            raise exceptions.NotFound(_("The results of this survey are not published yet."))
        return Response(results_as_json(survey_results(page)))


def results_as_json(results: SurveyResults) -> dict[str, Any]:
    data = _plain(dataclasses.asdict(results))
    data["weighted"] = results.weighted
    return data


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, float):
        return round(value, 2)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return value
