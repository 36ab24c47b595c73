"""The /data/ index and the dataset pages, as a resident or a data user reads them."""

from __future__ import annotations

import json
import re

import pytest

from tests.opendata.catalogue_support import build_borough

pytestmark = pytest.mark.django_db


@pytest.fixture
def borough(site_tree):
    return build_borough(*site_tree)


def test_index_lists_every_dataset_with_formats_licence_and_date(client, borough):
    response = client.get("/data/")
    assert response.status_code == 200
    html = response.content.decode()
    for title, path in [
        ("Devices in public space", "/data/datasets/devices/"),
        (
            "Citizen-science readings: Millbrook Breathes",
            "/data/datasets/readings-millbrook-breathes/",
        ),
        ("Survey results: Data and you", "/data/datasets/survey-data-and-you/"),
    ]:
        assert f'href="{path}">{title}</a>' in html
    for download in [
        "/data/devices.csv",
        "/data/devices.geojson",
        "/science/millbrook-breathes/readings.csv",
        "/surveys/data-and-you/results.csv",
    ]:
        assert f'href="{download}"' in html
    assert "Open Government Licence v3.0" in html
    for link in ["/data/catalog.jsonld", "/data/catalog.ttl", "/api/3/action/package_list",
                 "/api/v1/docs/", "/sta/v1.1/", "/open311/v2/services.json"]:  # fmt: skip
        assert f'href="{link}"' in html, link


def test_index_shows_a_size_once_the_file_has_been_downloaded(client, borough):
    assert "(CSV, " not in client.get("/data/").content.decode()
    body = b"".join(client.get("/data/devices.csv").streaming_content)
    html = client.get("/data/").content.decode()
    assert f"(CSV, {len(body)}\xa0bytes)" in html


def schema_org(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def test_dataset_page_describes_the_dataset_and_carries_schema_org(client, borough):
    html = client.get("/data/datasets/devices/").content.decode()
    assert '<h1 class="govuk-heading-xl ps-break">Devices in public space</h1>' in html
    assert "Millbrook Borough Council" in html
    assert "Updated whenever the council publishes a change" in html
    assert "longitude -0.1100 to -0.1012, latitude 51.4700 to 51.4801" in html
    data = schema_org(html)
    assert data["@type"] == "Dataset"
    assert data["name"] == "Devices in public space"
    assert data["url"] == "http://testserver/data/datasets/devices/"
    assert data["license"].endswith("/open-government-licence/version/3/")
    assert data["publisher"] == {
        "@type": "Organization",
        "name": "Millbrook Borough Council",
        "url": "https://www.millbrook.example/",
        "email": "opendata@millbrook.example",
    }
    formats = {d["encodingFormat"]: d["contentUrl"] for d in data["distribution"]}
    assert formats == {
        "text/csv": "http://testserver/data/devices.csv",
        "application/geo+json": "http://testserver/data/devices.geojson",
    }
    assert data["temporalCoverage"].endswith("/..")
    assert data["spatialCoverage"]["geo"]["box"] == "51.47 -0.11 51.4801 -0.1012"
    assert "sensors" in data["keywords"]
    assert data["dateModified"].endswith("Z")


def test_survey_page_names_its_period(client, borough):
    html = client.get("/data/datasets/survey-data-and-you/").content.decode()
    data = schema_org(html)
    assert data["name"] == "Survey results: Data and you"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d/\d{4}-\d\d-\d\d", data["temporalCoverage"])
    assert "Final: no further updates" in html
    assert re.search(r"Responses counted</dt>\s*<dd[^>]*>3</dd>", html)


def test_json_ld_cannot_break_out_of_its_script_block(client, borough):
    borough.campaign.summary = "Clean air </script><script>alert(1)</script>"
    borough.campaign.save_revision().publish()
    html = client.get("/data/datasets/readings-millbrook-breathes/").content.decode()
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "alert(1)" in block
    assert "Clean air </script>" in schema_org(html)["description"]


@pytest.mark.parametrize("dataset_id", ["nope", "readings-nope", "survey-nope", "devices.csv"])
def test_unknown_datasets_are_not_found(client, borough, dataset_id):
    assert client.get(f"/data/datasets/{dataset_id}/").status_code == 404


def test_a_survey_without_published_results_has_no_dataset(client, borough):
    borough.survey.results_published = False
    borough.survey.save_revision().publish()
    assert client.get("/data/datasets/survey-data-and-you/").status_code == 404
    assert "Data and you" not in client.get("/data/").content.decode()


def test_footer_links_to_open_data(client, borough):
    html = client.get("/devices/").content.decode()
    assert 'href="/data/">Open data</a>' in html
