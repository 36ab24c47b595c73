"""The DTPR-for-AI taxonomy, its datachain rules and its icons (for algorithm records)."""

import re
import xml.etree.ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dtpr_assets import CURRENT_AI_VERSION, UnknownCategory, UnknownElement, load_taxonomy
from dtpr_assets.glyphs import AI_ELEMENT_GLYPHS, GLYPHS
from dtpr_assets.icons import icon_alt_text, monogram_for, render_icon
from dtpr_assets.taxonomy import UnknownVersion, available_versions
from dtpr_assets.validation import (
    DatachainProblem,
    normalise_legacy_entries,
    personal_data_level,
    validate_ai_datachain,
)

SVG = "{http://www.w3.org/2000/svg}"

CATEGORY_ORDER = [
    "purpose",
    "accountable",
    "affected",
    "functional_modes",
    "risks_mitigation",
    "rights",
    "input_dataset",
    "processing",
    "output_dataset",
    "access",
    "retention",
    "storage",
]
REQUIRED = ["purpose", "accountable", "affected", "functional_modes"]
REFERENCE_RIGHTS = {
    "right_access",
    "right_algorithmic_transparency",
    "right_be_forgotten",
    "right_contest",
    "right_correction",
    "right_individual_decision_explanation",
    "right_non_discrimination",
    "right_object",
    "right_purpose_limitation",
    "right_to_human_review",
    "right_to_notice",
}
# AI categories that answer the same question as a device category, and that category.
SAME_AS_DEVICE = {
    "purpose": "purpose",
    "accountable": "accountable",
    "input_dataset": "data",
    "processing": "process",
    "access": "access",
    "retention": "retention",
    "storage": "storage",
}

ai = load_taxonomy(datachain="ai")
device = load_taxonomy()
ALL_ELEMENTS = [(element.category, element.id) for element in ai.elements]


def entry(category: str, element_id: str, **extra) -> dict:
    return {"category": category, "element_id": element_id, **extra}


def valid_chain(*extra_entries: dict) -> list[dict]:
    """A publishable AI datachain for a bus-lane camera that detects vehicles."""
    return [
        entry("purpose", "enforcement"),
        entry("accountable", "institution"),
        entry("affected", "drivers"),
        entry("functional_modes", "detection"),
        entry("risks_mitigation", "human_oversight"),
        entry("rights", "right_contest"),
        entry("input_dataset", "pixel_based_image"),
        entry("processing", "computer_vision"),
        entry("output_dataset", "alert"),
        entry("access", "available_to_the_accountable_organization"),
        entry("retention", "data_retained", variables={"duration": "for 28 days"}),
        entry("storage", "stored_locally"),
        *extra_entries,
    ]


def only_problem(entries: list[dict]) -> DatachainProblem:
    problems = validate_ai_datachain(entries)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.message.endswith(".")
    return problem


def shape_group(svg: str) -> ET.Element:
    return ET.fromstring(svg).findall(f"{SVG}g")[0]


# Loading


def test_current_ai_version_is_shipped_with_its_dtpr_schema():
    assert CURRENT_AI_VERSION in available_versions("ai")
    assert (ai.version, ai.datachain) == (CURRENT_AI_VERSION, "ai")
    assert ai.schema_version == "ai@2026-08-12-beta"


def test_loading_is_cached_and_the_device_default_is_unchanged():
    assert load_taxonomy(datachain="ai") is load_taxonomy(CURRENT_AI_VERSION, datachain="ai")
    assert load_taxonomy() is not ai
    assert device.datachain == "device"
    assert not device.has_category("rights")


def test_unknown_version_or_datachain_type_says_what_exists():
    with pytest.raises(
        UnknownVersion, match=f"AI taxonomy version “2025-11”.*{CURRENT_AI_VERSION}"
    ):
        load_taxonomy("2025-11", datachain="ai")
    with pytest.raises(ValueError, match="“robot” is not a DTPR datachain type"):
        load_taxonomy(datachain="robot")  # type: ignore[arg-type]


def test_categories_are_in_the_reference_order_and_the_four_are_required():
    assert [category.id for category in ai.categories] == CATEGORY_ORDER
    assert [category.id for category in ai.categories if category.required] == REQUIRED
    for category in ai.categories:
        assert category.name.strip()
        assert category.question[0].isupper()
        assert category.question.endswith("?")
        assert ai.elements_in(category.id), category.id


def test_shapes_match_the_device_categories_and_rights_and_risks_are_octagons():
    for ai_category, device_category in SAME_AS_DEVICE.items():
        assert ai.category(ai_category).shape == device.category(device_category).shape
    assert ai.category("rights").shape == "octagon"
    assert ai.category("risks_mitigation").shape == "octagon"


def test_rights_are_exactly_the_reference_ids():
    assert {element.id for element in ai.elements_in("rights")} == REFERENCE_RIGHTS


def test_element_ids_are_unique_across_the_ai_taxonomy():
    # Unique ids let the validator say which category a misplaced element belongs in.
    ids = [element_id for _, element_id in ALL_ELEMENTS]
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize(("category_id", "element_id"), ALL_ELEMENTS)
def test_every_ai_element_is_described_for_residents_and_has_an_icon(category_id, element_id):
    element = ai.element(category_id, element_id)
    assert element.datachain == "ai"
    assert element.name.strip()
    assert element.description[0].isupper()
    assert element.description.endswith(".")
    # Reused device elements must not tell a resident about "this device".
    assert "device" not in element.description.lower()

    svg = render_icon(category_id, element_id, taxonomy=ai)
    root = ET.fromstring(svg)
    title = f"{ai.category(category_id).name}: {element.name}"
    assert root.get("viewBox") == "0 0 36 36"
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == title
    assert root.get("aria-label") == title
    assert len(root.findall(f"{SVG}g")[1]) > 0
    assert "<script" not in svg
    assert not re.search(r"href|url\(", svg)


def test_descriptions_use_british_spelling():
    american = ("organization ", "color", "center ", "recognize", "license ", "prioritiz")
    for element in ai.elements:
        assert not any(word in element.description.lower() for word in american), element.id


def test_reused_elements_keep_the_device_name_and_variables_but_not_its_text():
    enforcement = ai.element("purpose", "enforcement")
    assert enforcement.reused_from is device.element("purpose", "enforcement")
    assert enforcement.name == "Enforcement"
    assert enforcement.description != enforcement.reused_from.description

    retained = ai.element("retention", "data_retained")
    assert [variable.id for variable in retained.required_variables] == ["duration"]
    assert retained.label({"duration": "for 6 months"}) == "Retained for 6 months"

    # Device taxonomy elements are untouched by the AI reuse.
    assert device.element("purpose", "enforcement").reused_from is None
    assert "device" in device.element("purpose", "enforcement").description


def test_personal_input_data_counts_as_identifiable():
    assert ai.element("input_dataset", "personal").identifiability == "identifiable"
    assert device.element("data", "personal").identifiability == "none"


def test_ai_prefixed_category_ids_are_normalised():
    assert ai.normalise_category_id("ai__purpose") == "purpose"
    assert ai.element("ai__rights", "right_object").category == "rights"
    assert ai.element("ai__functional_modes", "prediction").name == "Prediction"


def test_unknown_ids_name_the_ai_taxonomy():
    with pytest.raises(UnknownCategory, match="“device__tech” is not a DTPR AI category"):
        ai.category("device__tech")
    with pytest.raises(UnknownElement, match="“radar” is not an element"):
        ai.element("functional_modes", "radar")


# Validation


def test_a_complete_ai_datachain_has_no_problems():
    assert validate_ai_datachain(valid_chain()) == []


def test_an_empty_ai_datachain_is_valid_because_it_is_optional():
    assert validate_ai_datachain([]) == []


def test_only_the_required_categories_make_a_minimal_chain():
    chain = [item for item in valid_chain() if item["category"] in REQUIRED]
    assert validate_ai_datachain(chain) == []


@pytest.mark.parametrize(
    ("extra", "fragments", "field"),
    [
        pytest.param(
            entry("feelings", "happy"),
            [
                "“feelings” is not a DTPR category",
                "Choose one of Purpose, Accountable, Affected, Functional mode",
            ],
            "category",
            id="unknown category",
        ),
        pytest.param(
            entry("tech", "radar"),
            ["“tech” is not a DTPR category"],
            "category",
            id="device-only category",
        ),
        pytest.param(
            entry("rights", "right_to_a_pony"),
            [
                "“right_to_a_pony” is not an element of the Rights category",
                "Choose an element from the Rights list",
            ],
            "element_id",
            id="unknown element",
        ),
        pytest.param(
            entry("purpose", "right_object"),
            ["“Right to object” belongs in the Rights category, not Purpose", "Move it to Rights"],
            "element_id",
            id="element in the wrong category",
        ),
        pytest.param(
            entry("rights", "right_contest"),
            ["“Right to contest” appears more than once in Rights", "remove the repeated entry"],
            "element_id",
            id="duplicate",
        ),
    ],
)
def test_a_bad_entry_gets_one_problem_that_says_how_to_fix_it(extra, fragments, field):
    problem = only_problem(valid_chain(extra))
    for fragment in fragments:
        assert fragment in problem.message
    assert (problem.index, problem.field) == (12, field)


@pytest.mark.parametrize("missing", REQUIRED)
def test_each_missing_required_category_says_what_to_add(missing):
    chain = [item for item in valid_chain() if item["category"] != missing]
    problem = only_problem(chain)
    name = ai.category(missing).name
    example = ai.elements_in(missing)[0].name
    assert problem.message.startswith(f"Add at least one {name} element, such as “{example}”")
    assert "needs Purpose, Accountable, Affected and Functional mode" in problem.message
    assert problem.index is None


def test_a_chain_of_only_optional_categories_lists_every_missing_required_one():
    chain = [item for item in valid_chain() if item["category"] not in REQUIRED]
    messages = [problem.message for problem in validate_ai_datachain(chain)]
    assert len(messages) == 4
    for category_id in REQUIRED:
        assert any(f"one {ai.category(category_id).name} element" in text for text in messages)


def test_four_purposes_asks_to_remove_one():
    chain = valid_chain(
        entry("purpose", "mobility"),
        entry("purpose", "planning_decision_making"),
        entry("purpose", "fraud_error_detection"),
    )
    problem = only_problem(chain)
    assert problem.message.startswith(
        "An algorithm record can show at most three purposes; remove one purpose"
    )
    assert (problem.index, problem.field) == (14, "element_id")


def test_data_retained_without_duration_asks_for_it():
    chain = valid_chain()
    chain[10] = entry("retention", "data_retained")
    problem = only_problem(chain)
    assert "Fill in the duration for “Data retained”" in problem.message
    assert "for 30 days" in problem.message
    assert (problem.index, problem.field) == (10, "duration")


def test_prefixed_category_ids_are_accepted():
    chain = [{**item, "category": f"ai__{item['category']}"} for item in valid_chain()]
    assert validate_ai_datachain(chain) == []


def test_normalise_legacy_entries_stores_the_short_ai_category_ids():
    raw = [
        {"category_id": "ai__rights", "element_id": "ai__rights__right_object"},
        entry("ai__affected", "residents", priority=1),
    ]
    assert normalise_legacy_entries(raw, taxonomy=ai) == [
        {"category": "rights", "element_id": "right_object"},
        {"category": "affected", "element_id": "residents", "priority": 1},
    ]


def test_a_device_taxonomy_is_refused_with_a_sentence_saying_what_to_pass():
    with pytest.raises(ValueError, match=r"needs an AI taxonomy: pass load_taxonomy\(datachain"):
        validate_ai_datachain(valid_chain(), taxonomy=device)


def test_personal_data_level_reads_the_ai_input_data():
    assert personal_data_level(valid_chain(), ai) == "none"
    assert personal_data_level(valid_chain(entry("input_dataset", "personal")), ai) == (
        "identifiable"
    )


def _ids(category: str) -> list[str]:
    return [element.id for element in ai.elements_in(category)]


@st.composite
def publishable_ai_chains(draw: st.DrawFn) -> list[dict]:
    def some(category: str, low: int, high: int) -> list[dict]:
        ids = draw(
            st.lists(st.sampled_from(_ids(category)), min_size=low, max_size=high, unique=True)
        )
        return [entry(category, element_id) for element_id in ids]

    chain = some("purpose", 1, 3) + some("accountable", 1, 2)
    chain += some("affected", 1, 4) + some("functional_modes", 1, 3)
    for category in ("risks_mitigation", "rights", "input_dataset", "processing"):
        chain += some(category, 0, 4)
    chain += some("output_dataset", 0, 3) + some("access", 0, 3) + some("storage", 0, 2)
    if draw(st.booleans()):
        # A fixed alphabet: the full Unicode table takes seconds to build on a fresh machine.
        duration = draw(
            st.text(alphabet="for 0123456789 daysmonthweek", min_size=1).filter(str.strip)
        )
        chain.append(entry("retention", "data_retained", variables={"duration": duration}))
    return draw(st.permutations(chain))


@given(publishable_ai_chains())
def test_any_well_formed_ai_datachain_passes(chain):
    assert validate_ai_datachain(chain) == []


@given(publishable_ai_chains(), st.randoms())
def test_validation_never_crashes_on_damaged_ai_chains(chain, random):
    chain[0] = {"category": random.choice([None, 3, "rights", "x"]), "element_id": None}
    problems = validate_ai_datachain(chain)
    assert problems
    assert all(problem.message.endswith(".") for problem in problems)


# Icons


def test_rights_and_risks_icons_are_octagons_unlike_the_hexagons():
    rights = shape_group(render_icon("rights", "right_object", taxonomy=ai))[0]
    risks = shape_group(render_icon("risks_mitigation", "bias_testing", taxonomy=ai))[0]
    hexagon = shape_group(render_icon("affected", "residents", taxonomy=ai))[0]
    assert rights.get("d") == risks.get("d")
    assert rights.get("d") != hexagon.get("d")
    # Eight corners: the start point and seven more line commands.
    assert len(re.findall(r"[MLHVmlhv]", rights.get("d"))) == 8


def test_ai_purpose_is_black_with_a_white_symbol_like_a_device_purpose():
    root = ET.fromstring(render_icon("purpose", "fraud_error_detection", taxonomy=ai))
    shape, symbol = root.findall(f"{SVG}g")
    assert (shape.get("fill"), symbol.get("stroke")) == ("#000000", "#FFFFFF")


def test_reused_elements_draw_the_device_symbol():
    for category_id, element_id in [("access", "not_available_to_me"), ("purpose", "health")]:
        ai_symbol = ET.tostring(ET.fromstring(render_icon(category_id, element_id, taxonomy=ai))[2])
        device_symbol = ET.tostring(ET.fromstring(render_icon(category_id, element_id))[2])
        assert ai_symbol == device_symbol
    reused_monogram = ET.fromstring(render_icon("processing", "differential_privacy", taxonomy=ai))
    assert reused_monogram.find(f".//{SVG}text").text == "DP"


def test_the_ai_symbol_table_only_names_ai_elements_and_real_glyphs():
    assert set(AI_ELEMENT_GLYPHS.values()) <= set(GLYPHS)
    for category_id, element_id in AI_ELEMENT_GLYPHS:
        # A reused element already has its device symbol; an entry here would hide it.
        assert ai.element(category_id, element_id).reused_from is None


def test_most_ai_elements_have_a_drawn_symbol():
    drawn = [
        element
        for element in ai.elements
        if ET.fromstring(render_icon(element.category, element.id, taxonomy=ai)).find(
            f".//{SVG}text"
        )
        is None
    ]
    assert len(drawn) >= 0.9 * len(ai.elements)


def test_ai_monograms_are_short_capitals():
    for element in ai.elements:
        text = ET.fromstring(render_icon(element.category, element.id, taxonomy=ai)).find(
            f".//{SVG}text"
        )
        if text is not None:
            assert text.text == monogram_for(element)
            assert 1 <= len(text.text) <= 3
            assert text.text.isupper()


def test_alt_text_names_the_ai_category_and_element():
    assert icon_alt_text("rights", "right_to_human_review", taxonomy=ai) == (
        "Rights: Right to human review"
    )
    assert icon_alt_text("ai__affected", "children_young_people", taxonomy=ai) == (
        "Affected: Children and young people"
    )
    assert icon_alt_text(
        "retention", "data_retained", variables={"duration": "for 6 months"}, taxonomy=ai
    ) == ("Retention: Retained for 6 months")


def test_override_directory_works_for_ai_icons(tmp_path):
    (tmp_path / "rights__right_object.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36"><circle r="4" fill="red"/>'
        "</svg>"
    )
    root = ET.fromstring(
        render_icon("rights", "right_object", taxonomy=ai, override_dir=tmp_path, size=24)
    )
    assert root.find(f"{SVG}circle").get("fill") == "red"
    assert root.find(f"{SVG}title").text == "Rights: Right to object"
    assert root.get("width") == "24"
