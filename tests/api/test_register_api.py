"""The read API for the register: taxonomy, devices, DPIAs and algorithm records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from portal.registry.models import DevicePage
from tests.factories import (
    AlgorithmRecordPageFactory,
    AssessmentIndexPageFactory,
    DevicePageFactory,
    DpiaPageFactory,
    OrganisationFactory,
    SupplierAnswerFactory,
    SupplierAssuranceFactory,
    chain,
)

pytestmark = pytest.mark.django_db


def published(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


@pytest.fixture
def devices(register):
    camera = published(
        DevicePageFactory(
            parent=register,
            title="CCTV, Market Square",
            latitude=Decimal("51.480000"),
            longitude=Decimal("-0.100000"),
            area="Riverside ward",
            datachain=chain(
                ("purpose", "safety_security"),
                ("tech", "identifiable_video", "Films the square."),
                ("data", "pixel_based_image"),
                ("retention", "data_retained"),
                ("storage", "stored_locally"),
            ),
            organisations=[
                OrganisationFactory(name="Test Borough Council", email="cctv@borough.example"),
                OrganisationFactory(name="Camera Operators Ltd", role="operator"),
            ],
        )
    )
    sensor = published(DevicePageFactory(parent=register, title="Air quality sensor, Library"))
    planned = published(
        DevicePageFactory(parent=register, title="Footfall counter, Station", status="planned")
    )
    return {"camera": camera, "sensor": sensor, "planned": planned}


def titles(response):
    return [row["title"][0]["value"] for row in response.json()["results"]]


def test_the_taxonomy_lists_every_category_in_order_with_locale_arrays(client):
    response = client.get("/api/v1/dtpr/")
    assert response.status_code == 200
    body = response.json()
    assert body["schema_version"].startswith("device@")
    ids = [category["id"] for category in body["categories"]]
    assert ids == [
        "accountable",
        "purpose",
        "tech",
        "data",
        "process",
        "access",
        "retention",
        "storage",
    ]
    purposes = next(c for c in body["categories"] if c["id"] == "purpose")
    assert len(purposes["elements"]) == 22
    ecology = next(e for e in purposes["elements"] if e["id"] == "ecology")
    assert ecology["name"] == [{"locale": "en-GB", "value": "Ecology"}]
    assert ecology["description"][0]["value"]
    assert client.get(ecology["icon"].replace("http://testserver", "")).status_code == 200
    retention = next(c for c in body["categories"] if c["id"] == "retention")
    kept = next(e for e in retention["elements"] if e["id"] == "data_retained")
    assert kept["variables"][0]["id"] == "duration"
    assert kept["variables"][0]["required"] is True


def test_the_ai_taxonomy_is_there_too(client):
    body = client.get("/api/v1/dtpr/?datachain=ai").json()
    assert body["schema_version"].startswith("ai@")
    assert "rights" in [category["id"] for category in body["categories"]]


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("locale=fr", "locale", "Available: en-GB"),
        ("datachain=robot", "datachain", "device or ai"),
        ("datachain=", "datachain", "device or ai"),
    ],
)
def test_a_bad_taxonomy_query_says_what_would_work(client, query, field, words):
    response = client.get(f"/api/v1/dtpr/?{query}")
    assert response.status_code == 400
    assert words in response.json()[field][0]


def test_a_locale_is_matched_on_its_language(client):
    body = client.get("/api/v1/dtpr/?locale=en").json()
    assert body["categories"][0]["name"] == [{"locale": "en-GB", "value": "Accountable"}]


def test_the_device_list_holds_published_devices_only(client, register, devices):
    DevicePageFactory(parent=register, title="Draft device", live=False)
    expired = published(DevicePageFactory(parent=register, title="Gone device"))
    DevicePage.objects.filter(pk=expired.pk).update(
        hide_after=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client.get("/api/v1/devices/")
    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert titles(response) == [
        "Air quality sensor, Library",
        "CCTV, Market Square",
        "Footfall counter, Station",
    ]
    camera = response.json()["results"][1]
    assert camera["code"] == devices["camera"].code
    assert camera["personal_data"] == "identifiable"
    assert camera["purposes"] == ["safety_security"]
    assert camera["technologies"] == ["identifiable_video"]
    assert camera["location"] == {
        "latitude": 51.48,
        "longitude": -0.1,
        "description": "On the lamp post outside the library",
        "area": "Riverside ward",
    }
    assert camera["links"]["page"] == f"http://testserver{devices['camera'].url}"
    assert camera["links"]["api"] == f"http://testserver/api/v1/devices/{camera['code']}/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("purpose=safety_security", ["CCTV, Market Square"]),
        ("technology=air_quality", ["Air quality sensor, Library", "Footfall counter, Station"]),
        ("personal_data=identifiable", ["CCTV, Market Square"]),
        ("status=planned", ["Footfall counter, Station"]),
        ("area=riverside%20ward", ["CCTV, Market Square"]),
        ("bbox=-0.11,51.475,-0.09,51.49", ["CCTV, Market Square"]),
        (
            "bbox=-0.2,51.3,0,51.6&status=active",
            ["Air quality sensor, Library", "CCTV, Market Square"],
        ),
        ("bbox=1,1,2,2", []),
    ],
)
def test_device_filters(client, devices, query, expected):
    response = client.get(f"/api/v1/devices/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("purpose=spying", "purpose", "Use one of: accessibility"),
        ("technology=laser", "technology", "air_quality"),
        ("personal_data=some", "personal_data", "identifiable, de_identified, none"),
        ("status=broken", "status", "investigation"),
        ("bbox=1,2,3", "bbox", "west,south,east,north"),
        ("bbox=a,b,c,d", "bbox", "four numbers"),
        ("bbox=nan,1,2,3", "bbox", "four numbers"),
        ("bbox=-200,1,2,3", "bbox", "between -180 and 180"),
        ("bbox=1,95,2,96", "bbox", "between -90 and 90"),
        ("bbox=1,52,2,51", "bbox", "south edge"),
        ("bbox=170,1,-170,2", "bbox", "180th meridian"),
        ("limit=0", "limit", "at least 1"),
        ("limit=ten", "limit", "whole number"),
        ("limit=501", "limit", "at most 500"),
        ("offset=-1", "offset", "whole number"),
        ("offset=", "offset", "whole number"),
        ("locale=cy", "locale", "Available"),
        ("locale=", "locale", "Available"),
        ("status=", "status", "leave the parameter out"),
        ("bbox=", "bbox", "leave the parameter out"),
    ],
)
def test_bad_device_filters_are_400s_that_say_what_would_work(client, devices, query, field, words):
    response = client.get(f"/api/v1/devices/?{query}")
    assert response.status_code == 400
    assert words in " ".join(response.json()[field])


def test_every_bad_filter_is_reported_at_once(client, devices):
    response = client.get("/api/v1/devices/?purpose=x&status=y&bbox=z")
    assert sorted(response.json()) == ["bbox", "purpose", "status"]


def test_devices_come_in_pages_that_walk_every_device_once(client, register):
    for number in range(7):
        published(DevicePageFactory(parent=register, title=f"Sensor {number}"))
    seen = []
    url = "/api/v1/devices/?limit=3"
    while url:
        body = client.get(url).json()
        assert body["count"] == 7
        seen += [row["code"] for row in body["results"]]
        url = body["next"] and body["next"].replace("http://testserver", "")
    assert len(seen) == 7
    assert len(set(seen)) == 7


def test_the_device_list_takes_a_fixed_number_of_queries(
    client, register, django_assert_max_num_queries
):
    for number in range(30):
        published(DevicePageFactory(parent=register, title=f"Sensor {number}"))
    with django_assert_max_num_queries(8):
        assert client.get("/api/v1/devices/?limit=30").status_code == 200


def test_a_device_is_a_dtpr_datachain_instance(client, devices):
    camera = devices["camera"]
    response = client.get(f"/api/v1/devices/{camera.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == camera.code
    assert body["title"] == [{"locale": "en-GB", "value": "CCTV, Market Square"}]
    assert body["schema_version"].startswith("device@")
    categories = [element["category_id"] for element in body["elements"]]
    assert categories == [
        "accountable",
        "accountable",
        "purpose",
        "tech",
        "data",
        "retention",
        "storage",
    ]
    council, operator = body["elements"][:2]
    assert council["element_id"] == "institution"
    assert council["title"][0]["value"] == "Test Borough Council"
    assert {
        "type": "email",
        "label": "Test Borough Council",
        "target": "mailto:cctv@borough.example",
    } in council["actions"]
    assert operator["element_id"] == "organization"
    assert operator["priority"] == 1
    tech = next(element for element in body["elements"] if element["category_id"] == "tech")
    assert tech["description"][0]["value"] == "Films the square."
    assert tech["priority"] == 0
    links = body["links"]
    assert links["sign_svg"].endswith(f"/devices/{camera.slug}/sign.svg")
    assert links["short_link"].endswith(f"/d/{camera.code}")
    assert body["personal_data"] == "identifiable"


def test_a_device_links_its_published_dpias_and_algorithm_records(client, site_tree, devices):
    home, _register = site_tree
    camera = devices["camera"]
    index = AssessmentIndexPageFactory(parent=home)
    dpia = DpiaPageFactory(parent=index, title="DPIA: market cameras")
    dpia.devices.add(camera)
    published(dpia)
    draft = DpiaPageFactory(parent=index, title="DPIA: draft", live=False)
    draft.devices.add(camera)
    draft.save()
    record = AlgorithmRecordPageFactory(parent=index, title="Plate matching")
    record.devices.add(camera)
    published(record)
    body = client.get(f"/api/v1/devices/{camera.code}/").json()
    assert [item["title"] for item in body["dpias"]] == ["DPIA: market cameras"]
    assert [item["title"] for item in body["algorithm_records"]] == ["Plate matching"]
    assert body["linked_instance_ids"] == [f"algorithm-record:{record.slug}"]
    # Each link answers.
    for link in (body["dpias"][0]["api"], body["algorithm_records"][0]["api"]):
        assert client.get(link.replace("http://testserver", "")).status_code == 200


def test_a_code_is_found_however_it_is_typed(client, devices):
    code = devices["sensor"].code
    typed = code.lower().replace("-", " ")
    response = client.get(f"/api/v1/devices/{typed}/")
    assert response.status_code == 200
    assert response.json()["id"] == code


@pytest.mark.parametrize("code", ["NOPE", "AAA-AAAA", "<script>", "x" * 300])
def test_an_unknown_code_is_a_404_that_says_what_to_check(client, devices, code):
    response = client.get(f"/api/v1/devices/{code}/")
    assert response.status_code == 404
    assert "GET /api/v1/devices/" in response.json()["detail"]


def test_a_draft_device_is_not_found(client, register):
    draft = DevicePageFactory(parent=register, live=False)
    assert client.get(f"/api/v1/devices/{draft.code}/").status_code == 404


def test_internal_supplier_answers_never_reach_the_api(client, devices):
    camera = devices["camera"]
    assurance = SupplierAssuranceFactory(device=camera, public_summary="PUBLICSUMMARYXYZ")
    SupplierAnswerFactory(assurance=assurance, evidence="INTERNALEVIDENCEXYZ")
    text = client.get(f"/api/v1/devices/{camera.code}/").content.decode()
    text += client.get("/api/v1/devices/").content.decode()
    assert "INTERNALEVIDENCEXYZ" not in text
    assert "Lens Systems" not in text


def test_dpias_list_and_detail_hold_only_published_public_parts(client, site_tree):
    home, _register = site_tree
    index = AssessmentIndexPageFactory(parent=home)
    dpia = published(
        DpiaPageFactory(
            parent=index,
            title="DPIA: cameras",
            need="PUBLICNEEDXYZ",
            nature="INTERNALNATUREXYZ",
            nature_level="internal",
        )
    )
    DpiaPageFactory(parent=index, title="DPIA: draft", live=False)
    listing = client.get("/api/v1/dpias/").json()
    assert [row["title"] for row in listing["results"]] == ["DPIA: cameras"]
    detail = client.get(f"/api/v1/dpias/{dpia.slug}/")
    assert detail.status_code == 200
    assert "PUBLICNEEDXYZ" in detail.content.decode()
    assert "INTERNALNATUREXYZ" not in detail.content.decode()
    assert client.get("/api/v1/dpias/no-such-dpia/").status_code == 404


def test_algorithm_records_list_and_detail(client, site_tree):
    home, _register = site_tree
    index = AssessmentIndexPageFactory(parent=home)
    record = published(AlgorithmRecordPageFactory(parent=index, title="Plate matching"))
    listing = client.get("/api/v1/algorithm-records/").json()
    assert listing["count"] == 1
    assert listing["results"][0]["slug"] == record.slug
    detail = client.get(f"/api/v1/algorithm-records/{record.slug}/").json()
    assert detail["tier_1"]["name"] == "Plate matching"
    assert detail["owner_and_responsibility"]["external_supplier"] == [
        "Kestrel Traffic Systems Ltd"
    ]
    assert client.get("/api/v1/algorithm-records/nope/").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/no-such-thing/"),
        ("get", "/api/v1/dpias/%0Awith-a-line-break/"),
        ("post", "/api/v1/readings/not-a-uuid/photos/"),
    ],
)
def test_an_unknown_api_address_is_a_json_404(client, devices, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 404
    assert "/api/v1/schema/" in response.json()["detail"]
    # Addresses of real endpoints are still built as before.
    assert client.get("/api/v1/devices/").json()["results"][0]["links"]["api"]


# --- caching, conditional requests and CORS --------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/dtpr/", "/api/v1/devices/", "/api/v1/dpias/", "/api/v1/algorithm-records/"]
)
def test_public_reads_are_cacheable_and_answer_if_none_match_with_304(client, devices, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"]
    assert response["Last-Modified"]
    again = client.get(path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == response["ETag"]


def test_the_etag_changes_when_a_device_is_published(client, register, devices):
    first = client.get("/api/v1/devices/")
    published(DevicePageFactory(parent=register, title="New sensor"))
    second = client.get("/api/v1/devices/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200
    assert second.json()["count"] == 4


def test_if_modified_since_gets_304_until_something_is_unpublished(client, devices):
    first = client.get("/api/v1/devices/")
    since = first["Last-Modified"]
    assert client.get("/api/v1/devices/", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    # Unpublishing changes the list without a new publish time; the page log records it.
    devices["planned"].unpublish()
    later = timezone.now() + datetime.timedelta(seconds=2)
    from wagtail.models import PageLogEntry

    PageLogEntry.objects.filter(action="wagtail.unpublish").update(timestamp=later)
    response = client.get("/api/v1/devices/", HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200
    assert response.json()["count"] == 2


def test_a_device_answers_conditional_requests(client, devices):
    path = f"/api/v1/devices/{devices['sensor'].code}/"
    first = client.get(path)
    assert client.get(path, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_any_web_page_may_read_the_api(client, devices):
    response = client.get("/api/v1/devices/", HTTP_ORIGIN="https://maps.example")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]
    assert "Access-Control-Allow-Credentials" not in response


def test_a_cors_preflight_allows_reading_but_not_writing(client):
    response = client.options(
        "/api/v1/devices/",
        HTTP_ORIGIN="https://maps.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    assert response.status_code == 200
    methods = response["Access-Control-Allow-Methods"]
    assert "GET" in methods
    assert "POST" not in methods
    assert "DELETE" not in methods


def test_no_cors_for_the_rest_of_the_site(client, devices):
    response = client.get("/devices/", HTTP_ORIGIN="https://maps.example")
    assert "Access-Control-Allow-Origin" not in response


def test_a_request_with_a_token_is_never_stored_by_a_shared_cache(client):
    response = client.get("/api/v1/contributors/me/", HTTP_AUTHORIZATION="Token nonsense")
    assert response.status_code == 401
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_writes_are_not_cached(client):
    response = client.post("/api/v1/contributors/", {}, content_type="application/json")
    assert response["Cache-Control"] == "no-store"
