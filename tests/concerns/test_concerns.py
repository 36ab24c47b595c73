"""Residents raise a concern from a device page and follow it; nothing identifies them."""

import pytest

from portal.concerns import services
from portal.concerns.models import Concern
from tests.factories import DevicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(register):
    return DevicePageFactory(parent=register, title="CCTV, Market Square")


def raise_concern(client, device, **overrides):
    data = {
        "device": device.code,
        "category": "objection",
        "description": "I do not want my street filmed at night.",
        "email": "",
    }
    data.update(overrides)
    return client.post("/concerns/", data, REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT="Mozilla/5.0")


def test_every_device_page_has_the_form_and_sets_no_cookie(client, device):
    response = client.get(device.url)
    html = response.content.decode()
    assert 'action="/concerns/"' in html
    assert f'name="device" value="{device.code}"' in html
    assert "We delete it as soon as your concern is closed" in html
    assert not response.cookies


def test_raising_a_concern_gives_a_reference_and_a_status_page(client, device):
    response = raise_concern(client, device, email="resident@example.com")
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert response["Location"] == f"/concerns/{concern.reference}/?new=1"
    page = client.get(response["Location"]).content.decode()
    assert concern.reference in page
    assert "Thank you: we have your message" in page
    assert "Open" in page
    assert "I do not want my street filmed" not in page  # others with the link cannot read it
    assert concern.device == device
    assert concern.email == "resident@example.com"


def test_nothing_about_the_visitor_is_stored(client, device):
    raise_concern(client, device)
    fields = {field.name for field in Concern._meta.get_fields()}
    assert not {"ip", "ip_address", "user_agent", "remote_addr"} & fields
    stored = " ".join(str(value) for value in Concern.objects.values().get().values())
    assert "203.0.113.5" not in stored
    assert "Mozilla" not in stored


def test_bad_input_is_explained_and_nothing_is_saved(client, device):
    response = raise_concern(client, device, category="", description="", email="not-an-address")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Choose what your message is about." in html
    assert "Tell us what your question, problem or objection is." in html
    assert "Enter an e-mail address like name@example.com" in html
    assert 'value="not-an-address"' in html  # what they typed is kept
    assert not Concern.objects.exists()


def test_an_overlong_message_is_refused_with_its_length(client, device):
    response = raise_concern(client, device, description="x" * 2001)
    assert "Keep your message under 2,000 characters (it has 2001)" in response.content.decode()


def test_closing_a_concern_deletes_the_email_and_the_status_page_shows_the_note(client, device):
    raise_concern(client, device, email="resident@example.com")
    concern = Concern.objects.get()
    concern.status = Concern.Status.CLOSED_ACTION
    concern.public_note = "The camera has been turned away from the houses."
    concern.save()
    concern.refresh_from_db()
    assert concern.email == ""
    page = client.get(f"/concerns/{concern.reference}/").content.decode()
    assert "Closed" in page
    assert "turned away from the houses" in page


def test_unknown_references_and_devices_are_not_found(client, device):
    assert client.get("/concerns/CNOTREAL/").status_code == 404
    unknown = client.post("/concerns/", {"device": "ZZZ-ZZZZ", "category": "question"})
    assert unknown.status_code == 404


def test_too_many_concerns_are_refused_politely_and_not_saved(client, device, monkeypatch):
    monkeypatch.setattr(services, "PER_VISITOR_PER_HOUR", 2)
    assert raise_concern(client, device).status_code == 302
    assert raise_concern(client, device).status_code == 302
    response = raise_concern(client, device)
    assert response.status_code == 429
    assert "Nothing has been saved" in response.content.decode()
    assert Concern.objects.count() == 2


def test_staff_see_concerns_in_the_admin(admin_client, client, device):
    raise_concern(client, device)
    html = admin_client.get("/admin/snippets/concerns/concern/").content.decode()
    assert Concern.objects.get().reference in html
