"""The SensorThings read API over HTTP: one view for every resource path, JSON in and out."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from .entities import Catalogue
from .query import StaError
from .resources import Service

JSON_OPTIONS = {"ensure_ascii": False}


@require_safe
def resource(request: HttpRequest, path: str = "") -> HttpResponse:
    base = request.build_absolute_uri(reverse("sensorthings:root"))
    service = Service(Catalogue(request), base, request.GET.dict())
    try:
        response = service.respond(path)
    except StaError as error:
        return error_response(error.message, error.status)
    if isinstance(response.body, str):
        return HttpResponse(response.body, content_type=response.content_type)
    return JsonResponse(response.body, json_dumps_params=JSON_OPTIONS)


def error_response(message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"code": status, "type": "error", "message": message},
        status=status,
        json_dumps_params=JSON_OPTIONS,
    )
