from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def maps(request: HttpRequest) -> dict[str, dict[str, str]]:
    """Where map tiles come from; empty means the map shows markers on a blank ground."""
    return {
        "map": {
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
        }
    }


def council(request: HttpRequest) -> dict[str, object]:
    from .models import council_for_request

    return {"council": council_for_request(request)}
