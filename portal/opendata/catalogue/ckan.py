"""A read-only slice of CKAN's Action API, so CKAN harvesters and CKAN clients can read us.

Only ``package_list``, ``package_show`` and ``package_search``, answering in CKAN's envelope
(``help``, ``success``, ``result`` or ``error``). Dataset ids double as CKAN names. The
``fq`` filters CKAN's own harvester sends are understood: ``tags:``, ``res_format:``,
``name:``, ``organization:`` and ``metadata_modified:[<date> TO *]``.
"""

from __future__ import annotations

import datetime
import re
import shlex
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .datasets import Dataset, Publisher
from .vocabularies import ACCESS_PUBLIC

DEFAULT_ROWS = 10
MAX_ROWS = 1000
MODIFIED_RANGE = re.compile(
    r"^\[\s*(?P<start>\*|[0-9T:.\-+Z]+)\s+TO\s+(?P<end>\*|[0-9T:.\-+Z]+)\s*\]$", re.IGNORECASE
)
FILTER_FIELDS = ("tags", "res_format", "name", "organization", "metadata_modified")
# What help_show says about each action (the "help" link in every answer points there).
ACTION_HELP = {
    "package_list": _lazy("The ids of every published dataset. No parameters."),
    "package_show": _lazy(
        "One dataset as a CKAN package, with its resources (the download files). "
        "Parameter: id, a dataset id from package_list."
    ),
    "package_search": _lazy(
        "Datasets whose title, description or tags contain every word of q. Parameters: q, "
        "rows (at most 1000, 10 if not given), start, and fq with tags:, res_format:, name:, "
        "organization: or metadata_modified:[<ISO 8601 date> TO *]."
    ),
}


class CkanError(Exception):
    """A request CKAN would refuse: its status, CKAN's error type and a message saying why."""

    def __init__(self, status: int, kind: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.kind = kind
        self.message = message


def help_url(request: HttpRequest, action: str) -> str:
    return request.build_absolute_uri(f"/api/3/action/help_show?name={action}")


def organisation_dict(publisher: Publisher) -> dict[str, Any]:
    return {
        "id": slugify(publisher.name) or "council",
        "name": slugify(publisher.name) or "council",
        "title": publisher.name,
        "type": "organization",
        "is_organization": True,
        "state": "active",
    }


def package_dict(request: HttpRequest, dataset: Dataset, publisher: Publisher) -> dict[str, Any]:
    base = request.build_absolute_uri("/").rstrip("/")
    landing = base + dataset.path
    modified = _iso(dataset.modified)
    created = _iso(dataset.issued) or modified
    extras = [
        {"key": "uri", "value": landing + "#dataset"},
        {"key": "identifier", "value": dataset.id},
        {"key": "theme", "value": _json_list([theme.uri for theme in dataset.themes])},
        {"key": "frequency", "value": dataset.frequency.uri},
        {"key": "access_rights", "value": ACCESS_PUBLIC},
        {"key": "publisher_name", "value": publisher.name},
        {"key": "contact_name", "value": publisher.name},
        {"key": "version", "value": dataset.version},
    ]
    if publisher.email:
        extras.append({"key": "publisher_email", "value": publisher.email})
        extras.append({"key": "contact_email", "value": publisher.email})
    if dataset.temporal_start:
        extras.append({"key": "temporal_start", "value": dataset.temporal_start.isoformat()})
    if dataset.temporal_end:
        extras.append({"key": "temporal_end", "value": dataset.temporal_end.isoformat()})
    if dataset.bbox:
        import json

        # data.gov.uk and ckanext-spatial read a GeoJSON geometry from the "spatial" extra.
        extras.append({"key": "spatial", "value": json.dumps(dataset.bbox.as_geojson())})
    return {
        "id": dataset.id,
        "name": dataset.id,
        "title": dataset.title,
        "notes": dataset.description,
        "url": landing,
        "type": "dataset",
        "state": "active",
        "private": False,
        "isopen": True,
        "version": dataset.version,
        "license_id": dataset.licence.ckan_id,
        "license_title": dataset.licence.name,
        "license_url": dataset.licence.url,
        "author": publisher.name,
        "author_email": publisher.email,
        "maintainer": publisher.name,
        "maintainer_email": publisher.email,
        "metadata_created": created,
        "metadata_modified": modified,
        "organization": organisation_dict(publisher),
        "owner_org": organisation_dict(publisher)["id"],
        "num_resources": len(dataset.distributions),
        "num_tags": len(dataset.keywords),
        "tags": [{"name": keyword, "display_name": keyword} for keyword in dataset.keywords],
        "groups": [],
        "resources": [
            {
                "id": f"{dataset.id}-{distribution.key}",
                "package_id": dataset.id,
                "name": distribution.title,
                "description": distribution.description,
                "format": distribution.format_label,
                "mimetype": distribution.media_type,
                "url": base + distribution.path,
                "size": distribution.byte_size,
                "last_modified": modified,
                "created": created,
                "position": position,
                "state": "active",
                "url_type": None,
            }
            for position, distribution in enumerate(dataset.distributions)
        ],
        "extras": extras,
    }


@dataclass(frozen=True)
class SearchRequest:
    q: str
    rows: int
    start: int
    filters: tuple[tuple[str, str], ...]


def parse_search(params: Any) -> SearchRequest:
    rows = _whole_number(params.get("rows"), "rows", DEFAULT_ROWS)
    if rows > MAX_ROWS:
        raise CkanError(
            409,
            "Validation Error",
            _("rows must be at most %(max)d. Page through the results with start.")
            % {"max": MAX_ROWS},
        )
    start = _whole_number(params.get("start"), "start", 0)
    return SearchRequest(
        q=(params.get("q") or "").strip(),
        rows=rows,
        start=start,
        filters=tuple(_parse_filters(params.get("fq") or "")),
    )


def search(datasets: list[Dataset], query: SearchRequest, publisher: Publisher) -> list[Dataset]:
    words = [word.lower() for word in re.findall(r"[\w\-]+", query.q) if word != "*"]
    # CKAN's "*:*" means everything.
    if query.q in {"*:*", "*"}:
        words = []
    found = []
    for dataset in datasets:
        text = " ".join((dataset.id, dataset.title, dataset.description, *dataset.keywords))
        text = text.lower()
        if not all(word in text for word in words):
            continue
        if all(_matches(dataset, name, value, publisher) for name, value in query.filters):
            found.append(dataset)
    return found


def _matches(dataset: Dataset, name: str, value: str, publisher: Publisher) -> bool:
    value_folded = value.lower()
    if name == "tags":
        return value_folded in {keyword.lower() for keyword in dataset.keywords}
    if name == "res_format":
        return value_folded in {d.format_label.lower() for d in dataset.distributions}
    if name == "name":
        return dataset.id == value
    if name == "organization":
        return value_folded == (slugify(publisher.name) or "council")
    # metadata_modified:[start TO end], already checked by _parse_filters.
    match = MODIFIED_RANGE.match(value)
    assert match is not None
    modified = dataset.modified
    if modified is None:
        return False
    start, end = match["start"], match["end"]
    if start != "*" and modified < _moment(start):
        return False
    return not (end != "*" and modified > _moment(end))


def _parse_filters(fq: str) -> list[tuple[str, str]]:
    try:
        terms = shlex.split(fq.replace("[", '"[').replace("]", ']"'))
    except ValueError as error:
        raise CkanError(
            409,
            "Search Query Error",
            _("fq could not be read (%(error)s). Close every quote and bracket.")
            % {"error": error},
        ) from error
    filters = []
    for term in terms:
        if term.upper() in {"AND", "+"}:
            continue
        name, colon, value = term.lstrip("+").partition(":")
        if not colon or name not in FILTER_FIELDS or not value:
            raise CkanError(
                409,
                "Search Query Error",
                _(
                    "fq term %(term)s is not understood. Use field:value with one of these "
                    "fields: %(fields)s, e.g. fq=tags:sensors or "
                    "fq=metadata_modified:[2026-01-01T00:00:00Z TO *]."
                )
                % {"term": repr(term), "fields": ", ".join(FILTER_FIELDS)},
            )
        if name == "metadata_modified":
            match = MODIFIED_RANGE.match(value)
            if not match or not all(
                part == "*" or _moment_or_none(part) for part in (match["start"], match["end"])
            ):
                raise CkanError(
                    409,
                    "Search Query Error",
                    _(
                        "metadata_modified needs a range of ISO 8601 dates, e.g. "
                        "metadata_modified:[2026-01-01T00:00:00Z TO *]."
                    ),
                )
        filters.append((name, value.strip('"')))
    return filters


def _whole_number(raw: str | None, name: str, default: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        number = int(raw)
    except ValueError:
        number = -1
    if number < 0:
        raise CkanError(
            409,
            "Validation Error",
            _("%(name)s must be a whole number, 0 or more, e.g. %(name)s=%(example)d.")
            % {"name": name, "example": default},
        )
    return number


def _moment_or_none(text: str) -> datetime.datetime | None:
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _moment(text: str) -> datetime.datetime:
    moment = _moment_or_none(text)
    assert moment is not None
    return moment


def _iso(moment: datetime.datetime | None) -> str | None:
    if moment is None:
        return None
    # CKAN's own format: naive UTC with microseconds.
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()


def _json_list(values: list[str]) -> str:
    import json

    return json.dumps(values)
