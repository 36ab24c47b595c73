"""The survey screen, headless: every kind of question answered by touch and typing, offline,
one section at a time; mistakes shown beside the question; a rejected response fixed and resent."""

import copy
import datetime
import json
import uuid

import pytest
from rest_framework.test import APIClient

from mobile.services.forms import SurveyForm
from mobile.services.sync import Syncer
from tests.factories import SURVEY_SECTIONS, SurveyIndexPageFactory, SurveyPageFactory

from .conftest import pump
from .forms_helpers import (
    cut_off,
    part,
    row,
    tap,
    tap_within,
    type_into,
    unreadable_buttons,
    visible_text,
)

pytestmark = pytest.mark.django_db

NO_SIGNAL = "http://127.0.0.1:9"
RESPONSES = "/api/v1/surveys/data-and-you/responses/"


@pytest.fixture
def survey(site_tree):
    index = SurveyIndexPageFactory(parent=site_tree[0])
    return SurveyPageFactory(
        parent=index,
        slug="data-and-you",
        title="Data and you",
        introduction="How should the council use data about you? Ten minutes, no names.",
        how_answers_are_used=(
            "The council's data team reads the answers. Percentages are published once at "
            "least 30 people have answered; answers are kept for two years, then deleted."
        ),
    )


def downloaded(app, slug="data-and-you"):
    definition = APIClient().get(f"/api/v1/surveys/{slug}/").json()
    app.session.store.save_download("survey", slug, definition)
    return definition


def test_every_kind_of_question_is_answered_and_the_response_queued_offline(
    app_factory, screenshot, survey
):
    app = app_factory(server=NO_SIGNAL)
    downloaded(app)
    app.show("survey", survey="data-and-you")
    pump()
    text = visible_text(app)
    assert "How your answers are used" in text
    assert "Percentages are published once at least 30 people have answered" in text
    assert "What is stored" in text
    assert "No name, e-mail address, IP address or device details." in text
    screenshot("survey-intro")

    tap(app, "Start")
    assert "Part 1 of 3" in visible_text(app)
    assert "The council's cameras look for a missing person." in visible_text(app)
    tap(app, "Next")
    assert part(app, "cctv-search").error == "Say whether this is acceptable to you."
    assert "Check the answer marked in red." in visible_text(app)
    assert "Part 1 of 3" in visible_text(app)
    screenshot("survey-scenario-error")

    tap(app, "Acceptable, but only with conditions")
    assert part(app, "cctv-search").error == ""
    # The conditions appear only with this judgement.
    assert "Which conditions?" in visible_text(app)
    tap(app, "An independent audit each year")
    type_into(part(app, "cctv-search").ids.comment.ids.input, "Only if the audit is published.")
    assert "31 of 200 characters" in visible_text(app)
    assert "Check the answer marked in red." not in visible_text(app)
    app.root.current_screen.ids.scroll.scroll_to(
        part(app, "cctv-search").ids.comment, padding=10, animate=False
    )
    screenshot("survey-scenario")
    tap(app, "Agree")
    tap(app, "Next")

    assert "Part 2 of 3" in visible_text(app)
    tap(app, "Bus")
    for worry in ("Speed", "Parking on pavements", "Noise"):
        tap(app, worry)
    tap(app, "Next")
    assert part(app, "worries").error == "Choose up to 2 answers; you have chosen 3."
    tap(app, "Noise")
    assert part(app, "worries").error == ""
    tap_within(row(app, "Privacy"), "Add")
    tap_within(row(app, "Safety"), "Add")
    tap_within(row(app, "Cost"), "Add")
    tap_within(row(app, "Cost"), "Up")
    assert part(app, "priorities").order == ["privacy", "cost", "safety"]
    tap_within(row(app, "Safety"), "Out")
    assert "Not ranked" in visible_text(app)
    screen = app.root.current_screen
    screen.ids.scroll.scroll_to(part(app, "priorities"), padding=10, animate=False)
    screenshot("survey-ranking")
    type_into(part(app, "anything-else").ids.input, "More benches, please.")
    tap(app, "Next")

    assert "Part 3 of 3" in visible_text(app)
    assert "These questions are optional." in visible_text(app)
    tap_within(part(app, "age"), "Prefer not to say")
    tap(app, "North")
    tap(app, "Save answers")
    assert "Saved on this phone; it will be sent when you have signal." in visible_text(app)
    screenshot("survey-saved")

    (record,) = app.session.store.records()
    assert (record.kind, record.target, record.state) == (
        "survey_response",
        "data-and-you",
        "pending",
    )
    payload = record.payload
    assert payload["client_uuid"] == record.client_uuid
    assert payload["participant_token"] == app.session.store.setting("participant_token")
    assert payload["answers"] == {
        "cctv-search": {
            "judgement": "acceptable_with_conditions",
            "conditions": ["audit"],
            "comment": "Only if the audit is published.",
        },
        "trust": "agree",
        "travel": "bus",
        "worries": ["speed", "parking"],
        "priorities": ["privacy", "cost"],
        "anything-else": "More benches, please.",
        "age": "prefer_not_to_say",
        "ward": "north",
    }
    # What the phone saved is what the council takes.
    answer = APIClient().post(RESPONSES, payload, format="json")
    assert answer.status_code == 201, answer.json()


def test_answers_are_kept_going_back_and_forth(app_factory, survey):
    app = app_factory(server=NO_SIGNAL)
    downloaded(app)
    app.show("survey", survey="data-and-you")
    pump()
    tap(app, "Start")
    tap(app, "Not sure")
    tap(app, "Next")
    tap(app, "Car")
    tap(app, "Previous")
    assert part(app, "cctv-search").judgement == "not_sure"
    tap(app, "Next")
    assert part(app, "travel").selected == ["car"]


def test_a_closed_survey_cannot_be_started(app_factory, survey):
    app = app_factory(server=NO_SIGNAL)
    definition = downloaded(app)
    definition["closes_at"] = (
        datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    ).isoformat()
    app.session.store.save_download("survey", "data-and-you", definition)
    app.show("survey", survey="data-and-you")
    pump()
    assert "This survey closed on" in visible_text(app)
    assert app.root.current_screen.closed


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rejected_response_is_fixed_and_resent_with_the_same_uuid_and_token(
    app_factory, screenshot, survey, live_server
):
    app = app_factory(server=live_server.url)
    session = app.session
    definition = session.api.survey("data-and-you")
    session.store.save_download("survey", "data-and-you", definition)
    form = SurveyForm(definition)
    client_uuid = str(uuid.uuid4())
    token = session.participant_token()
    payload = form.payload(
        {"cctv-search": "acceptable", "worries": ["speed", "noise"], "trust": "agree"},
        client_uuid=client_uuid,
        participant_token=token,
    )
    session.store.queue("survey_response", "data-and-you", payload, client_uuid=client_uuid)
    # Since the phone downloaded the survey, the council allowed only one worry to be chosen:
    # the sync sends the response, and the council's answer is kept with it.
    sections = copy.deepcopy(SURVEY_SECTIONS)
    sections[1]["value"]["questions"][1]["value"]["most_choices"] = 1
    survey.sections = json.dumps(sections)
    survey.save_revision().publish()
    assert Syncer(session.store, session.api).sync_once().rejected == 1
    rejected = session.store.record(client_uuid)
    assert rejected.state == "rejected"
    assert list(rejected.errors) == ["worries"]

    app.show("survey", record=client_uuid)
    pump()
    # It opens where the problem is, with the council's words beside the question.
    assert "Part 2 of 3" in visible_text(app)
    assert part(app, "worries").error == rejected.errors["worries"][0]
    assert part(app, "worries").selected == ["speed", "noise"]
    assert "The council could not accept these answers." in visible_text(app)
    screenshot("survey-fix-rejected")

    tap(app, "Noise")
    tap(app, "Next")
    tap(app, "Save and send again")
    assert "Corrected and saved on this phone" in visible_text(app)
    record = session.store.record(client_uuid)
    assert record.state == "pending"
    assert record.payload["answers"]["worries"] == ["speed"]
    assert record.payload["participant_token"] == token
    assert record.payload["client_uuid"] == client_uuid
    assert Syncer(session.store, session.api).sync_once().sent == 1
    assert session.store.record(client_uuid).state == "sent"


def test_an_invitation_code_is_asked_for_before_the_first_question(app_factory, survey):
    app = app_factory(server=NO_SIGNAL)
    definition = downloaded(app)
    app.session.store.save_download("survey", "data-and-you", {**definition, "require_code": True})
    app.show("survey", survey="data-and-you")
    pump()
    assert "Your invitation code" in visible_text(app)
    tap(app, "Start")
    assert "Enter the code printed on your invitation letter" in visible_text(app)
    assert "Part 1 of 3" not in visible_text(app)
    type_into(app.root.current_screen.ids.code_input, "k7q2 mx9p")
    tap(app, "Start")
    assert "Part 1 of 3" in visible_text(app)
    tap(app, "Not sure")
    tap(app, "Next")
    tap(app, "Next")
    tap(app, "Save answers")
    (record,) = app.session.store.records()
    assert record.payload["code"] == "k7q2 mx9p"


def test_coming_back_to_the_survey_keeps_the_answers(app_factory, survey):
    app = app_factory(server=NO_SIGNAL)
    downloaded(app)
    app.show("survey", survey="data-and-you")
    pump()
    tap(app, "Start")
    tap(app, "Not acceptable")
    tap(app, "Next")
    app.show("home")
    assert app.go_back()
    pump()
    assert app.root.current == "survey"
    assert "Part 2 of 3" in visible_text(app)
    tap(app, "Previous")
    assert part(app, "cctv-search").judgement == "not_acceptable"


@pytest.mark.parametrize("size", [(360, 640), (412, 915), (800, 1280)])
def test_every_page_fits_phones_from_the_smallest_up_and_its_buttons_are_readable(
    app_factory, window, survey, size
):
    from .conftest import PHONE_SIZE

    try:
        window.size = size
        app = app_factory(server=NO_SIGNAL)
        downloaded(app)
        app.show("survey", survey="data-and-you")
        pages = []
        for _page in range(4):
            pump()
            pages.append((cut_off(app), unreadable_buttons(app)))
            if "Part 1 of 3" in visible_text(app):
                tap(app, "Acceptable, but only with conditions")
                tap(app, "Footage deleted after 30 days")
                pages.append((cut_off(app), unreadable_buttons(app)))
            if "Part 2 of 3" in visible_text(app):
                tap_within(row(app, "Cost"), "Add")
                tap_within(row(app, "Safety"), "Add")
                pages.append((cut_off(app), unreadable_buttons(app)))
            if "Part 3 of 3" not in visible_text(app):
                tap(app, "Start" if "Start" in visible_text(app) else "Next")
        assert pages == [([], [])] * len(pages)
    finally:
        window.size = PHONE_SIZE
