"""How the screens put numbers and times into words."""

from __future__ import annotations

from datetime import datetime


def plural(count: int, one: str, many: str | None = None) -> str:
    """``"1 reading"``, ``"3 readings"``."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def when(iso_timestamp: str | None) -> str:
    """``"17:02 on 21 November 2026"`` in the phone's time zone."""
    if not iso_timestamp:
        return ""
    moment = datetime.fromisoformat(iso_timestamp).astimezone()
    return f"{moment:%H:%M} on {moment.day} {moment:%B %Y}"
