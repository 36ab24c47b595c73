"""POST /api/v1/readings/: every reading gets a receipt; nothing is stored twice or half."""

import datetime
import json
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from portal.citizen_science.models import Reading
from tests.factories import CampaignPageFactory, ScienceIndexPageFactory, SiteFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def campaign(site_tree):
    index = ScienceIndexPageFactory(parent=site_tree[0])
    return CampaignPageFactory(parent=index, slug="no2-tubes")


@pytest.fixture
def site(campaign):
    return SiteFactory(campaign=campaign, code="no2-001")


@pytest.fixture
def volunteer(campaign):
    client = APIClient()
    created = client.post(
        "/api/v1/contributors/", {"consent_to": ["no2-tubes"]}, format="json"
    ).json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {created['token']}")
    return client


def reading(**overrides):
    item = {
        "client_uuid": str(uuid.uuid4()),
        "campaign": "no2-tubes",
        "site": "no2-001",
        "value": 38.5,
        "unit": "µg/m³",
        "exposure_start": (NOW - datetime.timedelta(days=28)).isoformat(),
        "observed_at": (NOW - datetime.timedelta(hours=1)).isoformat(),
    }
    item.update(overrides)
    return {key: value for key, value in item.items() if value is not None}


def send(client, *items):
    return client.post("/api/v1/readings/", {"readings": list(items)}, format="json")


def test_each_reading_gets_a_receipt_and_is_stored_once(volunteer, site):
    first = reading()
    response = send(volunteer, first, reading())
    assert response.status_code == 200
    receipts = response.json()["receipts"]
    assert [r["result"] for r in receipts] == ["created", "created"]
    assert receipts[0]["receipt"].startswith("R")
    assert receipts[0]["received_at"]
    assert Reading.objects.count() == 2

    again = send(volunteer, first).json()["receipts"][0]
    assert again["result"] == "duplicate"
    assert (again["receipt"], again["received_at"]) == (
        receipts[0]["receipt"],
        receipts[0]["received_at"],
    )
    assert Reading.objects.count() == 2


def test_one_bad_reading_never_blocks_the_others(volunteer, site):
    response = send(volunteer, reading(), reading(value="lots"), reading(unit="ppb"))
    assert response.status_code == 200
    receipts = response.json()["receipts"]
    assert [r["result"] for r in receipts] == ["created", "rejected", "rejected"]
    assert "Give the value as a number" in receipts[1]["errors"]["value"][0]
    assert "This campaign records µg/m³" in receipts[2]["errors"]["unit"][0]
    assert Reading.objects.count() == 1


def test_a_repeat_inside_one_batch_is_stored_once(volunteer, site):
    item = reading()
    receipts = send(volunteer, item, item).json()["receipts"]
    assert [r["result"] for r in receipts] == ["created", "duplicate"]
    assert receipts[0]["receipt"] == receipts[1]["receipt"]
    assert Reading.objects.count() == 1


def test_unusual_values_are_accepted_and_flagged_impossible_ones_refused(volunteer, site):
    receipts = send(volunteer, reading(value=150.0), reading(value=900.0)).json()["receipts"]
    assert receipts[0]["result"] == "created"
    assert receipts[0]["status"] == "flagged"
    assert receipts[0]["flags"] == ["unusually_high"]
    assert receipts[1]["result"] == "rejected"
    assert "impossible here: values run from 0 to 500" in receipts[1]["errors"]["value"][0]


def test_a_location_outside_the_campaign_area_is_flagged(volunteer, campaign, site):
    campaign.area_geojson = {
        "type": "Polygon",
        "coordinates": [[[-0.2, 51.4], [0.0, 51.4], [0.0, 51.5], [-0.2, 51.5], [-0.2, 51.4]]],
    }
    campaign.save()
    inside = reading(latitude=51.45, longitude=-0.1, accuracy_m=8)
    outside = reading(latitude=52.2, longitude=-0.1, accuracy_m=8)
    receipts = send(volunteer, inside, outside).json()["receipts"]
    assert receipts[0]["flags"] == []
    assert receipts[1]["flags"] == ["outside_area"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"value": 10**400}, "value", "as a number"),
        ({"value": True}, "value", "as a number"),
        ({"value": "23.4"}, "value", "as a number"),
        ({"value": 1e300}, "value", "impossible here"),
        ({"unit": "ppb"}, "unit", "Convert the value"),
        ({"observed_at": (NOW + datetime.timedelta(days=1)).isoformat()}, "observed_at", "future"),
        ({"observed_at": "1900-01-01T00:00:00+00:00"}, "observed_at", "before the campaign"),
        ({"observed_at": "2026-03-01T10:00:00"}, "observed_at", "time zone"),
        ({"observed_at": "yesterday"}, "observed_at", "time zone"),
        ({"campaign": "no-such-campaign"}, "campaign", "No open campaign"),
        ({"site": "no2-999"}, "site", "no site with that code"),
        ({"client_uuid": "abc"}, "client_uuid", "UUID"),
        ({"latitude": 51.5, "longitude": -0.1}, "accuracy_m", "accuracy in metres"),
        ({"latitude": 95, "longitude": -0.1, "accuracy_m": 5}, "latitude", "between -90 and 90"),
        ({"notes": "x" * 1001}, "notes", "under 1,000"),
        ({"exposure_start": None}, "exposure_start", "tube was put up"),
        ({"colour": "red"}, "colour", "not a reading field"),
    ],
)
def test_bad_readings_are_refused_with_a_fix_and_nothing_stored(
    volunteer, site, overrides, field, message
):
    body = json.dumps({"readings": [reading(**overrides)]}, allow_nan=True)
    response = volunteer.post("/api/v1/readings/", body, content_type="application/json")
    assert response.status_code == 400
    errors = response.json()["receipts"][0]["errors"]
    assert message in " ".join(errors[field])
    assert not Reading.objects.exists()


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("{not json", "JSON parse error"),
        # NaN and Infinity are not JSON at all, so the whole body is refused.
        ('{"readings": [{"value": NaN}]}', "not JSON compliant"),
        ('{"readings": [{"value": Infinity}]}', "not JSON compliant"),
        ('{"readings": {}}', "JSON list"),
        ('{"readings": []}', "empty"),
        ('["not", "an", "object"]', "under “readings”"),
    ],
)
def test_a_batch_that_cannot_be_read_is_a_clear_400(volunteer, site, body, message):
    response = volunteer.post("/api/v1/readings/", body, content_type="application/json")
    assert response.status_code == 400
    assert message in response.content.decode()


def test_501_readings_are_refused_whole(volunteer, site):
    response = send(volunteer, *[reading() for _ in range(501)])
    assert response.status_code == 400
    assert "at most 500 readings; this one has 501" in response.content.decode()
    assert not Reading.objects.exists()


def test_html_and_sql_in_notes_are_kept_as_plain_text(volunteer, site):
    notes = "<script>alert(1)</script>'); DROP TABLE citizen_science_reading;--"
    assert send(volunteer, reading(notes=notes)).status_code == 200
    assert Reading.objects.get().notes == notes


def test_readings_need_a_token_and_consent(site, campaign):
    anonymous = APIClient()
    assert send(anonymous, reading()).status_code in {401, 403}
    stranger = APIClient()
    token = stranger.post("/api/v1/contributors/", {}, format="json").json()["token"]
    stranger.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    refused = send(stranger, reading()).json()["receipts"][0]
    assert "consent statement" in refused["errors"]["campaign"][0]


def test_receipts_do_not_echo_where_the_reading_was_taken(volunteer, site):
    # Only the contributor's own export (GET contributors/me/) gives their exact locations back.
    sent = reading(latitude=51.463817, longitude=-0.091263, accuracy_m=6)
    body = send(volunteer, sent).content.decode()
    assert "51.463817" not in body
    assert "0.091263" not in body
