"""Published survey results: figures, hidden cells, weighting, waves, comments, page, API, CSV."""

from __future__ import annotations

import csv
import datetime
import io
import json
import uuid

import pytest
from django.core.cache import cache
from django.urls import include, path
from django.utils import timezone

from portal.urls import urlpatterns as portal_urlpatterns
from surveys.estimates import estimate_share
from surveys.models import FreeTextAnswer, Response, TrackerSeries
from surveys.results import survey_results
from tests.factories import SurveyIndexPageFactory, SurveyPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.surveys.test_results")]

# The CSV is a plain Django URL that portal/urls.py includes; these tests include it here.
urlpatterns = [path("", include("surveys.urls")), *portal_urlpatterns]


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture
def index(site_tree):
    return SurveyIndexPageFactory(parent=site_tree[0])


def answer(page, answers, *, days_ago=1):
    """Responses for ``page``, one per mapping in ``answers``."""
    now = timezone.now()
    Response.objects.bulk_create(
        Response(
            survey=page,
            client_uuid=uuid.uuid4(),
            receipt=f"S{uuid.uuid4().hex[:12]}",
            submitted_at=now - datetime.timedelta(days=days_ago, minutes=n),
            answers=one,
        )
        for n, one in enumerate(answers)
    )


def many(count, **answers):
    return [dict(answers) for _ in range(count)]


def question(results, key):
    return next(q for q in results.questions if q.key == key)


def row(table, key):
    return next(r for r in table.rows if r.key == key)


# Travel by age band: 3 people aged 16-34 go by bus, the cell to protect.
TRAVEL_BY_AGE = [
    *many(15, travel="walk", age="16-34", ward="north"),
    *many(3, travel="bus", age="16-34", ward="north"),
    *many(12, travel="car", age="16-34", ward="south"),
    *many(14, travel="walk", age="35-54", ward="south"),
    *many(12, travel="bus", age="35-54", ward="north"),
    *many(11, travel="car", age="35-54", ward="south"),
    *many(20, travel="walk", age="55-plus", ward="north"),
    *many(15, travel="bus", age="55-plus", ward="south"),
    *many(10, travel="car", age="55-plus", ward="north"),
]


@pytest.fixture
def survey(index):
    page = SurveyPageFactory(parent=index, slug="data-and-you", results_published=True)
    answer(page, TRAVEL_BY_AGE)
    return page


def test_percentages_bases_and_margins_on_known_data(index):
    page = SurveyPageFactory(parent=index, results_published=True)
    answer(
        page,
        [
            *many(20, travel="walk", trust="agree"),
            *many(10, travel="bus", trust="strongly_agree"),
            *many(10, travel="car", trust="disagree"),
            *many(4, travel="prefer_not_to_say"),
            *many(2, trust="neither"),
        ],
    )
    results = survey_results(page)
    travel = question(results, "travel")
    assert travel.table.base.count == 40
    assert (travel.prefer_not_to_say, travel.not_answered) == (4, 2)
    walk = row(travel.table, "walk").figure
    assert (walk.count, walk.percentage) == (20, 50.0)
    assert walk.margin == pytest.approx(estimate_share(20, 40).margin_of_error_points)
    assert 14 < walk.margin < 16  # about ± 15 points on a base of 40
    trust = question(results, "trust")
    assert row(trust.table, "net_agree").figure.percentage == pytest.approx(30 / 42 * 100)
    assert results.responses == 46


def test_a_small_cell_is_hidden_with_a_partner_in_its_row_and_column(survey):
    travel = question(survey_results(survey), "travel")
    by_age = next(b for b in travel.breakdowns if b.dimension == "age_band")
    assert by_age.groups == ("16\u201334", "35\u201354", "55+")
    keys = [r.key for r in by_age.rows]
    bus = by_age.rows[keys.index("bus")]
    assert bus.figures[0].hidden == "small"
    assert bus.figures[0].count is None
    assert bus.figures[0].percentage is None
    # Another figure in the same row and in the same column is hidden as well.
    assert sum(f.is_hidden for f in bus.figures) >= 2
    column = [r.figures[0] for r in by_age.rows]
    assert sum(f.is_hidden for f in column) >= 2
    # No published total minus published cells leaves the 3 on its own.
    for line in [r.figures for r in by_age.rows] + [
        [r.figures[j] for r in by_age.rows] for j in range(3)
    ]:
        assert sum(f.is_hidden for f in line) != 1


def test_published_totals_cannot_reveal_a_hidden_cell(survey):
    """Every published equation across the overall table and both breakdowns together."""
    from surveys.results import _determined

    travel = question(survey_results(survey), "travel")
    keys = [r.key for r in travel.table.rows]
    true = {
        ("t", i): sum(1 for a in TRAVEL_BY_AGE if a["travel"] == key) for i, key in enumerate(keys)
    }
    values, hidden, equations = dict(true), set(), []
    values[("base",)] = len(TRAVEL_BY_AGE)
    for i, r in enumerate(travel.table.rows):
        if r.figure.is_hidden:
            hidden.add(("t", i))
    equations.append([*((("t", i), 1) for i in range(3)), (("base",), -1)])
    for b in travel.breakdowns:
        for i, r in enumerate(b.rows):
            for j, figure in enumerate(r.figures):
                values[("c", b.dimension, i, j)] = figure.count or 0
                if figure.is_hidden:
                    hidden.add(("c", b.dimension, i, j))
            equations.append(
                [*((("c", b.dimension, i, j), 1) for j in range(len(b.groups))), (("t", i), -1)]
            )
        for j, base in enumerate(b.bases):
            values[("b", b.dimension, j)] = base.count
            equations.append(
                [*((("c", b.dimension, i, j), 1) for i in range(3)), (("b", b.dimension, j), -1)]
            )
    assert hidden
    assert _determined(equations, values, hidden) == []


def test_sparse_bands_are_merged_before_protecting(index):
    page = SurveyPageFactory(parent=index, results_published=True)
    answer(
        page,
        [
            *many(20, travel="walk", age="16-34"),
            *many(20, travel="bus", age="35-54"),
            *many(4, travel="walk", age="55-plus"),
        ],
    )
    by_age = question(survey_results(page), "travel").breakdowns[0]
    assert by_age.groups == ("16\u201334", "35+")
    assert by_age.merged == ("35+",)
    assert [base.count for base in by_age.bases] == [20, 24]


def test_weighted_figures_sit_beside_unweighted_and_match_the_margins(index):
    page = SurveyPageFactory(
        parent=index,
        results_published=True,
        population_margins={
            "age_band": {"16\u201334": 0.5, "35\u201354": 0.3, "55+": 0.2},
            "area": {"North": 0.5, "South": 0.5},
        },
    )
    answer(page, TRAVEL_BY_AGE)
    results = survey_results(page)
    assert results.weighted
    assert results.weighting.converged
    assert results.weighting.empty_groups == ()
    age = question(results, "age")
    for key, share in (("16-34", 50), ("35-54", 30), ("55-plus", 20)):
        figure = row(age.table, key).figure
        assert figure.weighted_percentage == pytest.approx(share, abs=0.01)
        assert figure.percentage != pytest.approx(share, abs=0.5)  # unweighted differs
        assert figure.weighted_margin is not None
    # Nowhere is a weighted figure shown where the count is hidden.
    for q in results.questions:
        for r in q.table.rows:
            if r.figure.is_hidden:
                assert r.figure.weighted_percentage is None


def test_a_population_group_with_nobody_in_it_is_reported(index):
    page = SurveyPageFactory(
        parent=index,
        results_published=True,
        population_margins={"age_band": {"16-34": 0.4, "35-54": 0.4, "55-plus": 0.2}},
    )
    answer(page, [*many(15, travel="walk", age="16-34"), *many(15, travel="bus", age="35-54")])
    assert survey_results(page).weighting.empty_groups == ("55+",)


def test_waves_are_compared_with_other_published_waves_only(index):
    series = TrackerSeries.objects.create(name="E-scooter tracker")
    now = timezone.now()
    waves = []
    for n, (label, published, walkers) in enumerate(
        [("Winter", True, 30), ("Spring", True, 10), ("Summer", False, 50)]
    ):
        wave = SurveyPageFactory(
            parent=index,
            series=series,
            wave_label=label,
            results_published=published,
            opens_at=now - datetime.timedelta(days=300 - n * 90),
        )
        answer(wave, [*many(walkers, travel="walk"), *many(30, travel="bus")])
        waves.append(wave)
    results = survey_results(waves[1])
    travel = question(results, "travel")
    assert [w.label for w in travel.waves.waves] == ["Winter", "Spring"]
    assert [b.count for b in travel.waves.bases] == [60, 40]
    walk = next(r for r in travel.waves.rows if r.key == "walk")
    assert [f.percentage for f in walk.figures] == [50.0, 25.0]


def test_only_published_comments_are_listed(survey):
    responses = list(Response.objects.filter(survey=survey)[:3])
    for response, (text, status) in zip(
        responses,
        [("More benches.", "published"), ("Call me on 0777", "withheld"), ("Later", "pending")],
        strict=True,
    ):
        FreeTextAnswer.objects.create(
            response=response, question_key="anything-else", text=text, status=status
        )
    results = survey_results(survey)
    assert [f.comments for f in results.free_text] == [("More benches.",)]


def test_unpublished_results_are_not_found(index, client):
    page = SurveyPageFactory(parent=index, slug="draft-results", results_published=False)
    answer(page, many(12, travel="walk"))
    assert client.get(page.url + "results/").status_code == 404
    api = client.get("/api/v1/surveys/draft-results/results/")
    assert api.status_code == 404
    assert "not published" in api.json()["detail"]
    assert client.get("/surveys/draft-results/results.csv").status_code == 404


def test_results_are_cached(survey, django_assert_max_num_queries):
    first = survey_results(survey)
    with django_assert_max_num_queries(2):
        again = survey_results(survey)
    assert again == first
    # A new response makes new results.
    answer(survey, many(1, travel="walk"))
    assert survey_results(survey).responses == first.responses + 1


def test_the_page_shows_markers_tables_and_the_loop(survey, client):
    survey.we_asked, survey.you_said, survey.we_did = "How you travel.", "Buses.", "More buses."
    survey.save_revision().publish()
    response = client.get(survey.url + "results/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "We asked, you said, we did" in html
    assert "Base: 112 people answered." in html
    assert "[s]" in html
    assert "[c]" in html
    assert "hidden: fewer than 10 people" in html
    assert 'class="ps-table-scroll" tabindex="0" role="region"' in html
    assert "<svg" in html
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]


def _bus_16_34(tables):
    return next(
        cell
        for breakdown in tables
        if breakdown["dimension"] == "age_band"
        for r in breakdown["rows"]
        if r["key"] == "bus"
        for cell in r["figures"][:1]
    )


def test_the_api_carries_no_hidden_number(survey, client):
    response = client.get("/api/v1/surveys/data-and-you/results/")
    assert response.status_code == 200
    data = response.json()
    travel = next(q for q in data["questions"] if q["key"] == "travel")
    cell = _bus_16_34(travel["breakdowns"])
    assert cell == {
        "count": None,
        "percentage": None,
        "margin": None,
        "hidden": "small",
        "weighted_percentage": None,
        "weighted_margin": None,
    }
    # Wherever a figure is hidden, nothing in it holds a number.
    text = json.dumps(data)
    assert '"hidden": "small"' in text
    for q in data["questions"]:
        for b in q["breakdowns"]:
            for r in b["rows"]:
                for figure in r["figures"]:
                    if figure["hidden"]:
                        assert {k: v for k, v in figure.items() if k != "hidden"} == dict.fromkeys(
                            ["count", "percentage", "margin", "weighted_percentage",
                             "weighted_margin"]
                        )  # fmt: skip


def test_the_csv_carries_no_hidden_number(survey, client):
    response = client.get("/surveys/data-and-you/results.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    hidden_bus = next(
        r
        for r in rows
        if (r["table"], r["group"], r["answer_key"]) == ("age_band", "16\u201334", "bus")
    )
    assert hidden_bus["hidden_reason"] == "small"
    assert hidden_bus["count"] == ""
    assert hidden_bus["percentage"] == ""
    for r in rows:
        if r["hidden_reason"]:
            assert r["count"] == r["percentage"] == r["margin_of_error_points"] == ""
