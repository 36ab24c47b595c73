"""Caching rules for the public read endpoints: the API, downloads, catalogue, STA, Open311.

Every successful public GET gets a ``Cache-Control`` (unless the view chose one) and, through
Django's ``ConditionalGetMiddleware`` below it, an ``ETag`` hashed from the body, so a client
that sends ``If-None-Match`` gets a ``304 Not Modified`` with no body. Views that know when
their data last changed set ``Last-Modified`` themselves; streamed downloads set their own
``ETag`` from a cheap version query, since their body is not known in advance.

A request that carries credentials (a contributor token) is about one person: it must never
be stored by a shared cache.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers

PUBLIC_READ_PREFIXES = ("/api/v1/", "/api/3/", "/data/", "/sta/", "/open311/")
# The schema and its docs page change only with a release; everything else is live data.
NOT_DATA = ("/api/v1/docs/",)


class PublicReadCachingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(PUBLIC_READ_PREFIXES) or request.path.startswith(NOT_DATA):
            return response
        if request.method not in ("GET", "HEAD"):
            response.setdefault("Cache-Control", "no-store")
            return response
        if "Authorization" in request.headers:
            patch_cache_control(response, private=True, no_cache=True)
            patch_vary_headers(response, ["Authorization"])
            return response
        if response.status_code in (200, 203, 204, 300, 301, 304, 404, 410):
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, public=True, max_age=settings.OPEN_DATA_CACHE_SECONDS)
        else:
            response.setdefault("Cache-Control", "no-store")
        return response
