"""The servicerequestupdates extension: each concern's latest public change, by day."""

import datetime

import pytest
from django.utils import timezone

from portal.concerns.models import Concern
from tests.opendata import open311_support as support
from tests.opendata.open311_support import BASE, as_json, as_xml, error_descriptions, make_concern

pytestmark = pytest.mark.django_db
camera = support.camera


def test_updates_list_status_changes_with_the_public_note(client, camera):
    untouched = make_concern(camera, description="Private words")
    answered = make_concern(
        camera,
        description="Private words",
        status=Concern.Status.CLOSED_ACTION,
        public_note="The camera now points at the road only.",
        updated_on=datetime.date(2025, 3, 4),
    )
    updates = as_json(
        client.get(f"{BASE}/servicerequestupdates.json?start_date=2025-03-01&end_date=2025-03-31")
    )
    [update] = updates
    assert update["service_request_id"] == answered.reference
    assert update["status"] == "closed"
    assert update["status_detail"] == "Closed: action taken"
    assert update["description"] == "The camera now points at the road only."
    assert update["updated_datetime"] == "2025-03-04T00:00:00+00:00"
    assert update["update_id"].startswith(answered.reference + "-")
    assert untouched.reference not in str(updates)
    assert "Private words" not in str(updates)


def test_a_new_change_gets_a_new_update_id(client, camera):
    concern = make_concern(camera, status=Concern.Status.IN_PROGRESS)
    [before] = as_json(client.get(f"{BASE}/servicerequestupdates.json"))
    concern.public_note = "We have asked the operator."
    concern.save()
    [after] = as_json(client.get(f"{BASE}/servicerequestupdates.json"))
    assert after["update_id"] != before["update_id"]
    assert after["description"] == "We have asked the operator."


def test_updates_default_to_the_last_90_days(client, camera):
    today = timezone.localdate()
    make_concern(camera, status="answered", updated_on=today - datetime.timedelta(days=120))
    recent = make_concern(camera, status="answered", updated_on=today - datetime.timedelta(days=2))
    updates = as_json(client.get(f"{BASE}/servicerequestupdates.json"))
    assert [update["service_request_id"] for update in updates] == [recent.reference]


def test_updates_in_xml(client, camera):
    make_concern(camera, status="answered", public_note="It measures loudness, not words.")
    root = as_xml(client.get(f"{BASE}/servicerequestupdates.xml"))
    assert root.tag == "service_request_updates"
    [update] = root.findall("request_update")
    assert update.findtext("status") == "open"
    assert update.findtext("description") == "It measures loudness, not words."


def test_updates_about_an_unpublished_device_are_left_out(client, camera):
    make_concern(camera, status="answered", public_note="Replied.")
    camera.unpublish()
    assert as_json(client.get(f"{BASE}/servicerequestupdates.json")) == []


def test_a_bad_date_is_explained(client):
    response = client.get(f"{BASE}/servicerequestupdates.xml?start_date=yesterday")
    assert response.status_code == 400
    assert "start_date “yesterday” is not a date" in error_descriptions(response)[0]
