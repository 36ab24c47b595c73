"""Campaign results over time: a server-drawn SVG chart and the rows of its accessible table.

The chart and the table are built from the same normalised points (``_drawable_series``), so
the table a screen reader user reads is exactly what a sighted visitor sees plotted.

The SVG is meant to be inlined in a page served under a strict Content Security Policy: every
colour, dash and font is a presentation attribute, never a ``style`` attribute or element, and
nothing is fetched from elsewhere. It carries a ``viewBox`` and ``width="100%"`` so it shrinks
to a phone's width with the page.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import math
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal, localcontext

from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

# Text is 14 units high in a 640-unit-wide chart: above the 12 px floor at full width. On
# narrow screens it shrinks with the chart, which is one reason the table is always offered.
FONT_SIZE = 14
FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
# Generous average glyph width for a sans-serif face, in ems. Overestimating only spaces the
# date labels further apart; underestimating would let them overlap.
CHARACTER_WIDTH_EM = 0.6

TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#0b0c0c"
# Gridlines only help to read values across; the labelled ticks on the axis carry the scale,
# so they are kept light enough not to be mistaken for data.
GRID_COLOUR = "#b1b4b6"
THRESHOLD_COLOUR = "#0b0c0c"
THRESHOLD_DASHES = "16 6"
BACKGROUND_COLOUR = "#ffffff"


@dataclass(frozen=True)
class SeriesStyle:
    colour: str
    dashes: str  # empty for a solid line
    marker: str  # circle, square, triangle or diamond


# Each series differs by colour, dash pattern and marker shape, so a reader who cannot tell
# the colours apart (or prints in black and white) can still follow each line. All colours
# are at least 4.5:1 against white, beyond the 3:1 needed for graphics.
SERIES_STYLES = (
    SeriesStyle(colour="#1d70b8", dashes="", marker="circle"),
    SeriesStyle(colour="#b5361c", dashes="9 4", marker="square"),
    SeriesStyle(colour="#00703c", dashes="2 4", marker="triangle"),
    SeriesStyle(colour="#6f3a96", dashes="12 4 2 4", marker="diamond"),
)
MAX_SERIES = len(SERIES_STYLES)

_MONTH_ABBREVIATIONS = (
    pgettext_lazy("abbreviated month", "Jan"),
    pgettext_lazy("abbreviated month", "Feb"),
    pgettext_lazy("abbreviated month", "Mar"),
    pgettext_lazy("abbreviated month", "Apr"),
    pgettext_lazy("abbreviated month", "May"),
    pgettext_lazy("abbreviated month", "Jun"),
    pgettext_lazy("abbreviated month", "Jul"),
    pgettext_lazy("abbreviated month", "Aug"),
    pgettext_lazy("abbreviated month", "Sep"),
    pgettext_lazy("abbreviated month", "Oct"),
    pgettext_lazy("abbreviated month", "Nov"),
    pgettext_lazy("abbreviated month", "Dec"),
)
MONTH_NAMES = (
    gettext_lazy("January"),
    gettext_lazy("February"),
    gettext_lazy("March"),
    gettext_lazy("April"),
    gettext_lazy("May"),
    gettext_lazy("June"),
    gettext_lazy("July"),
    gettext_lazy("August"),
    gettext_lazy("September"),
    gettext_lazy("October"),
    gettext_lazy("November"),
    gettext_lazy("December"),
)

# Characters XML 1.0 forbids even when escaped; a stray one pasted into a series name would
# otherwise make the whole page's SVG unparseable.
_NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Point:
    """One result: typically one exposure period's mean or one day's total.

    ``value`` is ``None`` (or not finite) for a period with no accepted reading; the line is
    broken there rather than drawn across it. ``label`` names the period in the table and the
    point's tooltip, such as "March 2026"; without one the date is written out.
    """

    when: datetime.date
    value: float | None
    label: str = ""


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]


@dataclass(frozen=True)
class TableRow:
    """One row of the accessible table: one point of one series, in the order drawn."""

    series: str
    when: datetime.date
    period: str
    value: float | None
    value_text: str


@dataclass(frozen=True)
class _Reading:
    when: datetime.date
    value: float | None
    period: str
    value_text: str


@dataclass(frozen=True)
class _DateTick:
    when: datetime.date
    label: str


def format_value(value: float) -> str:
    """A reading as people write it: up to two decimal places, thousands separated."""
    if value != 0 and not 0.01 <= abs(value) < 1e12:
        return f"{value:.3g}"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def format_date(when: datetime.date) -> str:
    return _("%(day)d %(month)s %(year)d") % {
        "day": when.day,
        "month": MONTH_NAMES[when.month - 1],
        "year": when.year,
    }


def table_rows(series: Sequence[Series]) -> list[TableRow]:
    """Every point of every series, in series order then date order, as the chart draws them.

    Periods with no accepted reading are included with ``value`` ``None``, so the table shows
    the gap the chart leaves in its line.
    """
    return [
        TableRow(
            series=one.name,
            when=reading.when,
            period=reading.period,
            value=reading.value,
            value_text=reading.value_text,
        )
        for one, readings in zip(series, _drawable_series(series), strict=True)
        for reading in readings
    ]


def time_series_svg(
    series: Sequence[Series],
    *,
    unit: str,
    title: str,
    description: str,
    threshold: float | None = None,
    threshold_label: str = "",
    value_label: str = "",
    chart_id: str = "",
    width: int = 640,
    height: int = 320,
) -> str:
    """An SVG line chart of ``series`` over time, to inline in a page beside ``table_rows``.

    ``title`` and ``description`` are the chart's accessible name and description; the title
    is not drawn, as the page's caption already shows it. ``value_label`` names the quantity
    on the vertical axis ("Nitrogen dioxide"), which is followed by ``unit``. ``height`` is
    the plot and its axes; a legend row is added above for every line of series names.
    ``chart_id`` keeps the ``aria-labelledby`` references unique when a page shows several
    charts; by default it is derived from the title, description and series names.

    Up to ``MAX_SERIES`` series are drawn, each with its own colour, dashes and markers.
    """
    # Programming errors for the calling view, not messages for the public, so not translated.
    if len(series) > MAX_SERIES:
        raise ValueError(
            f"A chart can show at most {MAX_SERIES} series so that each keeps its own line "
            f"style; split the {len(series)} series across several charts."
        )
    if width < 320 or height < 200:
        raise ValueError(
            "A chart needs to be at least 320 wide and 200 high to fit its axes and labels."
        )

    drawable = _drawable_series(series)
    ids = _chart_ids(chart_id, title, description, series)
    legend = _legend_layout([one.name for one in series], width=width)
    legend_height = len(legend) * 24 + 8 if legend else 0
    total_height = height + legend_height

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_height}" '
        f'width="100%" role="img" aria-labelledby="{ids}-title {ids}-desc" class="ps-chart" '
        f'font-family="{escape(FONT_FAMILY)}" font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<title id="{ids}-title">{_text(title)}</title>',
        f'<desc id="{ids}-desc">{_text(description)}</desc>',
        f'<rect width="{width}" height="{total_height}" fill="{BACKGROUND_COLOUR}"/>',
    ]

    readings = [reading for one in drawable for reading in one if reading.value is not None]
    if not readings:
        parts.append(
            f'<text x="{width / 2:g}" y="{total_height / 2:g}" text-anchor="middle" '
            f'font-size="{FONT_SIZE + 2}">{_text(_("No accepted readings yet"))}</text>'
        )
        parts.append("</svg>")
        return "".join(parts)

    if threshold is not None and not math.isfinite(threshold):
        threshold = None
    values = [reading.value for reading in readings if reading.value is not None]
    if threshold is not None:
        values.append(threshold)
    value_ticks, value_step = _value_ticks(min(values), max(values))
    value_tick_labels = [_format_tick(tick, value_step) for tick in value_ticks]

    # The plot's box: room on the left for the longest value label, above for the axis
    # title, and below for the date labels and their title.
    plot_left = max(40.0, max(_text_width(label) for label in value_tick_labels) + 16)
    plot_right = width - 24.0
    plot_top = legend_height + 40.0
    plot_bottom = total_height - 56.0
    # Markers at the first and last date sit a little inside the axes, not on them.
    inset = 12.0

    dates = [reading.when for one in drawable for reading in one]
    first_date, last_date = min(dates), max(dates)
    day_span = (last_date - first_date).days

    def x_for(when: datetime.date) -> float:
        if day_span == 0:
            return (plot_left + plot_right) / 2
        fraction = (when - first_date).days / day_span
        return plot_left + inset + fraction * (plot_right - plot_left - 2 * inset)

    lowest, highest = value_ticks[0], value_ticks[-1]

    def y_for(value: float | Decimal) -> float:
        with localcontext() as context:
            context.prec = 28
            fraction = float((highest - Decimal(value)) / (highest - lowest))
        return plot_top + fraction * (plot_bottom - plot_top)

    parts.extend(_legend(legend))

    axis_title = f"{value_label} ({unit})" if value_label and unit else value_label or unit
    if axis_title:
        parts.append(
            f'<text x="4" y="{plot_top - 18:g}" font-weight="bold">{_text(axis_title)}</text>'
        )

    for tick, label in zip(value_ticks, value_tick_labels, strict=True):
        y = _coordinate(y_for(tick))
        is_zero = tick == 0 and tick not in (lowest, highest)
        parts.append(
            f'<line x1="{plot_left:g}" x2="{plot_right:g}" y1="{y}" y2="{y}" '
            f'stroke="{AXIS_COLOUR if is_zero else GRID_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<line x1="{plot_left - 6:g}" x2="{plot_left:g}" y1="{y}" y2="{y}" '
            f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{plot_left - 10:g}" y="{y}" dy="0.35em" text-anchor="end" '
            f'class="ps-chart__value-tick" data-value="{tick:f}">{_text(label)}</text>'
        )

    date_ticks = _date_ticks(
        first_date, last_date, x_for=x_for, plot_width=plot_right - plot_left, chart_width=width
    )
    for tick in date_ticks:
        x = x_for(tick.when)
        anchor, _left, _right = _date_label_extent(x, tick.label, chart_width=width)
        parts.append(
            f'<line x1="{_coordinate(x)}" x2="{_coordinate(x)}" y1="{plot_bottom:g}" '
            f'y2="{plot_bottom + 6:g}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_coordinate(x)}" y="{plot_bottom + 24:g}" text-anchor="{anchor}" '
            f'class="ps-chart__date-tick" data-date="{tick.when.isoformat()}">'
            f"{_text(tick.label)}</text>"
        )
    parts.append(
        f'<line x1="{plot_left:g}" x2="{plot_left:g}" y1="{plot_top:g}" y2="{plot_bottom:g}" '
        f'stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        f'<line x1="{plot_left:g}" x2="{plot_right:g}" y1="{plot_bottom:g}" '
        f'y2="{plot_bottom:g}" stroke="{AXIS_COLOUR}" stroke-width="1"/>'
        f'<text x="{(plot_left + plot_right) / 2:g}" y="{total_height - 10:g}" '
        f'text-anchor="middle" font-weight="bold">{_text(_("Date"))}</text>'
    )

    threshold_label_text = ""
    if threshold is not None:
        y = y_for(threshold)
        label = _("%(label)s: %(value)s") % {
            "label": threshold_label or _("Limit"),
            "value": _with_unit(format_value(threshold), unit),
        }
        # Above the line, unless that would run into the axis title at the top.
        label_y = y - 8 if y - plot_top > 24 else y + 20
        parts.append(
            f'<line class="ps-chart__threshold" data-value="{threshold!r}" '
            f'x1="{plot_left:g}" x2="{plot_right:g}" y1="{_coordinate(y)}" '
            f'y2="{_coordinate(y)}" stroke="{THRESHOLD_COLOUR}" stroke-width="2" '
            f'stroke-dasharray="{THRESHOLD_DASHES}"/>'
        )
        # Drawn after the series so no line runs through it; the white outline keeps it
        # readable where one passes close by.
        threshold_label_text = (
            f'<text class="ps-chart__threshold-label" x="{plot_right - 4:g}" '
            f'y="{_coordinate(label_y)}" text-anchor="end" fill="{THRESHOLD_COLOUR}" '
            f'stroke="{BACKGROUND_COLOUR}" stroke-width="4" stroke-linejoin="round" '
            f'paint-order="stroke" font-weight="bold">{_text(label)}</text>'
        )

    most_points = max(len(one) for one in drawable)
    spacing = (plot_right - plot_left - 2 * inset) / max(1, most_points - 1)
    # Markers closer than their own width bury the line they mark, so they shrink for daily
    # data and, beyond that, stay only as invisible hover targets carrying each value.
    marker_size = 5.0 if spacing >= 14 else 3.0
    markers_shown = spacing >= 6
    for index, (one, one_drawable) in enumerate(zip(series, drawable, strict=True)):
        style = SERIES_STYLES[index]
        parts.append(f'<g class="ps-chart__series" data-series="{index}">')
        for run in _unbroken_runs(one_drawable):
            if len(run) < 2:
                continue
            points = " ".join(
                f"{_coordinate(x_for(reading.when))},{_coordinate(y_for(reading.value or 0))}"
                for reading in run
            )
            dashes = f' stroke-dasharray="{style.dashes}"' if style.dashes else ""
            parts.append(
                f'<polyline points="{points}" fill="none" stroke="{style.colour}" '
                f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"{dashes}/>'
            )
        for reading in one_drawable:
            if reading.value is None:
                continue
            tooltip = _("%(series)s, %(period)s: %(value)s") % {
                "series": one.name,
                "period": reading.period,
                "value": _with_unit(reading.value_text, unit),
            }
            parts.append(
                _marker(
                    style.marker,
                    x=x_for(reading.when),
                    y=y_for(reading.value),
                    size=marker_size,
                    colour=style.colour,
                    shown=markers_shown,
                    extra=(
                        f' class="ps-chart__point" data-series="{index}" '
                        f'data-date="{reading.when.isoformat()}" data-value="{reading.value!r}"'
                    ),
                    tooltip=tooltip,
                )
            )
        parts.append("</g>")

    parts.append(threshold_label_text)
    parts.append("</svg>")
    return "".join(parts)


def _drawable_series(series: Sequence[Series]) -> list[list[_Reading]]:
    """Each series' points in date order, with values that cannot be drawn marked as gaps."""
    drawable = []
    for one in series:
        readings = []
        for point in sorted(one.points, key=lambda point: point.when):
            value = point.value
            if value is not None and not math.isfinite(value):
                value = None
            readings.append(
                _Reading(
                    when=point.when,
                    value=None if value is None else float(value),
                    period=point.label or format_date(point.when),
                    value_text=_("No accepted reading") if value is None else format_value(value),
                )
            )
        drawable.append(readings)
    return drawable


def _unbroken_runs(readings: list[_Reading]) -> Iterator[list[_Reading]]:
    run: list[_Reading] = []
    for reading in readings:
        if reading.value is None:
            if run:
                yield run
            run = []
        else:
            run.append(reading)
    if run:
        yield run


def _value_ticks(low: float, high: float) -> tuple[list[Decimal], Decimal]:
    """Evenly spaced round numbers (steps of 1, 2, 2.5 or 5 times a power of ten) from at or
    below both ``low`` and zero to at or above both ``high`` and zero.

    Zero is always on the scale so that a small rise is not drawn as a steep one by a cut-off
    axis, and readings can be compared with the limit by eye. Decimal arithmetic keeps the
    ticks exact (0.3, not 0.30000000000000004) and copes with any finite float without
    overflowing.
    """
    with localcontext() as context:
        context.prec = 28
        lowest = min(Decimal(0), Decimal(low))
        highest = max(Decimal(0), Decimal(high))
        if lowest == highest:
            highest = Decimal(1)
        rough_step = (highest - lowest) / 5
        magnitude = Decimal(1).scaleb(rough_step.adjusted())
        step = next(
            magnitude * multiple
            for multiple in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
            if magnitude * multiple >= rough_step
        )
        first = int((lowest / step).to_integral_value(rounding=ROUND_FLOOR))
        last = int((highest / step).to_integral_value(rounding=ROUND_CEILING))
        return [step * index for index in range(first, last + 1)], step


def _format_tick(value: Decimal, step: Decimal) -> str:
    if step.adjusted() < -4 or (value != 0 and value.adjusted() >= 12):
        return f"{float(value):.3g}"
    decimals = max(0, -int(step.normalize().as_tuple().exponent))
    return f"{value:,.{decimals}f}"


def _date_ticks(
    start: datetime.date,
    end: datetime.date,
    *,
    x_for: Callable[[datetime.date], float],
    plot_width: float,
    chart_width: float,
) -> list[_DateTick]:
    """The finest set of date labels that fit side by side without overlapping.

    A range covering three or more month starts is labelled by month ("Mar 2026") or
    coarser, as day labels there would be sparse and arbitrary; a shorter range by day
    ("3 Mar").
    """
    with_year = start.year != end.year
    if start == end:
        return [_DateTick(start, _day_label(start, with_year=True))]

    span = (end - start).days
    month_starts = (end.year * 12 + end.month) - (start.year * 12 + start.month)
    month_starts += 1 if start.day == 1 else 0
    candidates: list[tuple[float, Iterator[_DateTick]]] = []
    if month_starts < 3:
        candidates += [
            (1, _daily(start, end, step=1, with_year=with_year)),
            (2, _daily(start, end, step=2, with_year=with_year)),
            (7, _weekly(start, end, step=1, with_year=with_year)),
            (14, _weekly(start, end, step=2, with_year=with_year)),
        ]
    candidates += [(30.4 * step, _monthly(start, end, step=step)) for step in (1, 2, 3, 6)]
    candidates += [
        (365.25 * step, _yearly(start, end, step=step))
        for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
    ]

    for days_per_tick, ticks_iterator in candidates:
        # Skip, without listing them, sets that plainly have too many labels to fit: a
        # century of daily data would otherwise build tens of thousands of labels.
        if span / days_per_tick > plot_width / 24:
            continue
        ticks = list(ticks_iterator)
        if ticks and _labels_fit(ticks, x_for=x_for, chart_width=chart_width):
            return ticks
    return [_DateTick(start, _day_label(start, with_year=True))]


def _labels_fit(
    ticks: list[_DateTick], *, x_for: Callable[[datetime.date], float], chart_width: float
) -> bool:
    extents = [
        _date_label_extent(x_for(tick.when), tick.label, chart_width=chart_width) for tick in ticks
    ]
    return all(
        after_left - before_right >= FONT_SIZE
        for (_, _, before_right), (_, after_left, _) in itertools.pairwise(extents)
    )


def _date_label_extent(x: float, label: str, *, chart_width: float) -> tuple[str, float, float]:
    """How a date label is anchored at ``x``, and where it then starts and ends.

    Labels are centred on their tick, except at the ends of the axis, where they are pulled
    inside the chart rather than cut off.
    """
    label_width = _text_width(label)
    if x - label_width / 2 < 0:
        return "start", x, x + label_width
    if x + label_width / 2 > chart_width:
        return "end", x - label_width, x
    return "middle", x - label_width / 2, x + label_width / 2


def _daily(
    start: datetime.date, end: datetime.date, *, step: int, with_year: bool
) -> Iterator[_DateTick]:
    day = start
    while day <= end:
        yield _DateTick(day, _day_label(day, with_year=with_year))
        if (datetime.date.max - day).days < step:
            return
        day += datetime.timedelta(days=step)


def _weekly(
    start: datetime.date, end: datetime.date, *, step: int, with_year: bool
) -> Iterator[_DateTick]:
    # Weeks are labelled by their Monday, as a calendar would show them.
    days_to_monday = (7 - start.weekday()) % 7
    if (datetime.date.max - start).days < days_to_monday:
        return
    monday = start + datetime.timedelta(days=days_to_monday)
    yield from _daily(monday, end, step=7 * step, with_year=with_year)


def _monthly(start: datetime.date, end: datetime.date, *, step: int) -> Iterator[_DateTick]:
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        first_of_month = datetime.date(year, month, 1)
        if first_of_month >= start and (month - 1) % step == 0:
            label = _("%(month)s %(year)d") % {
                "month": _MONTH_ABBREVIATIONS[month - 1],
                "year": year,
            }
            yield _DateTick(first_of_month, label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _yearly(start: datetime.date, end: datetime.date, *, step: int) -> Iterator[_DateTick]:
    for year in range(start.year, end.year + 1):
        first_of_year = datetime.date(year, 1, 1)
        if year % step == 0 and first_of_year >= start:
            yield _DateTick(first_of_year, str(year))


def _day_label(when: datetime.date, *, with_year: bool) -> str:
    values = {"day": when.day, "month": _MONTH_ABBREVIATIONS[when.month - 1], "year": when.year}
    if with_year:
        return _("%(day)d %(month)s %(year)d") % values
    return _("%(day)d %(month)s") % values


def _legend_layout(names: list[str], *, width: int) -> list[list[tuple[int, str, float]]]:
    """Series names flowed into rows: (series index, shown name, x) for each entry."""
    rows: list[list[tuple[int, str, float]]] = []
    row: list[tuple[int, str, float]] = []
    x = 4.0
    for index, name in enumerate(names):
        # A very long name is shortened here; the table beside the chart gives it in full.
        shown = name if len(name) <= 48 else name[:47].rstrip() + "…"
        entry_width = 44 + _text_width(shown)
        if row and x + entry_width > width - 4:
            rows.append(row)
            row, x = [], 4.0
        row.append((index, shown, x))
        x += entry_width + 24
    if row:
        rows.append(row)
    return rows


def _legend(rows: list[list[tuple[int, str, float]]]) -> list[str]:
    parts = ['<g class="ps-chart__legend">']
    for row_number, row in enumerate(rows):
        y = 20 + row_number * 24
        for index, name, x in row:
            style = SERIES_STYLES[index]
            dashes = f' stroke-dasharray="{style.dashes}"' if style.dashes else ""
            parts.append(
                f'<line x1="{x:g}" x2="{x + 36:g}" y1="{y}" y2="{y}" stroke="{style.colour}" '
                f'stroke-width="2.5" stroke-linecap="round"{dashes}/>'
            )
            parts.append(_marker(style.marker, x=x + 18, y=y, size=5, colour=style.colour))
            parts.append(
                f'<text x="{x + 44:g}" y="{y}" dy="0.35em" class="ps-chart__legend-name" '
                f'data-series="{index}">{_text(name)}</text>'
            )
    parts.append("</g>")
    return parts


def _marker(
    shape: str,
    *,
    x: float,
    y: float,
    size: float,
    colour: str,
    shown: bool = True,
    extra: str = "",
    tooltip: str = "",
) -> str:
    """A filled marker centred on (x, y), ``size`` from centre to edge."""
    if shown:
        paint = f'fill="{colour}" stroke="{BACKGROUND_COLOUR}" stroke-width="1"{extra}'
    else:
        # Painted but transparent, rather than fill="none", so that it still shows its
        # tooltip when pointed at.
        paint = f'fill="{colour}" fill-opacity="0" stroke="none"{extra}'
    if shape == "circle":
        element = "circle"
        geometry = f'cx="{_coordinate(x)}" cy="{_coordinate(y)}" r="{size:g}"'
    elif shape == "square":
        element = "rect"
        side = size * 1.8
        geometry = (
            f'x="{_coordinate(x - side / 2)}" y="{_coordinate(y - side / 2)}" '
            f'width="{side:g}" height="{side:g}"'
        )
    else:
        element = "polygon"
        if shape == "triangle":
            corners = [(x, y - size * 1.2), (x + size * 1.1, y + size), (x - size * 1.1, y + size)]
        else:
            corners = [
                (x, y - size * 1.3),
                (x + size * 1.3, y),
                (x, y + size * 1.3),
                (x - size * 1.3, y),
            ]
        geometry = 'points="{}"'.format(
            " ".join(f"{_coordinate(cx)},{_coordinate(cy)}" for cx, cy in corners)
        )
    if tooltip:
        return f"<{element} {geometry} {paint}><title>{_text(tooltip)}</title></{element}>"
    return f"<{element} {geometry} {paint}/>"


def _chart_ids(chart_id: str, title: str, description: str, series: Sequence[Series]) -> str:
    if chart_id:
        return "chart-" + re.sub(r"[^A-Za-z0-9_-]", "-", chart_id)
    fingerprint = "\x1f".join([title, description, *(one.name for one in series)])
    digest = hashlib.blake2s(fingerprint.encode("utf-8", "surrogatepass"), digest_size=5)
    return "chart-" + digest.hexdigest()


def _with_unit(value_text: str, unit: str) -> str:
    return f"{value_text} {unit}" if unit else value_text


def _text(text: str) -> str:
    return str(escape(_NOT_XML_CHARACTERS.sub("", str(text))))


def _text_width(text: str) -> float:
    return len(text) * FONT_SIZE * CHARACTER_WIDTH_EM


def _coordinate(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


# Shared with surveys.charts, which draws bar charts in the same way.
svg_text = _text
svg_coordinate = _coordinate
