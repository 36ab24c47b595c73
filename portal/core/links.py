"""Absolute addresses of pages for feeds and APIs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.http import HttpRequest


def public_url(page: Any, request: HttpRequest | None = None) -> str:
    """The page's address as the caller reached the site, else the site's configured one.

    Wagtail's ``full_url`` names the host in the Site record (``localhost`` in a fresh
    install), which is not where a client reading a feed found the portal.
    """
    if request is not None:
        return request.build_absolute_uri(page.get_url(request))
    return page.get_full_url() or ""
