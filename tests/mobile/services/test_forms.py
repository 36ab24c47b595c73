"""The app's form rules: fields from the server's definitions, the server's checks made offline,
and payloads that the real API accepts."""

import copy
import datetime
import uuid
from zoneinfo import ZoneInfo

import pytest
from rest_framework.test import APIClient

from mobile.services.forms import (
    ELSEWHERE,
    ReadingForm,
    SurveyForm,
    parse_date,
    parse_time,
)
from tests.factories import (
    CampaignPageFactory,
    ScienceIndexPageFactory,
    SiteFactory,
    SurveyIndexPageFactory,
    SurveyPageFactory,
)

LONDON = ZoneInfo("Europe/London")


# --- fixtures: definitions as the app downloads them ---------------------------------------


@pytest.fixture
def science(site_tree):
    return ScienceIndexPageFactory(parent=site_tree[0])


@pytest.fixture
def tubes(science):
    campaign = CampaignPageFactory(parent=science, slug="tubes")
    SiteFactory(campaign=campaign, code="no2-001", name="Elm Road")
    SiteFactory(campaign=campaign, code="no2-002", name="Oak Lane")
    return campaign


@pytest.fixture
def tube_definition(tubes):
    return APIClient().get("/api/v1/campaigns/tubes/").json()


@pytest.fixture
def noise_definition(science):
    CampaignPageFactory(
        parent=science, slug="noise", sampling="instant", unit="dB", valid_min=20.0,
        valid_max=140.0, expected_min=35.0, expected_max=90.0,
    )  # fmt: skip
    return APIClient().get("/api/v1/campaigns/noise/").json()


@pytest.fixture
def survey_definition(site_tree):
    index = SurveyIndexPageFactory(parent=site_tree[0])
    SurveyPageFactory(parent=index, slug="data-and-you", title="Data and you")
    return APIClient().get("/api/v1/surveys/data-and-you/").json()


def volunteer(*campaigns: str) -> APIClient:
    client = APIClient()
    created = client.post(
        "/api/v1/contributors/", {"consent_to": list(campaigns)}, format="json"
    ).json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {created['token']}")
    return client


def send_readings(client: APIClient, *payloads: dict):
    return client.post("/api/v1/readings/", {"readings": list(payloads)}, format="json")


NOW = datetime.datetime.now(datetime.UTC).replace(second=0, microsecond=0)


def tube_entries(**overrides: str) -> dict[str, str]:
    down = NOW.astimezone(LONDON) - datetime.timedelta(hours=1)
    up = down - datetime.timedelta(days=28)
    entries = {
        "site": "no2-001",
        "value": "38.5",
        "start_date": f"{up:%d/%m/%Y}",
        "start_time": f"{up:%H:%M}",
        "observed_date": f"{down:%d/%m/%Y}",
        "observed_time": f"{down:%H:%M}",
        "notes": "",
    }
    entries.update(overrides)
    return entries


def check(form: ReadingForm, entries: dict[str, str]):
    return form.check(entries, client_uuid=str(uuid.uuid4()), now=NOW, zone=LONDON)


# --- typed values ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", (14, 30)),
        ("14.30", (14, 30)),
        ("2:30pm", (14, 30)),
        ("2pm", (14, 0)),
        ("12am", (0, 0)),
        ("midday", (12, 0)),
        ("25:00", None),
        ("14", None),
        ("half two", None),
    ],
)
def test_times_are_read_as_people_type_them(text, expected):
    parsed = parse_time(text)
    assert ((parsed.hour, parsed.minute) if parsed else None) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21/11/2026", datetime.date(2026, 11, 21)),
        ("1-3-2026", datetime.date(2026, 3, 1)),
        ("2026-03-01", datetime.date(2026, 3, 1)),
        ("today", datetime.date(2026, 11, 21)),
        ("yesterday", datetime.date(2026, 11, 20)),
        ("31/02/2026", None),
        ("11/21/2026", None),
        ("21/11/26", None),
    ],
)
def test_dates_are_day_first_as_in_britain(text, expected):
    assert parse_date(text, today=datetime.date(2026, 11, 21)) == expected


# --- the reading form ----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_tube_campaign_asks_when_the_tube_went_up_and_came_down(tube_definition):
    form = ReadingForm(tube_definition)
    names = [spec.name for spec in form.fields]
    assert names == [
        "site", "latitude", "longitude", "accuracy_m", "value",
        "start_date", "start_time", "observed_date", "observed_time", "notes",
    ]  # fmt: skip
    site = form.fields[0]
    assert [c.key for c in site.choices] == ["no2-001", "no2-002", ELSEWHERE]
    assert site.choices[0].label == "Elm Road (no2-001)"
    value = next(spec for spec in form.fields if spec.name == "value")
    assert value.label == "Your reading (µg/m³)"
    assert value.hint == "Usually from 5 to 120 µg/m³."
    assert {spec.name for spec in form.fields if spec.location} == {
        "latitude",
        "longitude",
        "accuracy_m",
    }


@pytest.mark.django_db
def test_an_instant_campaign_asks_only_when_it_was_taken(noise_definition):
    form = ReadingForm(noise_definition)
    names = [spec.name for spec in form.fields]
    assert "start_date" not in names
    assert "observed_date" in names
    # No sites: the location is the only way to say where.
    assert form.blank_entries(now=NOW)["site"] == ELSEWHERE


@pytest.mark.django_db
def test_a_new_form_starts_at_the_time_now(tube_definition):
    entries = ReadingForm(tube_definition).blank_entries(now=NOW)
    local = NOW.astimezone()
    assert entries["observed_date"] == f"{local:%d/%m/%Y}"
    assert entries["observed_time"] == f"{local:%H:%M}"
    assert entries["value"] == entries["start_date"] == ""


@pytest.mark.django_db
def test_a_good_reading_becomes_the_payload_the_api_stores(tube_definition):
    form = ReadingForm(tube_definition)
    checked = check(form, tube_entries(value="38.5 µg/m³", notes="  Roadworks nearby. "))
    assert checked.valid, checked.errors
    payload = checked.payload
    assert set(payload) == {
        "client_uuid", "campaign", "site", "value", "unit", "observed_at", "exposure_start",
        "notes",
    }  # fmt: skip
    assert (payload["campaign"], payload["site"], payload["value"]) == ("tubes", "no2-001", 38.5)
    assert payload["unit"] == "µg/m³"
    assert payload["notes"] == "Roadworks nearby."
    observed = datetime.datetime.fromisoformat(payload["observed_at"])
    # With its time zone, and meaning the local time the person typed.
    assert observed.utcoffset() is not None
    assert observed == NOW - datetime.timedelta(hours=1)

    response = send_readings(volunteer("tubes"), payload)
    assert response.status_code == 200, response.json()
    (receipt,) = response.json()["receipts"]
    assert receipt["result"] == "created"
    assert receipt["client_uuid"] == payload["client_uuid"]


@pytest.mark.django_db
def test_a_reading_somewhere_else_sends_the_location_with_its_accuracy(noise_definition):
    form = ReadingForm(noise_definition)
    entries = form.blank_entries(now=NOW - datetime.timedelta(minutes=5))
    entries.update(latitude="51.4712", longitude="-0.1123", accuracy_m="12 m", value="64")
    checked = form.check(entries, client_uuid=str(uuid.uuid4()), now=NOW)
    assert checked.valid, checked.errors
    assert "site" not in checked.payload
    assert (
        checked.payload["latitude"],
        checked.payload["longitude"],
        checked.payload["accuracy_m"],
    ) == (51.4712, -0.1123, 12.0)
    assert "exposure_start" not in checked.payload

    response = send_readings(volunteer("noise"), checked.payload)
    assert response.json()["receipts"][0]["result"] == "created"


@pytest.mark.django_db
def test_a_location_needs_its_accuracy(noise_definition):
    form = ReadingForm(noise_definition)
    checked = check(
        form, {**form.blank_entries(now=NOW), "latitude": "51.47", "longitude": "-0.11",
               "value": "60"},
    )  # fmt: skip
    assert checked.payload is None
    assert checked.errors == {
        "accuracy_m": ["Enter how accurate the location is, in metres, like 10."]
    }


@pytest.mark.django_db
def test_a_place_off_the_globe_is_refused(noise_definition):
    form = ReadingForm(noise_definition)
    checked = check(
        form, {**form.blank_entries(now=NOW), "latitude": "95", "longitude": "west",
               "accuracy_m": "10", "value": "60"},
    )  # fmt: skip
    assert checked.errors["latitude"] == [
        "Enter the latitude in decimal degrees, between -90 and 90."
    ]
    assert checked.errors["longitude"] == [
        "Enter the longitude in decimal degrees, between -180 and 180."
    ]


@pytest.mark.django_db
def test_a_value_outside_the_valid_range_is_refused_with_the_range(tube_definition):
    checked = check(ReadingForm(tube_definition), tube_entries(value="650"))
    assert checked.payload is None
    assert checked.errors["value"] == [
        "650 is not possible here: readings are from 0 to 500 µg/m³. Check the value and its unit."
    ]


@pytest.mark.django_db
def test_a_range_open_at_one_end_is_described_in_words(tube_definition):
    definition = {**tube_definition, "valid_range": [0, None], "usual_range": [None, 120]}
    form = ReadingForm(definition)
    assert check(form, tube_entries(value="-3")).errors["value"] == [
        "-3 is not possible here: readings are at least 0 µg/m³. Check the value and its unit."
    ]
    assert (
        check(form, tube_entries(value="9000"))
        .warnings["value"][0]
        .startswith("9000 is higher than usual (usually at most 120 µg/m³).")
    )
    assert check(form, tube_entries(value="1")).warnings == {}


@pytest.mark.django_db
def test_a_value_outside_the_usual_range_is_warned_about_and_still_accepted(tube_definition):
    checked = check(ReadingForm(tube_definition), tube_entries(value="180"))
    assert checked.valid
    assert checked.warnings["value"][0].startswith(
        "180 is higher than usual (usually from 5 to 120"
    )
    low = check(ReadingForm(tube_definition), tube_entries(value="2"))
    assert low.warnings["value"][0].startswith("2 is lower than usual")

    receipt = send_readings(volunteer("tubes"), checked.payload).json()["receipts"][0]
    assert receipt["result"] == "created"
    assert receipt["flags"] == ["unusually_high"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entries", "field", "message"),
    [
        ({"value": ""}, "value", "Enter your reading."),
        ({"value": "lots"}, "value", "Enter your reading as a number, like 23.4."),
        ({"site": ""}, "site", "Choose the site where you took the reading, or Somewhere else."),
        ({"site": "no2-999"}, "site", "This campaign has no site with that code."),
        ({"observed_date": "31/02/2026"}, "observed_at", "Enter a real date as day/month/year"),
        ({"observed_time": "noonish"}, "observed_at", "Enter the time as hours and minutes"),
        ({"observed_time": ""}, "observed_at", "Enter the time you took the tube down"),
        ({"start_date": ""}, "exposure_start", "Enter the date you put the tube up"),
        ({"notes": "x" * 1001}, "notes", "Keep your notes under 1,000 characters"),
    ],
)
def test_each_mistake_is_named_on_its_field(tube_definition, entries, field, message):
    checked = check(ReadingForm(tube_definition), tube_entries(**entries))
    assert list(checked.errors) == [field]
    assert checked.errors[field][0].startswith(message)


@pytest.mark.django_db
def test_a_time_in_the_future_is_refused_beyond_ten_minutes(tube_definition):
    form = ReadingForm(tube_definition)
    soon = (NOW + datetime.timedelta(minutes=8)).astimezone(LONDON)
    later = (NOW + datetime.timedelta(minutes=15)).astimezone(LONDON)
    assert check(form, tube_entries(observed_date=f"{soon:%d/%m/%Y}",
                                    observed_time=f"{soon:%H:%M}")).valid  # fmt: skip
    checked = check(
        form, tube_entries(observed_date=f"{later:%d/%m/%Y}", observed_time=f"{later:%H:%M}")
    )
    assert checked.errors == {
        "observed_at": [
            "This time is in the future. Check the date, the time and the phone's clock."
        ]
    }


@pytest.mark.django_db
def test_a_time_before_the_campaign_is_refused(tube_definition):
    checked = check(
        ReadingForm(tube_definition), tube_entries(start_date="31/12/2025", start_time="09:00")
    )
    assert checked.errors == {
        "exposure_start": ["This is before the campaign began on 1 January 2026. Check the date."]
    }


@pytest.mark.django_db
def test_the_tube_must_go_up_before_it_comes_down(tube_definition):
    down = (NOW - datetime.timedelta(days=2)).astimezone(LONDON)
    checked = check(
        ReadingForm(tube_definition),
        tube_entries(start_date=f"{NOW.astimezone(LONDON):%d/%m/%Y}", start_time="00:00",
                     observed_date=f"{down:%d/%m/%Y}", observed_time="12:00"),
    )  # fmt: skip
    assert checked.errors == {
        "exposure_start": ["The tube must go up before it comes down. Check both dates and times."]
    }


@pytest.mark.django_db
def test_a_closed_campaign_takes_no_readings(tube_definition):
    closed = {**tube_definition, "accepting_readings": False}
    checked = check(ReadingForm(closed), tube_entries())
    assert checked.errors == {"campaign": ["This campaign is not taking readings now."]}


@pytest.mark.django_db
def test_a_queued_reading_fills_the_form_again_unchanged(tube_definition, noise_definition):
    for definition, entries in (
        (tube_definition, tube_entries(notes="Tube cracked")),
        (noise_definition, {**ReadingForm(noise_definition).blank_entries(now=NOW),
                            "latitude": "51.5", "longitude": "-0.1", "accuracy_m": "8",
                            "value": "55.5"}),
    ):  # fmt: skip
        form = ReadingForm(definition)
        first = check(form, entries)
        assert first.valid, first.errors
        again = form.entries_from(first.payload, zone=LONDON)
        second = form.check(again, client_uuid=first.payload["client_uuid"], now=NOW, zone=LONDON)
        assert second.payload == first.payload


@pytest.mark.django_db
def test_what_the_app_catches_the_server_would_refuse_too(tube_definition):
    """Same rules both sides: each mistake's field is the field the server names."""
    form = ReadingForm(tube_definition)
    good = check(form, tube_entries()).payload
    later = (NOW + datetime.timedelta(hours=2)).astimezone(LONDON)
    client = volunteer("tubes")
    for change, entries in (
        ({"value": 650.0}, tube_entries(value="650")),
        ({"site": "no2-999"}, tube_entries(site="no2-999")),
        (
            {"exposure_start": good["observed_at"]},
            tube_entries(start_date=tube_entries()["observed_date"],
                         start_time=tube_entries()["observed_time"]),
        ),
        (
            {"observed_at": later.isoformat()},
            tube_entries(observed_date=f"{later:%d/%m/%Y}", observed_time=f"{later:%H:%M}"),
        ),
    ):  # fmt: skip
        bad = {**copy.deepcopy(good), **change, "client_uuid": str(uuid.uuid4())}
        server = send_readings(client, bad).json()["receipts"][0]
        assert server["result"] == "rejected"
        assert set(check(form, entries).errors) == set(server["errors"]), change


# --- the survey form -----------------------------------------------------------------------


@pytest.mark.django_db
def test_every_question_kind_becomes_a_spec_the_screen_can_render(survey_definition):
    form = SurveyForm(survey_definition)
    assert form.how_answers_are_used == "Answers are anonymous and kept for two years."
    assert "No name, e-mail address" in form.what_is_stored
    assert [s.heading for s in form.sections] == [
        "Cameras in the town centre",
        "Getting about",
        "About you",
    ]
    q = form.questions
    assert {key: spec.widget for key, spec in q.items()} == {
        "cctv-search": "scenario",
        "trust": "one",
        "travel": "one",
        "worries": "many",
        "priorities": "order",
        "anything-else": "text",
        "age": "one",
        "ward": "one",
    }
    scenario = q["cctv-search"]
    assert scenario.vignette == "The council's cameras look for a missing person."
    assert [c.key for c in scenario.options] == [
        "acceptable",
        "acceptable_with_conditions",
        "not_acceptable",
        "not_sure",
    ]
    assert [c.key for c in scenario.conditions] == ["audit", "delete-30"]
    assert scenario.takes_comment
    assert scenario.limit == 200
    assert scenario.required
    assert [c.label for c in q["trust"].choices][-1] == "Prefer not to say"
    assert q["worries"].most_choices == 2
    assert q["worries"].prefer_not_to_say is None
    assert q["anything-else"].limit == 300
    assert [c.key for c in q["age"].choices] == ["16-34", "35-54", "55-plus", "prefer_not_to_say"]
    assert not q["age"].required


@pytest.mark.django_db
def test_a_required_scenario_must_be_judged(survey_definition):
    form = SurveyForm(survey_definition)
    assert form.check({}, section=0) == {"cctv-search": ["Say whether this is acceptable to you."]}
    # Optional questions in other sections may be skipped.
    assert form.check({}, section=1) == {}
    assert form.check({"cctv-search": {"judgement": "not_sure"}}) == {}


@pytest.mark.django_db
def test_limits_are_checked_offline(survey_definition):
    form = SurveyForm(survey_definition)
    errors = form.check(
        {
            "cctv-search": {"judgement": "acceptable", "comment": "y" * 201},
            "worries": ["speed", "parking", "noise"],
            "anything-else": "z" * 301,
        }
    )
    assert errors == {
        "cctv-search": ["Keep your answer to 200 characters; it has 201."],
        "worries": ["Choose up to 2 answers; you have chosen 3."],
        "anything-else": ["Keep your answer to 300 characters; it has 301."],
    }


@pytest.mark.django_db
def test_conditions_go_only_with_acceptable_with_conditions(survey_definition):
    form = SurveyForm(survey_definition)
    changed_mind = {"judgement": "not_acceptable", "conditions": ["audit"], "comment": ""}
    assert form.answers({"cctv-search": changed_mind}) == {
        "cctv-search": {"judgement": "not_acceptable"}
    }
    with_conditions = {"judgement": "acceptable_with_conditions",
                       "conditions": ["delete-30", "audit"], "comment": " Audited. "}  # fmt: skip
    assert form.answers({"cctv-search": with_conditions}) == {
        "cctv-search": {
            "judgement": "acceptable_with_conditions",
            "conditions": ["audit", "delete-30"],
            "comment": "Audited.",
        }
    }


@pytest.mark.django_db
def test_a_scenario_without_a_comment_box_sends_no_comment(survey_definition):
    definition = copy.deepcopy(survey_definition)
    definition["sections"][0]["questions"][0]["limit"] = 0
    form = SurveyForm(definition)
    assert not form.questions["cctv-search"].takes_comment
    assert form.answers({"cctv-search": {"judgement": "acceptable", "comment": "Hi"}}) == {
        "cctv-search": {"judgement": "acceptable"}
    }


@pytest.mark.django_db
def test_skipped_questions_are_left_out(survey_definition):
    form = SurveyForm(survey_definition)
    answers = form.answers(
        {"cctv-search": "acceptable", "trust": None, "worries": [], "anything-else": "   "}
    )
    assert answers == {"cctv-search": {"judgement": "acceptable"}}


@pytest.mark.django_db
def test_a_full_response_from_the_rules_is_accepted_by_the_api(survey_definition):
    form = SurveyForm(survey_definition)
    raw = {
        "cctv-search": {"judgement": "acceptable_with_conditions", "conditions": ["audit"],
                        "comment": "Only if it is audited."},
        "trust": "agree",
        "travel": "prefer_not_to_say",
        "worries": ["parking", "speed"],
        "priorities": ["privacy", "cost", "safety"],
        "anything-else": "More benches, please.",
        "age": "prefer_not_to_say",
        "ward": "north",
    }  # fmt: skip
    assert form.check(raw) == {}
    client_uuid = str(uuid.uuid4())
    body = form.payload(raw, client_uuid=client_uuid, participant_token="t" * 24)
    assert set(body) == {"client_uuid", "answers", "participant_token"}
    assert body["answers"]["worries"] == ["speed", "parking"]

    response = APIClient().post("/api/v1/surveys/data-and-you/responses/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["result"] == "created"


@pytest.mark.django_db
def test_what_the_app_catches_in_a_survey_the_server_refuses_too(survey_definition):
    form = SurveyForm(survey_definition)
    for raw in (
        {},
        {"cctv-search": "acceptable", "worries": ["speed", "parking", "noise"]},
        {"cctv-search": "acceptable", "anything-else": "z" * 301},
        {"cctv-search": {"judgement": "acceptable", "comment": "c" * 201}},
    ):
        body = {"client_uuid": str(uuid.uuid4()), "participant_token": uuid.uuid4().hex,
                "answers": raw}  # fmt: skip
        server = APIClient().post("/api/v1/surveys/data-and-you/responses/", body, format="json")
        assert server.status_code == 400
        assert set(form.check(raw)) == set(server.json()["errors"]), raw


@pytest.mark.django_db
def test_a_survey_that_needs_a_code_asks_for_it(survey_definition):
    form = SurveyForm({**survey_definition, "require_code": True})
    assert form.check({"cctv-search": "acceptable"}) == {
        "code": ["Enter the code printed on your invitation letter, like K7Q2-MX9P."]
    }
    body = form.payload(
        {"cctv-search": "acceptable"}, client_uuid="u", participant_token="p", code=" K7Q2-MX9P "
    )
    assert body["code"] == "K7Q2-MX9P"


@pytest.mark.django_db
def test_a_closed_survey_says_so(survey_definition):
    form = SurveyForm(survey_definition)
    assert form.closed_message() == ""
    later = form.closes_at + datetime.timedelta(days=1)
    assert form.closed_message(later).startswith("This survey closed on ")
    earlier = form.opens_at - datetime.timedelta(days=1)
    assert form.closed_message(earlier).startswith("This survey opens on ")


# --- the demo borough: every published campaign and open survey ------------------------------


def answer_everything(form: SurveyForm) -> dict:
    """Answers a person might give to every question: the last option, two ticks, an order."""
    answers = {}
    for key, question in form.questions.items():
        if question.widget == "one":
            answers[key] = question.choices[-1].key
        elif question.widget == "many":
            answers[key] = [option.key for option in question.options][: question.most_choices or 2]
        elif question.widget == "order":
            answers[key] = [option.key for option in reversed(question.options)]
        elif question.widget == "text":
            answers[key] = "A bench by the bus stop would help."[: question.limit]
        else:
            conditions = [option.key for option in question.conditions][:1]
            answers[key] = {
                "judgement": "acceptable_with_conditions" if conditions else "not_sure",
                "conditions": conditions,
                "comment": "Only with care." if question.takes_comment else "",
            }
    return answers


@pytest.mark.django_db
def test_the_demo_boroughs_campaigns_and_surveys_take_what_the_rules_build():
    import io

    from django.core.management import call_command

    call_command("load_demo", "--no-users", stdout=io.StringIO())
    api = APIClient()
    campaigns = api.get("/api/v1/campaigns/").json()["campaigns"]
    open_campaigns = [c["slug"] for c in campaigns if c["accepting_readings"]]
    assert open_campaigns
    client = volunteer(*open_campaigns)
    for slug in open_campaigns:
        form = ReadingForm(api.get(f"/api/v1/campaigns/{slug}/").json())
        entries = form.blank_entries(now=NOW - datetime.timedelta(hours=2))
        low, high = form.usual_range
        entries["value"] = format(((low or 0) + (high or (low or 0) + 10)) / 2, "g")
        if entries["site"] in ("", ELSEWHERE):
            entries.update(site=ELSEWHERE, latitude="51.47", longitude="-0.09", accuracy_m="12")
        if form.is_exposure:
            up = NOW - datetime.timedelta(days=14)
            entries.update(start_date=f"{up:%d/%m/%Y}", start_time=f"{up:%H:%M}")
        checked = form.check(entries, client_uuid=str(uuid.uuid4()), now=NOW)
        assert checked.valid, (slug, checked.errors)
        receipt = send_readings(client, checked.payload).json()["receipts"][0]
        assert receipt["result"] == "created", (slug, receipt)

    # Postal surveys need the code printed on a letter; the others take anyone's answers.
    surveys = [
        s for s in api.get("/api/v1/surveys/").json()["surveys"]
        if s["is_open"] and not s["require_code"]
    ]  # fmt: skip
    assert surveys
    for summary in surveys:
        form = SurveyForm(api.get(f"/api/v1/surveys/{summary['slug']}/").json())
        answers = answer_everything(form)
        assert form.check(answers) == {}, summary["slug"]
        body = form.payload(answers, client_uuid=str(uuid.uuid4()), participant_token="p" * 24)
        response = api.post(f"/api/v1/surveys/{summary['slug']}/responses/", body, format="json")
        assert response.status_code == 201, (summary["slug"], response.json())
