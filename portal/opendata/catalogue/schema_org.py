"""A dataset as schema.org ``Dataset`` JSON-LD, for search engines (Google Dataset Search)."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe

from .datasets import Dataset, Publisher

# A "</script>" inside a string would end the block early; these escapes keep it inert.
SCRIPT_SAFE = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def schema_org_dataset(
    request: HttpRequest, dataset: Dataset, publisher: Publisher
) -> dict[str, Any]:
    base = request.build_absolute_uri("/").rstrip("/")
    organisation: dict[str, Any] = {"@type": "Organization", "name": publisher.name}
    if publisher.website:
        organisation["url"] = publisher.website
    if publisher.email:
        organisation["email"] = publisher.email
    described: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": base + dataset.path + "#dataset",
        "name": dataset.title,
        "description": dataset.description,
        "url": base + dataset.path,
        "identifier": dataset.id,
        "keywords": list(dataset.keywords),
        "license": dataset.licence.url,
        "isAccessibleForFree": True,
        "inLanguage": "en-GB",
        "creator": organisation,
        "publisher": organisation,
        "version": dataset.version,
        "distribution": [
            {
                "@type": "DataDownload",
                "name": distribution.title,
                "encodingFormat": distribution.media_type,
                "contentUrl": base + distribution.path,
                **(
                    {"contentSize": f"{distribution.byte_size} B"}
                    if distribution.byte_size is not None
                    else {}
                ),
            }
            for distribution in dataset.distributions
        ],
    }
    if dataset.modified:
        described["dateModified"] = _iso(dataset.modified)
    if dataset.issued:
        described["datePublished"] = _iso(dataset.issued)
    if dataset.temporal_start or dataset.temporal_end:
        start = dataset.temporal_start.isoformat() if dataset.temporal_start else ".."
        end = dataset.temporal_end.isoformat() if dataset.temporal_end else ".."
        described["temporalCoverage"] = f"{start}/{end}"
    if dataset.bbox:
        box = dataset.bbox
        described["spatialCoverage"] = {
            "@type": "Place",
            "name": dataset.spatial_description,
            # schema.org's box is "south west north east".
            "geo": {
                "@type": "GeoShape",
                "box": f"{box.south} {box.west} {box.north} {box.east}",
            },
        }
    return described


def script_json(data: dict[str, Any]) -> SafeString:
    return mark_safe(json.dumps(data, ensure_ascii=False, indent=2).translate(SCRIPT_SAFE))


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
