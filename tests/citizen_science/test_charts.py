import datetime
import itertools
import math
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.citizen_science.charts import (
    MAX_SERIES,
    SERIES_STYLES,
    Point,
    Series,
    table_rows,
    time_series_svg,
)
from portal.signage.rendering import text_width

SVG = "{http://www.w3.org/2000/svg}"
NO2 = "µg/m³"


def monthly(name, values, *, start=datetime.date(2025, 3, 1)):
    points = []
    year, month = start.year, start.month
    for value in values:
        points.append(Point(when=datetime.date(year, month, 1), value=value))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return Series(name=name, points=points)


def daily(name, values, *, start=datetime.date(2026, 3, 3)):
    return Series(
        name=name,
        points=[
            Point(when=start + datetime.timedelta(days=offset), value=value)
            for offset, value in enumerate(values)
        ],
    )


HIGH_STREET = monthly("High Street", [44.1, 47.3, 41.0, 38.2, 35.6, 33.9, 31.2, 34.5, 39.8])
SCHOOL = monthly("School gates", [36.2, 38.0, None, 30.1, 28.4, 26.0, 24.9, 27.7, 31.5])


def render(series, **options):
    options.setdefault("unit", NO2)
    options.setdefault("title", "Nitrogen dioxide at the tubes")
    options.setdefault("description", "Monthly means from March to November 2025.")
    return time_series_svg(series, **options)


def parse(svg):
    return ET.fromstring(svg)


def by_class(root, name):
    return [element for element in root.iter() if name in element.get("class", "").split()]


def texts(root):
    return ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]


def relative_luminance(hex_colour):
    """WCAG 2.2 relative luminance of an sRGB colour written as #rrggbb."""

    def linear(channel):
        channel /= 255
        return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(hex_colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(first, second):
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_luminance_helper_matches_known_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    # GOV.UK's secondary text colour is documented as 7:1 against white.
    assert contrast("#505a5f", "#ffffff") == pytest.approx(7.0, abs=0.1)


def test_chart_is_an_image_named_and_described_by_its_title_and_desc():
    root = parse(render([HIGH_STREET]))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert (title.get("id"), title.text) == (title_id, "Nitrogen dioxide at the tubes")
    assert (desc.get("id"), desc.text) == (desc_id, "Monthly means from March to November 2025.")


def test_two_charts_on_one_page_do_not_share_ids():
    first = parse(render([HIGH_STREET], title="High Street"))
    second = parse(render([SCHOOL], title="School gates"))
    assert first.get("aria-labelledby") != second.get("aria-labelledby")
    given_id = parse(render([HIGH_STREET], chart_id='tube 1"><script>'))
    assert re.fullmatch(r"[\w-]+ [\w-]+", given_id.get("aria-labelledby"))


def test_chart_scales_to_the_width_of_a_phone():
    root = parse(render([HIGH_STREET]))
    assert root.get("viewBox").split()[:3] == ["0", "0", "640"]
    assert root.get("width") in (None, "100%")
    assert root.get("height") is None


def test_text_is_at_least_twelve_pixels_at_full_width():
    root = parse(render([HIGH_STREET, SCHOOL], threshold=40, threshold_label="Annual limit"))
    sizes = [float(element.get("font-size")) for element in root.iter() if element.get("font-size")]
    assert sizes
    assert min(sizes) >= 12


def test_nothing_a_strict_content_security_policy_would_block():
    svg = render([HIGH_STREET, SCHOOL], threshold=40, threshold_label="Annual limit")
    root = parse(svg)
    for element in root.iter():
        assert element.tag not in (f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject")
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert not any(name.endswith("href") for name in element.attrib)
        assert not any("url(" in value for value in element.attrib.values())
    assert "style" not in svg.replace("ps-chart", "")


def test_threshold_is_a_labelled_dashed_line_at_its_value():
    root = parse(render([HIGH_STREET], threshold=40, threshold_label="Annual limit"))
    (line,) = by_class(root, "ps-chart__threshold")
    (label,) = by_class(root, "ps-chart__threshold-label")
    assert line.get("stroke-dasharray")
    assert label.text == f"Annual limit: 40 {NO2}"
    forty = next(tick for tick in by_class(root, "ps-chart__value-tick") if tick.text == "40")
    assert float(line.get("y1")) == pytest.approx(float(forty.get("y")), abs=0.01)


def test_threshold_above_every_reading_still_fits_on_the_scale():
    root = parse(render([monthly("Quiet street", [12.0, 14.5, 11.0])], threshold=40))
    ticks = [float(tick.get("data-value")) for tick in by_class(root, "ps-chart__value-tick")]
    assert max(ticks) >= 40
    (label,) = by_class(root, "ps-chart__threshold-label")
    assert label.text == f"Limit: 40 {NO2}"


def test_no_threshold_drawn_when_none_is_given():
    svg = render([HIGH_STREET])
    root = parse(svg)
    assert by_class(root, "ps-chart__threshold") == []
    assert by_class(root, "ps-chart__threshold-label") == []
    assert "limit" not in svg.lower()


def value_ticks(root):
    return [Decimal(tick.get("data-value")) for tick in by_class(root, "ps-chart__value-tick")]


def assert_nice_and_covering(ticks, values):
    assert len(ticks) >= 2
    steps = {after - before for before, after in itertools.pairwise(ticks)}
    assert len(steps) == 1
    (step,) = steps
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in {Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)}
    assert ticks[0] <= min(0, *values)
    assert ticks[-1] >= max(0, *values)
    assert 0 in ticks


def test_value_axis_uses_round_numbers_from_zero():
    root = parse(render([HIGH_STREET, SCHOOL]))
    assert value_ticks(root) == [0, 10, 20, 30, 40, 50]
    labels = [tick.text for tick in by_class(root, "ps-chart__value-tick")]
    assert labels == ["0", "10", "20", "30", "40", "50"]


def test_small_values_get_decimal_ticks_without_float_noise():
    root = parse(render([daily("Drizzle", [0.1, 0.3, 0.2, 0.7])], unit="mm"))
    labels = [tick.text for tick in by_class(root, "ps-chart__value-tick")]
    assert labels == ["0.0", "0.2", "0.4", "0.6", "0.8"]


def test_negative_values_are_on_the_scale_with_a_zero_line():
    frost = daily("Allotments", [-4.5, -1.0, 2.5, 6.0, -2.0])
    root = parse(render([frost], unit="°C"))
    ticks = value_ticks(root)
    assert_nice_and_covering(ticks, [-4.5, 6.0])
    assert ticks[0] < 0
    ticks = by_class(root, "ps-chart__value-tick")
    zero = next(tick for tick in ticks if Decimal(tick.get("data-value")) == 0)
    gridlines = [line for line in root.iter(f"{SVG}line") if line.get("y1") == zero.get("y")]
    assert any(line.get("stroke") == "#0b0c0c" and line.get("x2") == "616" for line in gridlines)


@pytest.mark.parametrize(
    "values",
    [[0.0, 0.0, 0.0], [7.0, 7.0], [-3.0], [0.004, 0.002], [1234567.0, 2345678.0], [-50.0, 50.0]],
)
def test_ticks_are_nice_and_cover_awkward_data(values):
    root = parse(render([daily("Tube", values)]))
    assert_nice_and_covering(value_ticks(root), values)


def date_ticks(root):
    return by_class(root, "ps-chart__date-tick")


def label_extent(text_element):
    # Measured with real Helvetica widths, not the chart's own estimate.
    x = float(text_element.get("x"))
    width = text_width(text_element.text, float(text_element.get("font-size", 14)))
    anchor = text_element.get("text-anchor", "start")
    left = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
    return left, left + width


def assert_date_labels_do_not_overlap(root):
    extents = [label_extent(tick) for tick in date_ticks(root)]
    viewbox_width = float(root.get("viewBox").split()[2])
    for (_, before_right), (after_left, _) in itertools.pairwise(extents):
        assert after_left - before_right >= 4
    assert extents[0][0] >= 0
    assert extents[-1][1] <= viewbox_width


def test_a_year_of_months_is_labelled_by_month_without_overlap():
    year = monthly("High Street", [40.0 + index for index in range(12)])
    root = parse(render([year]))
    ticks = date_ticks(root)
    assert len(ticks) >= 4
    assert all(re.fullmatch(r"[A-Z][a-z]{2} 20\d\d", tick.text) for tick in ticks)
    assert all(tick.get("data-date").endswith("-01") for tick in ticks)
    assert ticks[0].text == "Mar 2025"
    assert_date_labels_do_not_overlap(root)


def test_a_fortnight_is_labelled_by_day():
    root = parse(render([daily("Rain gauge", [float(day % 5) for day in range(14)])], unit="mm"))
    ticks = date_ticks(root)
    assert len(ticks) >= 2
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2}", tick.text) for tick in ticks)
    assert "3 Mar" in [tick.text for tick in ticks]
    assert_date_labels_do_not_overlap(root)


def test_three_months_of_daily_rain_are_labelled_by_month():
    rain = daily(
        "Rain gauge", [float(day % 7) for day in range(92)], start=datetime.date(2026, 1, 1)
    )
    root = parse(render([rain], unit="mm"))
    assert [tick.text for tick in date_ticks(root)] == [
        "Jan 2026",
        "Feb 2026",
        "Mar 2026",
        "Apr 2026",
    ]
    assert_date_labels_do_not_overlap(root)


def test_weeks_across_new_year_carry_the_year_and_do_not_collide_at_the_end():
    weekly = Series(
        "Tube",
        [
            Point(datetime.date(2025, 12, 29) + datetime.timedelta(weeks=week), 30.0)
            for week in range(6)
        ],
    )
    root = parse(render([weekly]))
    ticks = date_ticks(root)
    assert len(ticks) >= 2
    assert all(re.fullmatch(r"\d{1,2} [A-Z][a-z]{2} 202[56]", tick.text) for tick in ticks)
    assert_date_labels_do_not_overlap(root)


def test_decades_of_data_do_not_crowd_the_date_axis():
    long_run = Series(
        name="Gauge",
        points=[Point(datetime.date(year, 6, 1), float(year % 9)) for year in range(1900, 2026)],
    )
    root = parse(render([long_run], unit="mm"))
    assert 2 <= len(date_ticks(root)) <= 12
    assert_date_labels_do_not_overlap(root)


def test_a_year_of_daily_readings_keeps_every_value_but_hides_crowded_markers():
    rain = daily(
        "Rain gauge", [float(day % 11) for day in range(365)], start=datetime.date(2025, 1, 1)
    )
    root = parse(render([rain], unit="mm"))
    points = by_class(root, "ps-chart__point")
    assert len(points) == 365
    assert {point.get("fill-opacity") for point in points} == {"0"}
    assert {
        point.get("fill-opacity")
        for point in by_class(parse(render([HIGH_STREET])), "ps-chart__point")
    } == {None}


def test_axis_titles_name_the_quantity_the_unit_and_the_date():
    root = parse(render([HIGH_STREET], value_label="Nitrogen dioxide"))
    assert f"Nitrogen dioxide ({NO2})" in texts(root)
    assert "Date" in texts(root)
    assert NO2 in texts(parse(render([HIGH_STREET])))


def drawn_points(root):
    return [
        (int(point.get("data-series")), point.get("data-date"), float(point.get("data-value")))
        for point in by_class(root, "ps-chart__point")
    ]


def test_chart_and_table_carry_the_same_values():
    series = [HIGH_STREET, SCHOOL]
    root = parse(render(series))
    rows = table_rows(series)
    names = [one.name for one in series]
    drawn_rows = [row for row in rows if row.value is not None]
    assert drawn_points(root) == [
        (names.index(row.series), row.when.isoformat(), row.value) for row in drawn_rows
    ]
    tooltips = [point.find(f"{SVG}title").text for point in by_class(root, "ps-chart__point")]
    assert tooltips == [f"{row.series}, {row.period}: {row.value_text} {NO2}" for row in drawn_rows]
    assert tooltips[0] == f"High Street, 1 March 2025: 44.1 {NO2}"


def test_a_missing_period_is_a_gap_in_the_line_and_a_row_in_the_table():
    root = parse(render([SCHOOL]))
    (series,) = by_class(root, "ps-chart__series")
    lines = series.findall(f"{SVG}polyline")
    assert [len(line.get("points").split()) for line in lines] == [2, 6]
    gap = [row for row in table_rows([SCHOOL]) if row.value is None]
    assert [(row.period, row.value_text) for row in gap] == [("1 May 2025", "No accepted reading")]


def test_points_are_drawn_and_tabled_in_date_order_whatever_order_they_arrive_in():
    shuffled = Series("Tube", [Point(datetime.date(2026, 3, day), float(day)) for day in (9, 3, 6)])
    rows = table_rows([shuffled])
    assert [row.when.day for row in rows] == [3, 6, 9]
    assert [date for _, date, _ in drawn_points(parse(render([shuffled])))] == [
        "2026-03-03",
        "2026-03-06",
        "2026-03-09",
    ]


def test_period_labels_are_used_when_given():
    tube = Series("Tube", [Point(datetime.date(2026, 3, 2), 41.25, label="2 Mar to 30 Mar 2026")])
    (row,) = table_rows([tube])
    assert (row.period, row.value_text) == ("2 Mar to 30 Mar 2026", "41.25")


def test_higher_points_are_drawn_higher():
    root = parse(render([HIGH_STREET]))
    points = by_class(root, "ps-chart__point")
    by_value = sorted(points, key=lambda point: float(point.get("data-value")))
    heights = [float(point.get("cy")) for point in by_value]
    assert heights == sorted(heights, reverse=True)
    dates = [float(point.get("cx")) for point in points]
    assert dates == sorted(dates)


def test_text_from_staff_is_escaped():
    hostile = Series('<script>alert("x")</script> & Sons', HIGH_STREET.points)
    svg = render(
        [hostile],
        unit="<b>µg</b>",
        title="Tubes & <i>traps</i>",
        description="A & B",
        threshold=40,
        threshold_label="<img src=x onerror=alert(1)>",
    )
    assert "<script" not in svg
    assert "<img" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == "Tubes & <i>traps</i>"
    assert root.find(f"{SVG}desc").text == "A & B"
    assert '<script>alert("x")</script> & Sons' in texts(root)
    assert not any(element.tag.endswith(("script", "img", "b", "i")) for element in root.iter())


def test_characters_xml_forbids_are_dropped_rather_than_breaking_the_page():
    root = parse(render([Series("Tube\x00 1\x1b", HIGH_STREET.points)], title="Bad\x0bname"))
    assert "Tube 1" in texts(root)
    assert root.find(f"{SVG}title").text == "Badname"


def test_a_long_name_is_shortened_in_the_legend_but_not_in_the_table():
    name = "Diffusion tube outside the community centre on the corner of " * 3
    tube = Series(name, HIGH_STREET.points)
    legend = by_class(parse(render([tube])), "ps-chart__legend-name")
    assert legend[0].text.endswith("…")
    assert len(legend[0].text) < 50
    assert table_rows([tube])[0].series == name


@pytest.mark.parametrize(
    "series",
    [
        [],
        [Series("Tube", [])],
        [Series("Tube", [Point(datetime.date(2026, 3, 1), None)])],
        [Series("Tube", [Point(datetime.date(2026, 3, 1), math.nan)])],
    ],
)
def test_no_readings_says_so(series):
    root = parse(render(series, threshold=40))
    assert "No accepted readings yet" in texts(root)
    assert root.get("role") == "img"
    assert by_class(root, "ps-chart__point") == []


@pytest.mark.parametrize(
    "series",
    [
        [Series("Tube", [Point(datetime.date(2026, 3, 1), 41.0)])],
        [daily("Tube", [5.0, 5.0, 5.0])],
        [daily("Tube", [0.0, 0.0])],
        [daily("Thermometer", [-3.0, -7.5, -1.25])],
        [daily("Tube", [12.0, None, None, 14.0, None, 9.0])],
        [monthly(f"Tube {index}", [10.0 * index + 1, 20.0]) for index in range(MAX_SERIES)],
        [
            Series(
                "Tube",
                [Point(datetime.date(2026, 3, 1), 4.0), Point(datetime.date(2026, 3, 1), 6.0)],
            )
        ],
    ],
    ids=["one point", "all equal", "all zero", "negative", "gaps", "four series", "same date"],
)
def test_awkward_data_is_drawn(series):
    root = parse(render(series, threshold=0))
    expected = [row for row in table_rows(series) if row.value is not None]
    assert len(by_class(root, "ps-chart__point")) == len(expected)
    assert "No accepted readings yet" not in texts(root)
    assert len(date_ticks(root)) >= 1


def test_one_point_has_a_marker_but_no_line():
    root = parse(render([Series("Tube", [Point(datetime.date(2026, 3, 1), 41.0)])]))
    assert len(by_class(root, "ps-chart__point")) == 1
    assert list(root.iter(f"{SVG}polyline")) == []
    assert [tick.text for tick in date_ticks(root)] == ["1 Mar 2026"]


def test_more_series_than_line_styles_is_refused_with_a_reason():
    too_many = [monthly(f"Tube {index}", [1.0]) for index in range(MAX_SERIES + 1)]
    with pytest.raises(ValueError, match="at most 4 series"):
        render(too_many)


def test_each_series_differs_by_more_than_colour():
    series = [monthly(f"Tube {index}", [10.0 * index + 1, 20.0, 15.0]) for index in range(4)]
    root = parse(render(series))
    dashes, shapes, colours = [], [], []
    for group in by_class(root, "ps-chart__series"):
        (line,) = group.findall(f"{SVG}polyline")
        dashes.append(line.get("stroke-dasharray", "solid"))
        colours.append(line.get("stroke"))
        point = by_class(group, "ps-chart__point")[0]
        shapes.append((point.tag, len(point.get("points", "").split())))
    assert len(set(dashes)) == 4
    assert len(set(shapes)) == 4
    assert len(set(colours)) == 4
    # The legend shows each line's dashes, so the reader can match them.
    legend = by_class(root, "ps-chart__legend")[0]
    legend_dashes = [line.get("stroke-dasharray", "solid") for line in legend.iter(f"{SVG}line")]
    assert legend_dashes == dashes


def test_threshold_dashes_differ_from_every_series():
    root = parse(render([HIGH_STREET], threshold=40))
    (line,) = by_class(root, "ps-chart__threshold")
    assert line.get("stroke-dasharray") not in {style.dashes for style in SERIES_STYLES}


def test_lines_have_three_to_one_contrast_and_text_four_and_a_half():
    for style in SERIES_STYLES:
        assert contrast(style.colour, "#ffffff") >= 3
    root = parse(render([HIGH_STREET, SCHOOL], threshold=40, threshold_label="Annual limit"))
    background = root.find(f"{SVG}rect").get("fill")
    assert background == "#ffffff"
    strokes = {line.get("stroke") for line in root.iter(f"{SVG}polyline")}
    assert all(contrast(stroke, background) >= 3 for stroke in strokes)
    text_colours = {text.get("fill", root.get("fill")) for text in root.iter(f"{SVG}text")}
    assert text_colours
    assert all(contrast(colour, background) >= 4.5 for colour in text_colours)


COORDINATE_ATTRIBUTES = ("x", "y", "x1", "x2", "y1", "y2", "cx", "cy", "r", "width", "height")


finite_values = st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))
points = st.lists(
    st.builds(Point, when=st.dates(), value=finite_values, label=st.text(max_size=12)),
    max_size=12,
)
series_lists = st.lists(
    st.builds(Series, name=st.text(max_size=30), points=points), max_size=MAX_SERIES
)


@settings(deadline=None, max_examples=150)
@given(
    series=series_lists,
    threshold=st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
    unit=st.text(max_size=8),
    title=st.text(max_size=40),
)
def test_any_finite_data_gives_well_formed_svg(series, threshold, unit, title):
    svg = time_series_svg(
        series, unit=unit, title=title, description="Random data", threshold=threshold
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    for element in root.iter():
        assert "style" not in element.attrib
        for name in COORDINATE_ATTRIBUTES:
            if name in element.attrib and element.get(name) != "100%":
                assert math.isfinite(float(element.get(name)))
        for pair in element.get("points", "").split():
            assert all(math.isfinite(float(number)) for number in pair.split(","))
    drawn = [row for row in table_rows(series) if row.value is not None]
    assert len(by_class(root, "ps-chart__point")) == len(drawn)
