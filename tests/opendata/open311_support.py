"""Shared set-up for the Open311 tests: two devices far apart, and helpers to read answers."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from portal.concerns.models import Concern
from portal.concerns.services import record_concern
from tests.factories import DevicePageFactory, OrganisationFactory

BASE = "/open311/v2"


@pytest.fixture
def camera(register):
    """A camera in Market Square, run by an operator."""
    operator = OrganisationFactory(name="Kestrel Traffic Systems Ltd", role="operator")
    return DevicePageFactory(
        parent=register,
        title="CCTV, Market Square",
        latitude=Decimal("51.470000"),
        longitude=Decimal("-0.110000"),
        location_description="On the pole by the market clock",
        organisations=[operator],
    )


@pytest.fixture
def sensor(register):
    """An air-quality sensor about 2 km north of the camera."""
    return DevicePageFactory(
        parent=register,
        title="Air quality sensor, Station Road",
        latitude=Decimal("51.488000"),
        longitude=Decimal("-0.110000"),
        location_description="On the lamp post outside the station",
    )


def make_concern(device, **fields) -> Concern:
    """A concern stored as the web form stores one, then moved on as staff would move it."""
    concern = record_concern(
        device_id=device.pk,
        category=fields.pop("category", "question"),
        description=fields.pop("description", "Does it record sound?"),
        email=fields.pop("email", ""),
    )
    if fields:
        dates = {key: fields.pop(key) for key in ("received_on", "updated_on") if key in fields}
        for name, value in fields.items():
            setattr(concern, name, value)
        concern.save()
        if dates:
            # auto_now fields: set the days directly, as if the concern were older.
            Concern.objects.filter(pk=concern.pk).update(**dates)
        concern.refresh_from_db()
    return concern


def as_json(response) -> list | dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def as_xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("application/xml"), response["Content-Type"]
    assert response.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(response.content)


def error_descriptions(response) -> list[str]:
    """The GeoReport error descriptions, whichever format the response is in."""
    if response["Content-Type"].startswith("application/xml"):
        root = as_xml(response)
        assert root.tag == "errors"
        codes = {int(error.findtext("code")) for error in root.findall("error")}
        assert codes == {response.status_code}
        return [error.findtext("description") for error in root.findall("error")]
    errors = as_json(response)
    assert {error["code"] for error in errors} == {response.status_code}
    return [error["description"] for error in errors]
