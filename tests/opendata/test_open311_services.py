"""Open311 services: one per kind of concern, each taking the device's code."""

import pytest

from portal.concerns.models import Concern
from tests.opendata.open311_support import BASE, as_json, as_xml, error_descriptions

pytestmark = pytest.mark.django_db


def test_services_json_lists_every_kind_of_concern(client):
    services = as_json(client.get(f"{BASE}/services.json"))
    assert [service["service_code"] for service in services] == list(Concern.Category.values)
    problem = next(service for service in services if service["service_code"] == "problem")
    assert problem["service_name"] == "It is broken, damaged or in the wrong place"
    assert problem["metadata"] is True
    assert problem["type"] == "realtime"
    assert "broken" in problem["keywords"]
    assert problem["group"] == "Devices in public space"
    assert "vandalised" in problem["description"]


def test_services_xml_uses_the_spec_element_names(client):
    root = as_xml(client.get(f"{BASE}/services.xml"))
    assert root.tag == "services"
    codes = [service.findtext("service_code") for service in root.findall("service")]
    assert codes == list(Concern.Category.values)
    dpia = root.findall("service")[codes.index("publish_dpia")]
    assert dpia.findtext("metadata") == "true"
    assert dpia.findtext("group") == "Data and privacy"


def test_a_service_definition_asks_for_the_device_code(client):
    definition = as_json(client.get(f"{BASE}/services/objection.json"))
    assert definition["service_code"] == "objection"
    [attribute] = definition["attributes"]
    assert attribute["code"] == "device_code"
    assert attribute["datatype"] == "string"
    assert attribute["variable"] is True
    assert attribute["required"] is False
    assert "Required unless you give lat and long" in attribute["datatype_description"]


def test_a_service_definition_in_xml(client):
    root = as_xml(client.get(f"{BASE}/services/question.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "question"
    attribute = root.find("attributes/attribute")
    assert attribute.findtext("code") == "device_code"
    assert attribute.findtext("required") == "false"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_404_in_the_format_asked_for(client, fmt):
    response = client.get(f"{BASE}/services/parking.{fmt}")
    assert response.status_code == 404
    [message] = error_descriptions(response)
    assert "No service has the code “parking”" in message
    assert f"services.{fmt}" in message


def test_an_unknown_format_is_a_404_explaining_json_and_xml(client):
    response = client.get(f"{BASE}/services.csv")
    assert response.status_code == 404
    [message] = error_descriptions(response)
    assert "End the address with .json or .xml" in message


def test_a_missing_format_is_explained(client):
    response = client.get(f"{BASE}/services")
    assert response.status_code == 404
    assert "services.json or services.xml" in error_descriptions(response)[0]


def test_services_refuse_a_post_with_the_methods_allowed(client):
    response = client.post(f"{BASE}/services.json", {})
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert "accepts GET only" in error_descriptions(response)[0]


def test_services_answer_conditional_gets_and_cross_origin_reads(client):
    first = client.get(f"{BASE}/services.json", HTTP_ORIGIN="https://maps.example")
    assert first["Access-Control-Allow-Origin"] == "*"
    assert "public" in first["Cache-Control"]
    again = client.get(f"{BASE}/services.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
