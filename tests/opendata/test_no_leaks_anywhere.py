"""Nothing internal, withheld or personal reaches any open-data feed.

One borough holds every kind of secret the portal keeps: DPIA steps and risks at every
publication level, supplier evidence and security contacts, a device's unpublished draft,
devices that are unpublished, expired or password-protected, a reading's note, exact position
and contributor, and a resident's concern with their words and e-mail address. Then every feed
is read (the REST API, the downloads, the DCAT catalogue and CKAN API, SensorThings and
Open311) and none of those secrets may appear in any of them.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from portal.citizen_science.contributors import create_contributor
from portal.concerns.models import Concern
from tests.assessments.dpia_support import dpia_with_every_level, withheld_secrets
from tests.factories import ReadingFactory, SiteFactory
from tests.opendata.catalogue_support import MARKER, body_of, build_borough, every_output

pytestmark = pytest.mark.django_db

EXACT_LATITUDE = "51.4912345"
EXACT_LONGITUDE = "-0.1187654"


@pytest.fixture
def borough(site_tree):
    home, register = site_tree
    borough = build_borough(home, register)
    dpia = dpia_with_every_level(home, register, rotation=1, device_title="CCTV, Bus Station")
    site = SiteFactory(
        campaign=borough.campaign,
        code="leak-site",
        latitude=Decimal(EXACT_LATITUDE),
        longitude=Decimal(EXACT_LONGITUDE),
    )
    contributor, _token = create_contributor()
    reading = ReadingFactory(
        campaign=borough.campaign,
        site=site,
        status="accepted",
        contributor=contributor,
        notes=f"{MARKER} note at the site",
    )
    camera = borough.published[0]
    Concern.objects.create(
        reference="LEAK-0001",
        device=camera,
        category=Concern.Category.OBJECTION,
        description=f"{MARKER} my neighbour at number 12 is filmed",
        email="resident.secret@example.org",
        public_note="We are looking at where the camera points.",
    )
    from portal.citizen_science import results

    results.rebuild(borough.campaign.pk)
    secrets = [
        MARKER,
        *withheld_secrets(dpia),
        EXACT_LATITUDE,
        EXACT_LONGITUDE,
        str(contributor.public_id),
        reading.receipt,
        str(reading.client_uuid),
        "resident.secret@example.org",
    ]
    return {"borough": borough, "dpia": dpia, "secrets": secrets}


def api_outputs(client, borough) -> dict[str, str]:
    camera = borough["borough"].published[0]
    paths = [
        "/api/v1/dtpr/",
        "/api/v1/devices/?limit=500",
        f"/api/v1/devices/{camera.code}/",
        "/api/v1/dpias/",
        f"/api/v1/dpias/{borough['dpia'].slug}/",
        "/api/v1/algorithm-records/",
        "/api/v1/campaigns/",
        f"/api/v1/campaigns/{borough['borough'].campaign.slug}/",
    ]
    return {path: body_of(client.get(path)) for path in paths}


def sensorthings_outputs(client) -> dict[str, str]:
    outputs = {}
    for entity_set in (
        "Things",
        "Locations",
        "Datastreams",
        "Sensors",
        "ObservedProperties",
        "FeaturesOfInterest",
        "Observations",
    ):
        path = f"/sta/v1.1/{entity_set}?$top=1000"
        response = client.get(path)
        assert response.status_code == 200, path
        outputs[path] = body_of(response)
    expanded = "/sta/v1.1/Things?$expand=Locations,Datastreams&$top=1000"
    outputs[expanded] = body_of(client.get(expanded))
    return outputs


def open311_outputs(client) -> dict[str, str]:
    paths = [
        "/open311/v2/services.json",
        "/open311/v2/requests.json",
        "/open311/v2/requests.xml",
        "/open311/v2/requests/LEAK-0001.json",
        "/open311/v2/servicerequestupdates.json",
    ]
    outputs = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        outputs[path] = body_of(response)
    return outputs


def test_no_secret_reaches_any_feed(client, borough):
    outputs = {
        **api_outputs(client, borough),
        **every_output(client),
        **sensorthings_outputs(client),
        **open311_outputs(client),
    }
    leaks = [
        (path, secret)
        for path, body in outputs.items()
        for secret in borough["secrets"]
        if secret and secret in body
    ]
    assert not leaks


def test_the_feeds_do_publish_the_public_parts(client, borough):
    """The leak check above is only worth something if the feeds hold the borough at all."""
    api = api_outputs(client, borough)
    dpia = json.loads(api[f"/api/v1/dpias/{borough['dpia'].slug}/"])
    assert "It would help someone avoid the cameras." in json.dumps(dpia)
    assert "RISKSECRETPUBLIC" in json.dumps(dpia)
    camera = borough["borough"].published[0]
    assert camera.code in api["/api/v1/devices/?limit=500"]
    observations = json.loads(sensorthings_outputs(client)["/sta/v1.1/Observations?$top=1000"])
    assert len(observations["value"]) >= 2
    requests = json.loads(open311_outputs(client)["/open311/v2/requests.json"])
    assert [
        item["status_notes"] for item in requests if item["service_request_id"] == "LEAK-0001"
    ] == ["We are looking at where the camera points."]
