"""Small geometry for campaigns: is a point in the campaign area, and where may it be shown."""

from __future__ import annotations

import math
from itertools import pairwise
from typing import Any

METRES_PER_DEGREE_LATITUDE = 111_320.0


def point_in_polygon(longitude: float, latitude: float, polygon: dict[str, Any]) -> bool:
    """Ray casting over a GeoJSON Polygon's outer ring, minus any holes."""
    rings = polygon.get("coordinates") or []
    if not rings:
        return True
    inside = _in_ring(longitude, latitude, rings[0])
    return inside and not any(_in_ring(longitude, latitude, hole) for hole in rings[1:])


def _in_ring(x: float, y: float, ring: list[list[float]]) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in pairwise(ring):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def coarsen(latitude: float, longitude: float, metres: int) -> tuple[float, float]:
    """The centre of the grid cell, ``metres`` wide, that holds the point.

    Snapping to a fixed grid (rather than adding noise) means repeated readings from one
    home all land on the same published point, so averaging them reveals nothing more.
    """
    step_lat = metres / METRES_PER_DEGREE_LATITUDE
    # Cells keep their width in metres by widening in longitude away from the equator; the
    # width is fixed by the cell's latitude band so every point in a band shares one grid.
    band = math.floor(latitude / step_lat)
    band_centre = (band + 0.5) * step_lat
    step_lon = metres / (
        METRES_PER_DEGREE_LATITUDE * max(math.cos(math.radians(band_centre)), 0.01)
    )
    column = math.floor(longitude / step_lon)
    return round(band_centre, 6), round((column + 0.5) * step_lon, 6)
