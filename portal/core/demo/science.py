"""Citizen science in Millbrook: NO2 diffusion tubes, rain gauges and a noise survey to come.

Everything here is invented but realistic: 40 tube sites over a year of four-week exposure
periods (roadside sites higher than quiet streets, winter higher than summer), co-located
duplicate and triplicate tubes, and three months of daily rain-gauge readings with dry days,
wet spells and a storm.

The readings are made with a seeded random generator and get ``client_uuid``s derived with
``uuid5``, so every run builds exactly the same readings and a rerun adds nothing: rows
already in the database are left as they are, even if a moderator has changed them since.
Pages and sites are updated in place, like the rest of the demo.
"""

from __future__ import annotations

import datetime
import math
import random
import uuid
import zoneinfo
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from wagtail.models import Page

from portal.citizen_science.contributors import give_consent, hash_token
from portal.citizen_science.ingestion import quality_flags
from portal.citizen_science.models import (
    CampaignPage,
    CampaignState,
    Contributor,
    Licence,
    ModerationEvent,
    PeriodResult,
    Reading,
    ReadingStatus,
    Sampling,
    ScienceIndexPage,
    Site,
)
from portal.citizen_science.results import cell_for, period_for, rebuild
from portal.core.demo.borough import DEVICES
from portal.core.receipts import RECEIPT_ALPHABET
from portal.home.models import HomePage
from portal.registry.models import DevicePage

LONDON = zoneinfo.ZoneInfo("Europe/London")
# Every demo client_uuid, receipt and batch id is derived from this, so reruns find their rows.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://www.millbrook.example/demo/citizen-science")
MODERATOR = "moderator"
AUTO_ACCEPTED = "Accepted automatically: inside the usual range."

INDEX_INTRODUCTION = (
    "Residents, schools and community groups measure things that matter in Millbrook: the air "
    "on their street, the rain that feeds the Wandle, and soon the noise at night. Find out how "
    "to take part, and see the results as they come in. We never publish anyone's exact "
    "location."
)

# The borough boundary, drawn loosely round its five wards. GeoJSON is longitude first.
AREA = {
    "type": "Polygon",
    "coordinates": [
        [
            [-0.1265, 51.4640],
            [-0.1235, 51.4845],
            [-0.1150, 51.4880],
            [-0.1010, 51.4825],
            [-0.0945, 51.4720],
            [-0.0960, 51.4630],
            [-0.1080, 51.4585],
            [-0.1200, 51.4590],
            [-0.1265, 51.4640],
        ]
    ],
}

_DEVICE_POSITIONS = {spec["slug"]: (float(spec["lat"]), float(spec["lon"])) for spec in DEVICES}


def _ward_centre(ward: str) -> tuple[float, float]:
    points = [
        (float(spec["lat"]), float(spec["lon"]))
        for spec in DEVICES
        if spec["area"] == f"{ward} ward"
    ]
    return sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)


WARDS = {
    ward: _ward_centre(ward) for ward in ("Market", "Station", "Park", "Northfield", "Riverside")
}


# --- the NO2 diffusion tube campaign ------------------------------------------------------

NO2 = {
    "slug": "millbrook-breathes-no2-2026",
    "title": "Millbrook Breathes: nitrogen dioxide tubes 2026",
    "summary": (
        "Volunteers put up small plastic tubes on lamp posts and drainpipes across Millbrook to "
        "measure nitrogen dioxide (NO2), a gas that comes mostly from traffic. A year of results "
        "shows which streets have the dirtiest air, and when."
    ),
    "observed_property": "Nitrogen dioxide (NO2)",
    "unit": "µg/m³",
    "method": (
        "We post you a tube, a clip and a label with your site code. Each tube measures the air "
        "for four weeks.\n"
        "1. On the changeover Monday, take the old tube down and put the cap back on its open "
        "end straight away.\n"
        "2. Take the cap off the open end of the new tube and clip the tube to the same post, "
        "open end pointing down, about 2.5 metres up and away from walls and trees.\n"
        "3. Write the date and time on both labels.\n"
        "4. Post the old tube back to us in the prepaid envelope the same day.\n"
        "The laboratory sends us the result about ten days later and it appears here once we "
        "have checked it. At some sites we put up two or three tubes side by side, to check "
        "that the tubes agree."
    ),
    "sampling": Sampling.EXPOSURE,
    "sampling_description": "Four-week exposure periods; tubes are changed on a Monday",
    "valid_min": 0.0,
    "valid_max": 400.0,
    "expected_min": 5.0,
    "expected_max": 90.0,
    "threshold": 40.0,
    "threshold_label": "Annual mean limit for NO2",
    "location_precision_m": 250,
    "licence": Licence.OGL,
    "consent_text": (
        "When you join, you agree that:\n"
        "- we keep the readings you send, the site code, the dates and any notes you add, with a "
        "random code that stands for you. We never ask for your name, address or e-mail.\n"
        "- we publish checked readings as open data under the Open Government Licence, with "
        "places rounded to the nearest 250 metres. Your notes are only read by the council "
        "officer who checks readings.\n"
        "- you can see everything we hold about you, or delete it, at any time with your "
        "volunteer code."
    ),
    "state": CampaignState.OPEN,
    "starts_on": datetime.date(2026, 1, 5),
    "ends_on": datetime.date(2027, 1, 4),
    "auto_accept": False,
    "bias_factor": Decimal("0.870"),
    "precision_limit_percent": 20,
}

NO2_FIRST_CHANGEOVER = datetime.date(2026, 1, 5)
NO2_PERIOD_DAYS = 28
# Eleven periods have come back from the laboratory; the last is waiting for a check and the
# twelfth tube (9 November to 7 December 2026) is still on its post.
NO2_PERIODS_WITH_RESULTS = 11

# (name, anchor, kind, tubes): an anchor is a device slug (the tube is on the same post) or a
# ward (the tube is somewhere in it). "roadside" tubes are by busy roads; "background" tubes
# are on quiet streets, where most people live.
NO2_SITES: list[tuple[str, str, str, int]] = [
    ("Market Square", "cctv-market-square", "roadside", 1),
    ("High Street (north end)", "people-counter-high-street", "roadside", 3),
    ("High Street (south end)", "Market", "roadside", 1),
    ("Clock Tower", "air-quality-clock-tower", "roadside", 2),
    ("Town Hall steps", "weather-station-town-hall", "roadside", 1),
    ("Cornmarket Street", "Market", "roadside", 1),
    ("Tanner's Yard", "Market", "background", 1),
    ("Chapel Walk", "Market", "background", 1),
    ("Queen's Parade", "Market", "roadside", 2),
    ("Station Road (bus gate)", "anpr-station-road-bus-gate", "roadside", 3),
    ("Station Approach", "wayfinding-screen-station", "roadside", 1),
    ("Railway Arches", "noise-monitor-railway-arches", "roadside", 2),
    ("Goods Yard Lane", "Station", "background", 1),
    ("Viaduct Road", "Station", "roadside", 1),
    ("Signal Close", "Station", "background", 1),
    ("Coal Wharf Road", "Station", "roadside", 1),
    ("Platform Gardens", "Station", "background", 2),
    ("Church Road", "smart-lighting-church-road", "roadside", 1),
    ("Millbrook Park gate", "people-counter-millbrook-park", "background", 2),
    ("Leisure Centre car park", "anpr-car-park-leisure-centre", "background", 1),
    ("Park Avenue", "Park", "background", 1),
    ("Bowling Green Lane", "Park", "background", 1),
    ("Orchard Rise", "Park", "background", 1),
    ("London Road", "Park", "roadside", 3),
    ("Vicarage Gardens", "Park", "background", 1),
    ("St Anne's Primary School", "air-quality-st-annes-school", "roadside", 2),
    ("Northfield Library", "air-quality-northfield-library", "roadside", 1),
    ("Orchard Community Garden", "soil-moisture-community-garden", "background", 1),
    ("Northfield Road", "Northfield", "roadside", 1),
    ("Beacon Hill", "Northfield", "background", 1),
    ("Kiln Lane", "Northfield", "background", 1),
    ("Northfield Broadway", "Northfield", "roadside", 2),
    ("Wandle Bridge", "river-level-wandle-bridge", "roadside", 1),
    ("Wandle riverside path", "cycle-counter-wandle-path", "background", 1),
    ("Elm Grove", "ev-charger-elm-grove", "background", 1),
    ("Mill Lane", "Riverside", "roadside", 1),
    ("Ferry Street", "Riverside", "background", 1),
    ("Weir Road", "Riverside", "roadside", 2),
    ("Lock Keeper's Row", "Riverside", "background", 1),
    ("Riverside Primary School", "Riverside", "background", 1),
]
# Tubes on the same post as the council's own air-quality sensors: volunteers scan its sign.
NO2_DEVICE_SITES = {
    "Clock Tower": "air-quality-clock-tower",
    "St Anne's Primary School": "air-quality-st-annes-school",
}
# The busiest roads: raw annual means well over the limit.
NO2_BUSIEST = {
    "Station Road (bus gate)": 57.0,
    "High Street (north end)": 54.0,
    "London Road": 52.0,
    "Market Square": 50.0,
}
# One triplicate in one period whose tubes disagree by more than the precision limit.
NO2_PRECISION_PROBLEM = ("London Road", 3)
# Results a moderator has to think about, by (site, period number from 0): (µg/m³, the
# volunteer's note, the moderator's reason for turning it down or "" while it is in the queue).
NO2_SPECIAL = {
    ("Coal Wharf Road", 9): (
        96.4,
        "Roadworks on Station Road sent the buses down here for two weeks.",
        "",
    ),
    ("Viaduct Road", 10): (
        91.8,
        "A diesel generator ran next to the post for the film shoot under the arches.",
        "",
    ),
    ("Kiln Lane", 6): (
        3.1,
        "Found the tube on the pavement with the cap off. Sent it in anyway.",
        "Rejected: the tube fell down and was open to the air for an unknown time, so the "
        "result does not measure the four weeks.",
    ),
}

NO2_REVIEW_REASONS = [
    "Checked against the laboratory's results sheet.",
    "Exposure dates match the tube calendar.",
    "In line with earlier periods at this site.",
    "Checked: the label and the laboratory sheet agree.",
    "Co-located tubes agree well.",
]
NO2_NOTES = [
    "Tube changed at the usual time.",
    "Spider web near the tube; cleared it.",
    "Lorries idling outside for a delivery most mornings.",
    "Scaffolding went up across the road this month.",
    "Bin lorry route changed, fewer trucks.",
    "School holidays: much less traffic.",
]

# --- the rainfall campaign -----------------------------------------------------------------

RAIN = {
    "slug": "rain-gauges-wandle",
    "title": "Rain gauges along the Wandle",
    "summary": (
        "Volunteers read a simple rain gauge in their garden every morning. Together with the "
        "river level sensor at Wandle Bridge, the readings help the Wandle Valley Flood "
        "Partnership see how quickly heavy rain reaches the river."
    ),
    "observed_property": "Rainfall in the last 24 hours",
    "unit": "mm",
    "method": (
        "We lend you a plastic rain gauge with a funnel and a measuring cylinder.\n"
        "1. Put the gauge in an open spot, away from walls, fences, trees and roofs, with the rim "
        "about 30 centimetres above the ground.\n"
        "2. Every morning at about 9 o'clock, pour the water into the cylinder and read the "
        "level in millimetres. If there is none, send 0.\n"
        "3. Send the reading with the app or the web form, then empty the gauge.\n"
        "If you miss a day, skip it: do not add two days together."
    ),
    "sampling": Sampling.INSTANT,
    "sampling_description": "One reading a day, at about 9am, for the 24 hours before",
    "valid_min": 0.0,
    "valid_max": 300.0,
    "expected_min": 0.0,
    "expected_max": 60.0,
    "threshold": 25.0,
    "threshold_label": "Heavy rain: more than 25 mm in a day",
    "location_precision_m": 250,
    "licence": Licence.OGL,
    "consent_text": (
        "When you join, you agree that:\n"
        "- we keep the readings you send, the gauge's site code and any notes you add, with a "
        "random code that stands for you. We never ask for your name, address or e-mail.\n"
        "- we share readings with the Wandle Valley Flood Partnership and publish them as open "
        "data under the Open Government Licence, with places rounded to the nearest 250 metres.\n"
        "- you can see everything we hold about you, or delete it, at any time with your "
        "volunteer code."
    ),
    "state": CampaignState.OPEN,
    "starts_on": datetime.date(2026, 8, 17),
    "ends_on": datetime.date(2027, 2, 28),
    "auto_accept": True,
    "bias_factor": None,
    "precision_limit_percent": 20,
}
RAIN_FIRST_DAY = datetime.date(2026, 8, 17)
RAIN_DAYS = 91  # to 15 November 2026
RAIN_SITES: list[tuple[str, str]] = [
    ("Town Hall garden", "weather-station-town-hall"),
    ("Wandle Bridge allotments", "river-level-wandle-bridge"),
    ("Ferry Street", "Riverside"),
    ("Lock Keeper's Row", "Riverside"),
    ("Elm Grove", "ev-charger-elm-grove"),
    ("Orchard Community Garden", "soil-moisture-community-garden"),
    ("Millbrook Park bowling green", "people-counter-millbrook-park"),
    ("Beacon Hill", "Northfield"),
    ("Goods Yard Lane", "Station"),
    ("Riverside Primary School", "Riverside"),
]
RAIN_DEVICE_SITES = {"Town Hall garden": "weather-station-town-hall"}
# Storms (day offset, borough-wide millimetres): a wet September weekend and an October storm.
RAIN_STORMS = {27: 31.0, 28: 12.0, 58: 36.0, 59: 18.0, 77: 27.0, 90: 14.0}
# One volunteer joined two weeks late.
RAIN_LATE_START = {"rain-07": 14}
# Readings outside the usual range, left in the queue: (site code, day offset): (mm, note).
RAIN_SPECIAL = {
    ("rain-05", 58): (
        64.2,
        "The gauge was full to the top. The shed gutter may have overflowed into it.",
    ),
    ("rain-02", 90): (61.5, "Thunderstorm overnight; the allotment paths were flooded."),
}

# --- the noise campaign, still being planned -----------------------------------------------

NOISE = {
    "slug": "quieter-nights-railway-arches",
    "title": "Quieter nights by the railway arches",
    "summary": (
        "From March 2027, residents near the railway arches will measure noise at night with a "
        "phone app, so that we can tell the venues and Network Rail where it is worst."
    ),
    "observed_property": "Noise level (LAeq over 5 minutes)",
    "unit": "dB(A)",
    "method": (
        "We will show you how to check your phone against our calibrated meter at a drop-in "
        "session before the survey starts.\n"
        "1. Stand at your site, at least a metre from walls, and hold the phone at arm's "
        "length.\n"
        "2. Start the app's five-minute measurement and keep still.\n"
        "3. Send the level it shows, and a note of anything you could hear."
    ),
    "sampling": Sampling.INSTANT,
    "sampling_description": "Five-minute measurements between 11pm and 2am",
    "valid_min": 20.0,
    "valid_max": 140.0,
    "expected_min": 30.0,
    "expected_max": 90.0,
    "threshold": 45.0,
    "threshold_label": "World Health Organization night-time guideline outside bedrooms",
    "location_precision_m": 100,
    "licence": Licence.OGL,
    "consent_text": (
        "When you join, you agree that:\n"
        "- we keep the levels you send, the site code and any notes you add, with a random code "
        "that stands for you. We never ask for your name, address or e-mail, and the app never "
        "records sound, only the level.\n"
        "- we publish checked levels as open data under the Open Government Licence, with "
        "places rounded to the nearest 100 metres.\n"
        "- you can see everything we hold about you, or delete it, at any time with your "
        "volunteer code."
    ),
    "state": CampaignState.PLANNED,
    "starts_on": datetime.date(2027, 3, 1),
    "ends_on": datetime.date(2027, 5, 31),
    "auto_accept": False,
    "bias_factor": None,
    "precision_limit_percent": 20,
}
NOISE_SITES: list[tuple[str, str]] = [
    ("Railway Arches", "noise-monitor-railway-arches"),
    ("Viaduct Road", "Station"),
    ("Coal Wharf Road", "Station"),
    ("Signal Close", "Station"),
    ("Goods Yard Lane", "Station"),
    ("Platform Gardens", "Station"),
]
NOISE_DEVICE_SITES = {"Railway Arches": "noise-monitor-railway-arches"}

# Pseudonymous volunteers: (key, campaigns they agreed to). Their tokens are random and never
# shown, so nobody can sign in as them; they exist so readings have someone to belong to.
CONTRIBUTORS: list[tuple[str, list[str]]] = [
    ("volunteer-1", [NO2["slug"]]),
    ("volunteer-2", [NO2["slug"]]),
    ("volunteer-3", [NO2["slug"], RAIN["slug"]]),
    ("volunteer-4", [NO2["slug"]]),
    ("volunteer-5", [RAIN["slug"]]),
    ("volunteer-6", [RAIN["slug"]]),
]


# --- building ------------------------------------------------------------------------------


@dataclass
class Loaded:
    """What one run put in place, for the command's summary line and the tests."""

    campaigns: int = 0
    sites: int = 0
    readings: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        total = sum(self.readings.values())
        parts = ", ".join(f"{count} {status}" for status, count in sorted(self.readings.items()))
        return (
            f"Citizen science: {self.campaigns} campaigns, {self.sites} sites, "
            f"{total} readings ({parts})."
        )


def load_science(home: HomePage, publish: Callable[[Page], None]) -> Loaded:
    """Build the science index, its campaigns, sites, volunteers and readings."""
    loaded = Loaded()
    index = _index(home, publish)
    reviewer = get_user_model().objects.filter(username=MODERATOR).first()
    contributors = _contributors()
    for spec, sites, devices, readings in (
        (NO2, _no2_sites(), NO2_DEVICE_SITES, _no2_readings),
        (RAIN, _rain_sites(), RAIN_DEVICE_SITES, _rain_readings),
        (NOISE, _noise_sites(), NOISE_DEVICE_SITES, None),
    ):
        campaign = _campaign(index, spec, publish)
        site_rows = _sites(campaign, sites, devices)
        volunteers = [c for key, c in contributors.items() if _consents(key, spec["slug"])]
        for volunteer in volunteers:
            give_consent(volunteer, campaign)
        loaded.campaigns += 1
        loaded.sites += len(site_rows)
        if readings is not None:
            created = _store(campaign, readings(campaign, site_rows, volunteers), reviewer)
            if created or not PeriodResult.objects.filter(campaign=campaign).exists():
                rebuild(campaign.pk)
    for status in ReadingStatus.values:
        loaded.readings[status] = Reading.objects.filter(
            campaign__slug__in=[NO2["slug"], RAIN["slug"]], status=status
        ).count()
    return loaded


def _index(home: HomePage, publish: Callable[[Page], None]) -> ScienceIndexPage:
    index = ScienceIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(instance=ScienceIndexPage(title="Citizen science", slug="science"))
    index.title = "Citizen science"
    index.introduction = INDEX_INTRODUCTION
    index.show_in_menus = True
    publish(index)
    index.refresh_from_db()
    return index


def _campaign(
    index: ScienceIndexPage, spec: dict[str, Any], publish: Callable[[Page], None]
) -> CampaignPage:
    page = CampaignPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    fields = {key: value for key, value in spec.items() if key != "slug"}
    fields["area_geojson"] = AREA
    if page is None:
        page = index.add_child(instance=CampaignPage(slug=spec["slug"], **fields))
    for key, value in fields.items():
        setattr(page, key, value)
    publish(page)
    page.refresh_from_db()
    return page


def _consents(key: str, slug: str) -> bool:
    return any(key == name and slug in slugs for name, slugs in CONTRIBUTORS)


def _contributors() -> dict[str, Contributor]:
    found = {}
    for key, _slugs in CONTRIBUTORS:
        public_id = uuid.uuid5(NAMESPACE, f"contributor:{key}")
        contributor = Contributor.objects.filter(public_id=public_id).first()
        if contributor is None:
            # A random token nobody is shown: the demo volunteers cannot be signed in as.
            contributor = Contributor.objects.create(
                public_id=public_id, token_hash=hash_token(uuid.uuid4().hex + uuid.uuid4().hex)
            )
        found[key] = contributor
    return found


@dataclass
class SiteSpec:
    code: str
    name: str
    latitude: float
    longitude: float
    kind: str = "background"
    tubes: int = 1


def _position(anchor: str, rng: random.Random) -> tuple[float, float]:
    """Next to the anchor device (on the same post), or somewhere in the anchor ward."""
    if anchor in _DEVICE_POSITIONS:
        lat, lon = _DEVICE_POSITIONS[anchor]
        spread_lat, spread_lon = 0.0003, 0.0004  # about 30 metres
    else:
        lat, lon = WARDS[anchor]
        spread_lat, spread_lon = 0.0035, 0.0050  # about 350 metres
    return (
        round(lat + rng.uniform(-spread_lat, spread_lat), 6),
        round(lon + rng.uniform(-spread_lon, spread_lon), 6),
    )


def _no2_sites() -> list[SiteSpec]:
    rng = random.Random("millbrook-no2-sites")
    return [
        SiteSpec(f"no2-{number:03d}", name, *_position(anchor, rng), kind=kind, tubes=tubes)
        for number, (name, anchor, kind, tubes) in enumerate(NO2_SITES, start=1)
    ]


def _rain_sites() -> list[SiteSpec]:
    rng = random.Random("millbrook-rain-sites")
    return [
        SiteSpec(f"rain-{number:02d}", name, *_position(anchor, rng))
        for number, (name, anchor) in enumerate(RAIN_SITES, start=1)
    ]


def _noise_sites() -> list[SiteSpec]:
    rng = random.Random("millbrook-noise-sites")
    return [
        SiteSpec(f"noise-{number:02d}", name, *_position(anchor, rng))
        for number, (name, anchor) in enumerate(NOISE_SITES, start=1)
    ]


def _sites(
    campaign: CampaignPage, specs: list[SiteSpec], devices: dict[str, str]
) -> dict[str, tuple[Site, SiteSpec]]:
    pages = dict(DevicePage.objects.filter(slug__in=devices.values()).values_list("slug", "pk"))
    rows = {}
    for spec in specs:
        site, _created = Site.objects.update_or_create(
            campaign=campaign,
            code=spec.code,
            defaults={
                "name": spec.name,
                "latitude": Decimal(f"{spec.latitude:.6f}"),
                "longitude": Decimal(f"{spec.longitude:.6f}"),
                "device_id": pages.get(devices.get(spec.name, "")),
            },
        )
        rows[spec.code] = (site, spec)
    return rows


@dataclass
class Planned:
    """A reading to store, with how a moderator dealt with it."""

    reading: Reading
    reviewed_after: datetime.timedelta | None = None
    moderated: bool = False


def _reading(
    campaign: CampaignPage,
    key: str,
    *,
    value: float,
    observed_at: datetime.datetime,
    received_at: datetime.datetime,
    batch: str,
    site: Site | None = None,
    contributor: Contributor | None = None,
    exposure_start: datetime.datetime | None = None,
    location: tuple[float, float, float] | None = None,
    notes: str = "",
) -> Reading:
    """A reading as the ingestion would have stored it, flags and all, still pending."""
    client_uuid = uuid.uuid5(NAMESPACE, f"{campaign.slug}:{key}")
    flags = quality_flags(campaign, value, location[:2] if location is not None else None)
    period_start, period_end = period_for(campaign.sampling, observed_at, exposure_start)
    return Reading(
        client_uuid=client_uuid,
        receipt=_receipt(client_uuid),
        received_at=received_at,
        batch=uuid.uuid5(NAMESPACE, f"{campaign.slug}:batch:{batch}"),
        campaign=campaign,
        site=site,
        contributor=contributor,
        value=round(value, 1),
        unit=campaign.unit,
        observed_at=observed_at,
        exposure_start=exposure_start,
        period_start=period_start,
        period_end=period_end,
        cell=cell_for(location[0], location[1]) if location and site is None else "",
        latitude=Decimal(f"{location[0]:.6f}") if location else None,
        longitude=Decimal(f"{location[1]:.6f}") if location else None,
        accuracy_m=location[2] if location else None,
        notes=notes,
        status=ReadingStatus.FLAGGED if flags else ReadingStatus.PENDING,
        flags=flags,
    )


def _receipt(client_uuid: uuid.UUID) -> str:
    # Like ingestion.new_receipt(), but fixed per reading so a rerun recognises it.
    number = uuid.uuid5(NAMESPACE, f"receipt:{client_uuid}").int
    letters = []
    for _letter in range(11):
        number, digit = divmod(number, len(RECEIPT_ALPHABET))
        letters.append(RECEIPT_ALPHABET[digit])
    return "R" + "".join(letters)


def _accept(planned: Planned, reason: str, after: datetime.timedelta) -> Planned:
    planned.reading.status = ReadingStatus.ACCEPTED
    planned.reading.review_reason = reason
    planned.reviewed_after = after
    planned.moderated = True
    return planned


def _reject(planned: Planned, reason: str, after: datetime.timedelta) -> Planned:
    planned.reading.status = ReadingStatus.REJECTED
    planned.reading.review_reason = reason
    planned.reviewed_after = after
    planned.moderated = True
    return planned


def _local(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def _season(day: datetime.date) -> float:
    """NO2 is about a fifth higher than average in January and a fifth lower in July."""
    return 1 + 0.2 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 15) / 365)


def _no2_readings(
    campaign: CampaignPage,
    sites: dict[str, tuple[Site, SiteSpec]],
    volunteers: list[Contributor],
) -> Iterator[Planned]:
    rng = random.Random("millbrook-no2-readings")
    base = {
        code: NO2_BUSIEST.get(spec.name)
        or (rng.uniform(38, 48) if spec.kind == "roadside" else rng.uniform(18, 25))
        for code, (_site, spec) in sites.items()
    }
    pending_period = NO2_PERIODS_WITH_RESULTS - 1
    for period in range(NO2_PERIODS_WITH_RESULTS):
        start_day = _no2_changeover(period)
        end_day = _no2_changeover(period + 1)
        season = _season(start_day + datetime.timedelta(days=NO2_PERIOD_DAYS // 2))
        # The laboratory's results come back in one batch about ten days after the changeover.
        received_at = _local(end_day + datetime.timedelta(days=9 + period % 3), 14, 5)
        for number, (code, (site, spec)) in enumerate(sites.items()):
            volunteer = volunteers[number % len(volunteers)]
            minute = rng.randrange(0, 50)
            exposure_start = _local(start_day, 8 + number % 3, minute)
            observed_at = _local(end_day, 8 + number % 3, minute + rng.randrange(0, 10))
            # Weather moves a site's level from one period to the next; tubes side by side
            # agree within a few per cent.
            level = base[code] * season * rng.uniform(0.9, 1.1)
            special = NO2_SPECIAL.get((spec.name, period))
            missing = spec.tubes == 1 and period < pending_period and rng.random() < 0.02
            if missing and special is None:
                continue  # the tube went missing: it happens, and leaves a gap
            notes = rng.choice(NO2_NOTES) if rng.random() < 0.06 else ""
            for tube in range(spec.tubes):
                value = level * rng.uniform(0.96, 1.04)
                if (spec.name, period) == NO2_PRECISION_PROBLEM:
                    value = level * (0.93, 0.97, 1.24)[tube]
                if special is not None:
                    value, notes = special[0], special[1]
                planned = Planned(
                    _reading(
                        campaign,
                        f"{code}:{start_day}:tube-{tube + 1}",
                        value=value,
                        observed_at=observed_at,
                        exposure_start=exposure_start,
                        received_at=received_at,
                        batch=f"{start_day}:{volunteer.public_id}",
                        site=site,
                        contributor=volunteer,
                        notes=notes if tube == 0 else "",
                    ),
                )
                after = datetime.timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
                reason = rng.choice(NO2_REVIEW_REASONS)
                if special is not None and special[2]:
                    _reject(planned, special[2], after)
                elif period < pending_period and planned.reading.status == ReadingStatus.PENDING:
                    if (spec.name, period) == NO2_PRECISION_PROBLEM:
                        reason = (
                            "Checked with the laboratory: all three tubes were analysed "
                            "correctly. Kept all three; the precision check marks this period."
                        )
                    _accept(planned, reason, after)
                yield planned
    # A volunteer's own tube, without a site code, just over the borough boundary.
    yield Planned(
        _reading(
            campaign,
            "extra:over-the-boundary",
            value=33.2,
            exposure_start=_local(_no2_changeover(pending_period), 10, 15),
            observed_at=_local(_no2_changeover(pending_period + 1), 10, 20),
            received_at=_local(_no2_changeover(pending_period + 1), 19, 42)
            + datetime.timedelta(days=9),
            batch="extra:over-the-boundary",
            contributor=volunteers[2 % len(volunteers)],
            location=(51.45905, -0.13210, 8.0),
            notes="My own tube on my front gate. I live just over the border.",
        )
    )


def _no2_changeover(period: int) -> datetime.date:
    return NO2_FIRST_CHANGEOVER + datetime.timedelta(days=NO2_PERIOD_DAYS * period)


def _rain_readings(
    campaign: CampaignPage,
    sites: dict[str, tuple[Site, SiteSpec]],
    volunteers: list[Contributor],
) -> Iterator[Planned]:
    rng = random.Random("millbrook-rain-readings")
    wet = False
    for offset in range(RAIN_DAYS):
        day = RAIN_FIRST_DAY + datetime.timedelta(days=offset)
        autumn = offset / RAIN_DAYS  # wetter as the autumn goes on
        wet = rng.random() < ((0.55 + 0.15 * autumn) if wet else (0.22 + 0.15 * autumn))
        if offset in RAIN_STORMS:
            borough = RAIN_STORMS[offset]
        elif wet:
            borough = rng.expovariate(1 / (3.5 + 3 * autumn))
        else:
            borough = 0.0
        for number, (code, (site, _spec)) in enumerate(sites.items()):
            special = RAIN_SPECIAL.get((code, offset))
            away = offset < RAIN_LATE_START.get(code, 0) or rng.random() < 0.05
            if away and special is None:
                continue
            if borough > 0:
                # Gauges a kilometre apart catch a little more or less of the same rain.
                value = min(borough * rng.lognormvariate(0, 0.18), borough * 1.5)
            else:
                # A passing shower at one gauge, or dew in the funnel.
                value = rng.choice([0.0] * 14 + [0.2, 0.4, 1.1])
            value, notes = special or (value, "")
            observed_at = _local(day, 9, rng.randrange(0, 25))
            planned = Planned(
                _reading(
                    campaign,
                    f"{code}:{day}",
                    value=value,
                    observed_at=observed_at,
                    received_at=observed_at + datetime.timedelta(minutes=rng.randrange(1, 40)),
                    batch=f"{code}:{day}",
                    site=site,
                    contributor=volunteers[number % len(volunteers)],
                    notes=notes,
                )
            )
            if planned.reading.status == ReadingStatus.PENDING:
                # Usual readings skip the queue, as the ingestion does with auto_accept.
                planned.reading.status = ReadingStatus.ACCEPTED
                planned.reading.review_reason = AUTO_ACCEPTED
            yield planned
    # Sent without a site code, from a phone well outside the borough.
    day = RAIN_FIRST_DAY + datetime.timedelta(days=60)
    yield Planned(
        _reading(
            campaign,
            "extra:holiday",
            value=7.4,
            observed_at=_local(day, 9, 5),
            received_at=_local(day, 9, 7),
            batch="extra:holiday",
            contributor=volunteers[0],
            location=(51.2790, 1.0790, 15.0),
            notes="Reading from the gauge at my sister's in Canterbury, sorry!",
        )
    )


def _store(campaign: CampaignPage, planned: Iterator[Planned], reviewer: Any) -> int:
    """Insert the planned readings that are not there yet; leave the rest alone."""
    plans = list(planned)
    existing = set(Reading.objects.filter(campaign=campaign).values_list("client_uuid", flat=True))
    new = [plan for plan in plans if plan.reading.client_uuid not in existing]
    if not new:
        return 0
    for plan in new:
        if plan.moderated:
            plan.reading.reviewed_by = reviewer
            plan.reading.reviewed_at = plan.reading.received_at + plan.reviewed_after
    loaded_at = timezone.now()
    Reading.objects.bulk_create([plan.reading for plan in new], batch_size=500)
    events = [
        ModerationEvent(
            reading=plan.reading,
            user=reviewer,
            from_status=ReadingStatus.FLAGGED if plan.reading.flags else ReadingStatus.PENDING,
            to_status=plan.reading.status,
            reason=plan.reading.review_reason,
        )
        for plan in new
        if plan.moderated
    ]
    ModerationEvent.objects.bulk_create(events, batch_size=500)
    # ``at`` is stamped with the time of the load; date each event when its reading was checked.
    ModerationEvent.objects.filter(reading__campaign=campaign, at__gte=loaded_at).update(
        at=Subquery(Reading.objects.filter(pk=OuterRef("reading_id")).values("reviewed_at")[:1])
    )
    return len(new)
