"""The demo's surveys: a data charter consultation and a two-wave e-scooter tracker."""

import importlib.util
import uuid
from collections import Counter

import pytest
from django.core.management import call_command

from portal.core.demo import surveys as demo
from portal.core.demo.borough import DEVICES
from surveys.estimates import PREFER_NOT_TO_SAY
from surveys.models import (
    FreeTextAnswer,
    Response,
    SurveyIndexPage,
    SurveyPage,
    TrackerSeries,
    margins_problem,
)
from surveys.responses import submit
from surveys.validation import check_answers

pytestmark = pytest.mark.django_db

AGREE = {"agree", "strongly_agree"}


@pytest.fixture
def demo_loaded():
    call_command("load_demo", verbosity=0)


def _page(spec):
    return SurveyPage.objects.get(slug=spec.slug)


def _answers(spec):
    return list(Response.objects.filter(survey=_page(spec)).values_list("answers", flat=True))


def _share(rows, predicate):
    return sum(1 for row in rows if predicate(row)) / len(rows)


def _by_age(rows, band):
    return [row for row in rows if row.get(demo.AGE_KEY) == band]


def test_the_charter_closed_a_month_ago_with_results_and_what_the_council_did(demo_loaded):
    page = _page(demo.DATA_CHARTER)
    assert not page.is_open()
    assert page.results_published
    assert page.we_asked
    assert page.you_said
    assert page.we_did
    questions = page.definition.questions
    scenarios = [q for q in questions.values() if q.kind == "scenario"]
    assert len(scenarios) == 5
    assert all(len(q.conditions) >= 2 and q.limit for q in scenarios)
    assert questions[demo.TRUST_KEY].kind == "likert"
    assert len(page.definition.dimension_question("age_band").options) == 7
    ward_labels = {option.label for option in page.definition.dimension_question("area").options}
    assert ward_labels == {spec["area"] for spec in DEVICES}
    assert questions[demo.ONLINE_KEY].dimension == "other"
    # The margins are keyed by the age-band and ward questions' option keys.
    assert margins_problem(page.population_margins) is None
    assert set(page.population_margins["age_band"]) == {
        option.key for option in page.definition.dimension_question("age_band").options
    }
    assert set(page.population_margins["area"]) == {
        option.key for option in page.definition.dimension_question("area").options
    }

    rows = _answers(demo.DATA_CHARTER)
    assert 600 <= len(rows) <= 900
    # Almost nobody wants data sold; older residents are far more at ease with cameras.
    selling = [row["selling-data"]["judgement"] for row in rows if "selling-data" in row]
    assert Counter(selling)["not_acceptable"] / len(selling) > 0.75

    def cctv_acceptable(row):
        return row.get("cctv-missing-person", {}).get("judgement") == "acceptable"

    young, old = _by_age(rows, "16-24"), _by_age(rows, "75-plus")
    assert _share(old, cctv_acceptable) - _share(young, cctv_acceptable) > 0.25
    assert sum(1 for row in rows if row.get(demo.AGE_KEY) == PREFER_NOT_TO_SAY) >= 10
    # Few people over 75 in Station ward answered: a cell that suppression must hide.
    cells = Counter((row.get(demo.AGE_KEY), row.get(demo.WARD_KEY)) for row in rows)
    assert 1 <= cells[("75-plus", "station")] < page.minimum_cell_size


def test_comments_wait_for_moderation_and_one_is_withheld(demo_loaded):
    comments = FreeTextAnswer.objects.filter(response__survey=_page(demo.DATA_CHARTER))
    statuses = Counter(comments.values_list("status", flat=True))
    assert statuses["published"] >= 5
    assert 2 <= statuses["pending"] <= 5
    assert statuses["withheld"] == 1
    withheld = comments.get(status="withheld")
    assert withheld.reason
    assert withheld.moderated_by.username == "moderator"
    assert not comments.filter(status="pending", moderated_at__isnull=False).exists()
    keys = {q.key for q in _page(demo.DATA_CHARTER).definition.questions.values()}
    assert set(comments.values_list("question_key", flat=True)) <= keys


def test_answers_are_stored_as_the_form_would_store_them(demo_loaded):
    for spec in demo.SURVEYS:
        page = _page(spec)
        responses = Response.objects.filter(survey=page).prefetch_related("free_text")
        for response in responses[:300]:
            raw = dict(response.answers)
            for comment in response.free_text.all():
                raw[comment.question_key] = {**raw[comment.question_key], "comment": comment.text}
            checked = check_answers(page.definition, raw)
            assert checked.valid, checked.errors
            assert checked.answers == response.answers
            assert checked.free_text == {c.question_key: c.text for c in response.free_text.all()}
            assert page.opens_at <= response.submitted_at <= page.closes_at
            assert response.participant
            assert response.receipt.startswith("S")


def test_the_tracker_has_two_waves_with_a_large_age_gap_and_a_shift(demo_loaded):
    series = TrackerSeries.objects.get(name=demo.SERIES_NAME)
    spring, autumn = _page(demo.SPRING_WAVE), _page(demo.AUTUMN_WAVE)
    assert set(series.waves.all()) == {spring, autumn}
    assert spring.definition.questions.keys() == autumn.definition.questions.keys()
    assert spring.results_published
    assert autumn.results_published
    assert not spring.is_open()
    assert not autumn.is_open()

    def worried(row):
        return row.get(demo.SAFETY_KEY) in AGREE

    waves = {}
    for spec in demo.WAVES:
        rows = _answers(spec)
        assert 400 <= len(rows) <= 600
        young = _by_age(rows, "16-24") + _by_age(rows, "25-34")
        old = _by_age(rows, "65-74") + _by_age(rows, "75-plus")
        assert _share(old, worried) - _share(young, worried) > 0.35
        waves[spec.slug] = _share(rows, worried)
    assert 0.02 < waves[spring.slug] - waves[autumn.slug] < 0.15

    # The open lamp-post survey takes answers through the same path as the web form; the
    # closed waves do not.
    outcome = submit(
        _page(demo.SMART_STREETS),
        {"lamp-post-footfall": {"judgement": "acceptable"}, demo.AGE_KEY: "16-24"},
        client_uuid=uuid.uuid4(),
        participant_token="a-new-resident",
    )
    assert outcome.result == "created", outcome.errors
    closed = submit(autumn, {demo.SAFETY_KEY: "agree"}, client_uuid=uuid.uuid4())
    assert closed.result == "rejected"


def test_survey_pages_answer_anonymous_visitors(demo_loaded, client):
    index = SurveyIndexPage.objects.get()
    assert index.url == "/surveys/"
    html = client.get("/surveys/").content.decode()
    for spec in demo.SURVEYS:
        page = _page(spec)
        assert page.url == f"/surveys/{spec.slug}/"
        assert page.title.replace("'", "&#x27;") in html
        assert client.get(page.url).status_code == 200, page.url
    if importlib.util.find_spec("surveys.results_views") is not None:
        for spec in demo.SURVEYS:
            if spec.results_published:
                url = f"/surveys/{spec.slug}/results/"
                assert client.get(url).status_code == 200, url
        # The tracker's waves are compared on the questions they share.
        autumn = client.get(f"/surveys/{demo.AUTUMN_WAVE.slug}/results/").content.decode()
        assert "Spring 2026" in autumn


def test_loading_the_demo_again_adds_nothing_and_plans_the_same_answers(demo_loaded):
    def snapshot():
        return (
            SurveyPage.objects.count(),
            TrackerSeries.objects.count(),
            set(Response.objects.values_list("client_uuid", "receipt", "submitted_at")),
            Counter(FreeTextAnswer.objects.values_list("status", flat=True)),
        )

    before = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == before

    page = _page(demo.DATA_CHARTER)
    planned = demo.plan_responses(page, demo.DATA_CHARTER)
    stored = dict(Response.objects.filter(survey=page).values_list("client_uuid", "answers"))
    assert {plan.response.client_uuid: plan.response.answers for plan in planned} == stored

    # The benchmark makes any number more of the same kind, with client_uuids of their own.
    planned = demo.plan_responses(page, demo.DATA_CHARTER, count=50, key="elsewhere")
    assert len(planned) == 50
    assert not Response.objects.filter(
        client_uuid__in=[plan.response.client_uuid for plan in planned]
    ).exists()
