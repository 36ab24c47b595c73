"""The device editor in the Wagtail admin, driven as a comms officer would drive it."""

import json
from html import unescape

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from portal.registry.models import DevicePage, Organisation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def device_form(chain, organisations, **overrides):
    data = {
        "title": "Camera, Bridge Street",
        "slug": "camera-bridge-street",
        "summary": "Watches the bridge to spot flooding and accidents.",
        "status": "active",
        "latitude": "51.470000",
        "longitude": "-0.110000",
        "location_description": "On the lamp post at the north end of the bridge",
        "area": "Riverside ward",
        "area_geojson": "",
        "datachain": streamfield(
            [
                (category, {"element": element, "additional_description": "", **extra})
                for category, element, *rest in chain
                for extra in [({"duration": rest[0]} if rest else {})]
            ]
        ),
        "accountable_organisations": inline_formset(
            [{"organisation": org.pk, "responsibility": ""} for org in organisations]
        ),
        "action-publish": "publish",
    }
    data.update(overrides)
    return nested_form_data(data)


VALID_CHAIN = [
    ("purpose", "safety_security"),
    ("purpose", "fire_emergency"),
    ("tech", "identifiable_video"),
    ("tech", "video_camera"),
    ("data", "pixel_based_image"),
    ("retention", "data_retained", "31 days"),
]


def add_url(register):
    return reverse("wagtailadmin_pages:add", args=("registry", "devicepage", register.pk))


def test_a_valid_device_is_published(admin_client, register):
    council = OrganisationFactory()
    # Planned: an active identifiable camera would also need a DPIA (tests/assessments).
    response = admin_client.post(
        add_url(register), device_form(VALID_CHAIN, [council], status="planned")
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    device = DevicePage.objects.get(slug="camera-bridge-street")
    assert device.live
    assert device.personal_data == "identifiable"
    assert device.organisations == [council]


def assert_refused_with(response, message):
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert "The page could not be created due to validation errors" in html
    # Block errors reach the editor as JSON, which the admin's script shows on the block.
    assert message in html or json.dumps(message)[1:-1] in html
    assert not DevicePage.objects.filter(slug="camera-bridge-street").exists()


def test_four_purposes_are_refused_with_a_clear_message(admin_client, register):
    chain = [
        ("purpose", "safety_security"),
        ("purpose", "fire_emergency"),
        ("purpose", "mobility"),
        ("purpose", "health"),
        *VALID_CHAIN[2:],
    ]
    response = admin_client.post(add_url(register), device_form(chain, [OrganisationFactory()]))
    assert_refused_with(response, "A device can show at most three purposes; remove one")


def test_personal_data_without_a_technology_element_is_refused(admin_client, register):
    chain = [("purpose", "safety_security"), ("data", "personal")]
    response = admin_client.post(add_url(register), device_form(chain, [OrganisationFactory()]))
    assert_refused_with(response, "A technology element is required when the datachain includes")


def test_identifiable_video_must_be_listed_first_among_technologies(admin_client, register):
    chain = [
        ("purpose", "safety_security"),
        ("tech", "video_camera"),
        ("tech", "identifiable_video"),
    ]
    response = admin_client.post(add_url(register), device_form(chain, [OrganisationFactory()]))
    assert_refused_with(response, "Move “Identifiable Video” above “Video camera”")


def test_retention_needs_a_duration(admin_client, register):
    chain = [("purpose", "health"), ("tech", "air_quality"), ("retention", "data_retained", "")]
    response = admin_client.post(add_url(register), device_form(chain, [OrganisationFactory()]))
    assert_refused_with(response, "Retained")


def test_a_device_needs_a_purpose(admin_client, register):
    chain = [("tech", "air_quality")]
    response = admin_client.post(add_url(register), device_form(chain, [OrganisationFactory()]))
    assert_refused_with(response, "purpose")


def test_a_device_needs_an_accountable_organisation(admin_client, register):
    response = admin_client.post(add_url(register), device_form(VALID_CHAIN, []))
    assert response.status_code == 200
    assert not DevicePage.objects.filter(slug="camera-bridge-street").exists()
    assert "Add at least one accountable organisation" in response.content.decode()


def test_bad_coordinates_are_explained(admin_client, register):
    response = admin_client.post(
        add_url(register),
        device_form(VALID_CHAIN, [OrganisationFactory()], latitude="151.2"),
    )
    assert_refused_with(response, "less than or equal to 90")


def test_editor_offers_elements_grouped_by_category(admin_client, register):
    html = unescape(admin_client.get(add_url(register)).content.decode())
    # The block definitions carry each category's own element list, labelled by category.
    assert '"label": "Technology"' in html
    assert "Identifiable Video" in html
    assert '<option value=\\"safety_security\\">Safety &amp; Security</option>' in html


def test_an_organisation_with_a_personal_mail_address_is_refused(admin_client):
    url = reverse("wagtailsnippets_registry_organisation:add")
    response = admin_client.post(
        url, {"name": "Lamp Co", "role": "operator", "email": "jane.smith@gmail.com"}
    )
    assert response.status_code == 200
    assert "This looks like a personal e-mail address" in response.content.decode()
    assert not Organisation.objects.filter(name="Lamp Co").exists()
