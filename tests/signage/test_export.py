"""Batch export of signs: from the command line and from the admin."""

import csv
import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from tests.factories import CCTV_CHAIN, DevicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def devices(register):
    return [
        DevicePageFactory(parent=register, title="Air sensor, Clock Tower"),
        DevicePageFactory(parent=register, title="CCTV, Market Square", datachain=CCTV_CHAIN),
        DevicePageFactory(parent=register, title="Old camera", status="retired"),
    ]


def read_zip(data: bytes) -> tuple[dict[str, bytes], list[dict[str, str]]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    files = {name: archive.read(name) for name in archive.namelist()}
    manifest = list(csv.DictReader(io.StringIO(files["manifest.csv"].decode("utf-8-sig"))))
    return files, manifest


def test_export_command_writes_every_device_with_a_manifest(devices, tmp_path, settings):
    settings.SHORT_LINK_BASE_URL = "https://millbrook.example"
    output = tmp_path / "signs.zip"
    err = io.StringIO()
    out = io.StringIO()
    call_command(
        "export_signs",
        "--output",
        str(output),
        "--size",
        "a5",
        "--size",
        "sticker",
        stdout=out,
        stderr=err,
    )
    files, manifest = read_zip(output.read_bytes())
    assert {row["code"] for row in manifest} == {device.code for device in devices}
    for device in devices:
        for size in ("a5", "sticker"):
            pdf = files[f"{device.code}-{device.slug}-{size}.pdf"]
            svg = files[f"{device.code}-{device.slug}-{size}.svg"]
            assert pdf.startswith(b"%PDF")
            assert b"<svg" in svg
    row = next(row for row in manifest if row["code"] == devices[0].code)
    assert row["short_link"] == f"https://millbrook.example/d/{devices[0].code}"
    assert row["location"] == devices[0].location_description
    assert "3/3 devices" in err.getvalue()
    assert "Wrote signs for 3 devices" in out.getvalue()
    assert not list(tmp_path.glob("*.part"))


def test_export_command_can_pick_devices_by_code(devices, tmp_path):
    output = tmp_path / "one.zip"
    call_command(
        "export_signs",
        "--output",
        str(output),
        "--code",
        devices[1].code.lower(),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    _, manifest = read_zip(output.read_bytes())
    assert [row["code"] for row in manifest] == [devices[1].code]


def test_export_command_explains_bad_codes(devices, tmp_path):
    with pytest.raises(CommandError, match="is not a valid device code"):
        call_command("export_signs", "--output", str(tmp_path / "x.zip"), "--code", "nonsense")
    assert not (tmp_path / "x.zip").exists()


def test_admin_print_signs_page_streams_a_zip_of_the_chosen_devices(admin_client, devices):
    url = reverse("signage_print_signs")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url, {"sizes": ["a6"], "which": "chosen", "devices": [devices[0].pk, devices[2].pk]}
    )
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "application/zip"
    files, manifest = read_zip(b"".join(response.streaming_content))
    assert sorted(row["code"] for row in manifest) == sorted([devices[0].code, devices[2].code])
    assert len([name for name in files if name.endswith(".pdf")]) == 2


def test_admin_print_signs_filters_all_devices_by_status(admin_client, devices):
    response = admin_client.post(
        reverse("signage_print_signs"), {"sizes": ["a6"], "which": "all", "status": ["retired"]}
    )
    _, manifest = read_zip(b"".join(response.streaming_content))
    assert [row["code"] for row in manifest] == [devices[2].code]


def test_admin_print_signs_explains_an_empty_choice(admin_client, devices):
    response = admin_client.post(reverse("signage_print_signs"), {"which": "chosen"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Choose at least one size." in html
    assert "Tick at least one device" in html


def test_dashboard_shows_scans_per_device(admin_client, devices):
    from portal.signage.services import record_scan

    for _ in range(4):
        record_scan(devices[1])
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Sign scans in the last 30 days" in html
    assert "CCTV, Market Square" in html


def test_device_admin_page_shows_its_own_scans_and_sign_downloads(admin_client, devices):
    from portal.signage.services import record_scan

    record_scan(devices[0])
    record_scan(devices[0])
    html = admin_client.get(
        reverse("wagtailadmin_pages:edit", args=[devices[0].pk])
    ).content.decode()
    assert "Scans in the last 30 days: 2" in html
    assert f"/devices/{devices[0].slug}/sign.pdf?size=a5" in html
