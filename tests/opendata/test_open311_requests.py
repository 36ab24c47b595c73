"""Reading concerns as GeoReport v2 service requests: what is published, and what never is."""

import datetime
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal.concerns.models import Concern
from tests.opendata import open311_support as support
from tests.opendata.open311_support import (
    BASE,
    as_json,
    as_xml,
    error_descriptions,
    make_concern,
)

pytestmark = pytest.mark.django_db
camera = support.camera
sensor = support.sensor

TODAY = datetime.date(2025, 7, 15)  # British Summer Time: midnight is +01:00
WINTER_DAY = datetime.date(2025, 1, 15)


def get_requests(client, fmt="json", **params):
    return client.get(f"{BASE}/requests.{fmt}?{urlencode(params)}")


def ids(response) -> list[str]:
    return [request["service_request_id"] for request in as_json(response)]


def test_a_request_publishes_what_its_status_page_shows_and_no_more(client, camera):
    concern = make_concern(
        camera,
        category="objection",
        description="My name is Alex and I live at number 4; the camera looks into my bedroom.",
        email="alex@example.com",
        status=Concern.Status.IN_PROGRESS,
        public_note="We are checking the camera's field of view.",
    )
    [request] = as_json(client.get(f"{BASE}/requests/{concern.reference}.json"))
    assert request == {
        "service_request_id": concern.reference,
        "status": "open",
        "status_detail": "Being looked at",
        "status_notes": "We are checking the camera's field of view.",
        "service_name": "I object to it or to how it uses data",
        "service_code": "objection",
        "agency_responsible": "Kestrel Traffic Systems Ltd",
        "requested_datetime": request["requested_datetime"],
        "updated_datetime": request["updated_datetime"],
        "address": "On the pole by the market clock",
        "lat": 51.47,
        "long": -0.11,
        "device_code": camera.code,
        "device_name": "CCTV, Market Square",
    }
    body = client.get(f"{BASE}/requests.json").content.decode()
    body += client.get(f"{BASE}/requests.xml").content.decode()
    assert "bedroom" not in body
    assert "alex@example.com" not in body
    status_page = client.get(f"/concerns/{concern.reference}/").content.decode()
    assert "bedroom" not in status_page  # the page promises what was written stays private


def test_a_request_in_xml(client, camera):
    concern = make_concern(camera)
    root = as_xml(client.get(f"{BASE}/requests/{concern.reference.lower()}.xml"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("service_request_id") == concern.reference
    assert request.findtext("status") == "open"
    assert request.find("status_notes").text is None
    assert request.findtext("device_code") == camera.code
    assert request.find("description") is None


@pytest.mark.parametrize(
    ("status", "published"),
    [
        (Concern.Status.RECEIVED, "open"),
        (Concern.Status.IN_PROGRESS, "open"),
        (Concern.Status.ANSWERED, "open"),
        (Concern.Status.CLOSED_ACTION, "closed"),
        (Concern.Status.CLOSED_NO_ACTION, "closed"),
    ],
)
def test_every_internal_status_maps_to_open_or_closed(client, camera, status, published):
    concern = make_concern(camera, status=status)
    [request] = as_json(client.get(f"{BASE}/requests/{concern.reference}.json"))
    assert request["status"] == published
    assert request["status_detail"] == Concern.Status(status).label
    assert ids(get_requests(client, status=published)) == [concern.reference]
    other = "closed" if published == "open" else "open"
    assert ids(get_requests(client, status=other)) == []


def test_days_are_published_as_midnight_council_time_with_the_offset(client, camera):
    concern = make_concern(camera, status="answered", received_on=WINTER_DAY, updated_on=TODAY)
    [request] = as_json(client.get(f"{BASE}/requests/{concern.reference}.json"))
    assert request["requested_datetime"] == "2025-01-15T00:00:00+00:00"
    assert request["updated_datetime"] == "2025-07-15T00:00:00+01:00"


def test_the_council_answers_for_a_device_with_no_organisation(client, register):
    from portal.core.models import CouncilSettings
    from tests.factories import DevicePageFactory

    council = CouncilSettings.for_site(register.get_site())
    council.council_name = "Millbrook Borough Council"
    council.save()
    device = DevicePageFactory(parent=register, organisations=[])
    concern = make_concern(device)
    [request] = as_json(client.get(f"{BASE}/requests/{concern.reference}.json"))
    assert request["agency_responsible"] == "Millbrook Borough Council"


def test_the_list_is_newest_first_within_90_days_by_default(client, camera):
    today = timezone.localdate()
    recent = make_concern(camera, received_on=today - datetime.timedelta(days=3))
    newest = make_concern(camera, received_on=today)
    old = make_concern(camera, received_on=today - datetime.timedelta(days=91))
    assert ids(get_requests(client)) == [newest.reference, recent.reference]
    asked = get_requests(client, start_date=(today - datetime.timedelta(days=100)).isoformat())
    assert ids(asked) == [newest.reference, recent.reference, old.reference]


def test_date_filters_follow_the_published_datetimes(client, camera):
    first = make_concern(camera, received_on=datetime.date(2025, 3, 1))
    second = make_concern(camera, received_on=datetime.date(2025, 3, 2))
    third = make_concern(camera, received_on=datetime.date(2025, 3, 3))
    window = get_requests(client, start_date="2025-03-02", end_date="2025-03-02T23:59:59Z")
    assert ids(window) == [second.reference]
    # 2 March 09:00 is after that day's published midnight, so the 2nd is left out.
    later = get_requests(client, start_date="2025-03-02T09:00:00+00:00", end_date="2025-03-03")
    assert ids(later) == [third.reference]
    assert first.reference in ids(get_requests(client, start_date="2025-02-01"))


def test_filters_by_service_code_and_by_ids(client, camera):
    question = make_concern(camera, category="question")
    problem = make_concern(camera, category="problem")
    assert ids(get_requests(client, service_code="problem")) == [problem.reference]
    both = f"{question.reference.lower()}, {problem.reference}"
    # With ids, other filters are ignored, as the spec says.
    asked = get_requests(client, service_request_id=both, service_code="objection")
    assert sorted(ids(asked)) == sorted([question.reference, problem.reference])


def test_the_list_in_xml(client, camera, sensor):
    make_concern(camera)
    make_concern(sensor, category="problem")
    root = as_xml(get_requests(client, fmt="xml", service_code="problem"))
    assert root.tag == "service_requests"
    [request] = root.findall("request")
    assert request.findtext("device_code") == sensor.code
    assert request.findtext("lat") == "51.488"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"service_code": "pothole"}, "service_code “pothole” is not a service here"),
        ({"status": "pending"}, "status must be open, closed"),
        ({"start_date": "last week"}, "start_date “last week” is not a date"),
        ({"end_date": "2025-13-01"}, "end_date “2025-13-01” is not a date"),
        ({"start_date": "2025-03-02", "end_date": "2025-03-01"}, "start_date is after end_date"),
        ({"service_request_id": ",".join(f"C{n}" for n in range(101))}, "at most 100"),
    ],
)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_bad_filters_are_a_400_that_says_how_to_fix_them(client, params, words, fmt):
    response = get_requests(client, fmt=fmt, **params)
    assert response.status_code == 400
    assert words in " ".join(error_descriptions(response))


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_request_is_a_404(client, fmt):
    response = client.get(f"{BASE}/requests/CNOTREAL.{fmt}")
    assert response.status_code == 404
    assert "No published service request has the id “CNOTREAL”" in error_descriptions(response)[0]


def test_concerns_about_unpublished_or_restricted_devices_are_not_published(client, camera, sensor):
    hidden = make_concern(camera)
    restricted = make_concern(sensor)
    camera.unpublish()
    PageViewRestriction.objects.create(page=sensor, restriction_type="login")
    assert ids(get_requests(client)) == []
    assert client.get(f"{BASE}/requests/{hidden.reference}.json").status_code == 404
    assert client.get(f"{BASE}/requests/{restricted.reference}.json").status_code == 404


def test_a_device_past_do_not_show_after_leaves_the_list_but_its_request_stays_readable(
    client, camera
):
    concern = make_concern(camera)
    camera.hide_after = timezone.localdate() - datetime.timedelta(days=1)
    camera.save_revision().publish()
    assert ids(get_requests(client)) == []
    assert client.get(f"{BASE}/requests/{concern.reference}.json").status_code == 200


def test_a_posted_request_appears_in_the_feed_and_on_its_status_page(client, camera):
    posted = client.post(
        f"{BASE}/requests.json",
        urlencode(
            {
                "service_code": "question",
                "attribute[device_code]": camera.code,
                "description": "Who can see the footage?",
            }
        ),
        content_type="application/x-www-form-urlencoded",
    )
    reference = as_json(posted)[0]["service_request_id"]
    [listed] = as_json(get_requests(client))
    assert listed["service_request_id"] == reference
    assert listed["status"] == "open"
    assert listed["requested_datetime"].startswith(timezone.localdate().isoformat())
    page = client.get(f"/concerns/{reference}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert reference in html
    assert "CCTV, Market Square" in html


def test_the_feed_answers_conditional_gets_and_cross_origin_reads(client, camera):
    make_concern(camera)
    first = client.get(f"{BASE}/requests.json", HTTP_ORIGIN="https://data.example")
    assert first.status_code == 200
    assert first["Access-Control-Allow-Origin"] == "*"
    again = client.get(f"{BASE}/requests.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    # A change to the concern changes the ETag, so nobody keeps a stale copy.
    concern = Concern.objects.get()
    concern.public_note = "We have replied."
    concern.save()
    changed = client.get(f"{BASE}/requests.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]


def test_characters_xml_cannot_carry_are_dropped_so_the_feed_stays_readable(client, camera):
    make_concern(camera, status="answered", public_note="Fixed\x0b on Tuesday <b>&</b>")
    root = as_xml(get_requests(client, fmt="xml"))
    assert root.findtext("request/status_notes") == "Fixed on Tuesday <b>&</b>"
