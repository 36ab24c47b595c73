"""The campaign readings and survey results downloads answer like the device downloads."""

from __future__ import annotations

import pytest

from tests.factories import ReadingFactory, SurveyResponseFactory
from tests.opendata.catalogue_support import body_of, build_borough

pytestmark = pytest.mark.django_db

OGL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
READINGS = [
    "/science/millbrook-breathes/readings.csv",
    "/science/millbrook-breathes/readings.geojson",
]
RESULTS = "/surveys/data-and-you/results.csv"


@pytest.fixture
def borough(site_tree):
    return build_borough(*site_tree)


@pytest.mark.parametrize("path", [*READINGS, RESULTS])
def test_licence_validators_and_caching(client, borough, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Link"].endswith('>; rel="license"')
    assert response["Cache-Control"] == "public, max-age=300"
    assert response["ETag"]
    assert response["Last-Modified"]
    assert client.get(path, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]).status_code == 304


@pytest.mark.parametrize("path", READINGS)
def test_readings_change_when_a_moderator_accepts_one(client, borough, path):
    first = client.get(path)
    assert first["Link"] == f'<{OGL}>; rel="license"'
    pending = borough.campaign.readings.get(status="pending")
    pending.status = "accepted"
    pending.save()
    again = client.get(path, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert body_of(again).count(pending.site.code) == 1


def test_results_change_with_a_new_response(client, borough):
    first = client.get(RESULTS)
    SurveyResponseFactory(survey=borough.survey)
    assert client.get(RESULTS, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_missing_downloads_still_say_not_found(client, borough):
    assert client.get("/science/nowhere/readings.csv").status_code == 404
    borough.survey.results_published = False
    borough.survey.save_revision().publish()
    assert client.get(RESULTS).status_code == 404


def test_campaign_downloads_stay_streamed(client, borough):
    ReadingFactory(campaign=borough.campaign, status="accepted")
    response = client.get(READINGS[0])
    assert response.streaming
    assert body_of(response).count("\n") == 3
