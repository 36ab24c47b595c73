"""The points a page hands to its map script, as JSON safe to place inside a script element."""

from __future__ import annotations

import json
from typing import Any

# Names come from editors; "</script>" in one must not end the data block early.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def map_points_json(points: list[dict[str, Any]]) -> str:
    return json.dumps(points, separators=(",", ":")).translate(_ESCAPES)
