"""Survey results as a server-drawn horizontal bar chart, beside a table of the same figures.

Drawn like the campaign charts (``portal.citizen_science.charts``): presentation attributes
only, so it is safe under a strict Content Security Policy; an accessible name and
description; a ``viewBox`` and ``width="100%"`` so it shrinks with a phone's screen. Each
answer's label sits on its own line above its bar, so long labels never push the chart wider.

A hidden figure is drawn as a labelled gap ("hidden"), never as a bar of zero: zero is a
figure we publish, hidden means we do not say.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.translation import gettext as _

from portal.citizen_science.charts import (
    BACKGROUND_COLOUR,
    FONT_FAMILY,
    GRID_COLOUR,
    SERIES_STYLES,
    TEXT_COLOUR,
    svg_coordinate,
    svg_text,
)

BAR_COLOUR = SERIES_STYLES[0].colour
SUMMARY_COLOUR = SERIES_STYLES[1].colour
# Drawn 480 wide and shown at most 480 px wide (.ps-bar-chart-figure), with text larger than
# the campaign chart's: at a phone's 330 px it is still about 12 px high.
BAR_FONT_SIZE = 18
BAR_HEIGHT = 22
ROW_HEIGHT = 56
# What fits on one line at BAR_FONT_SIZE; a longer label is shortened, the table has it whole.
LABEL_CHARACTERS = 42


@dataclass(frozen=True)
class Bar:
    """One answer: ``percentage`` is ``None`` when the figure is hidden."""

    label: str
    percentage: float | None
    margin: float | None = None
    summary: bool = False


def bar_chart_svg(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    chart_id: str = "",
    width: int = 480,
) -> str:
    """A horizontal bar chart of percentages (0 to 100), one row per answer."""
    ids = _chart_id(chart_id, title, bars)
    height = 16 + ROW_HEIGHT * len(bars) + 8
    left, right = 4.0, width - 64.0

    def x_for(percentage: float) -> float:
        return left + (right - left) * max(0.0, min(100.0, percentage)) / 100

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{ids}-title {ids}-desc" class="ps-chart ps-bar-chart" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="{BAR_FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<title id="{ids}-title">{svg_text(title)}</title>',
        f'<desc id="{ids}-desc">{svg_text(description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="{BACKGROUND_COLOUR}"/>',
    ]
    # Quarter lines help to read lengths across rows; the value is written at each bar's end.
    for quarter in (0, 25, 50, 75, 100):
        x = svg_coordinate(x_for(quarter))
        parts.append(
            f'<line x1="{x}" x2="{x}" y1="8" y2="{height - 8}" stroke="{GRID_COLOUR}" '
            f'stroke-width="1"/>'
        )
    for index, bar in enumerate(bars):
        top = 16 + index * ROW_HEIGHT
        label = bar.label
        if len(label) > LABEL_CHARACTERS:
            label = label[: LABEL_CHARACTERS - 1].rstrip() + "\u2026"
        weight = ' font-weight="bold"' if bar.summary else ""
        parts.append(f'<text x="{left:g}" y="{top + 12}"{weight}>{svg_text(label)}</text>')
        bar_top = top + 22
        if bar.percentage is None:
            parts.append(
                f'<rect class="ps-chart__hidden" x="{left:g}" y="{bar_top}" '
                f'width="{svg_coordinate(right - left)}" height="{BAR_HEIGHT}" fill="none" '
                f'stroke="{TEXT_COLOUR}" stroke-width="1" stroke-dasharray="4 4"/>'
            )
            parts.append(
                f'<text x="{left + 8:g}" y="{bar_top + BAR_HEIGHT / 2:g}" dy="0.35em" '
                f'font-style="italic">{svg_text(_("hidden"))}</text>'
            )
            continue
        end = x_for(bar.percentage)
        colour = SUMMARY_COLOUR if bar.summary else BAR_COLOUR
        tooltip = _("%(label)s: %(value)s") % {
            "label": bar.label,
            "value": _percentage_text(bar.percentage, bar.margin),
        }
        parts.append(
            f'<rect class="ps-chart__bar" x="{left:g}" y="{bar_top}" '
            f'width="{svg_coordinate(max(end - left, 1.0))}" height="{BAR_HEIGHT}" '
            f'fill="{colour}" data-value="{bar.percentage:.1f}"><title>{svg_text(tooltip)}'
            "</title></rect>"
        )
        value = f"{bar.percentage:.0f}%"
        parts.append(
            f'<text x="{svg_coordinate(end + 6)}" y="{bar_top + BAR_HEIGHT / 2:g}" '
            f'dy="0.35em">{svg_text(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _percentage_text(percentage: float, margin: float | None) -> str:
    if margin is None:
        return f"{percentage:.0f}%"
    return _("%(value)s%% (± %(margin)s points)") % {
        "value": f"{percentage:.0f}",
        "margin": f"{margin:.0f}",
    }


def _chart_id(chart_id: str, title: str, bars: Sequence[Bar]) -> str:
    if chart_id:
        return "chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
    fingerprint = "\x1f".join([title, *(bar.label for bar in bars)])
    return "chart-" + hashlib.blake2s(fingerprint.encode(), digest_size=5).hexdigest()
