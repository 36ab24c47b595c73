"""Answering a survey on the web: one section a page, check your answers, send, a receipt."""

import datetime
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client, override_settings
from django.utils import timezone

from surveys.models import FreeTextAnswer, ParticipationCode, Response
from surveys.web import PARTICIPANT_COOKIE
from tests.factories import SurveyIndexPageFactory, SurveyPageFactory

pytestmark = pytest.mark.django_db

START = "/surveys/data-and-you/"
CHECK = f"{START}check/"
SENT = f"{START}sent/"

SECTION_1 = {
    "q-cctv-search": "acceptable_with_conditions",
    "q-cctv-search-conditions": ["delete-30", "audit"],
    "q-cctv-search-comment": "Only for missing people.",
    "q-trust": "agree",
}
SECTION_2 = {
    "q-travel": "bus",
    "q-worries": ["speed", "parking"],
    "q-priorities-safety": "2",
    "q-priorities-privacy": "1",
    "q-priorities-cost": "",
    "q-anything-else": "More benches, please.",
}
SECTION_3 = {"q-age": "prefer_not_to_say", "q-ward": "north"}
EXPECTED = {
    "cctv-search": {
        "judgement": "acceptable_with_conditions",
        "conditions": ["audit", "delete-30"],
    },
    "trust": "agree",
    "travel": "bus",
    "worries": ["speed", "parking"],
    "priorities": ["privacy", "safety"],
    "age": "prefer_not_to_say",
    "ward": "north",
}


def section(number: int) -> str:
    return f"{START}answer/{number}/"


@pytest.fixture
def survey(site_tree):
    index = SurveyIndexPageFactory(parent=site_tree[0])
    return SurveyPageFactory(parent=index, slug="data-and-you", title="Data and you")


def text_of(response) -> str:
    return unescape(response.content.decode())


def answer_everything(client: Client) -> None:
    for number, data in enumerate((SECTION_1, SECTION_2, SECTION_3), start=1):
        response = client.post(section(number), data)
        assert response.status_code == 303, text_of(response)[:3000]


def send(client: Client):
    return client.post(CHECK)


def error_summary(response) -> list[str]:
    html = text_of(response)
    summary = html.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)


# --- the whole way through ----------------------------------------------------------------------


def test_the_start_page_offers_to_start(client, survey):
    html = text_of(client.get(START))
    assert "Start now" in html
    assert f'href="{section(1)}"' in html
    assert "You can answer until" in html


def test_a_resident_answers_every_section_and_gets_a_receipt(client, survey):
    page = client.get(section(1))
    assert page.status_code == 200
    html = text_of(page)
    assert "The council's cameras look for a missing person." in html
    assert "part 1 of 3" in html
    assert 'class="govuk-back-link">Back' in html
    assert f'href="{START}"' in html

    response = client.post(section(1), SECTION_1)
    assert response.status_code == 303
    assert response["Location"] == section(2)
    assert client.post(section(2), SECTION_2)["Location"] == section(3)
    assert client.post(section(3), SECTION_3)["Location"] == CHECK

    check = text_of(client.get(CHECK))
    assert "Check your answers before sending them" in check
    assert "Acceptable, but only with conditions" in check
    assert "Footage deleted after 30 days" in check
    assert check.index("Privacy") < check.index("Safety")  # the ranking, in order
    assert "More benches, please." in check
    assert "('" not in check  # every answer shown as words, never as the data behind it

    sent = send(client)
    assert sent.status_code == 303
    assert sent["Location"] == SENT
    response = Response.objects.get()
    assert response.answers == EXPECTED
    assert response.channel == "web"
    assert sorted(FreeTextAnswer.objects.values_list("question_key", "text")) == [
        ("anything-else", "More benches, please."),
        ("cctv-search", "Only for missing people."),
    ]
    confirmation = text_of(client.get(SENT))
    assert "Answers sent" in confirmation
    assert response.receipt in confirmation
    assert "read by a moderator" in confirmation


def test_the_confirmation_survives_a_refresh_and_sends_nothing_again(client, survey):
    answer_everything(client)
    send(client)
    receipt = Response.objects.get().receipt
    assert receipt in text_of(client.get(SENT))
    assert receipt in text_of(client.get(SENT))
    assert client.post(SENT).status_code == 405
    assert Response.objects.count() == 1


def test_sending_clears_the_answers_from_the_session(client, survey):
    answer_everything(client)
    send(client)
    client.get(SENT)
    kept = client.session["surveys_web"][str(survey.pk)]
    assert kept["sections"] == {}
    assert kept["receipt"] == Response.objects.get().receipt


def test_the_confirmation_shows_no_one_elses_receipt(client, survey):
    assert client.get(SENT)["Location"] == START


def test_nothing_about_the_person_is_stored(client, survey):
    client.get(section(1), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140 secret-agent")
    answer_everything(client)
    client.post(CHECK, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140 secret-agent")
    row = Response.objects.values().get()
    stored = repr(row) + repr(list(FreeTextAnswer.objects.values()))
    assert "203.0.113.9" not in stored
    assert "secret-agent" not in stored
    assert client.cookies[PARTICIPANT_COOKIE].value not in stored


# --- sections ------------------------------------------------------------------------------------


def test_the_questions_use_the_right_components(client, survey):
    one = text_of(client.get(section(1)))
    assert 'class="govuk-inset-text ps-break" id="q-cctv-search-vignette"' in one
    assert one.count('name="q-cctv-search" type="radio"') == 4
    assert one.count('name="q-cctv-search-conditions" type="checkbox"') == 2
    assert "Only if you chose “Acceptable, but only with conditions”" in one
    assert "You can enter up to 200 characters." in one
    assert one.count('name="q-trust" type="radio"') == 6  # five points and "prefer not to say"
    assert "I trust the council to use data fairly. (optional)" in one
    assert "Is this acceptable to you? (optional)" not in one  # required: no "(optional)"

    two = text_of(client.get(section(2)))
    assert two.count('name="q-travel" type="radio"') == 4
    assert "Prefer not to say" in two
    assert two.count('name="q-worries" type="checkbox"') == 3
    assert "Choose up to 2 answers." in two
    assert '<select class="govuk-select" id="q-priorities-safety"' in two
    assert ">1st</option>" in two
    assert ">3rd</option>" in two
    assert "You can enter up to 300 characters." in two
    assert two.count("<legend") == 3  # travel, worries, priorities; free text has a label


@pytest.mark.parametrize(
    ("number", "data", "anchor", "message"),
    [
        (1, {"q-trust": "agree"}, "q-cctv-search", "Answer this question: “Is this acceptable"),
        (1, {**SECTION_1, "q-cctv-search": ""}, "q-cctv-search", "Say whether this is acceptable"),
        (
            1,
            {**SECTION_1, "q-cctv-search": "acceptable"},
            "q-cctv-search",
            "Conditions go with “acceptable, but only with conditions”",
        ),
        (
            1,
            {**SECTION_1, "q-cctv-search-comment": "x" * 201},
            "q-cctv-search-comment",
            "Keep your answer to 200 characters; it has 201.",
        ),
        (
            2,
            {**SECTION_2, "q-worries": ["speed", "parking", "noise"]},
            "q-worries",
            "Choose up to 2 answers.",
        ),
        (
            2,
            {**SECTION_2, "q-priorities-safety": "1", "q-priorities-privacy": "1"},
            "q-priorities-safety",
            "Safety and Privacy both have 1st. Give each option a different place.",
        ),
        (
            2,
            {**SECTION_2, "q-priorities-safety": "1", "q-priorities-privacy": "3"},
            "q-priorities-safety",
            "Start from 1st and leave no gaps",
        ),
        (
            2,
            {**SECTION_2, "q-priorities-cost": "7"},
            "q-priorities-cost",
            "Give Cost a place from 1st to 3rd.",
        ),
        (
            2,
            {**SECTION_2, "q-anything-else": "y" * 301},
            "q-anything-else",
            "Keep your answer to 300 characters; it has 301.",
        ),
        (3, {**SECTION_3, "q-age": "ninety"}, "q-age", "Choose from the answers offered"),
    ],
)
def test_each_question_type_is_checked_and_shown_again_with_the_error(
    client, survey, number, data, anchor, message
):
    response = client.post(section(number), data)
    assert response.status_code == 200
    html = text_of(response)
    links = error_summary(response)
    assert len(links) == 1
    assert links[0][0] == anchor
    assert message in links[0][1]
    assert f'id="{anchor}"' in html  # the link goes somewhere
    assert 'class="govuk-error-message"' in html
    assert "<title>Error:" in html
    assert str(number) not in client.session.get("surveys_web", {}).get(str(survey.pk), {}).get(
        "sections", {}
    )
    assert not Response.objects.exists()


def test_a_section_shown_again_keeps_what_was_typed(client, survey):
    html = text_of(
        client.post(section(2), {**SECTION_2, "q-worries": ["speed", "parking", "noise"]})
    )
    assert 'value="bus" checked' in html
    assert '<option value="1" selected>1st</option>' in html
    assert "More benches, please.</textarea>" in html


def test_optional_questions_can_be_skipped(client, survey):
    assert client.post(section(2), {})["Location"] == section(3)
    assert client.session["surveys_web"][str(survey.pk)]["sections"]["2"] == {}


def test_going_back_keeps_the_answers(client, survey):
    client.post(section(1), SECTION_1)
    client.post(section(2), SECTION_2)
    one = text_of(client.get(section(1)))
    assert 'value="acceptable_with_conditions" checked' in one
    assert 'value="audit" checked' in one
    assert 'value="delete-30" checked' in one
    assert "Only for missing people.</textarea>" in one
    assert 'value="agree" checked' in one
    two = text_of(client.get(section(2)))
    assert 'value="speed" checked' in two
    assert 'value="noise" checked' not in two
    assert 'id="q-priorities-privacy" name="q-priorities-privacy">' in two
    privacy = two.split('id="q-priorities-privacy"')[1].split("</select>")[0]
    assert '<option value="1" selected>1st</option>' in privacy
    three = text_of(client.get(section(3)))
    assert f'href="{section(2)}"' in three  # its back link


def test_a_section_that_does_not_exist_is_not_found(client, survey):
    assert client.get(section(4)).status_code == 404
    assert client.get(section(0)).status_code == 404


def test_check_your_answers_needs_every_section_first(client, survey):
    client.post(section(1), SECTION_1)
    assert client.get(CHECK)["Location"] == section(2)


def test_change_goes_to_the_section_and_back_to_check_your_answers(client, survey):
    answer_everything(client)
    check = text_of(client.get(CHECK))
    change = f"{section(2)}?change#q-worries"
    assert f'href="{change}"' in check
    page = text_of(client.get(f"{section(2)}?change"))
    assert 'name="change"' in page
    assert 'class="govuk-back-link">Back' in page
    assert f'href="{CHECK}"' in page
    response = client.post(section(2), {**SECTION_2, "q-worries": ["noise"], "change": "1"})
    assert response["Location"] == CHECK
    send(client)
    assert Response.objects.get().answers["worries"] == ["noise"]


# --- sending ----------------------------------------------------------------------------------


def test_sending_twice_gives_the_same_receipt_and_one_response(client, survey):
    answer_everything(client)
    first = send(client)
    again = send(client)
    assert first["Location"] == again["Location"] == SENT
    assert Response.objects.count() == 1
    assert Response.objects.get().receipt in text_of(client.get(SENT))
    # And once the confirmation was shown, a third press still lands on it.
    assert send(client)["Location"] == SENT
    assert Response.objects.count() == 1


def test_the_participant_cookie_is_random_http_only_and_lax(client, survey):
    client.get(section(1))
    cookie = client.cookies[PARTICIPANT_COOKIE]
    assert len(cookie.value) >= 32
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]  # plain http in tests; Secure when the request is secure
    assert cookie["path"] == "/surveys/"
    secure = Client()
    secure.get(section(1), secure=True)
    assert secure.cookies[PARTICIPANT_COOKIE]["secure"]


def test_a_second_response_from_the_same_browser_is_refused_politely(client, survey):
    answer_everything(client)
    send(client)
    client.get(SENT)
    again = text_of(client.get(section(1)))
    assert "You have already answered this survey. Thank you." in again
    assert "Start now" not in again
    # Even if the answers are sent another way (a second tab's session, say).
    other_session = Client()
    other_session.cookies[PARTICIPANT_COOKIE] = client.cookies[PARTICIPANT_COOKIE].value
    for number, data in enumerate((SECTION_1, SECTION_2, SECTION_3), start=1):
        other_session.post(section(number), data)
    refused = send(other_session)
    assert refused.status_code == 200
    assert "You have already answered this survey. Thank you." in text_of(refused)
    assert Response.objects.count() == 1


def test_a_required_answer_missing_at_sending_goes_back_to_its_section(client, survey):
    answer_everything(client)
    session = client.session
    session["surveys_web"][str(survey.pk)]["sections"]["1"] = {}
    session.save()
    response = send(client)
    assert response.status_code == 200
    links = error_summary(response)
    assert links[0][0] == "q-cctv-search"
    assert f'action="{section(1)}"' in text_of(response)
    assert not Response.objects.exists()


# --- participation codes -------------------------------------------------------------------------


@pytest.fixture
def coded(survey):
    survey.require_code = True
    survey.save()
    ParticipationCode.objects.create(survey=survey, code="K7Q2MX9P", batch="letters-1")
    return survey


def test_a_code_is_asked_for_first(client, coded):
    html = text_of(client.get(START))
    assert 'id="code"' in html
    assert "Start now" in html
    assert client.get(section(1))["Location"] == START
    missing = text_of(client.post(section(1), {"start": "1", "code": ""}))
    assert "Enter the code printed on your invitation letter" in missing
    assert 'class="govuk-input govuk-input--width-10 govuk-input--error"' in missing
    wrong = text_of(client.post(section(1), {"start": "1", "code": "AAAA-BBBB"}))
    assert "This code is not one of this survey's" in wrong
    assert 'value="AAAA-BBBB"' in wrong
    assert client.post(section(1), {"start": "1", "code": "k7q2-mx9p"})["Location"] == section(1)
    answer_everything(client)
    send(client)
    assert Response.objects.get().code.code == "K7Q2MX9P"


def test_a_used_code_is_refused(client, coded):
    ParticipationCode.objects.filter(code="K7Q2MX9P").update(used_at=timezone.now())
    html = text_of(client.post(section(1), {"start": "1", "code": "K7Q2-MX9P"}))
    assert "This code has already been used" in html


def test_a_code_used_meanwhile_sends_the_resident_back_to_the_start(client, coded):
    client.post(section(1), {"start": "1", "code": "K7Q2-MX9P"})
    answer_everything(client)
    ParticipationCode.objects.filter(code="K7Q2MX9P").update(used_at=timezone.now())
    response = send(client)
    assert "This code has already been used" in text_of(response)
    assert 'id="code"' in text_of(response)
    assert not Response.objects.exists()


# --- open and closed ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("opens", "closes", "heading"),
    [
        (3, 10, "This survey is not open yet"),
        (-10, -3, "This survey has closed"),
    ],
)
def test_a_survey_that_is_not_open_shows_no_form(client, survey, opens, closes, heading):
    now = timezone.now()
    survey.opens_at = now + datetime.timedelta(days=opens)
    survey.closes_at = now + datetime.timedelta(days=closes)
    survey.save()
    start = text_of(client.get(START))
    assert heading in start
    assert "Start now" not in start
    assert f"{survey.closes_at.day} " in start
    for url in (section(1), CHECK):
        html = text_of(client.get(url))
        assert heading in html
        assert "<form" not in html
    assert "<form" not in text_of(client.post(section(1), SECTION_1))
    assert not Response.objects.exists()


def test_a_survey_that_closes_while_answering_sends_nothing(client, survey):
    answer_everything(client)
    survey.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    survey.save()
    assert "This survey has closed" in text_of(send(client))
    assert not Response.objects.exists()


# --- rate limit ---------------------------------------------------------------------------------


@override_settings(
    REST_FRAMEWORK={
        "DEFAULT_THROTTLE_RATES": {"survey_responses": "2/hour"},
        "DEFAULT_THROTTLE_CLASSES": ["api.throttling.WriteThrottle"],
    }
)
def test_too_many_answers_from_one_connection_are_refused_politely(survey):
    for _attempt in range(2):
        resident = Client()
        answer_everything(resident)
        assert send(resident).status_code == 303
    third = Client()
    answer_everything(third)
    response = send(third)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Nothing has been sent" in text_of(response)
    assert Response.objects.count() == 2
    keys = list(getattr(cache, "_cache", {}).keys())
    assert not any("127.0.0.1" in str(key) for key in keys)
    # Another connection is counted on its own.
    other = Client(REMOTE_ADDR="192.0.2.44")
    answer_everything(other)
    assert send(other).status_code == 303
