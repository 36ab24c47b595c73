"""Residents who leave an address hear when their concern changes; staff hear of new ones."""

import pytest
from django.core import mail

from portal.concerns.models import Concern
from portal.concerns.services import record_concern
from portal.core.models import CouncilSettings
from tests.factories import DevicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def concern(register):
    device = DevicePageFactory(parent=register, title="Noise monitor")
    return record_concern(
        device_id=device.pk,
        category="question",
        description="Does it record voices?",
        email="resident@example.com",
    )


def test_a_new_concern_goes_to_the_council_mailbox_when_none_is_configured(
    client, register, settings, django_capture_on_commit_callbacks
):
    settings.CONCERNS_EMAIL = ""
    council = CouncilSettings.for_site(register.get_site())
    council.contact_email = "smartstreets@millbrook.example"
    council.save()
    device = DevicePageFactory(parent=register)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/concerns/", {"device": device.code, "category": "problem", "description": "Broken."}
        )
    [message] = mail.outbox
    assert message.to == ["smartstreets@millbrook.example"]
    assert "Broken." in message.body


def test_the_resident_hears_of_a_status_change_with_the_note_and_link(
    concern, django_capture_on_commit_callbacks
):
    concern.status = Concern.Status.ANSWERED
    concern.public_note = "It measures loudness only, never words."
    with django_capture_on_commit_callbacks(execute=True):
        concern.save()
    [message] = mail.outbox
    assert message.to == ["resident@example.com"]
    assert concern.reference in message.subject
    assert "Open (Answered)" in message.body
    assert "loudness only" in message.body
    assert f"/concerns/{concern.reference}/" in message.body


def test_closing_sends_a_last_email_then_forgets_the_address(
    concern, django_capture_on_commit_callbacks
):
    concern.status = Concern.Status.CLOSED_NO_ACTION
    with django_capture_on_commit_callbacks(execute=True):
        concern.save()
    [message] = mail.outbox
    assert "we have deleted your e-mail address" in message.body
    concern.refresh_from_db()
    assert concern.email == ""

    concern.public_note = "A later note."
    with django_capture_on_commit_callbacks(execute=True):
        concern.save()
    assert len(mail.outbox) == 1  # nobody left to tell


def test_saving_without_a_change_sends_nothing(concern, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        concern.save()
    assert mail.outbox == []


def test_a_broken_mail_server_loses_nothing(
    concern, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on discard
    concern.status = Concern.Status.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        concern.save()
    concern.refresh_from_db()
    assert concern.status == Concern.Status.IN_PROGRESS
    assert "Could not send the concern e-mail" in caplog.text
