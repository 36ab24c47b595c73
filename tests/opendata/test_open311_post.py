"""Raising a concern through Open311: the web form's checks, limits, e-mails and references."""

import json
from decimal import Decimal

import pytest
from django.core import mail

from portal.concerns import services
from portal.concerns.models import Concern
from tests.factories import DevicePageFactory
from tests.opendata import open311_support as support
from tests.opendata.open311_support import BASE, as_json, as_xml, error_descriptions

pytestmark = pytest.mark.django_db
camera = support.camera
sensor = support.sensor


def post(client, data, fmt="json", **extra):
    defaults = {"REMOTE_ADDR": "203.0.113.5", "HTTP_USER_AGENT": "CivicApp/2.1 (Android 14)"}
    return client.post(
        f"{BASE}/requests.{fmt}",
        data,
        content_type="application/x-www-form-urlencoded",
        **{**defaults, **extra},
    )


def form(**fields):
    """A form-encoded body, as GeoReport clients send it."""
    from urllib.parse import urlencode

    data = {
        "service_code": "objection",
        "attribute[device_code]": "",
        "description": "Please point the camera away from our windows.",
    }
    data.update(fields)
    return urlencode(data)


def test_a_request_by_device_code_becomes_a_concern_with_a_reference(
    client, camera, settings, django_capture_on_commit_callbacks
):
    settings.CONCERNS_EMAIL = "smartstreets@council.example"
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, form(**{"attribute[device_code]": camera.code.lower()}))
    assert response.status_code == 201
    [receipt] = as_json(response)
    concern = Concern.objects.get()
    assert receipt["service_request_id"] == concern.reference
    assert receipt["account_id"] is None
    assert f"/concerns/{concern.reference}/" in receipt["service_notice"]
    assert "What you wrote is not published" in receipt["service_notice"]
    assert concern.device == camera
    assert concern.category == "objection"
    assert concern.reference.startswith("C")
    assert len(concern.reference) == 8
    # Staff hear of it exactly as they do of a concern from the web form.
    [message] = mail.outbox
    assert message.to == ["smartstreets@council.example"]
    assert concern.reference in message.subject
    assert "away from our windows" in message.body


def test_the_receipt_in_xml(client, camera):
    response = post(client, form(**{"attribute[device_code]": camera.code}), fmt="xml")
    assert response.status_code == 201
    root = as_xml(response)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert request.findtext("service_request_id") == Concern.objects.get().reference
    assert request.find("account_id").text is None


def test_a_request_by_location_finds_the_device_within_50_metres(client, camera, sensor):
    # About 20 metres east of the camera; the sensor is 2 km away.
    response = post(client, form(lat="51.470000", long="-0.109740"))
    assert response.status_code == 201
    concern = Concern.objects.get()
    assert concern.device == camera
    notice = as_json(response)[0]["service_notice"]
    assert f"CCTV, Market Square ({camera.code}), 18 metres" in notice


def test_a_point_far_from_any_device_asks_for_the_code(client, camera):
    response = post(client, form(lat="51.480000", long="-0.110000"))
    assert response.status_code == 400
    [message] = error_descriptions(response)
    assert "No published device is within 50 metres" in message
    assert "attribute[device_code]" in message
    assert not Concern.objects.exists()


def test_two_devices_at_one_point_ask_which_one(client, camera, register):
    twin = DevicePageFactory(
        parent=register,
        title="Noise monitor, Market Square",
        latitude=Decimal("51.470010"),
        longitude=Decimal("-0.110000"),
    )
    response = post(client, form(lat="51.470000", long="-0.110000"))
    assert response.status_code == 400
    [message] = error_descriptions(response)
    assert camera.code in message
    assert twin.code in message
    assert "Give the code of the one you mean" in message
    assert not Concern.objects.exists()


def test_an_unpublished_device_cannot_be_found_by_code_or_location(client, camera):
    camera.unpublish()
    by_code = post(client, form(**{"attribute[device_code]": camera.code}))
    by_place = post(client, form(lat="51.470000", long="-0.110000"))
    assert by_code.status_code == by_place.status_code == 400
    assert f"No published device has the code {camera.code}" in error_descriptions(by_code)[0]
    assert "No published device is within 50 metres" in error_descriptions(by_place)[0]
    assert not Concern.objects.exists()


def test_json_bodies_are_accepted_with_a_nested_attribute(client, camera):
    body = {
        "service_code": "problem",
        "attribute": {"device_code": camera.code},
        "description": "The camera housing is cracked.",
        "email": "resident@example.com",
    }
    response = client.post(f"{BASE}/requests.json", body, content_type="application/json")
    assert response.status_code == 201
    concern = Concern.objects.get()
    assert concern.category == "problem"
    assert concern.email == "resident@example.com"  # kept only until it is closed


def test_the_email_is_forgotten_when_the_concern_closes(client, camera):
    post(client, form(**{"attribute[device_code]": camera.code}, email="resident@example.com"))
    concern = Concern.objects.get()
    concern.status = Concern.Status.CLOSED_NO_ACTION
    concern.save()
    concern.refresh_from_db()
    assert concern.email == ""


def test_nothing_about_the_sender_is_stored(client, camera):
    post(
        client,
        form(
            **{"attribute[device_code]": camera.code},
            first_name="Alex",
            last_name="Resident",
            phone="07700 900123",
            device_id="android-5f3c9a",
            api_key="anything",
        ),
    )
    stored = " ".join(str(value) for value in Concern.objects.values().get().values())
    for detail in ("203.0.113.5", "CivicApp", "Alex", "Resident", "07700", "android-5f3c9a"):
        assert detail not in stored


def test_no_cookie_and_no_csrf_token_are_needed(client, camera):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = post(strict, form(**{"attribute[device_code]": camera.code}))
    assert response.status_code == 201
    assert not response.cookies
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"service_code": ""}, ["service_code is missing", "question, problem, objection"]),
        ({"service_code": "pothole"}, ["service_code “pothole” is not a service here"]),
        ({"lat": "north", "long": "-0.11"}, ["lat “north” is not a coordinate"]),
        ({"lat": "51.47", "long": "200"}, ["between -180 and 180"]),
        ({"lat": "nan", "long": "-0.11"}, ["lat “nan” is not a coordinate"]),
        ({"lat": "51.47"}, ["Give both lat and long"]),
        ({}, ["Say which device the concern is about", "attribute[device_code]"]),
        ({"attribute[device_code]": "K7Q-29XM"}, ["is not a device code", "check each character"]),
        ({"attribute[device_code]": "k7q29xg"}, ["No published device has the code K7Q-29XG"]),
        ({"description": ""}, ["description: Tell us what your question, problem or objection"]),
        ({"description": "x" * 2001}, ["Keep your message under 2,000 characters (it has 2001)"]),
        ({"email": "not-an-address"}, ["email: Enter an e-mail address like name@example.com"]),
        ({"media_url": "https://img.example/1.jpg"}, ["Photos and other media are not accepted"]),
    ],
)
def test_bad_input_is_a_400_that_says_how_to_fix_it(client, camera, fields, expected):
    if "lat" not in fields and "attribute[device_code]" not in fields and fields != {}:
        fields = {"attribute[device_code]": camera.code, **fields}
    response = post(client, form(**fields))
    assert response.status_code == 400
    text = " ".join(error_descriptions(response))
    for words in expected:
        assert words in text
    assert not Concern.objects.exists()


def test_every_problem_is_reported_at_once_in_xml(client):
    response = post(client, form(service_code="", description="", email="x@"), fmt="xml")
    assert response.status_code == 400
    messages = error_descriptions(response)
    assert len(messages) == 4  # service_code, description, e-mail and the missing device
    assert not Concern.objects.exists()


def test_an_empty_body_lists_what_is_missing(client):
    response = client.post(f"{BASE}/requests.json")
    assert response.status_code == 400
    text = " ".join(error_descriptions(response))
    assert "service_code is missing" in text
    assert "Say which device" in text


@pytest.mark.parametrize(
    ("body", "content_type", "status", "words"),
    [
        ("service_code=question", "text/plain", 415, "application/x-www-form-urlencoded"),
        ("{not json", "application/json", 400, "not valid JSON"),
        ('["question"]', "application/json", 400, "Send one JSON object"),
    ],
)
def test_bodies_that_cannot_be_read_are_refused(client, body, content_type, status, words):
    response = client.post(f"{BASE}/requests.json", body, content_type=content_type)
    assert response.status_code == status
    assert words in error_descriptions(response)[0]
    assert not Concern.objects.exists()


def test_json_lists_where_text_belongs_fail_validation(client, camera):
    body = {"service_code": ["question"], "attribute": {"device_code": camera.code}}
    response = client.post(f"{BASE}/requests.json", json.dumps(body), "application/json")
    assert response.status_code == 400
    assert not Concern.objects.exists()


def test_an_attached_file_is_refused(client, camera):
    from django.core.files.uploadedfile import SimpleUploadedFile

    photo = SimpleUploadedFile("p.jpg", b"\xff\xd8\xff", content_type="image/jpeg")
    response = client.post(
        f"{BASE}/requests.json",
        {"service_code": "problem", "attribute[device_code]": camera.code, "media": photo},
    )
    assert response.status_code == 400
    assert "Photos and other media are not accepted" in error_descriptions(response)[0]
    assert not Concern.objects.exists()


def test_posts_share_the_web_forms_hourly_limit(client, camera, monkeypatch):
    monkeypatch.setattr(services, "PER_VISITOR_PER_HOUR", 2)
    good = form(**{"attribute[device_code]": camera.code})
    web = {"device": camera.code, "category": "question", "description": "Who runs it?"}
    assert client.post("/concerns/", web, REMOTE_ADDR="203.0.113.5").status_code == 302
    assert post(client, good).status_code == 201
    refused = post(client, good, fmt="xml")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert "Nothing has been saved" in error_descriptions(refused)[0]
    assert Concern.objects.count() == 2
    # Someone else, at another address, is not held back.
    assert post(client, good, REMOTE_ADDR="198.51.100.7").status_code == 201


def test_other_methods_are_refused_in_georeport_form(client):
    response = client.put(f"{BASE}/requests.json")
    assert response.status_code == 405
    assert "GET, POST" in error_descriptions(response)[0]
