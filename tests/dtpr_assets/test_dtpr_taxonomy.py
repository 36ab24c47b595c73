import json
import xml.etree.ElementTree as ET
from importlib import resources

import pytest

from dtpr_assets import CURRENT_VERSION, UnknownCategory, UnknownElement, load_taxonomy
from dtpr_assets.icons import render_icon
from dtpr_assets.taxonomy import UnknownVersion, available_versions

SVG = "{http://www.w3.org/2000/svg}"

EXPECTED_COUNTS = {
    "accountable": 2,
    "purpose": 22,
    # The reference's heading says 51, but its list has 52 technology ids once
    # technology_switch moved over from purpose in 2025; every listed id is shipped.
    "tech": 52,
    "data": 7,
    "process": 23,
    "access": 9,
    "retention": 2,
    "storage": 7,
}
IDENTIFIABLE = {
    "contactless_payments",
    "identifiable_image",
    "identifiable_nfc",
    "identifiable_rfid",
    "identifiable_video",
    "identifiable_wifi_sensor",
    "intercom",
    "voice",
}
DE_IDENTIFIED = {
    "de_identified_image",
    "de_identified_video",
    "de_identified_voice",
    "facial_characterization",
    "person_detection",
}

taxonomy = load_taxonomy()
ALL_ELEMENTS = [(element.category, element.id) for element in taxonomy.elements]


def test_current_version_is_shipped():
    assert CURRENT_VERSION in available_versions()
    assert taxonomy.version == CURRENT_VERSION


def test_unknown_version_explains_which_exist():
    with pytest.raises(UnknownVersion, match=CURRENT_VERSION):
        load_taxonomy("1999-01")


def test_loading_is_cached():
    assert load_taxonomy() is load_taxonomy(CURRENT_VERSION)


def test_categories_are_in_display_order():
    assert [category.id for category in taxonomy.categories] == list(EXPECTED_COUNTS)
    assert taxonomy.category("tech").question == "How does this technology work?"
    assert [category.shape for category in taxonomy.categories] == [
        "hexagon",
        "hexagon",
        "hexagon",
        "circle",
        "circle",
        "rounded_square",
        "rounded_square",
        "rounded_square",
    ]


@pytest.mark.parametrize(("category_id", "count"), EXPECTED_COUNTS.items())
def test_element_counts_match_the_reference(category_id, count):
    assert len(taxonomy.elements_in(category_id)) == count


def test_element_ids_are_unique_within_each_category():
    assert len(set(ALL_ELEMENTS)) == len(ALL_ELEMENTS)


@pytest.mark.parametrize(("category_id", "element_id"), ALL_ELEMENTS)
def test_every_element_is_described_and_has_an_icon(category_id, element_id):
    element = taxonomy.element(category_id, element_id)
    assert element.name.strip()
    assert element.description.strip().endswith(".")
    assert element.description[0].isupper()

    svg = render_icon(category_id, element_id)
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 36 36"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text.startswith(taxonomy.category(category_id).name)
    assert len(svg.encode("utf-8")) < 1500


def test_descriptions_use_british_spelling():
    american = ("organization ", "color", "center ", "recognize", "license ")
    for element in taxonomy.elements:
        assert not any(word in element.description.lower() for word in american), element.id


def test_identifiability_follows_the_reference():
    for element in taxonomy.elements:
        if element.id in IDENTIFIABLE:
            expected = "identifiable"
        elif element.id in DE_IDENTIFIED:
            expected = "de_identified"
        else:
            expected = "none"
        assert element.identifiability == expected, element.id


def test_v1_prefixed_category_ids_are_normalised():
    assert taxonomy.normalise_category_id("device__tech") == "tech"
    assert taxonomy.normalise_category_id("tech") == "tech"
    assert taxonomy.element("device__tech", "radar").category == "tech"


def test_unknown_ids_raise_clear_key_errors():
    with pytest.raises(UnknownElement, match="“teleporter” is not an element"):
        taxonomy.element("tech", "teleporter")
    with pytest.raises(KeyError):
        taxonomy.element("purpose", "radar")
    with pytest.raises(UnknownCategory, match="“ai__rights” is not a DTPR device category"):
        taxonomy.category("ai__rights")


def test_choices_are_grouped_by_category_for_a_select():
    choices = taxonomy.choices_by_category()
    assert [group for group, _ in choices][:3] == ["Accountable", "Purpose", "Technology"]
    technology = dict(choices[2][1])
    assert technology["identifiable_video"] == "Identifiable Video"
    assert technology["technology_switch"] == "Switch"


def test_data_retained_needs_a_duration_and_shows_it_in_its_label():
    element = taxonomy.element("retention", "data_retained")
    assert [variable.id for variable in element.required_variables] == ["duration"]
    assert element.label({"duration": "for 30 days"}) == "Retained for 30 days"
    assert element.label({}) == "Data retained"


def test_legacy_retention_elements_map_to_data_retained():
    legacy = taxonomy.legacy_replacement("storage", "retained_two_weeks")
    assert (legacy.category, legacy.element_id) == ("retention", "data_retained")
    assert dict(legacy.variables) == {"duration": "for two weeks"}
    assert dict(taxonomy.legacy_replacement("device__storage", "retained_indefinitely").variables)[
        "duration"
    ] == ("indefinitely")


def test_data_files_declare_their_version():
    root = resources.files("dtpr_assets").joinpath("data", "device", CURRENT_VERSION)
    categories = json.loads(root.joinpath("categories.json").read_text(encoding="utf-8"))
    assert categories["version"] == CURRENT_VERSION
    for category in categories["categories"]:
        elements = json.loads(
            root.joinpath("elements", f"{category['id']}.json").read_text(encoding="utf-8")
        )
        assert elements["category"] == category["id"]


def test_taxonomy_objects_are_immutable():
    element = taxonomy.element("tech", "radar")
    with pytest.raises(AttributeError):
        element.name = "Something else"  # type: ignore[misc]
    with pytest.raises(TypeError):
        taxonomy.category_aliases["device__x"] = "x"  # type: ignore[index]
