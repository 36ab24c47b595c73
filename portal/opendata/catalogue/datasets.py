"""One list of what the council publishes as open data, read by every view of the catalogue.

The /data/ index, the dataset pages, the DCAT catalogue, the CKAN API and the schema.org markup
all describe the same datasets, so they are described once, here, as plain dataclasses. Each
dataset costs a handful of aggregate queries whatever the size of the data behind it.

Dataset ids are part of the public contract (stable URIs, CKAN names): ``devices``,
``readings-<campaign slug>`` and ``survey-<survey slug>``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.citizen_science.definitions import public_campaigns
from portal.citizen_science.downloads import LICENCE_URLS
from portal.citizen_science.geo import coarsen
from portal.citizen_science.models import CampaignPage, CampaignState, Reading, ReadingStatus
from portal.citizen_science.models import Site as ScienceSite
from portal.core.maps import BoundingBox
from portal.core.models import council_for_request
from portal.core.visibility import visible_to_public
from portal.opendata.licence import Licence, licence_for_url
from portal.registry.models import DevicePage
from surveys.models import Response, SurveyPage

from .freshness import (
    devices_version,
    known_size,
    readings_version_for,
)
from .vocabularies import Frequency, Theme

DEVICES_ID = "devices"
READINGS_PREFIX = "readings-"
SURVEY_PREFIX = "survey-"


@dataclass(frozen=True)
class Distribution:
    """One file a dataset can be downloaded as."""

    key: str  # unique within the dataset, e.g. "csv"
    title: str
    description: str
    format_code: str  # EU file-type authority code, e.g. "CSV", "GEOJSON"
    media_type: str  # IANA media type, e.g. "text/csv"
    path: str  # site-relative; made absolute per request
    licence: Licence
    byte_size: int | None = None

    @property
    def format_label(self) -> str:
        return {"GEOJSON": "GeoJSON"}.get(self.format_code, self.format_code)


def csv_file(path: str, title: str, description: str, licence: Licence, etag: str) -> Distribution:
    return Distribution(
        key="csv",
        title=title,
        description=description,
        format_code="CSV",
        media_type="text/csv",
        path=path,
        licence=licence,
        byte_size=known_size(path, etag),
    )


def geojson_file(
    path: str, title: str, description: str, licence: Licence, etag: str
) -> Distribution:
    return Distribution(
        key="geojson",
        title=title,
        description=description,
        format_code="GEOJSON",
        media_type="application/geo+json",
        path=path,
        licence=licence,
        byte_size=known_size(path, etag),
    )


@dataclass(frozen=True)
class Dataset:
    id: str
    title: str
    description: str
    keywords: tuple[str, ...]
    themes: tuple[Theme, ...]
    frequency: Frequency
    licence: Licence
    distributions: tuple[Distribution, ...]
    issued: datetime.datetime | None
    modified: datetime.datetime | None
    temporal_start: datetime.date | None = None
    temporal_end: datetime.date | None = None
    bbox: BoundingBox | None = None
    spatial_description: str = ""
    # Where a person reads about the data behind the download (a campaign or survey page).
    source_path: str = ""
    source_label: str = ""
    record_count: int | None = None
    record_label: str = ""  # what is counted, e.g. "Accepted readings"

    @property
    def path(self) -> str:
        return reverse("opendata_catalogue:dataset", args=[self.id])

    @property
    def version(self) -> str:
        # Changes whenever the data does; harvesters compare it to decide whether to re-read.
        return (
            self.modified.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
            if self.modified
            else "1"
        )


@dataclass(frozen=True)
class Publisher:
    name: str
    email: str
    website: str


def publisher_for(request: HttpRequest) -> Publisher:
    council = council_for_request(request)
    return Publisher(
        name=council.council_name, email=council.contact_email, website=council.website
    )


def published_datasets(request: HttpRequest) -> list[Dataset]:
    """Everything on the open-data index, devices first, then campaigns, then surveys."""
    datasets: list[Dataset] = []
    devices = devices_dataset()
    if devices is not None:
        datasets.append(devices)
    datasets.extend(readings_datasets())
    datasets.extend(survey_datasets())
    return datasets


def find_dataset(dataset_id: str) -> Dataset | None:
    """One dataset by id, reading only what that dataset needs."""
    if dataset_id == DEVICES_ID:
        return devices_dataset()
    if dataset_id.startswith(READINGS_PREFIX):
        slug = dataset_id.removeprefix(READINGS_PREFIX)
        return next(iter(readings_datasets(slug=slug)), None)
    if dataset_id.startswith(SURVEY_PREFIX):
        slug = dataset_id.removeprefix(SURVEY_PREFIX)
        return next(iter(survey_datasets(slug=slug)), None)
    return None


# --- devices ------------------------------------------------------------------------------


def devices_dataset() -> Dataset | None:
    from .device_export import CSV_PATH_NAME, GEOJSON_PATH_NAME

    summary = (
        DevicePage.objects.listed()
        .order_by()
        .aggregate(
            count=Count("pk"),
            first=Min("first_published_at"),
            installed=Min("installed_on"),
            west=Min("longitude"),
            east=Max("longitude"),
            south=Min("latitude"),
            north=Max("latitude"),
        )
    )
    version = devices_version()
    licence = licence_for_url(None)
    bbox = None
    if summary["count"]:
        bbox = BoundingBox(
            west=float(summary["west"]),
            south=float(summary["south"]),
            east=float(summary["east"]),
            north=float(summary["north"]),
        )
    csv_path = reverse(CSV_PATH_NAME)
    geojson_path = reverse(GEOJSON_PATH_NAME)
    return Dataset(
        id=DEVICES_ID,
        title=_("Devices in public space"),
        description=_(
            "Every device on the council's public register: sensors, cameras and other "
            "connected technology in the street. For each device: its short code, name, "
            "status, a plain-English summary, what it is for and what technology it uses "
            "(DTPR element ids), whether it collects personal data, the organisations "
            "accountable for it, where it is, and links to its page and printable sign."
        ),
        keywords=(
            _("devices"),
            _("sensors"),
            _("smart city"),
            _("transparency"),
            "DTPR",
        ),
        themes=(Theme.GOVE, Theme.TECH),
        frequency=Frequency.UPDATE_CONT,
        licence=licence,
        distributions=(
            csv_file(
                csv_path,
                _("Devices as CSV"),
                _("One row per device, for spreadsheets."),
                licence,
                version.etag,
            ),
            geojson_file(
                geojson_path,
                _("Devices as GeoJSON"),
                _("One point per device, for maps (RFC 7946, longitude first)."),
                licence,
                version.etag,
            ),
        ),
        issued=summary["first"],
        modified=version.last_modified,
        temporal_start=summary["installed"]
        or (summary["first"].date() if summary["first"] else None),
        bbox=bbox,
        spatial_description=_("The area covered by the devices on the register"),
        source_path="/devices/",
        source_label=_("The device register"),
        record_count=summary["count"],
        record_label=_("Devices"),
    )


# --- citizen-science readings ---------------------------------------------------------------


def readings_datasets(*, slug: str | None = None) -> list[Dataset]:
    campaigns = public_campaigns()
    if slug is not None:
        campaigns = campaigns.filter(slug=slug)
    campaigns = list(campaigns)
    if not campaigns:
        return []
    ids = [campaign.pk for campaign in campaigns]
    # One grouped query for the accepted readings of every campaign, one for the sites.
    accepted = {
        row["campaign"]: row
        for row in Reading.objects.filter(campaign__in=ids, status=ReadingStatus.ACCEPTED)
        .values("campaign")
        .annotate(count=Count("pk"), first=Min("period_start"), last=Max("period_end"))
        .order_by()
    }
    sites: dict[int, list[tuple[float, float]]] = {}
    for campaign_id, latitude, longitude in ScienceSite.objects.filter(
        campaign__in=ids
    ).values_list("campaign", "latitude", "longitude"):
        sites.setdefault(campaign_id, []).append((float(latitude), float(longitude)))
    versions = readings_version_for(campaigns)
    return [
        _readings_dataset(campaign, accepted.get(campaign.pk), sites.get(campaign.pk, []), versions)
        for campaign in campaigns
    ]


def _readings_dataset(
    campaign: CampaignPage,
    accepted: dict | None,
    sites: list[tuple[float, float]],
    versions: dict,
) -> Dataset:
    licence = licence_for_url(
        LICENCE_URLS.get(campaign.licence), name=campaign.get_licence_display()
    )
    version = versions[campaign.pk]
    csv_path = reverse("citizen_science:readings-csv", args=[campaign.slug])
    geojson_path = reverse("citizen_science:readings-geojson", args=[campaign.slug])
    frequency = {
        CampaignState.OPEN: Frequency.UPDATE_CONT,
        CampaignState.CLOSED: Frequency.IRREG,
        CampaignState.PUBLISHED: Frequency.NEVER,
    }.get(campaign.state, Frequency.IRREG)
    precision = campaign.location_precision_m
    return Dataset(
        id=f"{READINGS_PREFIX}{campaign.slug}",
        title=_("Citizen-science readings: %(campaign)s") % {"campaign": campaign.title},
        description=_(
            "%(summary)s It holds every reading a moderator has checked and accepted "
            "(%(property)s, in %(unit)s), with the raw and the published value. Locations are "
            "snapped to a "
            "%(metres)d-metre grid; volunteers' names, notes and photos are never published."
        )
        % {
            "summary": campaign.summary.strip(),
            "property": campaign.observed_property,
            "unit": campaign.unit,
            "metres": precision,
        },
        keywords=(_("citizen science"), _("readings"), campaign.observed_property),
        themes=(Theme.ENVI,),
        frequency=frequency,
        licence=licence,
        distributions=(
            csv_file(
                csv_path,
                _("Readings as CSV"),
                _("One row per accepted reading, for spreadsheets."),
                licence,
                version.etag,
            ),
            geojson_file(
                geojson_path,
                _("Readings as GeoJSON"),
                _("One point per accepted reading, for maps."),
                licence,
                version.etag,
            ),
        ),
        issued=campaign.first_published_at,
        modified=version.last_modified,
        temporal_start=(accepted or {}).get("first") or campaign.starts_on,
        temporal_end=(accepted or {}).get("last") or campaign.ends_on,
        bbox=_campaign_bbox(campaign, sites),
        spatial_description=_("The campaign area"),
        source_path=campaign.url or "",
        source_label=campaign.title,
        record_count=(accepted or {}).get("count", 0),
        record_label=_("Accepted readings"),
    )


def _campaign_bbox(campaign: CampaignPage, sites: list[tuple[float, float]]) -> BoundingBox | None:
    area = campaign.area_geojson
    if isinstance(area, dict) and area.get("type") == "Polygon" and area.get("coordinates"):
        ring = area["coordinates"][0]
        longitudes = [float(position[0]) for position in ring]
        latitudes = [float(position[1]) for position in ring]
        return BoundingBox(min(longitudes), min(latitudes), max(longitudes), max(latitudes))
    if not sites:
        return None
    # A site may be someone's home: only its published grid square may shape the extent.
    points = [coarsen(lat, lon, campaign.location_precision_m) for lat, lon in sites]
    return BoundingBox(
        west=min(lon for _lat, lon in points),
        south=min(lat for lat, _lon in points),
        east=max(lon for _lat, lon in points),
        north=max(lat for lat, _lon in points),
    )


# --- survey results -------------------------------------------------------------------------


def published_surveys() -> list[SurveyPage]:
    return list(
        visible_to_public(SurveyPage.objects.live())
        .filter(results_published=True)
        .order_by("-closes_at", "title")
    )


def survey_datasets(*, slug: str | None = None) -> list[Dataset]:
    from .freshness import survey_versions_for

    surveys = published_surveys()
    if slug is not None:
        surveys = [survey for survey in surveys if survey.slug == slug]
    if not surveys:
        return []
    counts = dict(
        Response.objects.filter(survey__in=[survey.pk for survey in surveys])
        .values("survey")
        .annotate(count=Count("pk"))
        .order_by()
        .values_list("survey", "count")
    )
    versions = survey_versions_for(surveys)
    return [_survey_dataset(survey, counts.get(survey.pk, 0), versions) for survey in surveys]


def _survey_dataset(survey: SurveyPage, responses: int, versions: dict) -> Dataset:
    licence = licence_for_url(None)
    version = versions[survey.pk]
    csv_path = reverse("surveys:results-csv", args=[survey.slug])
    closed = survey.closes_at <= timezone.now()
    title = survey.title
    # A wave's label tells apart the waves of a tracker, unless the title already says it.
    if survey.wave_label and survey.wave_label.casefold() not in title.casefold():
        title = f"{title} ({survey.wave_label})"
    return Dataset(
        id=f"{SURVEY_PREFIX}{survey.slug}",
        title=_("Survey results: %(survey)s") % {"survey": title},
        description=_(
            "%(introduction)s The published tables of results: for each question, the share "
            "of people who gave each answer, overall and by group. Figures for groups of fewer "
            "than %(minimum)d people are left empty so that no one can be picked out. "
            "Individual answers are not published."
        )
        % {"introduction": survey.introduction.strip(), "minimum": survey.minimum_cell_size},
        keywords=(_("survey"), _("consultation"), _("public attitudes")),
        themes=(Theme.SOCI, Theme.GOVE),
        frequency=Frequency.NEVER if closed else Frequency.IRREG,
        licence=licence,
        distributions=(
            csv_file(
                csv_path,
                _("Results tables as CSV"),
                _("Every published table of results in one CSV file."),
                licence,
                version.etag,
            ),
        ),
        issued=survey.first_published_at,
        modified=version.last_modified,
        temporal_start=timezone.localdate(survey.opens_at),
        temporal_end=timezone.localdate(survey.closes_at),
        source_path=survey.url or "",
        source_label=survey.title,
        record_count=responses,
        record_label=_("Responses counted"),
    )
