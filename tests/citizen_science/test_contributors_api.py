"""Pseudonymous contributors: a token once, stored hashed; export everything; erase on request."""

import datetime
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from portal.citizen_science.models import Consent, Contributor, Reading
from tests.factories import CampaignPageFactory, ScienceIndexPageFactory, SiteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(site_tree):
    index = ScienceIndexPageFactory(parent=site_tree[0])
    campaign = CampaignPageFactory(parent=index, slug="no2-tubes", sampling="instant")
    SiteFactory(campaign=campaign, code="no2-001")
    return campaign


def register(client, **body):
    return client.post("/api/v1/contributors/", body, format="json")


def signed_in(token):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def send_reading(client, **extra):
    item = {
        "client_uuid": str(uuid.uuid4()),
        "campaign": "no2-tubes",
        "site": "no2-001",
        "value": 31.0,
        "unit": "µg/m³",
        "observed_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(),
        "notes": "Tube on the front window",
        **extra,
    }
    return client.post("/api/v1/readings/", {"readings": [item]}, format="json")


def test_registering_returns_a_token_once_and_stores_only_its_hash(campaign):
    response = register(APIClient(), consent_to=["no2-tubes"])
    assert response.status_code == 201
    body = response.json()
    assert len(body["token"]) >= 40
    assert "shown only once" in body["notice"]
    assert body["consented_to"] == ["no2-tubes"]
    contributor = Contributor.objects.get()
    assert body["token"] not in contributor.token_hash
    assert Consent.objects.get().consent_text == campaign.consent_text
    fields = {f.name for f in Contributor._meta.get_fields()}
    assert not {"email", "name", "ip_address", "user_agent"} & fields


def test_an_unknown_campaign_in_consent_creates_nobody(campaign):
    response = register(APIClient(), consent_to=["no-such-campaign"])
    assert response.status_code == 400
    assert "No campaign called no-such-campaign" in response.content.decode()
    assert not Contributor.objects.exists()


def test_me_exports_everything_held_including_exact_locations(campaign):
    token = register(APIClient(), consent_to=["no2-tubes"]).json()["token"]
    client = signed_in(token)
    send_reading(client, latitude=51.471234, longitude=-0.112345, accuracy_m=6)
    data = client.get("/api/v1/contributors/me/").json()
    assert data["consents"][0]["campaign"] == "no2-tubes"
    [held] = data["readings"]
    assert held["latitude"] == 51.471234
    assert held["notes"] == "Tube on the front window"
    assert held["receipt"].startswith("R")


def test_erasing_needs_a_choice_that_is_explained(campaign):
    token = register(APIClient(), consent_to=["no2-tubes"]).json()["token"]
    response = signed_in(token).delete("/api/v1/contributors/me/")
    assert response.status_code == 400
    assert "?readings=delete removes them" in response.content.decode()
    assert Contributor.objects.exists()


def test_erasing_with_deletion_removes_the_readings(campaign):
    token = register(APIClient(), consent_to=["no2-tubes"]).json()["token"]
    client = signed_in(token)
    send_reading(client)
    response = client.delete("/api/v1/contributors/me/?readings=delete")
    assert response.json() == {"erased": True, "readings_deleted": 1, "readings_kept_anonymised": 0}
    assert not Reading.objects.exists()
    assert not Contributor.objects.exists()
    assert client.get("/api/v1/contributors/me/").status_code == 401


def test_erasing_but_keeping_readings_leaves_nothing_that_leads_back(campaign):
    token = register(APIClient(), consent_to=["no2-tubes"]).json()["token"]
    client = signed_in(token)
    send_reading(client, latitude=51.471234, longitude=-0.112345, accuracy_m=6)
    client.delete("/api/v1/contributors/me/?readings=keep-anonymised")
    kept = Reading.objects.get()
    assert kept.contributor is None
    assert (kept.latitude, kept.longitude, kept.accuracy_m, kept.notes) == (None, None, None, "")
    assert kept.value == 31.0


def test_a_bad_token_is_refused_with_a_way_forward(campaign):
    response = signed_in("not-a-token").get("/api/v1/contributors/me/")
    assert response.status_code == 401
    assert "register again" in response.content.decode()
