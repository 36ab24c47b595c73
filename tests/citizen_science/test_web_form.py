"""The web form at /science/<campaign>/log/: a reading from a browser, checked like the app's."""

from __future__ import annotations

import datetime
import io
import re
from html import unescape
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import timezone
from PIL import Image

from portal.citizen_science.forms import parse_time
from portal.citizen_science.models import Reading, ReadingPhoto
from tests.factories import CampaignPageFactory, ScienceIndexPageFactory, SiteFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
FORM_URL = "/science/no2-tubes/log/"
TOKEN = re.compile(r'name="client_uuid" value="([^"]+)"')


@pytest.fixture
def science(site_tree):
    return ScienceIndexPageFactory(parent=site_tree[0])


@pytest.fixture
def campaign(science):
    campaign = CampaignPageFactory(parent=science, slug="no2-tubes")
    SiteFactory(campaign=campaign, code="no2-001", name="Elm Road")
    return campaign


@pytest.fixture
def instant_campaign(science):
    return CampaignPageFactory(
        parent=science,
        slug="rain",
        unit="mm",
        sampling="instant",
        valid_min=0,
        valid_max=300,
        expected_min=None,
        expected_max=None,
        auto_accept=True,
    )


def local_parts(prefix: str, moment: datetime.datetime) -> dict[str, str]:
    local = moment.astimezone(LONDON)
    return {
        f"{prefix}_day": str(local.day),
        f"{prefix}_month": str(local.month),
        f"{prefix}_year": str(local.year),
        f"{prefix}_time": local.strftime("%H:%M"),
    }


def open_form(client: Client, url: str = FORM_URL) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return TOKEN.search(response.content.decode())[1]


def answers(token: str, **overrides: object) -> dict[str, object]:
    now = timezone.now()
    data: dict[str, object] = {
        "client_uuid": token,
        "site": "no2-001",
        "value": "38.5",
        "notes": "",
        "consent": "yes",
        **local_parts("start", now - datetime.timedelta(days=28)),
        **local_parts("observed", now - datetime.timedelta(hours=2)),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def errors_on(response) -> dict[str, str]:
    """The inline error messages on the page, keyed by the id of their field."""
    html = response.content.decode()
    found = re.findall(
        r'<p class="govuk-error-message" id="([\w-]+)-error">.*?</span> (.*?)</p>', html, re.S
    )
    return {name: unescape(message) for name, message in found}


def summary_links(response) -> list[str]:
    return [anchor for anchor, _message in summary(response)]


def summary(response) -> list[tuple[str, str]]:
    """(the id linked to, the message) for each entry in the error summary."""
    html = response.content.decode()
    listing = html.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]
    return [
        (anchor, unescape(message))
        for anchor, message in re.findall(r'<a href="#([\w-]+)">(.*?)</a>', listing)
    ]


def test_the_campaign_page_links_to_the_form(client, campaign):
    page = client.get("/science/no2-tubes/").content.decode()
    assert 'href="/science/no2-tubes/log/"' in page


def test_the_form_asks_for_everything_in_plain_english(client, campaign):
    html = client.get(FORM_URL).content.decode()
    assert "<form" in html
    assert "novalidate" in html
    assert "csrfmiddlewaretoken" in html
    assert 'enctype="multipart/form-data"' in html
    assert "Elm Road (no2-001)" in html
    assert "Somewhere else" in html
    assert 'class="govuk-input__suffix" aria-hidden="true">µg/m³<' in html
    assert "In µg/m³. Readings run from 0 to 500." in html
    assert "When did you put the tube up?" in html
    assert "When did you take the tube down?" in html
    assert 'for="start_time">Time you put the tube up</label>' in html
    assert campaign.consent_text in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>", 1)[0]


def test_an_instant_campaign_asks_one_time(client, instant_campaign):
    html = client.get("/science/rain/log/").content.decode()
    assert "When did you take the reading?" in html
    assert "put the tube up" not in html
    assert 'value="@elsewhere" selected' in html  # no sites: somewhere else is the only choice


def test_a_volunteer_sends_a_reading_and_gets_a_receipt(client, campaign):
    token = open_form(client)
    response = client.post(FORM_URL, answers(token, notes="Tube slightly damp."))
    assert response.status_code == 303
    assert response["Location"] == f"{FORM_URL}?sent"

    reading = Reading.objects.get()
    assert (reading.value, reading.unit, reading.site.code) == (38.5, "µg/m³", "no2-001")
    assert reading.contributor is None
    assert reading.notes == "Tube slightly damp."
    assert reading.status == "pending"
    assert reading.exposure_start < reading.observed_at

    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Reading received" in html
    assert reading.receipt in html
    assert "Waiting for a check" in html
    assert "38.5 µg/m³" in html
    assert "checks each reading before it is published" in html
    # The confirmation address carries nothing about the reading; a refresh sends nothing.
    assert reading.receipt not in response["Location"]
    client.get(response["Location"])
    assert Reading.objects.count() == 1


def test_times_are_read_as_uk_local_time(client, campaign):
    token = open_form(client)
    # 1 July is in British Summer Time: 10:15 in London is 09:15 UTC.
    data = answers(
        token,
        observed_day="1",
        observed_month="7",
        observed_year="2026",
        observed_time="10:15am",
        start_day="3",
        start_month="6",
        start_year="2026",
        start_time="9am",
    )
    pinned = datetime.datetime(2026, 8, 1, 12, tzinfo=datetime.UTC)
    with mock.patch("django.utils.timezone.now", return_value=pinned):
        response = client.post(FORM_URL, data)
    assert response.status_code == 303
    reading = Reading.objects.get()
    assert reading.observed_at == datetime.datetime(2026, 7, 1, 9, 15, tzinfo=datetime.UTC)
    assert reading.exposure_start == datetime.datetime(2026, 6, 3, 8, 0, tzinfo=datetime.UTC)


def test_a_reading_somewhere_else_keeps_its_location_private(client, instant_campaign):
    token = open_form(client, "/science/rain/log/")
    data = answers(
        token,
        site="@elsewhere",
        latitude="51.4712",
        longitude="-0.1123",
        accuracy_m="10 m",
        value="4.2 mm",
        start_day=None,
        start_month=None,
        start_year=None,
        start_time=None,
    )
    response = client.post("/science/rain/log/", data)
    assert response.status_code == 303
    reading = Reading.objects.get()
    assert (float(reading.latitude), float(reading.longitude), reading.accuracy_m) == (
        51.4712,
        -0.1123,
        10.0,
    )
    assert reading.value == 4.2
    html = client.get(response["Location"]).content.decode()
    assert "51.47" not in html
    assert "the exact position is kept private" in html
    assert "accepted straight away" in html  # this campaign accepts usual readings itself


def test_sending_the_same_form_twice_stores_one_reading_with_one_receipt(client, campaign):
    token = open_form(client)
    first = client.post(FORM_URL, answers(token))
    receipt = Reading.objects.get().receipt
    again = client.post(FORM_URL, answers(token, value="99"))  # a refresh, or the back button
    assert first.status_code == again.status_code == 303
    assert Reading.objects.count() == 1
    html = client.get(again["Location"]).content.decode()
    assert receipt in html
    assert "We already had this reading from you" in html
    # A new form gets a new client_uuid, so the next reading is a new one.
    client.post(FORM_URL, answers(open_form(client)))
    assert Reading.objects.count() == 2


def test_a_made_up_client_uuid_is_refused(client, campaign):
    response = client.post(FORM_URL, answers("5d6f1a52-4c4e-4c0b-9a5e-1b2c3d4e5f60"))
    assert response.status_code == 200
    assert "This form could not be checked" in response.content.decode()
    assert not Reading.objects.exists()
    # A genuine token is handed out for the next try.
    assert TOKEN.search(response.content.decode())[1] != "5d6f1a52-4c4e-4c0b-9a5e-1b2c3d4e5f60"


def fake_image() -> SimpleUploadedFile:
    return SimpleUploadedFile("tube.jpg", b"<?php echo 'not a photo'; ?>", "image/jpeg")


def real_image() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "JPEG")
    return SimpleUploadedFile("tube.jpg", buffer.getvalue(), "image/jpeg")


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": ""}, "value", "Enter your reading."),
        ({"value": "about forty"}, "value", "Enter your reading as a number, like 23.4."),
        ({"value": "NaN"}, "value", "Enter your reading as a number, like 23.4."),
        ({"value": "9000"}, "value", "9000 is impossible here: values run from 0 to 500 µg/m³."),
        ({"site": ""}, "site", "Choose the site where you took the reading"),
        ({"site": "no2-999"}, "site", "That site is not part of this campaign any more."),
        ({"consent": None}, "consent", "Tick the box to say you agree"),
        ({"observed_time": ""}, "observed_time", "Enter the time you took the tube down"),
        ({"observed_time": "25:61"}, "observed_time", "Enter the time as hours and minutes"),
        (
            {"observed_day": "31", "observed_month": "2"},
            "observed",
            "The date you took the tube down must be a real date",
        ),
        (
            {"observed_month": ""},
            "observed",
            "The date you took the tube down must include a month",
        ),
        (
            {"start_day": "", "start_month": "", "start_year": ""},
            "start",
            "Enter the date you put the tube up.",
        ),
        ({"site": "@elsewhere"}, "latitude", "Enter the latitude of the place"),
        (
            {"site": "@elsewhere", "latitude": "95", "longitude": "0", "accuracy_m": "5"},
            "latitude",
            "Give the latitude in decimal degrees, between -90 and 90.",
        ),
        ({"notes": "x" * 1001}, "notes", "Keep your notes under 1,000 characters"),
    ],
)
def test_each_mistake_is_shown_on_its_field_and_nothing_is_stored(
    client, campaign, overrides, field, message
):
    response = client.post(FORM_URL, answers(open_form(client), **overrides))
    assert response.status_code == 200
    errors = errors_on(response)
    assert field in errors, errors
    assert errors[field].startswith(message), errors[field]
    assert "There is a problem" in response.content.decode()
    assert "<title>Error:" in response.content.decode()
    assert not Reading.objects.exists()


def test_the_tube_must_go_up_before_it_comes_down(client, campaign):
    now = timezone.now()
    data = answers(
        open_form(client),
        **local_parts("start", now - datetime.timedelta(hours=1)),
        **local_parts("observed", now - datetime.timedelta(days=3)),
    )
    response = client.post(FORM_URL, data)
    assert errors_on(response)["start"] == "The exposure must start before it ends."
    assert summary_links(response) == ["start_day"]
    assert not Reading.objects.exists()


def test_a_time_in_the_future_is_refused(client, campaign):
    data = answers(
        open_form(client), **local_parts("observed", timezone.now() + datetime.timedelta(days=2))
    )
    response = client.post(FORM_URL, data)
    assert errors_on(response)["observed"] == (
        "The date you took the tube down must be in the past. Check the date and the time."
    )
    assert not Reading.objects.exists()


def test_a_reading_before_the_campaign_began_is_refused(client, campaign):
    data = answers(
        open_form(client),
        start_day="1",
        start_month="11",
        start_year="2025",
        observed_day="20",
        observed_month="12",
        observed_year="2025",
    )
    response = client.post(FORM_URL, data)
    assert errors_on(response)["observed"] == "This is before the campaign began on 1 January 2026."
    assert not Reading.objects.exists()


def test_the_error_summary_links_to_each_field_in_page_order(client, campaign):
    response = client.post(
        FORM_URL, answers(open_form(client), value="", consent=None, observed_month="")
    )
    assert summary(response) == [
        ("value", "Enter your reading."),
        ("observed_month", "The date you took the tube down must include a month."),
        (
            "consent",
            "Tick the box to say you agree to how your reading is kept and published. We "
            "cannot take a reading without it.",
        ),
    ]
    html = response.content.decode()
    assert 'id="value"' in html
    assert 'aria-describedby="value-hint value-error"' in html


def test_what_was_typed_comes_back_escaped(client, campaign):
    notes = '<script>alert("x")</script> <b>bold</b>'
    response = client.post(FORM_URL, answers(open_form(client), notes=notes, value=""))
    html = response.content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert" not in html
    assert "<b>bold</b>" not in html
    assert errors_on(response)["value"] == "Enter your reading."
    assert not Reading.objects.exists()


def test_html_in_notes_is_kept_as_text_and_shown_escaped(client, campaign):
    notes = "<img src=x onerror=alert(1)>"
    response = client.post(FORM_URL, answers(open_form(client), notes=notes))
    assert response.status_code == 303
    assert Reading.objects.get().notes == notes  # stored as typed; every page escapes it


def test_a_fake_image_is_refused_and_nothing_is_stored(client, campaign):
    response = client.post(FORM_URL, {**answers(open_form(client)), "photo": fake_image()})
    assert response.status_code == 200
    assert "photo" in errors_on(response)
    assert not Reading.objects.exists()
    assert not ReadingPhoto.objects.exists()


def test_a_photo_is_kept_with_the_reading_once(client, campaign):
    token = open_form(client)
    response = client.post(FORM_URL, {**answers(token), "photo": real_image()})
    assert response.status_code == 303
    photo = ReadingPhoto.objects.get()
    assert photo.reading == Reading.objects.get()
    assert (
        "Kept, without its location and camera details"
        in client.get(response["Location"]).content.decode()
    )
    client.post(FORM_URL, {**answers(token), "photo": real_image()})
    assert ReadingPhoto.objects.count() == 1


def test_a_chosen_photo_must_be_chosen_again_after_an_error(client, campaign):
    response = client.post(
        FORM_URL, {**answers(open_form(client), value=""), "photo": real_image()}
    )
    assert "Choose your photo again" in response.content.decode()


@pytest.mark.parametrize("state", ["planned", "closed", "published"])
def test_a_campaign_not_taking_readings_shows_no_form(client, science, state):
    CampaignPageFactory(parent=science, slug="no2-tubes", state=state)
    response = client.get(FORM_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This campaign is not taking readings" in html
    assert "<form" not in html.split("<main", 1)[1]
    assert (
        'href="/science/no2-tubes/log/"' not in client.get("/science/no2-tubes/").content.decode()
    )


def test_a_form_sent_after_the_campaign_closed_stores_nothing(client, campaign):
    token = open_form(client)
    campaign.state = "closed"
    campaign.save_revision().publish()
    response = client.post(FORM_URL, answers(token))
    assert "This campaign is not taking readings" in response.content.decode()
    assert not Reading.objects.exists()


def test_a_draft_campaign_is_not_found(client, science):
    CampaignPageFactory(parent=science, slug="no2-tubes", live=False)
    assert client.get(FORM_URL).status_code == 404


def test_the_confirmation_without_a_reading_in_the_session_goes_back_to_the_form(client, campaign):
    response = client.get(f"{FORM_URL}?sent")
    assert response.status_code == 302
    assert response["Location"] == FORM_URL


def test_someone_elses_confirmation_is_not_shown(client, campaign):
    client.post(FORM_URL, answers(open_form(client)))
    stranger = Client()
    assert stranger.get(f"{FORM_URL}?sent").status_code == 302


def test_the_form_needs_its_csrf_token(campaign):
    strict = Client(enforce_csrf_checks=True)
    token = open_form(strict)
    assert strict.post(FORM_URL, answers(token)).status_code == 403
    assert not Reading.objects.exists()


@override_settings(
    REST_FRAMEWORK={
        "DEFAULT_THROTTLE_RATES": {"web_readings": "2/hour", "readings": "120/minute"},
        "DEFAULT_THROTTLE_CLASSES": ["api.throttling.WriteThrottle"],
    }
)
def test_too_many_readings_from_one_connection_are_refused_politely(client, campaign):
    for _attempt in range(2):
        assert client.post(FORM_URL, answers(open_form(client))).status_code == 303
    response = client.post(FORM_URL, answers(open_form(client)))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Nothing from this form has been saved" in response.content.decode()
    assert Reading.objects.count() == 2
    # Another connection is counted on its own.
    other = Client(REMOTE_ADDR="192.0.2.44")
    assert other.post(FORM_URL, answers(open_form(other))).status_code == 303


def test_the_rate_limit_keeps_no_address(client, campaign):
    from django.core.cache import cache

    client.post(FORM_URL, answers(open_form(client)))
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys, "expected the locmem cache to hold the counter"
    assert not any("127.0.0.1" in str(key) for key in keys)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14:30", datetime.time(14, 30)),
        ("14.30", datetime.time(14, 30)),
        ("2:30pm", datetime.time(14, 30)),
        ("2:30 PM", datetime.time(14, 30)),
        ("9am", datetime.time(9, 0)),
        ("12am", datetime.time(0, 0)),
        ("12pm", datetime.time(12, 0)),
        ("midday", datetime.time(12, 0)),
        ("0:05", datetime.time(0, 5)),
        ("14", None),
        ("13pm", None),
        ("24:00", None),
        ("half two", None),
    ],
)
def test_times_are_read_as_people_write_them(text, expected):
    assert parse_time(text) == expected
