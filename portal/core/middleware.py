"""A Content Security Policy header on every response.

Public pages get a strict policy (no inline script or style, nothing from other origins but
map tiles). The Wagtail admin relies on inline scripts, so it gets a policy that still blocks
other origins and framing.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ADMIN_PREFIXES = ("/admin/", "/django-admin/", "/api/v1/docs/")


def _tile_origin() -> str:
    parts = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return ""
    # Tile URLs often name subdomains ({s}.tile...), so allow the host's siblings too.
    host = parts.netloc.split(".", 1)[-1] if "{s}" in settings.MAP_TILE_URL else parts.netloc
    prefix = "*." if "{s}" in settings.MAP_TILE_URL else ""
    return f"{parts.scheme}://{prefix}{host}"


def public_policy() -> str:
    tiles = _tile_origin()
    return "; ".join(
        [
            "default-src 'self'",
            f"img-src 'self' data: {tiles}".strip(),
            "script-src 'self'",
            "style-src 'self'",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


ADMIN_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data: blob:",
        "script-src 'self' 'unsafe-inline'",
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'self'",
    ]
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.public = public_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            is_admin = request.path.startswith(ADMIN_PREFIXES)
            response["Content-Security-Policy"] = ADMIN_POLICY if is_admin else self.public
        return response
