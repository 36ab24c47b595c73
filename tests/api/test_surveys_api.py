"""The surveys API: what the app downloads to answer offline, and the responses it sends later."""

import copy
import datetime
import json
import threading
import uuid

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient
from wagtail.models import PageViewRestriction

from api.throttling import SurveyResponseThrottle
from surveys.models import Channel, FreeTextAnswer, ParticipationCode, Response
from tests.factories import SurveyIndexPageFactory, SurveyPageFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/surveys/data-and-you/responses/"
GOOD = {
    "cctv-search": {
        "judgement": "acceptable_with_conditions",
        "conditions": ["audit"],
        "comment": "Only if it is audited.",
    },
    "trust": "agree",
    "travel": "bus",
    "worries": ["parking", "speed"],
    "priorities": ["privacy", "safety"],
    "anything-else": "More benches, please.",
    "age": "prefer_not_to_say",
    "ward": "north",
}


def days(n: int) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=n)


@pytest.fixture
def index(site_tree):
    return SurveyIndexPageFactory(parent=site_tree[0])


@pytest.fixture
def survey(index):
    return SurveyPageFactory(parent=index, slug="data-and-you", title="Data and you")


def body(**overrides) -> dict:
    item = {
        "client_uuid": str(uuid.uuid4()),
        "participant_token": uuid.uuid4().hex,
        "answers": GOOD,
    }
    item.update(overrides)
    return {key: value for key, value in item.items() if value is not None}


def send(item: dict, url: str = URL):
    return APIClient().post(url, item, format="json")


def send_raw(text: str, url: str = URL):
    return APIClient().post(url, text, content_type="application/json")


# --- list and definition -------------------------------------------------------------------


def test_the_list_shows_published_public_surveys_open_ones_first(index, survey):
    SurveyPageFactory(parent=index, slug="last-year", opens_at=days(-400), closes_at=days(-300))
    SurveyPageFactory(parent=index, slug="next-month", opens_at=days(30), closes_at=days(60))
    draft = SurveyPageFactory(parent=index, slug="draft")
    draft.unpublish()
    private = SurveyPageFactory(parent=index, slug="staff-only")
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    surveys = APIClient().get("/api/v1/surveys/").json()["surveys"]

    assert [s["slug"] for s in surveys] == ["data-and-you", "next-month", "last-year"]
    first = surveys[0]
    assert first["title"] == "Data and you"
    assert first["introduction"] == "How should the council use data about you?"
    assert (first["is_open"], first["require_code"], first["results_published"]) == (
        True,
        False,
        False,
    )
    assert first["opens_at"] < first["closes_at"]
    assert (first["series"], first["wave"], first["results_url"]) == (None, None, None)
    assert first["url"].endswith("/surveys/data-and-you/")
    assert [s["is_open"] for s in surveys] == [True, False, False]


def test_the_definition_has_everything_an_app_needs_offline(survey):
    response = APIClient().get("/api/v1/surveys/data-and-you/")
    assert response.status_code == 200
    definition = response.json()
    assert definition["how_answers_are_used"] == "Answers are anonymous and kept for two years."
    assert "No name, e-mail address, IP address" in definition["what_is_stored"]
    assert [s["heading"] for s in definition["sections"]] == [
        "Cameras in the town centre",
        "Getting about",
        "About you",
    ]
    questions = {q["key"]: q for s in definition["sections"] for q in s["questions"]}
    assert {key: q["kind"] for key, q in questions.items()} == {
        "cctv-search": "scenario",
        "trust": "likert",
        "travel": "single_choice",
        "worries": "multiple_choice",
        "priorities": "ranking",
        "anything-else": "free_text",
        "age": "demographic",
        "ward": "demographic",
    }
    # Every question has the same fields, so an app reads them with one shape.
    assert len({tuple(sorted(q)) for q in questions.values()}) == 1

    scenario = questions["cctv-search"]
    assert scenario["vignette"] == "The council's cameras look for a missing person."
    assert scenario["required"] is True
    assert [o["key"] for o in scenario["options"]] == [
        "acceptable",
        "acceptable_with_conditions",
        "not_acceptable",
        "not_sure",
    ]
    assert scenario["options"][1]["label"] == "Acceptable, but only with conditions"
    assert scenario["conditions"] == [
        {"key": "audit", "label": "An independent audit each year"},
        {"key": "delete-30", "label": "Footage deleted after 30 days"},
    ]
    assert scenario["limit"] == 200
    assert questions["trust"]["options"][0]["label"] == "Strongly disagree"
    assert questions["travel"]["options"][0] == {"key": "walk", "label": "Walking"}
    assert questions["worries"]["most_choices"] == 2
    assert questions["anything-else"]["limit"] == 300
    assert questions["age"]["dimension"] == "age_band"
    offered = {key for key, q in questions.items() if q["prefer_not_to_say"]}
    assert offered == {"trust", "travel", "age", "ward"}
    assert questions["age"]["prefer_not_to_say"] == {
        "key": "prefer_not_to_say",
        "label": "Prefer not to say",
    }


def test_published_results_are_linked(survey):
    survey.results_published = True
    survey.save_revision().publish()
    summary = APIClient().get("/api/v1/surveys/").json()["surveys"][0]
    assert summary["results_url"].endswith("/surveys/data-and-you/results/")


@pytest.mark.parametrize("slug", ["draft", "staff-only", "nothing-here"])
def test_drafts_private_and_unknown_surveys_are_not_found(index, slug):
    SurveyPageFactory(parent=index, slug="draft").unpublish()
    private = SurveyPageFactory(parent=index, slug="staff-only")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    for response in (
        APIClient().get(f"/api/v1/surveys/{slug}/"),
        send(body(), f"/api/v1/surveys/{slug}/responses/"),
    ):
        assert response.status_code == 404
        assert "GET /api/v1/surveys/ lists the surveys and their slugs" in response.json()["detail"]
    assert not Response.objects.exists()


# --- responses -----------------------------------------------------------------------------


def test_a_response_is_stored_once_with_a_receipt(survey):
    item = body()
    created = send(item)
    assert created.status_code == 201
    receipt = created.json()
    assert receipt["result"] == "created"
    assert receipt["receipt"].startswith("S")
    stored = Response.objects.get()
    assert stored.channel == Channel.APP
    assert stored.answers["worries"] == ["speed", "parking"]
    assert item["participant_token"] not in stored.participant
    assert {(f.question_key, f.status) for f in FreeTextAnswer.objects.all()} == {
        ("cctv-search", "pending"),
        ("anything-else", "pending"),
    }

    again = send(item)
    assert again.status_code == 200
    assert again.json() == {**receipt, "result": "duplicate"}
    assert Response.objects.count() == 1


def test_a_retry_after_the_survey_closed_still_gets_its_receipt(survey):
    item = body()
    first = send(item).json()
    survey.closes_at = days(-1)
    survey.save_revision().publish()
    again = send(item)
    assert (again.status_code, again.json()["receipt"]) == (200, first["receipt"])


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"cctv-search": None}, "cctv-search", "Answer this question: “Is this acceptable"),
        ({"cctv-search": "maybe"}, "cctv-search", "Choose one of: acceptable"),
        (
            {"cctv-search": {"judgement": "acceptable", "conditions": ["audit"]}},
            "cctv-search",
            "Conditions go with",
        ),
        (
            {"cctv-search": {"judgement": "acceptable_with_conditions", "conditions": ["x"]}},
            "cctv-search",
            "Choose conditions from those offered: audit, delete-30",
        ),
        ({"cctv-search": {"judgement": "not_sure", "comment": "x" * 201}}, "cctv-search", "200"),
        ({"cctv-search": {"judgement": "not_sure", "mood": 1}}, "cctv-search", '{"judgement"'),
        ({"trust": "very much"}, "trust", "Choose from the answers offered"),
        ({"trust": 1e308}, "trust", "Choose from the answers offered"),
        ({"travel": ["bus"]}, "travel", "Choose from the answers offered: walk, bus, car"),
        ({"worries": "speed"}, "worries", "as a list"),
        ({"worries": [1, 2]}, "worries", "as a list"),
        ({"worries": ["speed", "noise", "parking"]}, "worries", "up to 2"),
        ({"priorities": ["safety", "safety"]}, "priorities", "one place only"),
        ({"priorities": {"safety": 1}}, "priorities", "as a list in your order"),
        ({"anything-else": "x" * 301}, "anything-else", "300 characters; it has 301"),
        ({"anything-else": ["words"]}, "anything-else", "as text"),
        ({"age": "ninety"}, "age", "Choose from the answers offered"),
        ({"ward": True}, "ward", "Choose from the answers offered"),
        ({"colour": "red"}, "colour", "no question “colour”"),
    ],
)
def test_each_question_type_refuses_bad_answers_with_a_fix(survey, answers, key, message):
    response = send(body(answers={**GOOD, **answers}))
    assert response.status_code == 400
    reply = response.json()
    assert reply["result"] == "rejected"
    assert "nothing has been stored" in reply["detail"]
    assert message in " ".join(reply["errors"][key])
    assert not Response.objects.exists()
    assert not FreeTextAnswer.objects.exists()


def test_an_empty_response_is_refused(survey):
    response = send(body(answers={"cctv-search": "not_sure", "trust": None}))
    assert response.status_code == 201  # one answer is enough
    response = send(body(answers={}))
    assert response.status_code == 400
    assert "cctv-search" in response.json()["errors"]


@pytest.mark.parametrize(
    ("opens", "closes", "message"), [(-30, -1, "closed on"), (2, 30, "opens on")]
)
def test_a_survey_that_is_not_open_refuses_with_409(survey, opens, closes, message):
    survey.opens_at, survey.closes_at = days(opens), days(closes)
    survey.save_revision().publish()
    response = send(body())
    assert response.status_code == 409
    reply = response.json()
    assert message in reply["errors"]["survey"][0]
    assert "cannot be accepted" in reply["detail"]
    assert not Response.objects.exists()


def test_a_survey_with_codes_needs_one_and_each_works_once(survey):
    survey.require_code = True
    survey.save_revision().publish()
    ParticipationCode.objects.create(survey=survey, code="K7Q2MX9P", batch="letters-1")

    missing = send(body())
    assert missing.status_code == 400
    assert "printed on your invitation" in missing.json()["errors"]["code"][0]
    wrong = send(body(code="AAAA-BBBB"))
    assert "not one of this survey's" in wrong.json()["errors"]["code"][0]
    assert send(body(code="k7q2 mx9p")).status_code == 201
    again = send(body(code="K7Q2-MX9P"))
    assert again.status_code == 400
    assert "already been used" in again.json()["errors"]["code"][0]
    assert Response.objects.get().code.code == "K7Q2MX9P"


def test_one_response_per_installation_is_refused_politely(survey):
    token = uuid.uuid4().hex
    assert send(body(participant_token=token)).status_code == 201
    second = send(body(participant_token=token))
    assert second.status_code == 409
    errors = second.json()["errors"]
    assert errors["participant"] == ["You have already answered this survey. Thank you."]
    assert Response.objects.count() == 1


def test_a_client_uuid_from_another_survey_is_not_taken_for_a_duplicate(index, survey):
    SurveyPageFactory(parent=index, slug="other")
    item = body()
    send(item, "/api/v1/surveys/other/responses/")
    response = send(item)
    assert response.status_code == 400
    assert "another survey" in response.json()["errors"]["client_uuid"][0]
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"client_uuid": "not-a-uuid"}, "client_uuid", "UUID made on the device"),
        ({"client_uuid": 12}, "client_uuid", "UUID made on the device"),
        ({"client_uuid": ["a"]}, "client_uuid", "UUID made on the device"),
        ({"answers": ["agree"]}, "answers", "as a JSON object"),
        ({"answers": "agree"}, "answers", "as a JSON object"),
        ({"participant_token": "short"}, "participant_token", "16 to 200 characters"),
        ({"participant_token": 123456789012345678}, "participant_token", "random string"),
        ({"participant_token": "x" * 201}, "participant_token", "16 to 200 characters"),
        ({"code": 1234}, "code", "as it is printed"),
        ({"code": "K" * 41}, "code", "as it is printed"),
        ({"email": "me@example.com"}, "email", "nothing else about the person is taken"),
    ],
)
def test_bad_fields_are_refused_with_a_fix(survey, overrides, field, message):
    response = send(body(**overrides))
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not Response.objects.exists()


def test_every_problem_is_reported_at_once(survey):
    response = send(body(client_uuid="x", answers={**GOOD, "trust": "meh"}))
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"client_uuid", "trust"}


def test_a_missing_participant_token_is_refused(survey):
    item = body()
    del item["participant_token"]
    response = send(item)
    assert response.status_code == 400
    assert "participant_token" in response.json()["errors"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "JSON parse error"),
        ('{"client_uuid": "x", "answers": {"trust": NaN}}', "not JSON compliant"),
        ('{"answers": {"trust": Infinity}}', "not JSON compliant"),
        ('{"answers": {"trust": -Infinity}}', "not JSON compliant"),
        ('{"answers": {"trust": ' + "9" * 5000 + "}}", "JSON parse error"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"answers": {"anything-else": "' + "x" * 600_000 + '"}}', "larger than 512 KB"),
        ('["not", "an", "object"]', "Send a JSON object"),
        ("null", "Send a JSON object"),
        ('"agree"', "Send a JSON object"),
    ],
)
def test_a_body_that_cannot_be_read_is_a_clear_400(survey, text, message):
    response = send_raw(text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.json()["result"] == "rejected"
    assert not Response.objects.exists()


def test_a_huge_number_and_a_long_string_inside_the_answers_are_refused(survey):
    item = body(answers={**GOOD, "trust": 10**300, "travel": "x" * 100_000})
    response = send(item)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "Choose from the answers offered" in errors["trust"][0]
    assert "Choose from the answers offered" in errors["travel"][0]
    assert "x" * 1000 not in response.content.decode()


def test_many_made_up_keys_get_a_short_answer(survey):
    answers = {f"made-up-{n}": "x" for n in range(5000)}
    response = send(body(answers=answers))
    assert response.status_code == 400
    reply = response.json()
    assert len(reply["errors"]) == 30
    assert "more problems are not shown" in reply["detail"]


def test_only_json_is_taken(survey):
    response = APIClient().post(URL, body(answers=json.dumps(GOOD)), format="multipart")
    assert response.status_code == 415
    assert not Response.objects.exists()


def rest_framework_with(**rates: str) -> dict:
    configured = copy.deepcopy(settings.REST_FRAMEWORK)
    configured["DEFAULT_THROTTLE_RATES"] = {**configured["DEFAULT_THROTTLE_RATES"], **rates}
    return configured


def test_too_many_responses_from_one_connection_wait_their_turn(survey):
    with override_settings(REST_FRAMEWORK=rest_framework_with(survey_responses="2/hour")):
        assert send(body()).status_code == 201
        assert send(body()).status_code == 201
        refused = send(body())
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
        # Reading the survey is never limited.
        assert APIClient().get("/api/v1/surveys/data-and-you/").status_code == 200
    assert Response.objects.count() == 2


def test_the_rate_limit_has_a_default_and_keeps_no_address(survey):
    from django.core.cache import cache

    throttle = SurveyResponseThrottle()
    throttle.scope = "survey_responses"
    configured = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"].get("survey_responses")
    assert throttle.get_rate() == (configured or "60/hour")

    send(body())
    keys = [str(key) for key in getattr(cache, "_cache", {})]
    assert any("survey_responses" in key for key in keys)
    assert not any("127.0.0.1" in key for key in keys)


def test_the_schema_documents_the_survey_endpoints_without_warnings(tmp_path):
    # --fail-on-warn: drf-spectacular's warnings fail `check --deploy` in production too.
    target = tmp_path / "schema.json"
    call_command("spectacular", "--validate", "--fail-on-warn", "--format", "openapi-json",
                 "--file", str(target))  # fmt: skip
    schema = json.loads(target.read_text())
    for path in [
        "/api/v1/surveys/",
        "/api/v1/surveys/{slug}/",
        "/api/v1/surveys/{slug}/responses/",
    ]:
        assert path in schema["paths"], path
    create = schema["paths"]["/api/v1/surveys/{slug}/responses/"]["post"]
    assert {"200", "201", "400", "409", "429"} <= set(create["responses"])
    assert "once per installation" in create["description"]
    assert "`ranking`: a list of option keys" in create["description"]
    assert not create.get("security") or {} in create["security"]


# --- many copies at once -------------------------------------------------------------------


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite takes one writer at a time, so requests never race; run with PostgreSQL "
    "(DATABASE_URL=postgres://…) to test the race.",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("with_code", [False, True], ids=["token", "token-and-code"])
def test_fifty_parallel_copies_of_one_response_store_one_row(site_tree, with_code):
    # Real transactions, so parallel requests really race (as in the readings' concurrency test).
    # Every copy must get the one receipt: a copy told "already answered" or "code already
    # used" would be dropped by the app as refused, though it was received.
    index = SurveyIndexPageFactory(parent=site_tree[0])
    survey = SurveyPageFactory(parent=index, slug="data-and-you", require_code=with_code)
    ParticipationCode.objects.create(survey=survey, code="K7Q2MX9P", batch="letters-1")
    item = body(code="K7Q2-MX9P" if with_code else None)
    answers: list[tuple[int, dict]] = []
    start = threading.Barrier(50)

    def post() -> None:
        try:
            start.wait()
            response = send(item)
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    with override_settings(REST_FRAMEWORK=rest_framework_with(survey_responses="1000/hour")):
        threads = [threading.Thread(target=post) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert len(answers) == 50
    assert Response.objects.filter(client_uuid=item["client_uuid"]).count() == 1
    assert len({reply["receipt"] for _status, reply in answers}) == 1
    assert sorted(code for code, _reply in answers).count(201) == 1
    assert {code for code, _reply in answers} == {200, 201}
    assert FreeTextAnswer.objects.count() == 2
