"""/data/devices.csv and /data/devices.geojson as a data user gets them."""

from __future__ import annotations

import csv
import io
import json
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.registry.models import DeviceOrganisation, DevicePage, Organisation
from tests.factories import DevicePageFactory, OrganisationFactory
from tests.opendata.catalogue_support import (
    DOWNLOADS,
    MARKER,
    body_of,
    build_borough,
    every_output,
    publish,
)

pytestmark = pytest.mark.django_db

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"


@pytest.fixture
def borough(site_tree):
    return build_borough(*site_tree)


def csv_rows(client) -> list[dict[str, str]]:
    response = client.get("/data/devices.csv")
    return list(csv.DictReader(io.StringIO(body_of(response))))


def test_csv_lists_published_devices_with_their_public_values(client, borough):
    rows = csv_rows(client)
    by_code = sorted(borough.published, key=lambda device: device.code)
    assert [row["name"] for row in rows] == [device.title for device in by_code]
    camera = next(row for row in rows if row["code"] == borough.published[0].code)
    assert camera["status"] == "active"
    assert camera["accountable_organisations"] == "Millbrook Borough Council; Voltway Charging Ltd"
    assert camera["purposes"] == "health"
    assert camera["technologies"] == "air_quality"
    assert camera["personal_data"] == "none"
    assert (camera["latitude"], camera["longitude"]) == ("51.4801", "-0.1012")
    assert camera["page_url"] == "http://testserver/devices/cctv-market-square/"
    assert camera["sign_url"] == "http://testserver/devices/cctv-market-square/sign.svg"
    assert camera["updated"].endswith("Z")


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, borough):
    camera = next(row for row in csv_rows(client) if row["code"] == borough.published[0].code)
    assert camera["summary"].startswith("'=HYPERLINK")
    # Numbers stay numbers: a negative longitude is not text to be defused.
    assert camera["longitude"] == "-0.1012"


def test_the_device_pages_and_signs_the_csv_links_to_exist(client, borough):
    for row in csv_rows(client):
        for column in ("page_url", "sign_url"):
            path = row[column].removeprefix("http://testserver")
            assert client.get(path).status_code == 200, row[column]


def test_geojson_is_an_rfc_7946_feature_collection_longitude_first(client, borough):
    response = client.get("/data/devices.geojson")
    collection = json.loads(body_of(response))
    assert collection["type"] == "FeatureCollection"
    assert collection["licence_url"] == OGL
    features = {feature["id"]: feature for feature in collection["features"]}
    assert set(features) == {device.code for device in borough.published}
    camera = features[borough.published[0].code]
    assert camera["type"] == "Feature"
    assert camera["geometry"] == {"type": "Point", "coordinates": [-0.1012, 51.4801]}
    properties = camera["properties"]
    assert properties["name"] == "CCTV, Market Square"
    assert properties["accountable_organisations"] == [
        "Millbrook Borough Council",
        "Voltway Charging Ltd",
    ]
    assert properties["purposes"] == ["health"]
    assert {"latitude", "longitude"}.isdisjoint(properties)
    assert set(properties) >= {
        "code", "name", "status", "summary", "purposes", "technologies", "personal_data",
        "accountable_organisations", "page_url", "sign_url", "updated",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("path", "content_type", "filename"),
    [
        ("/data/devices.csv", "text/csv; charset=utf-8", "devices.csv"),
        ("/data/devices.geojson", "application/geo+json", "devices.geojson"),
    ],
)
def test_download_headers(client, borough, path, content_type, filename):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Link"] == f'<{OGL}>; rel="license"'
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"]


@pytest.mark.parametrize("path", DOWNLOADS)
def test_if_none_match_gets_304_until_a_device_is_published(client, borough, register, path):
    first = client.get(path)
    body_of(first)
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    # A view's own 304 must stay cacheable, not be marked no-store by the site middleware.
    assert again["Cache-Control"] == "public, max-age=300"

    publish(DevicePageFactory(parent=register, title="Rain gauge, Park Lane"))
    changed = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Rain gauge, Park Lane" in body_of(changed)


@pytest.mark.parametrize("path", DOWNLOADS)
def test_if_modified_since_gets_304_until_a_device_is_unpublished(client, borough, path):
    first = client.get(path)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    time.sleep(1.1)  # HTTP dates have whole seconds
    borough.published[1].unpublish()
    changed = client.get(path, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert changed.status_code == 200
    assert "Air quality sensor, High Street" not in body_of(changed)


def test_an_organisation_renamed_changes_the_etag(client, borough):
    first = client.get("/data/devices.csv")
    # Editing the snippet in the admin writes Wagtail's log; a rename by any other route
    # must still change the ETag, so the names are part of the download's version.
    Organisation.objects.filter(name="Voltway Charging Ltd").update(name="Voltway Charging Group")
    again = client.get("/data/devices.csv", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert "Voltway Charging Group" in body_of(again)


def test_hidden_devices_and_internal_fields_appear_in_no_output(client, borough):
    for path, body in every_output(client).items():
        assert MARKER not in body, f"{path} leaks something the public may not see"
    # The public values of the drafted device are there instead of its draft.
    assert "Air quality sensor, High Street" in body_of(client.get("/data/devices.csv"))


def test_no_column_holds_supplier_or_internal_data(client, borough):
    header = body_of(client.get("/data/devices.csv")).splitlines()[0].split(",")
    assert not {"manufacturer", "vulnerability_contact", "evidence", "hide_after"} & set(header)


def test_query_count_does_not_grow_with_the_register(client, register):
    council = OrganisationFactory(name="Millbrook Borough Council")
    operator = OrganisationFactory(name="Operator Ltd", role="operator")
    DevicePageFactory(parent=register, organisations=[council, operator])

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            body_of(client.get(path))
        return len(captured)

    few = {path: queries(path) for path in DOWNLOADS}
    pages = [
        DevicePage(
            title=f"Sensor {n}",
            slug=f"sensor-{n}",
            summary="Counts bikes.",
            latitude=Decimal("51.47"),
            longitude=Decimal("-0.11"),
            location_description="On a lamp post",
            datachain=[],
        )
        for n in range(300)
    ]
    for page in pages:
        register.add_child(instance=page)
    DeviceOrganisation.objects.bulk_create(
        DeviceOrganisation(page=page, organisation=org, sort_order=order)
        for page in pages
        for order, org in enumerate((council, operator))
    )
    for path in DOWNLOADS:
        assert queries(path) <= few[path] <= 12, path
        assert body_of(client.get(path)).count("Operator Ltd") == 301


def test_an_empty_register_gives_a_header_and_an_empty_collection(client, site_tree):
    assert body_of(client.get("/data/devices.csv")).strip().startswith("code,name,status")
    assert json.loads(body_of(client.get("/data/devices.geojson")))["features"] == []
