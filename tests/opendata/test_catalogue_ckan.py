"""The CKAN-compatible read API, as CKAN's harvester and CKAN clients call it."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.opendata.catalogue_support import build_borough

pytestmark = pytest.mark.django_db

IDS = ["devices", "readings-millbrook-breathes", "survey-data-and-you"]


@pytest.fixture
def borough(site_tree):
    return build_borough(*site_tree)


def action(client, name: str, **params):
    response = client.get(f"/api/3/action/{name}", params)
    return response, response.json()


def test_package_list(client, borough):
    response, body = action(client, "package_list")
    assert response.status_code == 200
    assert body["success"] is True
    assert body["help"].startswith("http://testserver/api/3/action/help_show")
    assert body["result"] == IDS


def test_package_show_gives_a_ckan_package(client, borough):
    _response, body = action(client, "package_show", id="devices")
    package = body["result"]
    assert package["id"] == package["name"] == "devices"
    assert package["title"] == "Devices in public space"
    assert "short code" in package["notes"]
    assert package["license_id"] == "OGL-UK-3.0"
    assert package["license_url"].endswith("/open-government-licence/version/3/")
    assert package["organization"]["title"] == "Millbrook Borough Council"
    assert {tag["name"] for tag in package["tags"]} >= {"sensors", "DTPR"}
    assert package["metadata_modified"] >= package["metadata_created"]
    resources = {resource["format"]: resource for resource in package["resources"]}
    assert set(resources) == {"CSV", "GeoJSON"}
    assert resources["CSV"]["url"] == "http://testserver/data/devices.csv"
    assert resources["CSV"]["mimetype"] == "text/csv"
    assert client.get("/data/devices.geojson").status_code == 200
    extras = {extra["key"]: extra["value"] for extra in package["extras"]}
    assert extras["uri"] == "http://testserver/data/datasets/devices/#dataset"
    assert extras["contact_email"] == "opendata@millbrook.example"
    assert json.loads(extras["spatial"])["type"] == "Polygon"


def test_package_show_by_a_campaign_uses_the_campaigns_licence(client, borough):
    _response, body = action(client, "package_show", id="readings-millbrook-breathes")
    assert body["result"]["license_title"] == "Open Government Licence v3.0"
    assert [r["url"] for r in body["result"]["resources"]] == [
        "http://testserver/science/millbrook-breathes/readings.csv",
        "http://testserver/science/millbrook-breathes/readings.geojson",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, IDS),
        ({"q": "readings"}, ["readings-millbrook-breathes"]),
        ({"q": "survey results"}, ["survey-data-and-you"]),
        ({"q": "*:*", "rows": "1"}, ["devices"]),
        ({"rows": "2", "start": "1"}, IDS[1:]),
        ({"fq": "tags:DTPR"}, ["devices"]),
        ({"fq": "res_format:GeoJSON"}, IDS[:2]),
        ({"fq": "res_format:CSV +name:survey-data-and-you"}, ["survey-data-and-you"]),
        ({"fq": "metadata_modified:[2000-01-01T00:00:00Z TO *]"}, IDS),
        ({"fq": "metadata_modified:[2999-01-01T00:00:00Z TO *]"}, []),
        ({"q": "no such thing"}, []),
    ],
)
def test_package_search(client, borough, params, expected):
    response, body = action(client, "package_search", **params)
    assert response.status_code == 200, body
    names = [package["name"] for package in body["result"]["results"]]
    assert names == expected
    if "rows" not in params:
        assert body["result"]["count"] == len(expected)


@pytest.mark.parametrize(
    ("name", "params", "status", "kind", "hint"),
    [
        ("package_show", {"id": "nothing-here"}, 404, "Not Found Error", "package_list"),
        ("package_show", {}, 409, "Validation Error", "package_show?id=devices"),
        ("package_search", {"rows": "lots"}, 409, "Validation Error", "whole number"),
        ("package_search", {"rows": "5000"}, 409, "Validation Error", "at most 1000"),
        ("package_search", {"start": "-1"}, 409, "Validation Error", "whole number"),
        ("package_search", {"fq": "colour:blue"}, 409, "Search Query Error", "tags"),
        ("package_search", {"fq": 'tags:"open'}, 409, "Search Query Error", "quote"),
        (
            "package_search",
            {"fq": "metadata_modified:[yesterday TO *]"},
            409,
            "Search Query Error",
            "ISO 8601",
        ),
        ("organization_delete", {}, 400, "Bad Request", "package_search"),
    ],
)
def test_errors_have_ckans_shape_and_say_how_to_fix_the_request(
    client, borough, name, params, status, kind, hint
):
    response, body = action(client, name, **params)
    assert response.status_code == status
    assert body["success"] is False
    assert body["error"]["__type"] == kind
    assert hint in body["error"]["message"]


def test_the_help_link_explains_the_action(client, borough):
    _response, body = action(client, "package_search", q="air")
    help_answer = client.get(body["help"].removeprefix("http://testserver")).json()
    assert help_answer["success"] is True
    assert "rows (at most 1000" in help_answer["result"]


def test_writing_is_refused(client, borough):
    response = client.post("/api/3/action/package_show", {"id": "devices"})
    assert response.status_code == 405
    assert response.json()["error"]["message"].startswith("This API is read-only")
    assert response["Cache-Control"] == "no-store"


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
PARAMS = st.dictionaries(
    st.sampled_from(["q", "rows", "start", "fq", "id", "sort", "name"]),
    st.one_of(TEXT, st.integers(-5, 5000).map(str)),
    max_size=4,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.sampled_from(["package_list", "package_show", "package_search"]), params=PARAMS)
def test_no_parameters_make_it_fail(client, site_tree, name, params):
    params = {key: value.replace("\x00", "") for key, value in params.items()}
    response = client.get(f"/api/3/action/{name}", params)
    assert response.status_code in (200, 400, 404, 409)
    body = response.json()
    assert body["success"] is (response.status_code == 200)
    if not body["success"]:
        assert body["error"]["message"]
