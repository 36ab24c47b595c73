"""A small borough for the SensorThings tests: what must appear, and what never may.

Public: one listed device; an open NO2 campaign (exposure tubes, bias factor 0.9, 250 m grid)
with two sites, accepted readings, and one accepted reading taken away from any site; a
closed rain campaign (instant readings, no factor). Never public: pending, flagged and
rejected readings, a planned campaign, a draft campaign, an unpublished device, the exact
site and reading positions, notes, receipts and the contributor.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from portal.citizen_science import results
from portal.citizen_science.contributors import create_contributor
from portal.citizen_science.ingestion import new_receipt
from portal.citizen_science.models import CampaignPage, Reading, ReadingStatus, Site
from portal.registry.models import DevicePage
from tests.factories import (
    CampaignPageFactory,
    DevicePageFactory,
    ScienceIndexPageFactory,
    SiteFactory,
)

UTC = datetime.UTC
STA = "/sta/v1.1/"
# Exact positions: a volunteer's window and a reading taken in someone's garden.
SITE_LAT, SITE_LON = Decimal("51.463817"), Decimal("-0.091263")
PARK_LAT, PARK_LON = Decimal("51.471234"), Decimal("-0.112345")
GARDEN_LAT, GARDEN_LON = Decimal("51.458321"), Decimal("-0.104987")
SECRET_NOTE = "Tube on the drainpipe by my back door at number 14"


def make_reading(
    campaign: CampaignPage,
    value: float,
    *,
    site: Site | None = None,
    when: datetime.datetime = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=UTC),
    status: str = ReadingStatus.ACCEPTED,
    **extra: object,
) -> Reading:
    start = when - datetime.timedelta(days=28) if campaign.sampling == "exposure" else None
    period_start, period_end = results.period_for(campaign.sampling, when, start)
    latitude = extra.pop("latitude", None)
    longitude = extra.pop("longitude", None)
    return Reading.objects.create(
        client_uuid=uuid.uuid4(),
        receipt=new_receipt(),
        received_at=when,
        batch=uuid.uuid4(),
        campaign=campaign,
        site=site,
        value=value,
        unit=campaign.unit,
        observed_at=when,
        exposure_start=start,
        period_start=period_start,
        period_end=period_end,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=8 if latitude is not None else None,
        cell=results.cell_for(float(latitude), float(longitude)) if latitude is not None else "",
        status=status,
        **extra,
    )


@dataclass
class Borough:
    device: DevicePage
    hidden_device: DevicePage
    no2: CampaignPage
    rain: CampaignPage
    planned: CampaignPage
    draft: CampaignPage
    high_street: Site
    park: Site
    gauge: Site
    accepted: list[Reading] = field(default_factory=list)
    not_public: list[Reading] = field(default_factory=list)
    elsewhere: Reading | None = None

    @property
    def public_readings(self) -> list[Reading]:
        return self.accepted


def build_borough(home, register) -> Borough:
    device = DevicePageFactory(parent=register, title="Air quality sensor, Market Square")
    hidden = DevicePageFactory(parent=register, title="Unpublished camera", live=False)
    index = ScienceIndexPageFactory(parent=home)
    no2 = CampaignPageFactory(
        parent=index, slug="no2", title="NO2 tubes", bias_factor=Decimal("0.900"),
        location_precision_m=250, state="open",
    )  # fmt: skip
    rain = CampaignPageFactory(
        parent=index, slug="rain", title="Rain gauges", observed_property="Rainfall",
        unit="mm", sampling="instant", valid_max=300, expected_max=100, threshold=None,
        state="closed", location_precision_m=500,
    )  # fmt: skip
    planned = CampaignPageFactory(parent=index, slug="planned", title="Noise", state="planned")
    draft = CampaignPageFactory(parent=index, slug="draft", title="Draft", live=False)
    high_street = SiteFactory(
        campaign=no2, code="no2-001", name="High Street", latitude=SITE_LAT, longitude=SITE_LON,
        device=device,
    )  # fmt: skip
    park = SiteFactory(
        campaign=no2, code="no2-002", name="Park Lane", latitude=PARK_LAT, longitude=PARK_LON
    )
    gauge = SiteFactory(campaign=rain, code="rain-001", name="Allotments")
    contributor, _token = create_contributor()
    world = Borough(device, hidden, no2, rain, planned, draft, high_street, park, gauge)
    month = datetime.timedelta(days=28)
    start = datetime.datetime(2026, 2, 2, 9, 0, tzinfo=UTC)
    for number, value in enumerate((40.0, 44.0, 52.0, 36.0)):
        world.accepted.append(
            make_reading(no2, value, site=high_street, when=start + month * number,
                         contributor=contributor, notes=SECRET_NOTE)
        )  # fmt: skip
    for number, value in enumerate((20.0, 30.0)):
        world.accepted.append(make_reading(no2, value, site=park, when=start + month * number))
    for number in range(5):
        world.accepted.append(
            make_reading(
                rain, 1.5 + number, site=gauge, when=start + datetime.timedelta(days=number)
            )
        )
    world.elsewhere = make_reading(
        no2, 61.0, latitude=GARDEN_LAT, longitude=GARDEN_LON, contributor=contributor,
        notes=SECRET_NOTE, when=start + month,
    )  # fmt: skip
    world.accepted.append(world.elsewhere)
    for status in (ReadingStatus.PENDING, ReadingStatus.FLAGGED, ReadingStatus.REJECTED):
        world.not_public.append(make_reading(no2, 999.0, site=park, status=status))
    planned_site = SiteFactory(campaign=planned, code="noise-1", name="Hidden Road")
    draft_site = SiteFactory(campaign=draft, code="draft-1", name="Secret Close")
    world.not_public.append(make_reading(planned, 77.0, site=planned_site))
    world.not_public.append(make_reading(draft, 78.0, site=draft_site))
    for campaign in (no2, rain, planned, draft):
        results.rebuild(campaign.pk)
    return world
