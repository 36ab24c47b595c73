"""Views shared by the whole portal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from .models import council_for_request


@require_GET
def theme_css(request: HttpRequest) -> HttpResponse:
    """The council's colour as CSS custom properties.

    Served as a file rather than inline so the content security policy can forbid inline
    styles; the URL carries a version, so browsers may keep it for a year.
    """
    council = council_for_request(request)
    css = f":root{{--ps-brand:{council.brand_colour};}}\n"
    response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
