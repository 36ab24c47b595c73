"""Residents ask for an unpublished DPIA, or its withheld parts, to be published."""

import pytest
from django.core import mail

from portal.concerns.models import Concern
from tests.factories import (
    CCTV_CHAIN,
    AssessmentIndexPageFactory,
    DevicePageFactory,
    DpiaPageFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def camera(register):
    return DevicePageFactory(parent=register, title="CCTV, Market Square", datachain=CCTV_CHAIN)


def test_a_camera_without_a_published_dpia_offers_to_ask_for_it(client, camera):
    html = client.get(camera.url).content.decode()
    link = f'href="/concerns/?device={camera.code}&amp;category=publish_dpia"'
    assert link in html
    assert "Ask for it to be published" in html


def test_the_request_form_arrives_with_the_request_chosen(client, camera):
    html = client.get(f"/concerns/?device={camera.code}&category=publish_dpia").content.decode()
    assert "Ask for a data protection impact assessment to be published" in html
    assert 'value="publish_dpia" checked' in html


def test_a_request_lands_in_the_admin_with_a_status(client, admin_client, camera):
    response = client.post(
        "/concerns/",
        {
            "device": camera.code,
            "category": "publish_dpia",
            "description": "Please publish the assessment for this camera.",
        },
    )
    request = Concern.objects.get()
    assert response["Location"] == f"/concerns/{request.reference}/?new=1"
    assert request.is_publication_request
    status_page = client.get(f"/concerns/{request.reference}/").content.decode()
    assert f"Request {request.reference}" in status_page

    listing = admin_client.get(
        "/admin/snippets/concerns/concern/", {"category": "publish_dpia"}
    ).content.decode()
    assert request.reference in listing
    assert "Received" in listing


def test_a_dpia_with_withheld_parts_offers_to_ask_for_them(client, site_tree, camera):
    index = AssessmentIndexPageFactory(parent=site_tree[0])
    redacted = DpiaPageFactory(
        parent=index, need_level="redacted", need_reason="It would show where cameras point."
    )
    complete = DpiaPageFactory(parent=index)

    assert (
        f"/concerns/?dpia={redacted.pk}&amp;category=publish_dpia"
        in client.get(redacted.url).content.decode()
    )
    assert "Ask for the withheld parts" not in client.get(complete.url).content.decode()

    client.post(
        "/concerns/",
        {"dpia": redacted.pk, "category": "publish_dpia", "description": "Publish step 1."},
    )
    request = Concern.objects.get()
    assert (request.dpia, request.device) == (redacted, None)
    assert redacted.title in client.get(f"/concerns/{request.reference}/").content.decode()


def test_an_unpublished_dpia_cannot_be_targeted_by_id(client, site_tree):
    index = AssessmentIndexPageFactory(parent=site_tree[0])
    draft = DpiaPageFactory(parent=index, live=False)
    response = client.post(
        "/concerns/", {"dpia": draft.pk, "category": "publish_dpia", "description": "x"}
    )
    assert response.status_code == 404
    assert not Concern.objects.exists()


def test_staff_are_emailed_about_each_new_request(
    client, camera, settings, django_capture_on_commit_callbacks
):
    settings.CONCERNS_EMAIL = "dataprotection@millbrook.example, cctv@millbrook.example"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/concerns/",
            {"device": camera.code, "category": "publish_dpia", "description": "Please."},
        )
    [message] = mail.outbox
    request = Concern.objects.get()
    assert message.to == ["dataprotection@millbrook.example", "cctv@millbrook.example"]
    assert request.reference in message.subject
    assert camera.title in message.subject
    assert f"/admin/snippets/concerns/concern/edit/{request.pk}/" in message.body
