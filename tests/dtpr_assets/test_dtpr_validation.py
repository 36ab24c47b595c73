from hypothesis import given
from hypothesis import strategies as st

from dtpr_assets import load_taxonomy
from dtpr_assets.validation import (
    DatachainProblem,
    normalise_legacy_entries,
    personal_data_level,
    validate_datachain,
)

taxonomy = load_taxonomy()


def entry(category: str, element_id: str, **extra) -> dict:
    return {"category": category, "element_id": element_id, **extra}


def valid_chain(*extra_entries: dict) -> list[dict]:
    """A publishable datachain for an air-quality sensor, plus any extra entries."""
    return [
        entry("accountable", "institution"),
        entry("purpose", "ecology"),
        entry("tech", "air_quality"),
        entry("data", "values_time"),
        entry("process", "aggregated"),
        entry("access", "available_to_download"),
        entry("retention", "data_retained", variables={"duration": "for 5 years"}),
        entry("storage", "stored_locally"),
        *extra_entries,
    ]


def only_problem(entries: list[dict], **kwargs) -> DatachainProblem:
    problems = validate_datachain(entries, **kwargs)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.message.endswith(".")
    return problem


def test_a_complete_datachain_has_no_problems():
    assert validate_datachain(valid_chain(), organisation_count=2) == []


def test_unknown_category_names_the_id_and_lists_the_choices():
    problem = only_problem(valid_chain(entry("feelings", "happy")))
    assert "“feelings” is not a DTPR category" in problem.message
    assert "Choose one of Accountable, Purpose, Technology" in problem.message
    assert (problem.index, problem.field) == (8, "category")


def test_unknown_element_says_to_choose_from_the_category_list():
    problem = only_problem(valid_chain(entry("tech", "teleporter")))
    assert "“teleporter” is not an element of the Technology category" in problem.message
    assert "Choose an element from the Technology list" in problem.message
    assert (problem.index, problem.field) == (8, "element_id")


def test_missing_element_id_asks_for_one():
    problem = only_problem(valid_chain(entry("tech", "")))
    assert "Choose an element for entry 9 from the Technology list" in problem.message


def test_element_in_the_wrong_category_says_where_it_belongs():
    problem = only_problem(valid_chain(entry("purpose", "radar")))
    assert "“Radar” belongs in the Technology category, not Purpose" in problem.message
    assert "Move it to Technology" in problem.message
    assert problem.index == 8


def test_legacy_retention_element_says_what_replaces_it():
    problem = only_problem(valid_chain(entry("storage", "retained_1_year")))
    assert "Choose “Data retained” in Retention" in problem.message
    assert "“for 1 year”" in problem.message


def test_four_purposes_asks_to_remove_one():
    chain = valid_chain(
        entry("purpose", "mobility"),
        entry("purpose", "planning_decision_making"),
        entry("purpose", "health"),
    )
    problem = only_problem(chain)
    assert problem.message.startswith("A device can show at most three purposes; remove one")
    assert problem.index == 10


def test_five_purposes_asks_to_remove_two_and_points_at_the_lowest_priority():
    chain = valid_chain(
        entry("purpose", "mobility", priority=1),
        entry("purpose", "health", priority=5),
        entry("purpose", "social", priority=2),
        entry("purpose", "inform", priority=3),
    )
    chain[1]["priority"] = 4
    problem = only_problem(chain)
    assert "remove two purposes" in problem.message
    assert problem.index == 1


def test_missing_purpose_asks_for_one():
    chain = [item for item in valid_chain() if item["category"] != "purpose"]
    problem = only_problem(chain)
    assert problem.message.startswith("Add at least one purpose")
    assert problem.index is None


def test_missing_accountable_element_asks_for_one():
    chain = [item for item in valid_chain() if item["category"] != "accountable"]
    problem = only_problem(chain)
    assert "Add an Accountable element" in problem.message


def test_no_organisations_asks_for_the_council():
    problem = only_problem(valid_chain(), organisation_count=0)
    assert "Add at least one accountable organisation" in problem.message
    assert problem.field == "organisations"


def test_unknown_organisation_count_is_not_checked():
    assert validate_datachain(valid_chain(), organisation_count=None) == []


def test_identifiable_video_listed_after_other_technology_must_move_first():
    chain = valid_chain(entry("tech", "identifiable_video"))
    problem = only_problem(chain)
    assert "Move “Identifiable Video” above “Air Quality”" in problem.message
    assert "must be listed first" in problem.message
    assert (problem.index, problem.field) == (8, "priority")


def test_identifiable_video_listed_first_is_accepted():
    chain = valid_chain()
    chain.insert(2, entry("tech", "identifiable_video"))
    assert validate_datachain(chain) == []


def test_priority_decides_technology_order():
    chain = valid_chain(entry("tech", "person_detection", priority=1))
    chain[2]["priority"] = 2
    assert validate_datachain(chain) == []


def test_personal_data_without_technology_requires_a_technology_element():
    chain = [item for item in valid_chain() if item["category"] != "tech"]
    chain.append(entry("data", "personal"))
    problem = only_problem(chain)
    assert problem.message.startswith("A technology element is required")
    assert "“Personal”" in problem.message


def test_pixel_images_without_technology_require_a_technology_element():
    chain = [item for item in valid_chain() if item["category"] != "tech"]
    chain.append(entry("data", "pixel_based_image"))
    assert "technology element is required" in only_problem(chain).message


def test_data_retained_without_duration_asks_for_it():
    chain = valid_chain()
    chain[6] = entry("retention", "data_retained", variables={"duration": "  "})
    problem = only_problem(chain)
    assert "Fill in the duration for “Data retained”" in problem.message
    assert "for 30 days" in problem.message
    assert (problem.index, problem.field) == (6, "duration")


def test_duplicate_entry_asks_to_remove_the_repeat():
    problem = only_problem(valid_chain(entry("storage", "stored_locally")))
    assert "“Stored locally” appears more than once in Storage" in problem.message
    assert "remove the repeated entry" in problem.message
    assert problem.index == 8


def test_prefixed_category_ids_are_accepted():
    chain = valid_chain()
    chain[2] = entry("device__tech", "air_quality")
    assert validate_datachain(chain) == []


def test_personal_data_level_is_the_most_sensitive_technology():
    assert personal_data_level(valid_chain()) == "none"
    assert personal_data_level(valid_chain(entry("tech", "person_detection"))) == "de_identified"
    chain = valid_chain(entry("tech", "person_detection"), entry("tech", "voice"))
    assert personal_data_level(chain, taxonomy) == "identifiable"
    assert personal_data_level([]) == "none"


def test_normalise_legacy_entries_rewrites_old_retention_and_prefixes():
    entries = [
        {"category_id": "device__storage", "element_id": "retained_24_hours", "priority": 3},
        entry("device__tech", "device__tech__radar", additional_description="By the bridge."),
        {
            "category_id": "retention",
            "element_id": "data_retained",
            "variables": [{"id": "duration", "value": "for 90 days"}],
        },
        entry("storage", "retained_1_month", variables={"duration": "for 31 days"}),
        entry("nonsense", "whatever"),
    ]
    assert normalise_legacy_entries(entries) == [
        {
            "category": "retention",
            "element_id": "data_retained",
            "priority": 3,
            "variables": {"duration": "for 24 hours"},
        },
        {
            "category": "tech",
            "element_id": "radar",
            "additional_description": "By the bridge.",
        },
        {
            "category": "retention",
            "element_id": "data_retained",
            "variables": {"duration": "for 90 days"},
        },
        {
            "category": "retention",
            "element_id": "data_retained",
            "variables": {"duration": "for 31 days"},
        },
        {"category": "nonsense", "element_id": "whatever"},
    ]


def test_normalised_legacy_chain_validates():
    chain = valid_chain()
    chain[6] = entry("storage", "retained_7_years")
    assert validate_datachain(chain) != []
    assert validate_datachain(normalise_legacy_entries(chain)) == []


def _elements(category: str) -> list[str]:
    return [element.id for element in taxonomy.elements_in(category)]


@st.composite
def publishable_chains(draw: st.DrawFn) -> list[dict]:
    def some(category: str, low: int, high: int) -> list[str]:
        ids = _elements(category)
        return draw(st.lists(st.sampled_from(ids), min_size=low, max_size=high, unique=True))

    sensitivity = {"identifiable": 0, "de_identified": 1, "none": 2}
    technology = sorted(
        some("tech", 1, 5),
        key=lambda element_id: sensitivity[taxonomy.element("tech", element_id).identifiability],
    )
    chain = [entry("accountable", element_id) for element_id in some("accountable", 1, 2)]
    chain += [entry("purpose", element_id) for element_id in some("purpose", 1, 3)]
    chain += [entry("tech", element_id) for element_id in technology]
    for category in ("data", "process", "access", "storage"):
        chain += [entry(category, element_id) for element_id in some(category, 0, 3)]
    duration = draw(st.text(min_size=1, max_size=20).filter(str.strip))
    chain.append(entry("retention", "data_retained", variables={"duration": duration}))
    return chain


@given(publishable_chains(), st.integers(min_value=1, max_value=5))
def test_any_well_formed_datachain_passes(chain, organisation_count):
    assert validate_datachain(chain, organisation_count=organisation_count) == []


@given(publishable_chains(), st.randoms())
def test_validation_never_crashes_on_shuffled_or_damaged_chains(chain, random):
    random.shuffle(chain)
    if chain:
        chain[0] = {"category": random.choice([None, 3, "tech", "x"]), "element_id": None}
    problems = validate_datachain(chain)
    assert all(problem.message.endswith(".") for problem in problems)
