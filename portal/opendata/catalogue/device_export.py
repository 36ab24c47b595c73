"""The device register as CSV and GeoJSON: published devices only, live values only.

Rows come from the page table's live columns (what the public page shows), never from draft
revisions, supplier assurance, DPIAs or anything else marked internal. The whole register is
read in a fixed number of queries, however many devices it holds, and streamed.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, HttpResponseBase, StreamingHttpResponse
from django.urls import reverse
from wagtail.models import Site

from portal.opendata.licence import licence_for_url
from portal.registry.models import DeviceOrganisation, DevicePage
from surveys.export import safe_cell

from .freshness import devices_version, not_modified, remember_size, stamp

CSV_PATH_NAME = "opendata_catalogue:devices-csv"
GEOJSON_PATH_NAME = "opendata_catalogue:devices-geojson"

COLUMNS = (
    "code",
    "name",
    "status",
    "status_since",
    "summary",
    "purposes",
    "technologies",
    "personal_data",
    "accountable_organisations",
    "latitude",
    "longitude",
    "location_description",
    "area",
    "page_url",
    "sign_url",
    "updated",
)
# In GeoJSON the position is the geometry, so it is not repeated among the properties.
PROPERTIES = tuple(name for name in COLUMNS if name not in {"latitude", "longitude"})
# Text a person typed; a spreadsheet must show it, never run it.
TEXT_COLUMNS = frozenset(
    {"name", "summary", "accountable_organisations", "location_description", "area"}
)
# Only these columns of the page table are read.
FIELDS = (
    "pk",
    "code",
    "title",
    "status",
    "status_since",
    "summary",
    "purpose_index",
    "technology_index",
    "personal_data",
    "latitude",
    "longitude",
    "location_description",
    "area",
    "url_path",
    "slug",
    "last_published_at",
)


def device_rows(request: HttpRequest) -> Iterator[dict[str, Any]]:
    """Each listed device as the public may see it, by code."""
    base = request.build_absolute_uri("/").rstrip("/")
    devices = DevicePage.objects.listed()
    organisations: dict[int, list[str]] = {}
    links = (
        DeviceOrganisation.objects.filter(page__in=devices.values("pk"))
        .order_by("page_id", "sort_order", "pk")
        .values_list("page_id", "organisation__name")
    )
    for page_id, name in links:
        organisations.setdefault(page_id, []).append(name)
    roots = _site_roots()
    # One reverse() for the shape of every sign address, rather than one per device.
    sign_template = reverse("signage:sign", args=["SLUG", "svg"])
    rows = devices.order_by("code").values_list(*FIELDS)
    for values in rows.iterator(chunk_size=2000):
        device = dict(zip(FIELDS, values, strict=True))
        yield {
            "code": device["code"],
            "name": device["title"],
            "status": device["status"],
            "status_since": device["status_since"].isoformat() if device["status_since"] else "",
            "summary": device["summary"],
            "purposes": _elements(device["purpose_index"]),
            "technologies": _elements(device["technology_index"]),
            "personal_data": device["personal_data"],
            "accountable_organisations": organisations.get(device["pk"], []),
            "latitude": float(device["latitude"]),
            "longitude": float(device["longitude"]),
            "location_description": device["location_description"],
            "area": device["area"],
            "page_url": base + _page_path(device["url_path"], roots),
            "sign_url": base + sign_template.replace("SLUG", device["slug"]),
            "updated": _iso(device["last_published_at"]),
        }


def devices_csv(request: HttpRequest) -> HttpResponseBase:
    version = devices_version()
    early = not_modified(request, version)
    if early is not None:
        return early

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(COLUMNS)
        for row in device_rows(request):
            yield writer.writerow([_csv_cell(name, row[name]) for name in COLUMNS])

    return _response(request, version, lines(), "text/csv; charset=utf-8", "csv")


def devices_geojson(request: HttpRequest) -> HttpResponseBase:
    version = devices_version()
    early = not_modified(request, version)
    if early is not None:
        return early
    licence = licence_for_url(None)

    def chunks() -> Iterator[str]:
        # Foreign members (RFC 7946 section 6.1) say what the file is and under which licence.
        header = {"type": "FeatureCollection", "licence": licence.name, "licence_url": licence.url}
        yield json.dumps(header, ensure_ascii=False)[:-1] + ', "features": ['
        separator = ""
        for row in device_rows(request):
            feature = {
                "type": "Feature",
                "id": row["code"],
                "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
                "properties": {name: row[name] for name in PROPERTIES},
            }
            yield separator + json.dumps(feature, ensure_ascii=False)
            separator = ","
        yield "]}\n"

    return _response(request, version, chunks(), "application/geo+json", "geojson")


def _response(
    request: HttpRequest, version: Any, body: Iterator[str], content_type: str, extension: str
) -> StreamingHttpResponse:
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="devices.{extension}"'
    stamp(response, version, licence_url=licence_for_url(None).url)
    remember_size(response, request, version)
    return response


def _elements(index: str) -> list[str]:
    """``|health|safety|`` (the register's filter column) as ``["health", "safety"]``."""
    return [element for element in index.split("|") if element]


def _csv_cell(name: str, value: Any) -> Any:
    if isinstance(value, list):
        value = "; ".join(value)
    if name in TEXT_COLUMNS:
        return safe_cell(value)
    return value


def _iso(moment: Any) -> str:
    return moment.isoformat().replace("+00:00", "Z") if moment else ""


def _site_roots() -> list[tuple[str, str]]:
    """(root page path, URL prefix) for each site, longest first, as Wagtail caches them."""
    return sorted(
        ((root.root_path, root.root_url) for root in Site.get_site_root_paths()),
        key=lambda pair: len(pair[0]),
        reverse=True,
    )


def _page_path(url_path: str, roots: list[tuple[str, str]]) -> str:
    """The public path of a page from its stored ``url_path``, as Wagtail's ``page.url`` does."""
    for root_path, _root_url in roots:
        if url_path.startswith(root_path):
            return "/" + url_path[len(root_path) :]
    return url_path
