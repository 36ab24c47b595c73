"""Submitting a response: every question type validated, stored once, one per participant."""

import datetime
import uuid

import pytest
from django.utils import timezone

from surveys.models import FreeTextAnswer, ParticipationCode, Response
from surveys.responses import participant_hash, submit
from tests.factories import SurveyIndexPageFactory, SurveyPageFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "cctv-search": {"judgement": "acceptable_with_conditions", "conditions": ["audit"]},
    "trust": "agree",
    "travel": "bus",
    "worries": ["parking", "speed"],
    "priorities": ["privacy", "safety"],
    "anything-else": "More benches, please.",
    "age": "prefer_not_to_say",
    "ward": "north",
}


@pytest.fixture
def survey(site_tree):
    index = SurveyIndexPageFactory(parent=site_tree[0])
    return SurveyPageFactory(parent=index, slug="data-and-you")


def test_a_good_response_is_stored_with_a_receipt_and_free_text_held_back(survey):
    outcome = submit(survey, GOOD, client_uuid=uuid.uuid4(), participant_token="t-1")
    assert outcome.result == "created"
    assert outcome.receipt.startswith("S")
    response = Response.objects.get()
    assert response.answers["worries"] == ["speed", "parking"]  # in the order offered
    assert "anything-else" not in response.answers
    assert FreeTextAnswer.objects.get().status == "pending"
    assert response.participant == participant_hash(survey, "t-1")
    assert "t-1" not in response.participant


def test_the_same_client_uuid_gives_the_same_receipt_and_one_row(survey):
    client_uuid = uuid.uuid4()
    first = submit(survey, GOOD, client_uuid=client_uuid)
    again = submit(survey, GOOD, client_uuid=client_uuid)
    assert (again.result, again.receipt) == ("duplicate", first.receipt)
    assert Response.objects.count() == 1


def test_one_response_per_participant(survey):
    submit(survey, GOOD, client_uuid=uuid.uuid4(), participant_token="t-1")
    second = submit(survey, GOOD, client_uuid=uuid.uuid4(), participant_token="t-1")
    assert second.result == "rejected"
    assert "already answered" in second.errors["participant"][0]
    assert Response.objects.count() == 1


@pytest.mark.parametrize(
    ("answers", "key", "message"),
    [
        ({"cctv-search": None}, "cctv-search", "Answer this question: “Is this acceptable"),
        ({"cctv-search": {"conditions": []}}, "cctv-search", "Say whether this is acceptable"),
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
        ({"trust": "very much"}, "trust", "Choose from the answers offered"),
        ({"travel": ["bus"]}, "travel", "Choose from the answers offered: walk, bus, car"),
        ({"worries": "speed"}, "worries", "as a list"),
        ({"worries": ["speed", "noise", "parking"]}, "worries", "up to 2"),
        ({"worries": ["speed", "speed"]}, "worries", "each answer once"),
        ({"priorities": ["safety", "safety"]}, "priorities", "one place only"),
        ({"priorities": ["wealth"]}, "priorities", "Choose from the answers offered"),
        ({"anything-else": "x" * 301}, "anything-else", "300 characters; it has 301"),
        ({"anything-else": 12}, "anything-else", "as text"),
        ({"age": "ninety"}, "age", "Choose from the answers offered"),
        ({"colour": "red"}, "colour", "no question “colour”"),
    ],
)
def test_each_question_type_refuses_bad_answers_with_a_fix(survey, answers, key, message):
    outcome = submit(survey, {**GOOD, **answers}, client_uuid=uuid.uuid4())
    assert outcome.result == "rejected"
    assert message in " ".join(outcome.errors[key])
    assert not Response.objects.exists()
    assert not FreeTextAnswer.objects.exists()


def test_a_closed_survey_takes_nothing(survey):
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    outcome = submit(survey, GOOD, client_uuid=uuid.uuid4())
    assert "closed on" in outcome.errors["survey"][0]


def test_a_code_is_needed_and_works_once(survey):
    survey.require_code = True
    ParticipationCode.objects.create(survey=survey, code="K7Q2MX9P", batch="letters-1")
    missing = submit(survey, GOOD, client_uuid=uuid.uuid4())
    assert "printed on your invitation" in missing.errors["code"][0]
    wrong = submit(survey, GOOD, client_uuid=uuid.uuid4(), code="AAAA-BBBB")
    assert "not one of this survey's" in wrong.errors["code"][0]
    used = submit(survey, GOOD, client_uuid=uuid.uuid4(), code="k7q2-mx9p")
    assert used.result == "created"
    again = submit(survey, GOOD, client_uuid=uuid.uuid4(), code="K7Q2-MX9P")
    assert "already been used" in again.errors["code"][0]
    assert Response.objects.get().code.code == "K7Q2MX9P"
