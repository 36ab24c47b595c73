"""OpenAPI schema hooks: document the public API only, not Wagtail's internal admin API."""

from __future__ import annotations

from typing import Any

PUBLIC_API_PREFIXES = ("/api/v1/", "/sta/", "/open311/")


def public_api_only(endpoints: list[tuple[Any, ...]], **kwargs: Any) -> list[tuple[Any, ...]]:
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PUBLIC_API_PREFIXES)]
