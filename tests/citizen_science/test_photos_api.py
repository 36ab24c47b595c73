"""POST /api/v1/readings/<uuid>/photos/: stored re-encoded, once, and erased with the volunteer."""

import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from rest_framework.test import APIClient

from portal.citizen_science.models import ReadingPhoto
from tests.citizen_science.test_photos import (
    SECRETS,
    png_declaring_size,
    private_exif,
    two_colour_picture,
)
from tests.factories import CampaignPageFactory, ScienceIndexPageFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteer(site_tree):
    campaign = CampaignPageFactory(
        parent=ScienceIndexPageFactory(parent=site_tree[0]), slug="rain", sampling="instant"
    )
    SiteFactory(campaign=campaign, code="rain-001")
    client = APIClient()
    token = client.post("/api/v1/contributors/", {"consent_to": ["rain"]}, format="json").json()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    return client


def send_reading(client) -> str:
    client_uuid = str(uuid.uuid4())
    item = {
        "client_uuid": client_uuid,
        "campaign": "rain",
        "site": "rain-001",
        "value": 12.0,
        "unit": "µg/m³",
        "observed_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    }
    assert client.post("/api/v1/readings/", {"readings": [item]}, format="json").status_code == 200
    return client_uuid


def phone_jpeg() -> bytes:
    out = io.BytesIO()
    two_colour_picture((320, 200)).save(out, "JPEG", exif=private_exif(orientation=6))
    return out.getvalue()


def upload(client, reading_uuid, content, photo_uuid=None, name="tube.jpg"):
    return client.post(
        f"/api/v1/readings/{reading_uuid}/photos/",
        {
            "client_uuid": photo_uuid or str(uuid.uuid4()),
            "photo": SimpleUploadedFile(name, content, content_type="image/jpeg"),
        },
        format="multipart",
    )


def test_a_photo_is_stored_without_any_metadata_and_once(volunteer):
    reading_uuid = send_reading(volunteer)
    photo_uuid = str(uuid.uuid4())
    response = upload(volunteer, reading_uuid, phone_jpeg(), photo_uuid)
    assert response.status_code == 201
    assert response.json()["receipt"].startswith("R")
    photo = ReadingPhoto.objects.get()
    for stored in (photo.image, photo.thumbnail):
        content = stored.read()
        assert not [secret for secret in SECRETS if secret in content]
        assert not Image.open(io.BytesIO(content)).getexif()
    assert (photo.width, photo.height) == (200, 320)  # turned upright before EXIF went

    again = upload(volunteer, reading_uuid, phone_jpeg(), photo_uuid)
    assert again.status_code == 200
    assert again.json()["result"] == "duplicate"
    assert again.json()["receipt"] == response.json()["receipt"]
    assert ReadingPhoto.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "tube.jpg", "JPEG, PNG or WebP"),
        (b"", "tube.jpg", "empty"),
        (b"\xff" * 10_000_001, "huge.jpg", "the largest accepted is 10 MB"),
        (png_declaring_size(9000, 9000), "bomb.png", "pixels"),
    ],
    ids=["html", "empty", "oversized", "decompression-bomb"],
)
def test_files_that_are_not_photos_are_refused_and_nothing_stored(
    volunteer, content, name, message
):
    response = upload(volunteer, send_reading(volunteer), content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ReadingPhoto.objects.exists()


def test_only_your_own_readings_take_photos(volunteer, site_tree):
    reading_uuid = send_reading(volunteer)
    other = APIClient()
    token = other.post("/api/v1/contributors/", {"consent_to": ["rain"]}, format="json").json()
    other.credentials(HTTP_AUTHORIZATION=f"Token {token['token']}")
    response = upload(other, reading_uuid, phone_jpeg())
    assert response.status_code == 404
    assert "Send the reading first" in response.content.decode()


def test_erasure_removes_photos_and_their_files(volunteer, django_capture_on_commit_callbacks):
    upload(volunteer, send_reading(volunteer), phone_jpeg())
    photo = ReadingPhoto.objects.get()
    files = [photo.image, photo.thumbnail]
    assert all(file.storage.exists(file.name) for file in files)
    with django_capture_on_commit_callbacks(execute=True):
        volunteer.delete("/api/v1/contributors/me/?readings=keep-anonymised")
    assert not ReadingPhoto.objects.exists()
    assert not [file.name for file in files if file.storage.exists(file.name)]
