"""A small borough for the open-data tests: published devices beside ones the public may not see.

Every place a secret could hide (supplier assurance, a draft revision, an unpublished or
expired or private device) holds ``MARKER``, so a test can assert it appears in no output.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.test import Client
from django.utils import timezone
from wagtail.models import PageViewRestriction

from portal.citizen_science.models import CampaignPage
from portal.core.models import CouncilSettings
from portal.registry.models import DevicePage
from surveys.models import SurveyPage
from tests.factories import (
    CampaignPageFactory,
    DevicePageFactory,
    OrganisationFactory,
    ReadingFactory,
    ScienceIndexPageFactory,
    SupplierAnswerFactory,
    SupplierAssuranceFactory,
    SurveyIndexPageFactory,
    SurveyPageFactory,
    SurveyResponseFactory,
)

MARKER = "ZZLEAKMARKER"
DOWNLOADS = ("/data/devices.csv", "/data/devices.geojson")


@dataclass
class Borough:
    published: list[DevicePage]
    hidden: dict[str, DevicePage]  # why it is hidden -> device
    campaign: CampaignPage
    survey: SurveyPage


def publish(page: Any) -> Any:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def build_borough(home: Any, register: Any) -> Borough:
    site_settings = CouncilSettings.for_site(home.get_site())
    site_settings.council_name = "Millbrook Borough Council"
    site_settings.contact_email = "opendata@millbrook.example"
    site_settings.website = "https://www.millbrook.example/"
    site_settings.save()

    council = OrganisationFactory(name="Millbrook Borough Council")
    operator = OrganisationFactory(name="Voltway Charging Ltd", role="operator")
    camera = publish(
        DevicePageFactory(
            parent=register,
            title="CCTV, Market Square",
            slug="cctv-market-square",
            summary='=HYPERLINK("http://evil.example") Watches the market.',
            latitude=Decimal("51.480100"),
            longitude=Decimal("-0.101200"),
            organisations=[council, operator],
        )
    )
    sensor = publish(
        DevicePageFactory(
            parent=register,
            title="Air quality sensor, High Street",
            slug="air-high-street",
            latitude=Decimal("51.470000"),
            longitude=Decimal("-0.110000"),
            organisations=[council],
        )
    )
    # Supplier assurance: the answers' evidence and the security details are internal.
    assurance = SupplierAssuranceFactory(
        device=camera,
        public_summary="The supplier promised the council owns the footage.",
        manufacturer=f"{MARKER}-manufacturer",
        vulnerability_contact=f"{MARKER}-vulnerability",
    )
    SupplierAnswerFactory(assurance=assurance, evidence=f"{MARKER}-evidence")
    # A draft edit of a published device: the public sees the live values until it is published.
    draft = DevicePage.objects.get(pk=sensor.pk)
    draft.title = f"{MARKER} draft title"
    draft.summary = f"{MARKER} draft summary"
    draft.save_revision()

    hidden = {
        "unpublished": DevicePageFactory(
            parent=register, title=f"{MARKER} never published", live=False
        ),
        "expired": publish(
            DevicePageFactory(
                parent=register,
                title=f"{MARKER} past its do-not-show-after date",
                hide_after=timezone.localdate() - datetime.timedelta(days=1),
            )
        ),
        "private": publish(DevicePageFactory(parent=register, title=f"{MARKER} private")),
    }
    PageViewRestriction.objects.create(
        page=hidden["private"], restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    science = ScienceIndexPageFactory(parent=home)
    campaign = publish(
        CampaignPageFactory(parent=science, title="Millbrook Breathes", slug="millbrook-breathes")
    )
    ReadingFactory(campaign=campaign, status="accepted", notes=f"{MARKER} reading note")
    ReadingFactory(campaign=campaign, status="pending")

    surveys = SurveyIndexPageFactory(parent=home)
    survey = publish(
        SurveyPageFactory(
            parent=surveys,
            title="Data and you",
            slug="data-and-you",
            results_published=True,
            opens_at=timezone.now() - datetime.timedelta(days=30),
            closes_at=timezone.now() - datetime.timedelta(days=2),
        )
    )
    for _ in range(3):
        SurveyResponseFactory(survey=survey)
    return Borough(published=[camera, sensor], hidden=hidden, campaign=campaign, survey=survey)


def body_of(response: Any) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def every_output(client: Client) -> dict[str, str]:
    """Every address this part publishes, with its body."""
    paths = [
        "/data/",
        "/data/datasets/devices/",
        "/data/datasets/readings-millbrook-breathes/",
        "/data/datasets/survey-data-and-you/",
        *DOWNLOADS,
        "/data/catalog.jsonld",
        "/data/catalog.ttl",
        "/api/3/action/package_list",
        "/api/3/action/package_show?id=devices",
        "/api/3/action/package_search?rows=1000",
    ]
    outputs = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        outputs[path] = body_of(response)
    return outputs
