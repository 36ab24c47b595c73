"""GET /api/v1/campaigns/: what the app downloads to take readings offline, nothing private."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from portal.citizen_science.geo import coarsen
from tests.factories import CampaignPageFactory, ScienceIndexPageFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaigns(site_tree):
    index = ScienceIndexPageFactory(parent=site_tree[0])
    tubes = CampaignPageFactory(parent=index, slug="tubes", bias_factor=Decimal("0.870"))
    SiteFactory(
        campaign=tubes, code="no2-001", name="Elm Road",
        latitude=Decimal("51.463817"), longitude=Decimal("-0.091263"),
    )  # fmt: skip
    CampaignPageFactory(parent=index, slug="noise", state="planned")
    draft = CampaignPageFactory(parent=index, slug="draft")
    draft.unpublish()
    return tubes


def test_list_shows_campaigns_once_they_open(campaigns):
    body = APIClient().get("/api/v1/campaigns/").json()
    assert [campaign["slug"] for campaign in body["campaigns"]] == ["tubes"]
    assert body["campaigns"][0]["accepting_readings"] is True
    # The page's address as the app reached the portal, not the Site record's placeholder host.
    assert body["campaigns"][0]["url"] == "http://testserver/science/tubes/"


def test_definition_has_the_rules_and_coarsened_sites(campaigns):
    response = APIClient().get("/api/v1/campaigns/tubes/")
    assert response.status_code == 200
    body = response.json()
    assert (body["unit"], body["sampling"], body["valid_range"]) == ("µg/m³", "exposure", [0, 500])
    assert body["bias_factor"] == 0.87
    assert "publish them with locations" in body["consent_text"]
    (site,) = body["sites"]
    assert (site["code"], site["name"]) == ("no2-001", "Elm Road")
    assert (site["latitude"], site["longitude"]) == coarsen(51.463817, -0.091263, 250)
    assert "51.463817" not in response.content.decode()
    assert body["downloads"]["csv"] == "/science/tubes/readings.csv"


@pytest.mark.parametrize("slug", ["noise", "draft", "nothing-here"])
def test_planned_drafts_and_unknown_campaigns_are_not_found(campaigns, slug):
    response = APIClient().get(f"/api/v1/campaigns/{slug}/")
    assert response.status_code == 404
    assert "GET /api/v1/campaigns/ lists them" in response.json()["detail"]
