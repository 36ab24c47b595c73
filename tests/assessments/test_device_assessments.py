"""A device page leads to what was assessed; identifiable devices need a DPIA to go live."""

import datetime

import pytest
from django.urls import reverse

from portal.assessments.models import SignOff
from tests.factories import (
    CCTV_CHAIN,
    AssessmentIndexPageFactory,
    DevicePageFactory,
    DpiaPageFactory,
    OrganisationFactory,
)
from tests.registry.test_editor import device_form

GATE = "cannot be published as active until a signed-off data protection impact assessment"

pytestmark = pytest.mark.django_db


def test_device_page_shows_its_dpia_summary_and_link(client, site_tree):
    home, register = site_tree
    device = DevicePageFactory(parent=register, datachain=CCTV_CHAIN)
    dpia = DpiaPageFactory(
        parent=AssessmentIndexPageFactory(parent=home), summary="Cameras assessed in 2025."
    )
    dpia.devices.add(device)
    dpia.save_revision().publish()
    html = client.get(device.url).content.decode()
    assert "What did the council assess?" in html
    assert "Cameras assessed in 2025." in html
    assert f'href="{dpia.url}"' in html


def test_device_without_a_dpia_says_so(client, register):
    device = DevicePageFactory(parent=register, datachain=CCTV_CHAIN)
    assert (
        "No data protection impact assessment has been published"
        in client.get(device.url).content.decode()
    )


def test_device_page_with_a_dpia_stays_within_eight_queries(
    client, site_tree, django_assert_max_num_queries
):
    home, register = site_tree
    device = DevicePageFactory(parent=register, datachain=CCTV_CHAIN)
    dpia = DpiaPageFactory(parent=AssessmentIndexPageFactory(parent=home))
    dpia.devices.add(device)
    dpia.save_revision().publish()
    client.get(device.url)
    with django_assert_max_num_queries(8):
        assert client.get(device.url).status_code == 200


def test_an_editor_cannot_publish_an_identifiable_camera_as_active_without_a_dpia(
    admin_client, site_tree
):

    from django.urls import reverse

    from tests.factories import OrganisationFactory
    from tests.registry.test_editor import device_form

    home, register = site_tree
    chain = [("purpose", "safety_security"), ("tech", "identifiable_video")]
    council = OrganisationFactory()
    device = DevicePageFactory(
        parent=register, status="planned", datachain=CCTV_CHAIN, slug="camera-bridge-street"
    )
    edit = reverse("wagtailadmin_pages:edit", args=[device.pk])

    response = admin_client.post(edit, device_form(chain, [council], status="active"))
    assert response.status_code == 200
    assert (
        "cannot be published as active until a signed-off data protection impact assessment"
        in response.content.decode()
    )
    device.refresh_from_db()
    assert device.status == "planned"

    # A draft may still be saved while the DPIA is written.
    draft = device_form(chain, [council], status="active")
    del draft["action-publish"]
    assert admin_client.post(edit, draft).status_code == 302

    dpia = DpiaPageFactory(parent=AssessmentIndexPageFactory(parent=home))
    dpia.devices.add(device)
    for kind in ("measures", "residual", "dpo"):
        SignOff.objects.create(
            page=dpia, kind=kind, role="Director of Place", date=datetime.date(2025, 1, 1)
        )
    dpia.save_revision().publish()
    response = admin_client.post(edit, device_form(chain, [council], status="active"))
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.status == "active"


def test_a_device_without_personal_data_can_go_live_without_a_dpia(admin_client, register):
    chain = [("purpose", "health"), ("tech", "air_quality")]
    response = admin_client.post(
        reverse("wagtailadmin_pages:add", args=("registry", "devicepage", register.pk)),
        device_form(chain, [OrganisationFactory()], status="active"),
    )
    assert response.status_code == 302


def test_a_device_with_every_kind_of_record_stays_within_eight_queries(
    client, site_tree, django_assert_max_num_queries
):
    from tests.factories import (
        AlgorithmRecordPageFactory,
        SupplierAnswerFactory,
        SupplierAssuranceFactory,
    )

    home, register = site_tree
    device = DevicePageFactory(parent=register, datachain=CCTV_CHAIN)
    index = AssessmentIndexPageFactory(parent=home)
    dpia = DpiaPageFactory(parent=index)
    dpia.devices.add(device)
    dpia.save_revision().publish()
    record = AlgorithmRecordPageFactory(parent=index)
    record.devices.add(device)
    record.save_revision().publish()
    SupplierAnswerFactory(assurance=SupplierAssuranceFactory(device=device))
    client.get(device.url)
    with django_assert_max_num_queries(8):
        html = client.get(device.url).content.decode()
    assert dpia.title in html
    assert record.title in html
    assert "What did the supplier promise?" in html
