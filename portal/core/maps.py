"""Map data: the points a page hands to its map script, and bounding boxes for filters and feeds."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# Names come from editors; "</script>" in one must not end the data block early.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def map_points_json(points: list[dict[str, Any]]) -> str:
    return json.dumps(points, separators=(",", ":")).translate(_ESCAPES)


@dataclass(frozen=True)
class BoundingBox:
    """West, south, east, north in decimal degrees (longitude first, as GeoJSON orders them)."""

    west: float
    south: float
    east: float
    north: float

    def as_geojson(self) -> dict:
        """A GeoJSON Polygon (RFC 7946: longitude first, anticlockwise outer ring)."""
        w, s, e, n = self.west, self.south, self.east, self.north
        return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}

    def as_wkt(self) -> str:
        w, s, e, n = self.west, self.south, self.east, self.north
        return f"POLYGON(({w} {s},{e} {s},{e} {n},{w} {n},{w} {s}))"
