"""What a printed sign says, and that nothing on it leaves its box."""

import re
import xml.etree.ElementTree as ET

import pymupdf
import pytest

from portal.signage.rendering import svg_to_pdf, text_width
from portal.signage.signs import (
    MINIMUM_QR_MM,
    Hexagon,
    SignContent,
    SignSize,
    fit_text,
    qr_symbol_size,
    render_sign_svg,
)

SVG = "{http://www.w3.org/2000/svg}"


def content(**changes):
    values = {
        "council_name": "Millbrook Borough Council",
        "brand_colour": "#1d4f5c",
        "headline": "CCTV camera, Market Square",
        "purposes": [Hexagon("purpose", "safety_security", "Safety & Security")],
        "technology": Hexagon("tech", "identifiable_video", "Identifiable Video"),
        "accountable_name": "Millbrook Borough Council",
        "personal_data": "identifiable",
        "short_link": "https://millbrook.example/d/K7Q-29XM",
        "short_link_text": "millbrook.example/d/K7Q-29XM",
        "contact_line": "Questions? smartstreets@millbrook.example",
        "code": "K7Q-29XM",
    }
    values.update(changes)
    return SignContent(**values)


def texts(svg: str) -> list[str]:
    return [element.text or "" for element in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("size", list(SignSize))
def test_sign_shows_what_dtpr_asks_for(size):
    svg = render_sign_svg(content(), size)
    root = ET.fromstring(svg)
    assert root.get("width") == f"{size.width_mm:g}mm"
    assert root.get("height") == f"{size.height_mm:g}mm"
    words = " ".join(texts(svg))
    for expected in [
        "Millbrook Borough Council",
        "CCTV camera, Market Square",
        "Safety & Security",
        "Identifiable Video",
        "Personal data: yes.",
        "millbrook.example/d/K7Q-29XM",
        "Questions? smartstreets@millbrook.example",
        "DTPR icons CC BY 4.0",
    ]:
        assert expected in words, expected
    assert "#FFDD00" in svg.upper()  # the technology hexagon in identifiable yellow
    assert root.find(f"{SVG}title").text == "Sign for CCTV camera, Market Square"


def test_a_device_without_personal_data_shows_its_technology_uncoloured():
    svg = render_sign_svg(
        content(technology=Hexagon("tech", "air_quality", "Air Quality"), personal_data="none"),
        SignSize.A5,
    )
    assert "Air Quality" in " ".join(texts(svg))
    assert "#FFDD00" not in svg.upper()
    assert "#36B2E6" not in svg.upper()
    assert "Personal data: none." in " ".join(texts(svg))


LONG_TITLE = (
    "Experimental multi-sensor environmental monitoring station with acoustic, particulate "
    "and thermal imaging capability, Upper Riverside Embankment Gardens"
)
LONG_ORGANISATION = (
    "The Greater Millbrook and Wandle Valley Combined Authority Urban Observatory Partnership "
    "for Smart Infrastructure"
)


def text_boxes(svg: str):
    for element in ET.fromstring(svg).iter(f"{SVG}text"):
        size = float(element.get("font-size"))
        width = text_width(element.text or "", size, bold=element.get("font-weight") == "bold")
        x = float(element.get("x"))
        left = {"start": x, "middle": x - width / 2, "end": x - width}[element.get("text-anchor")]
        yield element.text, left, left + width


@pytest.mark.parametrize("size", list(SignSize))
def test_long_names_wrap_or_shrink_and_never_leave_the_sign(size):
    long = content(
        headline=LONG_TITLE,
        accountable_name=LONG_ORGANISATION,
        council_name="The Royal Borough of Millbrook-upon-Wandle and Greater Riverside Council",
        purposes=[
            Hexagon("purpose", "planning_decision_making", "Planning & Decision-making"),
            Hexagon("purpose", "research_development", "Research & Development"),
            Hexagon("purpose", "agency_interaction", "Agency & Interaction"),
        ],
        contact_line=(
            "Questions? environmental-monitoring-enquiries@greater-millbrook-observatory.example"
        ),
    )
    svg = render_sign_svg(long, size)  # raises SignLayoutError on overlap or overflow
    for text, left, right in text_boxes(svg):
        assert left >= 0, (text, left)
        assert right <= size.width_mm, (text, right)
    words = " ".join(texts(svg))
    assert "Experimental" in words
    assert "Greater" in words


def test_fit_text_shrinks_then_ends_with_an_ellipsis():
    lines, size = fit_text("word " * 5, max_width=150, max_lines=1, size=10, min_size=5, bold=False)
    assert lines == ["word word word word word"]
    assert size == 10
    lines, size = fit_text("word " * 200, max_width=50, max_lines=2, size=10, min_size=5, bold=True)
    assert len(lines) == 2
    assert size == 5
    assert lines[-1].endswith("…")
    assert all(text_width(line, 5, bold=True) <= 50 for line in lines)
    lines, _ = fit_text(
        "Supercalifragilisticexpialidocious",
        max_width=20,
        max_lines=4,
        size=6,
        min_size=6,
        bold=False,
    )
    assert all(text_width(line, 6) <= 20 for line in lines)


@pytest.mark.parametrize("size", list(SignSize))
def test_qr_symbol_is_at_least_25_mm(size):
    svg = render_sign_svg(content(), size)
    transform = re.search(
        r'<g transform="translate\([\d.]+ [\d.]+\) scale\(([\d.]+)\)" shape-rendering', svg
    )
    modules = int(re.search(r'<rect width="(\d+)" height="\1" fill="#FFFFFF"/><path', svg).group(1))
    total = float(transform.group(1)) * modules
    assert qr_symbol_size(content().short_link, total) >= MINIMUM_QR_MM - 0.01


@pytest.mark.parametrize("size", list(SignSize))
def test_pdf_is_vector_and_the_right_page_size(size):
    pdf = pymupdf.open("pdf", svg_to_pdf(render_sign_svg(content(), size)))
    page = pdf[0]
    assert page.rect.width == pytest.approx(size.width_mm * 72 / 25.4, abs=0.5)
    assert page.rect.height == pytest.approx(size.height_mm * 72 / 25.4, abs=0.5)
    assert "Millbrook Borough Council" in page.get_text()
    assert page.get_drawings()
    assert not page.get_images()


def test_unknown_size_is_explained():
    with pytest.raises(ValueError, match="Use size= one of: a5, a6, sticker"):
        SignSize.from_slug("a4")


@pytest.mark.parametrize("size", list(SignSize))
def test_welsh_and_typographic_characters_stay_on_the_printed_page(size):
    # Checked in the PDF itself, so a measuring mistake cannot hide behind our own sums.
    welsh = content(
        council_name="Cyngor Bwrdeistref Sirol Gŵyr – Ŵŷ Ŵŷ Ŵŷ Ŵŷ Ŵŷ",
        headline="Synhwyrydd ansawdd aer – Heol y Gŵr – Tŵr y Cloc – Pont Ŵŷ – Ŵŷ Ŵŷ Ŵŷ Ŵŷ",
        accountable_name="Cyngor Gŵyr – Ŵŷ Ŵŷ Ŵŷ Ŵŷ Ŵŷ Ŵŷ Ŵŷ",
        contact_line="Cwestiynau? gwybodaeth@gŵyr-ŵŷ.example – 01234 567890",
    )
    page = pymupdf.open("pdf", svg_to_pdf(render_sign_svg(welsh, size)))[0]
    spans = [
        span
        for block in page.get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for span in line["spans"]
    ]
    assert any("Gŵr" in span["text"] for span in spans)
    for span in spans:
        left, _top, right, _bottom = span["bbox"]
        assert left >= 0, span["text"]
        assert right <= page.rect.width, span["text"]
