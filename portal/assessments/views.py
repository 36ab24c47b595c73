"""Views of assessments that are not Wagtail pages: the ATRS JSON of an algorithm record."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from portal.core.visibility import visible_to_public

from .atrs import export_record
from .models import AlgorithmRecordPage


@require_safe
def atrs_json(request: HttpRequest, slug: str) -> HttpResponse:
    record = visible_to_public(AlgorithmRecordPage.objects.live()).filter(slug=slug).first()
    if record is None:
        raise Http404("No published algorithm record has that address.")
    response = JsonResponse(
        export_record(record, request), json_dumps_params={"indent": 2, "ensure_ascii": False}
    )
    response["Content-Disposition"] = f'inline; filename="{record.slug}.atrs.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
