"""Views of assessments that are not Wagtail pages: each record as JSON."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from portal.core.visibility import visible_to_public

from .atrs import export_record
from .models import AlgorithmRecordPage, DpiaPage


def _json(data: dict, filename: str) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def atrs_json(request: HttpRequest, slug: str) -> HttpResponse:
    record = visible_to_public(AlgorithmRecordPage.objects.live()).filter(slug=slug).first()
    if record is None:
        raise Http404("No published algorithm record has that address.")
    return _json(export_record(record, request), f"{record.slug}.atrs.json")


@require_safe
def dpia_json(request: HttpRequest, slug: str) -> HttpResponse:
    """Only what the public page shows: withheld parts appear as their reasons."""
    dpia = visible_to_public(DpiaPage.objects.live()).filter(slug=slug).first()
    if dpia is None:
        raise Http404("No published DPIA has that address.")
    return _json(dpia.public_data(request), f"{dpia.slug}.json")
