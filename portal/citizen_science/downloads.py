"""Accepted readings of a campaign as CSV and GeoJSON, streamed, with coarsened locations only.

The exact coordinates a contributor's phone sent are never read here: a reading is placed at
its site, or at the 100 m cell it was filed under, and either is snapped to the campaign's
publication grid. Contributors, notes, photos and receipts are not published.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _

from portal.core.visibility import visible_to_public

from .geo import coarsen
from .models import CampaignPage, Licence, Reading, ReadingStatus, Site
from .results import published_factor

COLUMNS = (
    "reading_id",
    "campaign",
    "site_code",
    "site_name",
    "exposure_start",
    "observed_at",
    "period_start",
    "period_end",
    "value_raw",
    "value_published",
    "value_basis",
    "unit",
    "latitude",
    "longitude",
    "location_precision_m",
    "quality_flags",
)
# In GeoJSON the position is the geometry, so it is not repeated among the properties.
PROPERTIES = tuple(name for name in COLUMNS if name not in {"latitude", "longitude"})
LICENCE_URLS = {
    Licence.OGL: "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
    Licence.CC_BY: "https://creativecommons.org/licenses/by/4.0/",
    Licence.ODBL: "https://opendatacommons.org/licenses/odbl/1-0/",
}
# Public downloads change when a moderator accepts readings; a few minutes' staleness is fine.
CACHE_CONTROL = "public, max-age=300"


def readings_csv(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    campaign = _public_campaign(slug)

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(COLUMNS)
        for row in published_readings(campaign):
            yield writer.writerow([_csv_cell(row[name]) for name in COLUMNS])

    return _response(campaign, lines(), "text/csv; charset=utf-8", "csv")


def readings_geojson(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    campaign = _public_campaign(slug)
    header = {
        "type": "FeatureCollection",
        "name": campaign.slug,
        "title": campaign.title,
        "licence": campaign.get_licence_display(),
        "licence_url": LICENCE_URLS.get(campaign.licence, ""),
        "location_precision_m": campaign.location_precision_m,
    }

    def chunks() -> Iterator[str]:
        opening = json.dumps(header, ensure_ascii=False)[:-1]
        yield opening + ', "features": ['
        separator = ""
        for row in published_readings(campaign):
            properties = {name: row[name] for name in PROPERTIES}
            geometry = (
                {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]}
                if row["latitude"] is not None
                else None
            )
            feature = {"type": "Feature", "geometry": geometry, "properties": properties}
            yield separator + json.dumps(feature, ensure_ascii=False, default=str)
            separator = ","
        yield "]}\n"

    return _response(campaign, chunks(), "application/geo+json; charset=utf-8", "geojson")


def published_readings(campaign: CampaignPage) -> Iterator[dict[str, Any]]:
    """Each accepted reading as the public may see it, oldest first."""
    factor = published_factor(campaign)
    basis = "adjusted" if campaign.bias_factor else "raw"
    precision = campaign.location_precision_m
    sites = {
        site.pk: (site, coarsen(float(site.latitude), float(site.longitude), precision))
        for site in Site.objects.filter(campaign=campaign)
    }
    cells: dict[str, tuple[float, float]] = {}
    # Only these columns are read: never latitude, longitude, notes or the contributor.
    rows = (
        Reading.objects.filter(campaign=campaign, status=ReadingStatus.ACCEPTED)
        .order_by("observed_at", "pk")
        .values_list(
            "pk", "site_id", "cell", "exposure_start", "observed_at", "period_start",
            "period_end", "value", "flags",
        )
    )  # fmt: skip
    for pk, site_id, cell, exposure_start, observed_at, start, end, value, flags in rows.iterator(
        chunk_size=2000
    ):
        site, point = sites.get(site_id, (None, None))
        if point is None and cell:
            if cell not in cells:
                lat, lon = (float(part) for part in cell.split(","))
                cells[cell] = coarsen(lat, lon, precision)
            point = cells[cell]
        yield {
            "reading_id": pk,
            "campaign": campaign.slug,
            "site_code": site.code if site else "",
            "site_name": site.name if site else "",
            "exposure_start": exposure_start.isoformat() if exposure_start else None,
            "observed_at": observed_at.isoformat(),
            "period_start": start.isoformat(),
            "period_end": end.isoformat(),
            "value_raw": value,
            "value_published": round(value * factor, 3),
            "value_basis": basis,
            "unit": campaign.unit,
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
            "location_precision_m": precision if point else None,
            # Placement and range notes only; "outside_area" would say where someone lives.
            "quality_flags": [flag for flag in flags if flag != "outside_area"],
        }


def _public_campaign(slug: str) -> CampaignPage:
    campaign = visible_to_public(CampaignPage.objects.live()).filter(slug=slug).first()
    if campaign is None:
        raise Http404(_("No published campaign has that address."))
    if not campaign.results_public:
        raise Http404(_("This campaign publishes its readings once it opens."))
    return campaign


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(value)
    return value


def _response(
    campaign: CampaignPage, body: Iterator[str], content_type: str, extension: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{campaign.slug}-readings.{extension}"'
    response["Cache-Control"] = CACHE_CONTROL
    licence_url = LICENCE_URLS.get(campaign.licence)
    if licence_url:
        response["Link"] = f'<{licence_url}>; rel="license"'
    return response
