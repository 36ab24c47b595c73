"""Plain views of the register that are not Wagtail pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from dtpr_assets.icons import render_icon
from dtpr_assets.taxonomy import load_taxonomy


@require_GET
def dtpr_icon(request: HttpRequest, category: str, element: str) -> HttpResponse:
    """One DTPR icon as an SVG file, for the API, the app and anyone embedding it."""
    taxonomy = load_taxonomy()
    if not taxonomy.has_element(category, element):
        raise Http404("No such DTPR element.")
    response = HttpResponse(render_icon(category, element), content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
