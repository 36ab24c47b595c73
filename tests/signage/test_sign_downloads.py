"""Downloading a device's sign and QR code from its address."""

import io

import pytest
import zxingcpp
from PIL import Image

from tests.factories import CCTV_CHAIN, DevicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def device(register):
    return DevicePageFactory(parent=register, title="CCTV, Market Square", datachain=CCTV_CHAIN)


@pytest.mark.parametrize(
    ("extension", "content_type", "magic"),
    [
        ("pdf", "application/pdf", b"%PDF"),
        ("svg", "image/svg+xml", b"<svg"),
        ("png", "image/png", b"\x89PNG"),
    ],
)
@pytest.mark.parametrize("size", ["a5", "a6", "sticker"])
def test_each_format_and_size_downloads(client, device, extension, content_type, magic, size):
    response = client.get(f"/devices/{device.slug}/sign.{extension}", {"size": size})
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response.content.startswith(magic)
    assert f"sign-{device.code}-{size}.{extension}" in response["Content-Disposition"]


def test_the_png_sign_scans_to_the_short_link(client, device, settings):
    settings.SHORT_LINK_BASE_URL = "https://millbrook.example"
    png = client.get(f"/devices/{device.slug}/sign.png").content
    found = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]
    assert found == [f"https://millbrook.example/d/{device.code}"]


def test_an_unknown_size_is_explained(client, device):
    response = client.get(f"/devices/{device.slug}/sign.pdf", {"size": "a4"})
    assert response.status_code == 400
    assert "Use size= one of: a5, a6, sticker" in response.content.decode()


def test_unknown_formats_and_devices_are_not_found(client, device):
    assert client.get(f"/devices/{device.slug}/sign.docx").status_code == 404
    assert client.get("/devices/no-such-device/sign.pdf").status_code == 404
    device.unpublish()
    assert client.get(f"/devices/{device.slug}/sign.pdf").status_code == 404


@pytest.mark.parametrize("extension", ["svg", "png"])
def test_bare_qr_codes_download(client, device, extension, settings):
    settings.SHORT_LINK_BASE_URL = "https://millbrook.example"
    response = client.get(f"/devices/{device.slug}/qr.{extension}")
    assert response.status_code == 200
    if extension == "png":
        found = [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(response.content)))]
        assert found == [f"https://millbrook.example/d/{device.code}"]
    else:
        assert f"QR code for https://millbrook.example/d/{device.code}" in response.content.decode()
