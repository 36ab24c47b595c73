"""What SensorThings publishes, as entities: devices and campaign sites, at public precision.

Everything except Observations is small (one Thing per device or site) and is built here from
a handful of queries per request; Observations are readings, read page by page in
``observations.py``. Only public facts go in: a device's published location, a site's grid
square at its campaign's precision, never an exact site or reading position, a contributor,
notes, photos or receipts.

Ids are strings that say what they are, so they never collide across the two sources:
``device-K7Q-29XM`` (a device, by its short code), ``site-12`` (a campaign site),
``campaign-3`` (a campaign's readings taken away from its sites, and that campaign's Sensor
and ObservedProperty), ``area-3-51.470000_-0.110000`` (a grid square such readings fall in).
Observations keep the reading's number.
"""

from __future__ import annotations

import datetime
import functools
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Max, Min, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.citizen_science.definitions import public_campaigns
from portal.citizen_science.downloads import LICENCE_URLS
from portal.citizen_science.geo import coarsen
from portal.citizen_science.models import CampaignPage, PeriodResult, Sampling, Site
from portal.core.links import public_url
from portal.registry.models import DevicePage

from .query import ID, NUMBER, TEXT, TIME, StaError

MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
GEOJSON = "application/geo+json"
# Units the demo and typical campaigns use, with their UCUM codes; anything else is named
# by its symbol and defined by the campaign page.
UNITS = {
    "µg/m³": (_("microgram per cubic metre"), "ug/m3"),
    "mm": (_("millimetre"), "mm"),
    "dB(A)": (_("A-weighted decibel"), "dB"),
    "°C": (_("degree Celsius"), "Cel"),
    "ppm": (_("part per million"), "[ppm]"),
}
UCUM = "https://ucum.org/ucum#"


@dataclass(frozen=True)
class ObservationScope:
    """Which accepted readings a Datastream or FeatureOfInterest holds."""

    campaign_id: int | None = None  # None: every public campaign
    site_id: int | None = None
    without_site: bool = False
    cells: tuple[str, ...] | None = None
    # Accepted readings in scope, from PeriodResult: exact while results are kept current.
    count: int = 0


@dataclass
class Entity:
    entity_set: str
    id: str | int
    properties: dict[str, Any]
    # Navigation property -> a list of ids, one id (or None), or an ObservationScope.
    links: dict[str, Any] = field(default_factory=dict)

    def as_filterable(self) -> dict[str, Any]:
        return {"id": self.id, **self.properties}


@dataclass(frozen=True)
class EntitySetInfo:
    singular: str
    kinds: dict[str, str]  # the properties $filter and $orderby may use, with their types
    navigation: dict[str, str]  # navigation property -> entity set it leads to


ENTITY_SETS: dict[str, EntitySetInfo] = {
    "Things": EntitySetInfo(
        "Thing",
        {"id": ID, "name": TEXT, "description": TEXT},
        {
            "Locations": "Locations",
            "HistoricalLocations": "HistoricalLocations",
            "Datastreams": "Datastreams",
        },
    ),
    "Locations": EntitySetInfo(
        "Location",
        {"id": ID, "name": TEXT, "description": TEXT, "encodingType": TEXT},
        {"Things": "Things", "HistoricalLocations": "HistoricalLocations"},
    ),
    "HistoricalLocations": EntitySetInfo(
        "HistoricalLocation",
        {"id": ID, "time": TIME},
        {"Thing": "Things", "Locations": "Locations"},
    ),
    "Datastreams": EntitySetInfo(
        "Datastream",
        {
            "id": ID,
            "name": TEXT,
            "description": TEXT,
            "observationType": TEXT,
            "unitOfMeasurement/name": TEXT,
            "unitOfMeasurement/symbol": TEXT,
            "unitOfMeasurement/definition": TEXT,
        },
        {
            "Thing": "Things",
            "Sensor": "Sensors",
            "ObservedProperty": "ObservedProperties",
            "Observations": "Observations",
        },
    ),
    "Sensors": EntitySetInfo(
        "Sensor",
        {"id": ID, "name": TEXT, "description": TEXT, "encodingType": TEXT, "metadata": TEXT},
        {"Datastreams": "Datastreams"},
    ),
    "ObservedProperties": EntitySetInfo(
        "ObservedProperty",
        {"id": ID, "name": TEXT, "description": TEXT, "definition": TEXT},
        {"Datastreams": "Datastreams"},
    ),
    "Observations": EntitySetInfo(
        "Observation",
        {"id": ID, "result": NUMBER, "phenomenonTime": TIME, "resultTime": TIME},
        {"Datastream": "Datastreams", "FeatureOfInterest": "FeaturesOfInterest"},
    ),
    "FeaturesOfInterest": EntitySetInfo(
        "FeatureOfInterest",
        {"id": ID, "name": TEXT, "description": TEXT, "encodingType": TEXT},
        {"Observations": "Observations"},
    ),
}
SINGULAR_NAVIGATION = {"Thing", "Sensor", "ObservedProperty", "Datastream", "FeatureOfInterest"}
ID_PREFIXES = {
    "Things": ("device-", "site-", "campaign-"),
    "Locations": ("device-", "site-"),
    "Datastreams": ("site-", "campaign-"),
    "Sensors": ("campaign-",),
    "ObservedProperties": ("campaign-",),
    "FeaturesOfInterest": ("site-", "area-", "campaign-"),
}


def point(latitude: float, longitude: float) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [longitude, latitude]}


def iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat().replace("+00:00", "Z")


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


@dataclass(frozen=True)
class PlaceStats:
    readings: int
    first_day: datetime.date
    last_day: datetime.date


class Catalogue:
    """The public entities of one request, built lazily: only what the request touches."""

    def __init__(self, request: HttpRequest) -> None:
        self.request = request

    # --- sources ---------------------------------------------------------------------------

    @cached_property
    def campaigns(self) -> dict[int, CampaignPage]:
        return {campaign.pk: campaign for campaign in public_campaigns()}

    @cached_property
    def campaign_urls(self) -> dict[int, str]:
        return {pk: public_url(c, self.request) for pk, c in self.campaigns.items()}

    @cached_property
    def sites(self) -> dict[int, Site]:
        sites = Site.objects.filter(campaign_id__in=list(self.campaigns)).order_by("pk")
        return {site.pk: site for site in sites}

    @cached_property
    def devices(self) -> dict[str, DevicePage]:
        devices = DevicePage.objects.listed().order_by("code")
        return {device.code: device for device in devices}

    @cached_property
    def listed_device_codes(self) -> dict[int, str]:
        return {device.pk: code for code, device in self.devices.items()}

    @cached_property
    def stats(self) -> dict[tuple[int, int | None, str], PlaceStats]:
        """Accepted readings per place, from the results table (a row per site-period)."""
        rows = (
            PeriodResult.objects.filter(campaign_id__in=list(self.campaigns))
            .values("campaign_id", "site_id", "cell")
            .annotate(readings=Sum("readings"), first=Min("period_start"), last=Max("period_end"))
            .order_by()
        )
        return {
            (row["campaign_id"], row["site_id"], "" if row["site_id"] else row["cell"]): PlaceStats(
                row["readings"], row["first"], row["last"]
            )
            for row in rows
        }

    def total_readings(self) -> int:
        return sum(stat.readings for stat in self.stats.values())

    def site_point(self, site: Site) -> tuple[float, float]:
        precision = self.campaigns[site.campaign_id].location_precision_m
        return coarsen(float(site.latitude), float(site.longitude), precision)

    def area_id(self, campaign_id: int, cell: str) -> str:
        lat, lon = self._cell_point(campaign_id, cell)
        return f"area-{campaign_id}-{lat:.6f}_{lon:.6f}"

    def _cell_point(self, campaign_id: int, cell: str) -> tuple[float, float]:
        cell_lat, cell_lon = (float(part) for part in cell.split(","))
        return coarsen(cell_lat, cell_lon, self.campaigns[campaign_id].location_precision_m)

    @cached_property
    def elsewhere(self) -> dict[int, dict[str, PlaceStats]]:
        """Per campaign, the 100 m cells (or "" for no location) of readings without a site."""
        places: dict[int, dict[str, PlaceStats]] = defaultdict(dict)
        for (campaign_id, site_id, cell), stat in self.stats.items():
            if site_id is None:
                places[campaign_id][cell] = stat
        return dict(places)

    # --- entity sets -----------------------------------------------------------------------

    def entities(self, entity_set: str) -> list[Entity]:
        return list(self._index(entity_set).values())

    def get(self, entity_set: str, entity_id: str | int) -> Entity | None:
        # One site's Datastream is the most asked-for single entity (its Observations and
        # their count): build just that one unless the whole set is already built.
        if (
            entity_set == "Datastreams"
            and "datastreams" not in self.__dict__
            and isinstance(entity_id, str)
            and entity_id.startswith("site-")
        ):
            number = entity_id.removeprefix("site-")
            site = self.sites.get(int(number)) if number.isdigit() else None
            return self._site_datastream(site) if site is not None else None
        return self._index(entity_set).get(entity_id)  # type: ignore[call-overload]

    def _index(self, entity_set: str) -> dict[Any, Entity]:
        builders = {
            "Things": lambda: self.things,
            "Locations": lambda: self.locations,
            "HistoricalLocations": dict,
            "Datastreams": lambda: self.datastreams,
            "Sensors": lambda: self.sensors,
            "ObservedProperties": lambda: self.observed_properties,
            "FeaturesOfInterest": lambda: self.features,
        }
        return builders[entity_set]()

    def _device_thing(self, device: DevicePage) -> Entity:
        return Entity(
            "Things",
            f"device-{device.code}",
            {
                "name": device.title,
                "description": device.summary,
                "properties": {
                    "kind": "device",
                    "code": device.code,
                    "status": device.status,
                    "statusLabel": str(device.get_status_display()),
                    "area": device.area,
                    "url": public_url(device, self.request),
                },
            },
            {"Locations": [f"device-{device.code}"], "HistoricalLocations": [], "Datastreams": []},
        )

    @cached_property
    def things(self) -> dict[str, Entity]:
        things = {f"device-{code}": self._device_thing(d) for code, d in self.devices.items()}
        for site in self.sites.values():
            campaign = self.campaigns[site.campaign_id]
            device_code = self.listed_device_codes.get(site.device_id) if site.device_id else None
            things[f"site-{site.pk}"] = Entity(
                "Things",
                f"site-{site.pk}",
                {
                    "name": site.name,
                    "description": _(
                        "Site %(code)s of the citizen-science campaign “%(campaign)s”."
                    )
                    % {"code": site.code, "campaign": campaign.title},
                    "properties": {
                        "kind": "site",
                        "siteCode": site.code,
                        "campaign": campaign.title,
                        "campaignUrl": self.campaign_urls[campaign.pk],
                        "device": f"device-{device_code}" if device_code else None,
                    },
                },
                {
                    "Locations": [f"site-{site.pk}"],
                    "HistoricalLocations": [],
                    "Datastreams": [f"site-{site.pk}"],
                },
            )
        for campaign_id in self.elsewhere:
            campaign = self.campaigns[campaign_id]
            things[f"campaign-{campaign_id}"] = Entity(
                "Things",
                f"campaign-{campaign_id}",
                {
                    "name": _("%(campaign)s: readings away from the sites")
                    % {"campaign": campaign.title},
                    "description": _(
                        "Readings volunteers took away from the campaign's sites. Each is placed "
                        "in a grid square of %(metres)d m (its FeatureOfInterest), never at the "
                        "exact point."
                    )
                    % {"metres": campaign.location_precision_m},
                    "properties": {
                        "kind": "readings-elsewhere",
                        "campaign": campaign.title,
                        "campaignUrl": self.campaign_urls[campaign_id],
                    },
                },
                {
                    "Locations": [],
                    "HistoricalLocations": [],
                    "Datastreams": [f"campaign-{campaign_id}"],
                },
            )
        return things

    @cached_property
    def locations(self) -> dict[str, Entity]:
        locations = {}
        for code, device in self.devices.items():
            locations[f"device-{code}"] = Entity(
                "Locations",
                f"device-{code}",
                {
                    "name": device.title,
                    "description": device.location_description,
                    "encodingType": GEOJSON,
                    "location": point(float(device.latitude), float(device.longitude)),
                },
                {"Things": [f"device-{code}"], "HistoricalLocations": []},
            )
        for site in self.sites.values():
            lat, lon = self.site_point(site)
            locations[f"site-{site.pk}"] = Entity(
                "Locations",
                f"site-{site.pk}",
                {
                    "name": site.name,
                    "description": self._grid_note(site.campaign_id),
                    "encodingType": GEOJSON,
                    "location": point(lat, lon),
                },
                {"Things": [f"site-{site.pk}"], "HistoricalLocations": []},
            )
        return locations

    def _grid_note(self, campaign_id: int) -> str:
        return _(
            "The centre of the %(metres)d m grid square that holds this place. The exact "
            "position is not published."
        ) % {"metres": self.campaigns[campaign_id].location_precision_m}

    def _value_basis(self, campaign: CampaignPage) -> dict[str, Any]:
        return {
            "valueBasis": "adjusted" if campaign.bias_factor else "raw",
            "biasFactor": float(campaign.bias_factor) if campaign.bias_factor else None,
        }

    def _unit(self, campaign: CampaignPage) -> dict[str, str]:
        known = UNITS.get(campaign.unit)
        if known:
            return {"name": str(known[0]), "symbol": campaign.unit, "definition": UCUM + known[1]}
        return {
            "name": campaign.unit,
            "symbol": campaign.unit,
            "definition": self.campaign_urls[campaign.pk],
        }

    def _datastream(
        self, *, key: str, campaign: CampaignPage, name: str, stats: list[PlaceStats],
        scope: ObservationScope, thing: str,
    ) -> Entity:  # fmt: skip
        properties: dict[str, Any] = {
            "name": name,
            "description": campaign.summary,
            "observationType": MEASUREMENT,
            "unitOfMeasurement": self._stream_facts(campaign.pk)["unit"],
        }
        if stats:
            # Day resolution from the results table, so it costs the same at any size.
            first = day_start(min(stat.first_day for stat in stats))
            last = day_start(max(stat.last_day for stat in stats) + datetime.timedelta(days=1))
            properties["phenomenonTime"] = f"{iso(first)}/{iso(last)}"
        facts = {k: v for k, v in self._stream_facts(campaign.pk).items() if k != "unit"}
        properties["properties"] = {**facts, "observationCount": scope.count}
        return Entity(
            "Datastreams",
            key,
            properties,
            {
                "Thing": thing,
                "Sensor": f"campaign-{campaign.pk}",
                "ObservedProperty": f"campaign-{campaign.pk}",
                "Observations": scope,
            },
        )

    @functools.cache  # noqa: B019 - the catalogue lives for one request
    def _stream_facts(self, campaign_id: int) -> dict[str, Any]:
        """What every Datastream of a campaign repeats, worked out once per campaign."""
        campaign = self.campaigns[campaign_id]
        return {
            "campaign": campaign.title,
            "campaignUrl": self.campaign_urls[campaign_id],
            "sampling": campaign.sampling,
            **self._value_basis(campaign),
            "licence": str(campaign.get_licence_display()),
            "licenceUrl": LICENCE_URLS.get(campaign.licence, ""),
            "unit": self._unit(campaign),
        }

    @cached_property
    def datastreams(self) -> dict[str, Entity]:
        streams = {f"site-{site.pk}": self._site_datastream(site) for site in self.sites.values()}
        for campaign_id, cells in self.elsewhere.items():
            campaign = self.campaigns[campaign_id]
            streams[f"campaign-{campaign_id}"] = self._datastream(
                key=f"campaign-{campaign_id}",
                campaign=campaign,
                name=_("%(property)s away from the sites of %(campaign)s")
                % {"property": campaign.observed_property, "campaign": campaign.title},
                stats=list(cells.values()),
                scope=ObservationScope(
                    campaign_id=campaign_id,
                    without_site=True,
                    count=sum(stat.readings for stat in cells.values()),
                ),
                thing=f"campaign-{campaign_id}",
            )
        return streams

    def _site_datastream(self, site: Site) -> Entity:
        campaign = self.campaigns[site.campaign_id]
        stat = self.stats.get((campaign.pk, site.pk, ""))
        return self._datastream(
            key=f"site-{site.pk}",
            campaign=campaign,
            name=_("%(property)s at %(site)s")
            % {"property": campaign.observed_property, "site": site.name},
            stats=[stat] if stat else [],
            scope=ObservationScope(
                campaign_id=campaign.pk, site_id=site.pk, count=stat.readings if stat else 0
            ),
            thing=f"site-{site.pk}",
        )

    def _datastreams_by_campaign(self) -> dict[int, list[str]]:
        grouped: dict[int, list[str]] = defaultdict(list)
        for entity in self.datastreams.values():
            grouped[int(entity.links["Sensor"].removeprefix("campaign-"))].append(str(entity.id))
        return grouped

    @cached_property
    def sensors(self) -> dict[str, Entity]:
        streams = self._datastreams_by_campaign()
        return {
            f"campaign-{pk}": Entity(
                "Sensors",
                f"campaign-{pk}",
                {
                    "name": _("Method of %(campaign)s") % {"campaign": campaign.title},
                    "description": campaign.method,
                    "encodingType": "text/html",
                    "metadata": self.campaign_urls[pk],
                    "properties": {
                        "sampling": campaign.sampling,
                        "samplingDescription": campaign.sampling_description,
                    },
                },
                {"Datastreams": streams.get(pk, [])},
            )
            for pk, campaign in self.campaigns.items()
        }

    @cached_property
    def observed_properties(self) -> dict[str, Entity]:
        streams = self._datastreams_by_campaign()
        return {
            f"campaign-{pk}": Entity(
                "ObservedProperties",
                f"campaign-{pk}",
                {
                    "name": campaign.observed_property,
                    "definition": self.campaign_urls[pk],
                    "description": campaign.summary,
                    "properties": {
                        "unit": campaign.unit,
                        "threshold": campaign.threshold,
                        "thresholdLabel": campaign.threshold_label,
                    },
                },
                {"Datastreams": streams.get(pk, [])},
            )
            for pk, campaign in self.campaigns.items()
        }

    @cached_property
    def features(self) -> dict[str, Entity]:
        features = {}
        for site in self.sites.values():
            lat, lon = self.site_point(site)
            stat = self.stats.get((site.campaign_id, site.pk, ""))
            features[f"site-{site.pk}"] = Entity(
                "FeaturesOfInterest",
                f"site-{site.pk}",
                {
                    "name": site.name,
                    "description": self._grid_note(site.campaign_id),
                    "encodingType": GEOJSON,
                    "feature": point(lat, lon),
                },
                {
                    "Observations": ObservationScope(
                        campaign_id=site.campaign_id,
                        site_id=site.pk,
                        count=stat.readings if stat else 0,
                    )
                },
            )
        for campaign_id, cells in self.elsewhere.items():
            squares: dict[str, list[str]] = defaultdict(list)
            for cell in cells:
                if cell:
                    squares[self.area_id(campaign_id, cell)].append(cell)
            for key, members in squares.items():
                lat, lon = self._cell_point(campaign_id, members[0])
                features[key] = Entity(
                    "FeaturesOfInterest",
                    key,
                    {
                        "name": _("Grid square of %(metres)d m")
                        % {"metres": self.campaigns[campaign_id].location_precision_m},
                        "description": self._grid_note(campaign_id),
                        "encodingType": GEOJSON,
                        "feature": point(lat, lon),
                    },
                    {
                        "Observations": ObservationScope(
                            campaign_id=campaign_id,
                            without_site=True,
                            cells=tuple(sorted(members)),
                            count=sum(cells[cell].readings for cell in members),
                        )
                    },
                )
            if "" in cells:
                campaign = self.campaigns[campaign_id]
                features[f"campaign-{campaign_id}"] = Entity(
                    "FeaturesOfInterest",
                    f"campaign-{campaign_id}",
                    {
                        "name": _("Area of %(campaign)s") % {"campaign": campaign.title},
                        "description": _(
                            "Readings whose location is no longer kept: placed only within "
                            "the campaign's area."
                        ),
                        "encodingType": GEOJSON,
                        "feature": campaign.area_geojson,
                    },
                    {
                        "Observations": ObservationScope(
                            campaign_id=campaign_id,
                            without_site=True,
                            cells=("",),
                            count=cells[""].readings,
                        )
                    },
                )
        return features

    # --- observations ----------------------------------------------------------------------

    def all_observations(self) -> ObservationScope:
        return ObservationScope(count=self.total_readings())

    def observation(self, row: dict[str, Any]) -> Entity:
        """A reading as the public sees it: value (adjusted or raw), time, place, no person."""
        campaign = self.campaigns[row["campaign_id"]]
        factor = float(campaign.bias_factor) if campaign.bias_factor else 1.0
        observed_at = row["observed_at"]
        start = row["exposure_start"]
        if campaign.sampling == Sampling.EXPOSURE and start is not None:
            phenomenon = f"{iso(start)}/{iso(observed_at)}"
        else:
            phenomenon = iso(observed_at)
        if row["site_id"]:
            stream = feature = f"site-{row['site_id']}"
        else:
            stream = f"campaign-{campaign.pk}"
            feature = self.area_id(campaign.pk, row["cell"]) if row["cell"] else stream
        flags = [flag for flag in row["flags"] or [] if flag != "outside_area"]
        return Entity(
            "Observations",
            row["id"],
            {
                "phenomenonTime": phenomenon,
                "resultTime": iso(observed_at),
                "result": round(row["value"] * factor, 3),
                # Range checks only; "outside_area" would hint at where someone lives.
                "resultQuality": flags or None,
                "parameters": {
                    **self._value_basis(campaign),
                    "rawResult": row["value"],
                    "unit": campaign.unit,
                },
            },
            {"Datastream": stream, "FeatureOfInterest": feature},
        )


def parse_key(entity_set: str, text: str) -> str | int:
    """The id in ``Things('site-12')`` or ``Observations(5)``, or a 400 saying how to write it."""
    text = text.strip()
    if entity_set == "Observations":
        if text.isdigit() and text.isascii() and len(text) < 19:
            return int(text)
        raise StaError(
            _("Observation ids are whole numbers, e.g. Observations(1234); '%(id)s' is not one.")
            % {"id": text[:40]}
        )
    if entity_set == "HistoricalLocations":
        raise StaError(
            _("This server keeps no HistoricalLocations, so there is nothing to address.")
        )
    quoted = len(text) >= 2 and text[0] == text[-1] == "'"
    key = text[1:-1].replace("''", "'") if quoted else ""
    prefixes = ID_PREFIXES[entity_set]
    if not quoted or not key.startswith(prefixes) or len(key) > 80:
        raise StaError(
            _(
                "%(set)s ids are strings in single quotes starting with %(prefixes)s, "
                "e.g. %(set)s('%(example)s')."
            )
            % {
                "set": entity_set,
                "prefixes": " or ".join(f"'{p}'" for p in prefixes),
                "example": f"{prefixes[0]}12" if prefixes[0] != "device-" else "device-K7Q-29XM",
            }
        )
    return key
