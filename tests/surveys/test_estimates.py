import math
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from surveys.estimates import (
    NET_AGREE,
    NET_DISAGREE,
    PREFER_NOT_TO_SAY,
    Judgement,
    Question,
    QuestionKind,
    effective_sample_size,
    estimate_share,
    normal_margin_of_error,
    tabulate_question,
    wilson_interval,
)

TRAVEL = Question("travel", QuestionKind.SINGLE_CHOICE, options=("bus", "cycle", "walk"))


def responses(key, *answers):
    return [{key: answer} for answer in answers]


def test_the_modules_do_not_import_django():
    code = (
        "import sys, surveys.estimates, surveys.disclosure, surveys.weighting;"
        "sys.exit('django' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_single_choice_shares_are_of_those_who_answered_and_the_rest_are_counted():
    answers = responses("travel", *["bus"] * 40, *["cycle"] * 60, *[PREFER_NOT_TO_SAY] * 5)
    answers += [{}, {"travel": None}, {"travel": ""}]

    table = tabulate_question(TRAVEL, answers)

    assert table.unweighted_base == 100
    assert table.prefer_not_to_say == 5
    assert table.not_answered == 3
    assert [row.key for row in table.options] == ["bus", "cycle", "walk"]
    bus = table["bus"].estimate
    assert bus.count == 40
    assert bus.percentage == pytest.approx(40)
    # Wilson 95 % interval for 40 of 100.
    assert bus.lower == pytest.approx(0.3094, abs=1e-4)
    assert bus.upper == pytest.approx(0.4980, abs=1e-4)
    # Close to the textbook ± 9.6 points at this size.
    assert bus.margin_of_error_points == pytest.approx(9.6, abs=0.5)
    assert table["walk"].estimate.proportion == 0


def test_margin_is_never_zero_when_nobody_in_a_small_group_chose_an_option():
    estimate = estimate_share(0, 8)

    assert estimate.proportion == 0
    assert estimate.lower == 0
    # z² / (n + z²): nobody of 8 is consistent with up to about a third of the population.
    assert estimate.upper == pytest.approx(3.8415 / 11.8415, abs=1e-4)
    assert estimate.margin_of_error == estimate.upper


def test_an_empty_base_states_no_share():
    table = tabulate_question(TRAVEL, responses("travel", PREFER_NOT_TO_SAY, None))

    assert table.unweighted_base == 0
    assert table["bus"].estimate.proportion is None
    assert table["bus"].estimate.margin_of_error is None


def test_multiple_choice_shares_are_of_respondents_and_can_add_up_to_more_than_all():
    question = Question("reasons", QuestionKind.MULTIPLE_CHOICE, options=("cost", "safety", "time"))
    answers = responses(
        "reasons",
        ["cost", "safety"],
        ["cost", "cost"],  # a repeated tick counts once
        ["time"],
        [],  # nothing ticked: not answered
        PREFER_NOT_TO_SAY,
        "safety",
    )

    table = tabulate_question(question, answers)

    assert table.unweighted_base == 4
    assert table.not_answered == 1
    assert table.prefer_not_to_say == 1
    assert table["cost"].estimate.unweighted_count == 2
    assert table["safety"].estimate.unweighted_count == 2
    assert sum(row.estimate.proportion for row in table.options) == pytest.approx(1.25)


def test_likert_has_net_agree_and_net_disagree():
    question = Question("scooters", QuestionKind.LIKERT)
    answers = responses(
        "scooters",
        *["strongly_agree"] * 10,
        *["agree"] * 20,
        *["neither"] * 30,
        *["disagree"] * 25,
        *["strongly_disagree"] * 15,
    )

    table = tabulate_question(question, answers)

    assert table[NET_AGREE].estimate.proportion == pytest.approx(0.30)
    assert table[NET_DISAGREE].estimate.proportion == pytest.approx(0.40)
    assert table[NET_AGREE].estimate.unweighted_base == 100
    assert [row.key for row in table.summaries] == [NET_AGREE, NET_DISAGREE]


def test_likert_needs_a_middle_point():
    with pytest.raises(ValueError, match="odd number"):
        Question("q", QuestionKind.LIKERT, options=("disagree", "agree"))


def test_scenario_judgements_and_the_conditions_of_those_who_set_some():
    question = Question(
        "cameras", QuestionKind.SCENARIO, conditions=("deleted_in_30_days", "independent_audit")
    )
    conditional = Judgement.ACCEPTABLE_WITH_CONDITIONS
    answers = responses(
        "cameras",
        {"judgement": "acceptable"},
        {"judgement": conditional, "conditions": ["deleted_in_30_days", "independent_audit"]},
        {"judgement": conditional, "conditions": ["independent_audit"]},
        {"judgement": conditional, "conditions": []},
        "not_acceptable",
        {"judgement": "not_sure"},
        {"judgement": PREFER_NOT_TO_SAY},
        {"judgement": None},
    )

    table = tabulate_question(question, answers)

    assert [row.key for row in table.options] == list(Judgement)
    assert table.unweighted_base == 6
    assert table.prefer_not_to_say == 1
    assert table.not_answered == 1
    assert table[conditional].estimate.proportion == pytest.approx(0.5)
    conditions = table.conditions
    # Of the three who made it conditional, two said which conditions.
    assert conditions.unweighted_base == 2
    assert conditions.not_answered == 1
    assert conditions["independent_audit"].estimate.proportion == 1
    assert conditions["deleted_in_30_days"].estimate.proportion == 0.5


def test_ranking_gives_mean_rank_and_share_ranking_first():
    question = Question("priorities", QuestionKind.RANKING, options=("parks", "roads", "libraries"))
    answers = responses(
        "priorities",
        ["parks", "roads", "libraries"],
        ["roads", "parks", "libraries"],
        ["parks", "libraries"],  # a partial ranking
        PREFER_NOT_TO_SAY,
    )

    table = tabulate_question(question, answers)

    assert table.unweighted_base == 3
    assert table["parks"].estimate.proportion == pytest.approx(2 / 3)
    assert table["parks"].mean_rank == pytest.approx(4 / 3)
    assert table["roads"].mean_rank == pytest.approx(1.5)
    assert table["roads"].ranked_by == 2
    assert table["libraries"].mean_rank == pytest.approx(8 / 3)


def test_a_ranking_that_repeats_an_option_is_refused():
    question = Question("priorities", QuestionKind.RANKING, options=("parks", "roads"))

    with pytest.raises(ValueError, match="at most once"):
        tabulate_question(question, responses("priorities", ["parks", "parks"]))


def test_weighted_shares_use_the_effective_base_for_the_margin():
    answers = responses("travel", "bus", "bus", "cycle", "cycle")
    weights = [3.0, 1.0, 1.0, 1.0]

    table = tabulate_question(TRAVEL, answers, weights=weights)

    bus = table["bus"].estimate
    assert table.weighted
    assert bus.proportion == pytest.approx(4 / 6)
    assert bus.unweighted_count == 2
    assert bus.base == 6
    # Kish: 6² / (9 + 1 + 1 + 1) = 3 people's worth of information from 4.
    assert bus.effective_base == pytest.approx(3)
    unweighted_margin = estimate_share(4, 6, effective_base=4).margin_of_error
    assert bus.margin_of_error > unweighted_margin


def test_answers_that_are_not_options_are_refused_rather_than_dropped():
    with pytest.raises(ValueError, match="not one of its options"):
        tabulate_question(TRAVEL, responses("travel", "tram"))


def test_there_must_be_one_weight_per_response():
    with pytest.raises(ValueError, match="one weight per response"):
        tabulate_question(TRAVEL, responses("travel", "bus"), weights=[1.0, 2.0])


def test_effective_sample_size():
    assert effective_sample_size([1.0] * 10) == pytest.approx(10)
    assert effective_sample_size([]) == 0
    assert effective_sample_size([2.0, 0.0]) == pytest.approx(1)


def test_wilson_agrees_with_the_textbook_margin_for_large_bases():
    lower, upper = wilson_interval(0.3, 1000)

    assert (upper - lower) / 2 == pytest.approx(normal_margin_of_error(0.3, 1000), abs=5e-4)


def test_a_hundred_thousand_weighted_responses_are_tabulated():
    # How fast is measured by make bench, not here.
    question = Question("reasons", QuestionKind.MULTIPLE_CHOICE, options=("a", "b", "c", "d"))
    answers = [{"reasons": ["a", "c"] if index % 3 else ["b"]} for index in range(100_000)]
    weights = [1.0 + (index % 5) / 10 for index in range(100_000)]

    table = tabulate_question(question, answers, weights=weights)

    assert table.unweighted_base == 100_000
    assert table["b"].estimate.unweighted_count == 33_334


@settings(max_examples=150, deadline=None)
@given(
    chosen=st.integers(0, 50),
    extra=st.integers(0, 50),
    smaller=st.integers(1, 20),
    larger_by=st.integers(1, 20),
)
def test_margins_are_fractions_and_shrink_as_the_base_grows(chosen, extra, smaller, larger_by):
    base = chosen + extra
    if base == 0:
        return
    larger = smaller + larger_by
    # The same share observed in a small and in a larger group.
    small = estimate_share(chosen * smaller, base * smaller)
    large = estimate_share(chosen * larger, base * larger)

    for estimate in (small, large):
        assert 0 <= estimate.margin_of_error <= 1
        assert 0 <= estimate.lower <= estimate.proportion <= estimate.upper <= 1
    assert large.margin_of_error <= small.margin_of_error + 1e-12
    assert large.margin_of_error < small.margin_of_error or math.isclose(
        large.margin_of_error, small.margin_of_error
    )


@settings(max_examples=100, deadline=None)
@given(
    answers=st.lists(st.sampled_from(["bus", "cycle", "walk", PREFER_NOT_TO_SAY, None])),
    data=st.data(),
)
def test_counts_add_up_to_the_base_and_the_rest_are_accounted_for(answers, data):
    weights = data.draw(st.lists(st.floats(0.1, 10), min_size=len(answers), max_size=len(answers)))

    table = tabulate_question(TRAVEL, responses("travel", *answers), weights=weights)

    assert sum(row.estimate.unweighted_count for row in table.options) == table.unweighted_base
    assert table.unweighted_base + table.prefer_not_to_say + table.not_answered == len(answers)
    assert sum(row.estimate.count for row in table.options) == pytest.approx(table.base)
    for row in table.options:
        if row.estimate.margin_of_error is not None:
            assert 0 <= row.estimate.margin_of_error <= 1
