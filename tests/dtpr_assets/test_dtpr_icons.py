import re
import xml.etree.ElementTree as ET

import pytest

from dtpr_assets import load_taxonomy
from dtpr_assets.glyphs import ELEMENT_GLYPHS, GLYPHS
from dtpr_assets.icons import (
    BLACK,
    WHITE,
    contrast_ratio,
    icon_alt_text,
    monogram_for,
    relative_luminance,
    render_icon,
    set_override_dir,
    symbol_colour_for,
)

SVG = "{http://www.w3.org/2000/svg}"
taxonomy = load_taxonomy()


def shape_fill(svg: str) -> str:
    return ET.fromstring(svg).findall(f"{SVG}g")[0].get("fill")


def symbol_stroke(svg: str) -> str:
    return ET.fromstring(svg).findall(f"{SVG}g")[1].get("stroke")


@pytest.fixture(autouse=True)
def no_global_override():
    set_override_dir(None)
    yield
    set_override_dir(None)


def test_identifiable_technology_is_yellow_with_a_black_symbol():
    svg = render_icon("tech", "identifiable_video")
    assert shape_fill(svg) == "#FFDD00"
    assert symbol_stroke(svg) == BLACK


def test_de_identified_technology_is_blue():
    assert shape_fill(render_icon("tech", "person_detection")) == "#36B2E6"


def test_other_technology_is_white():
    assert shape_fill(render_icon("tech", "air_quality")) == WHITE


def test_purpose_is_black_with_a_white_symbol():
    svg = render_icon("purpose", "safety_security")
    assert (shape_fill(svg), symbol_stroke(svg)) == (BLACK, WHITE)


def test_default_and_dark_variants_ignore_identifiability():
    assert shape_fill(render_icon("tech", "identifiable_video", variant="default")) == WHITE
    dark = render_icon("tech", "identifiable_video", variant="dark")
    assert (shape_fill(dark), symbol_stroke(dark)) == (BLACK, WHITE)
    with pytest.raises(ValueError, match="Unknown icon variant"):
        render_icon("tech", "radar", variant="sparkly")


@pytest.mark.parametrize(
    ("category_id", "element_id", "shape_tag"),
    [
        ("accountable", "institution", "path"),
        ("data", "personal", "circle"),
        ("process", "encrypted", "circle"),
        ("storage", "stored_locally", "rect"),
        ("retention", "data_retained", "rect"),
    ],
)
def test_shape_follows_the_category(category_id, element_id, shape_tag):
    shape_group = ET.fromstring(render_icon(category_id, element_id)).findall(f"{SVG}g")[0]
    assert shape_group[0].tag == f"{SVG}{shape_tag}"
    assert shape_group.get("stroke-width") == "2"


def test_luminance_matches_wcag_reference_values():
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000") == pytest.approx(0.0)
    assert relative_luminance("#FFDD00") == pytest.approx(0.7297, abs=0.0005)
    assert contrast_ratio(WHITE, BLACK) == pytest.approx(21.0)
    with pytest.raises(ValueError, match="hex colour"):
        relative_luminance("yellow")


@pytest.mark.parametrize(
    ("fill", "expected"),
    [
        ("#FFDD00", BLACK),
        ("#36B2E6", BLACK),
        ("#FFFFFF", BLACK),
        ("#000000", WHITE),
        ("#1D3F8C", WHITE),
        ("#595959", WHITE),
        # Mid grey still favours black: the crossover is near luminance 0.18.
        ("#767676", BLACK),
    ],
)
def test_symbol_colour_is_whichever_contrasts_more(fill, expected):
    assert symbol_colour_for(fill) == expected


def test_alt_text_names_category_element_and_personal_data():
    assert (
        icon_alt_text("tech", "identifiable_video")
        == "Technology: Identifiable Video (identifiable personal data)"
    )
    assert icon_alt_text("tech", "radar") == "Technology: Radar (no personal data)"
    assert icon_alt_text("purpose", "ecology") == "Purpose: Ecology"
    assert (
        icon_alt_text("retention", "data_retained", variables={"duration": "for 30 days"})
        == "Retention: Retained for 30 days"
    )


def test_title_is_escaped_and_size_is_applied():
    root = ET.fromstring(render_icon("purpose", "arts_culture", size=48))
    assert root.find(f"{SVG}title").text == "Purpose: Arts & Culture"
    assert (root.get("width"), root.get("height")) == ("48", "48")


def test_every_glyph_reference_exists():
    assert set(ELEMENT_GLYPHS.values()) <= set(GLYPHS)
    for category_id, element_id in ELEMENT_GLYPHS:
        taxonomy.element(category_id, element_id)


def test_most_elements_have_a_drawn_symbol():
    assert len(ELEMENT_GLYPHS) >= 0.8 * len(taxonomy.elements)


@pytest.mark.parametrize(
    "element",
    [e for e in taxonomy.elements if (e.category, e.id) not in ELEMENT_GLYPHS],
    ids=lambda element: element.id,
)
def test_monograms_are_short_and_fit_the_shape(element):
    monogram = monogram_for(element)
    assert 1 <= len(monogram) <= 3
    assert monogram.isupper()
    text = ET.fromstring(render_icon(element.category, element.id)).find(f".//{SVG}text")
    assert text.text == monogram
    size = float(text.get("font-size"))
    # A bold capital is at most about 0.9 em wide; keep it inside the smallest shape.
    assert 0.9 * size * len(monogram) <= 22
    assert size >= 8


def test_icons_contain_no_scripts_or_external_references():
    for element in taxonomy.elements:
        svg = render_icon(element.category, element.id)
        assert "<script" not in svg
        assert not re.search(r"href|url\(", svg)


def test_override_directory_wins_and_gets_our_title(tmp_path):
    (tmp_path / "tech__radar.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36" width="36" height="36">'
        '<title>radar-final-v2</title><circle cx="18" cy="18" r="9" fill="red"/></svg>'
    )
    svg = render_icon("tech", "radar", override_dir=tmp_path, size=24)
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}circle").get("fill") == "red"
    assert [title.text for title in root.iter(f"{SVG}title")] == [
        "Technology: Radar (no personal data)"
    ]
    assert (root.get("role"), root.get("width")) == ("img", "24")


def test_override_by_bare_element_id_via_module_setting(tmp_path):
    (tmp_path / "ecology.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"><rect width="9" height="9"/>'
        "</svg>"
    )
    set_override_dir(tmp_path)
    root = ET.fromstring(render_icon("purpose", "ecology"))
    assert root.find(f"{SVG}rect").get("width") == "9"
    set_override_dir(None)
    assert ET.fromstring(render_icon("purpose", "ecology")).find(f"{SVG}rect") is None


def test_unsafe_override_is_ignored(tmp_path):
    (tmp_path / "tech__radar.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><circle r="1"/></svg>'
    )
    svg = render_icon("tech", "radar", override_dir=tmp_path)
    assert "onload" not in svg
    assert "#FFFFFF" in svg
