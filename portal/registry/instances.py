"""A device as open data: the DTPR "datachain instance" shape, plus what the register adds.

The API, the downloads and the catalogue describe a device from these functions, so every feed
says the same thing as the device page and nothing the page does not show. User-facing
strings are DTPR locale arrays, ``[{"locale": "en-GB", "value": "…"}]``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from dtpr_assets.taxonomy import CURRENT_VERSIONS, Taxonomy, load_taxonomy
from portal.core.links import public_url
from portal.signage.services import short_link

from .blocks import datachain_entries
from .models import DevicePage, Organisation

if TYPE_CHECKING:
    from django.http import HttpRequest

ORGANISATION_ACTIONS = (("email", "email"), ("phone", "phone"), ("website", "url"))


def locales() -> list[str]:
    """The locales the portal publishes text in, as BCP 47 tags (``en-GB``)."""
    return [translation.to_locale(code).replace("_", "-") for code, _name in settings.LANGUAGES]


def locale_array(value: str, wanted: Iterable[str] | None = None) -> list[dict[str, str]]:
    """Text in DTPR's locale-array form. The portal writes one language; more may follow."""
    chosen = list(wanted) if wanted is not None else locales()
    return [{"locale": locale, "value": value} for locale in chosen]


def schema_version(taxonomy: Taxonomy | None = None) -> str:
    version = taxonomy.version if taxonomy else CURRENT_VERSIONS["device"]
    return f"device@{version}"


def absolute(request: HttpRequest | None, path: str) -> str:
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def record_links(page: Any, request: HttpRequest | None, api_url_name: str) -> dict[str, str]:
    """A published record's page and its address in the API."""
    return {
        "page": public_url(page, request),
        "api": absolute(request, reverse(api_url_name, args=[page.slug])),
    }


def organisation_actions(organisation: Organisation) -> list[dict[str, str]]:
    actions = []
    for field_name, kind in ORGANISATION_ACTIONS:
        target = getattr(organisation, field_name)
        if target:
            target = f"mailto:{target}" if kind == "email" else target
            target = f"tel:{target.replace(' ', '')}" if kind == "phone" else target
            actions.append({"type": kind, "label": organisation.name, "target": target})
    return actions


def device_links(device: DevicePage, request: HttpRequest | None) -> dict[str, str]:
    page = public_url(device, request)
    return {
        "page": page,
        "short_link": short_link(device.code),
        "api": absolute(request, reverse("api:device", args=[device.code])),
        "sign_svg": absolute(request, reverse("signage:sign", args=[device.slug, "svg"])),
        "sign_pdf": absolute(request, reverse("signage:sign", args=[device.slug, "pdf"])),
        "raise_a_concern": f"{page}#concern",
    }


def device_summary(
    device: DevicePage, request: HttpRequest | None, wanted_locales: list[str] | None = None
) -> dict[str, Any]:
    """One row of the register: enough to list, filter and map a device."""
    return {
        "code": device.code,
        "title": locale_array(device.title, wanted_locales),
        "summary": locale_array(device.summary, wanted_locales),
        "status": device.status,
        "status_since": device.status_since.isoformat() if device.status_since else None,
        "personal_data": device.personal_data,
        "purposes": [item for item in device.purpose_index.split("|") if item],
        "technologies": [item for item in device.technology_index.split("|") if item],
        "location": {
            "latitude": float(device.latitude),
            "longitude": float(device.longitude),
            "description": device.location_description,
            "area": device.area,
        },
        "updated_at": iso(device.last_published_at),
        "links": device_links(device, request),
    }


def device_instance(
    device: DevicePage,
    request: HttpRequest | None,
    *,
    dpias: list[Any],
    algorithm_records: list[Any],
    wanted_locales: list[str] | None = None,
) -> dict[str, Any]:
    """The device as a DTPR datachain instance with the register's own fields alongside.

    ``dpias`` and ``algorithm_records`` are the published, public records about the device;
    the caller chooses them so that the same visibility rule applies as on the page.
    """
    taxonomy = load_taxonomy()
    organisations = list(device.accountable_organisations.all())
    elements: list[dict[str, Any]] = []
    for priority, link in enumerate(organisations):
        organisation = link.organisation
        elements.append(
            {
                "element_id": "institution"
                if organisation.role == Organisation.Role.COUNCIL
                else "organization",
                "category_id": "accountable",
                "priority": priority,
                "title": locale_array(organisation.name, wanted_locales),
                "description": locale_array(link.responsibility, wanted_locales),
                "variables": [],
                "actions": organisation_actions(organisation),
            }
        )
    per_category: dict[str, int] = {}
    for entry in datachain_entries(device.datachain):
        element = taxonomy.element(entry["category"], entry["element_id"])
        priority = per_category.get(entry["category"], 0)
        per_category[entry["category"]] = priority + 1
        elements.append(
            {
                "element_id": element.id,
                "category_id": entry["category"],
                "priority": priority,
                "title": locale_array(element.label(entry["variables"]), wanted_locales),
                "description": locale_array(
                    entry["additional_description"] or element.description, wanted_locales
                ),
                "variables": [
                    {"id": key, "value": value} for key, value in entry["variables"].items()
                ],
                "actions": [],
            }
        )
    links = device_links(device, request)
    return {
        "id": device.code,
        "title": locale_array(device.title, wanted_locales),
        "description": locale_array(device.summary, wanted_locales),
        "schema_version": schema_version(taxonomy),
        "created_at": iso(device.first_published_at),
        "updated_at": iso(device.last_published_at),
        "elements": elements,
        "linked_instance_ids": [f"algorithm-record:{record.slug}" for record in algorithm_records],
        "status": device.status,
        "status_since": device.status_since.isoformat() if device.status_since else None,
        "personal_data": device.personal_data,
        "location": {
            "latitude": float(device.latitude),
            "longitude": float(device.longitude),
            "description": device.location_description,
            "area": device.area,
            "area_geojson": device.area_geojson,
        },
        "dates": {
            "installed_on": device.installed_on.isoformat() if device.installed_on else None,
            "retired_on": device.retired_on.isoformat() if device.retired_on else None,
            "review_by": device.review_by.isoformat() if device.review_by else None,
        },
        "why": {
            "outcome": device.outcome,
            "if_had_then": device.if_had_then,
            "insight": device.insight,
            "data_needed": device.data_needed,
        },
        "links": links,
        "dpias": [
            {"title": dpia.title, **record_links(dpia, request, "api:dpia")} for dpia in dpias
        ],
        "algorithm_records": [
            {
                "id": f"algorithm-record:{record.slug}",
                "title": record.title,
                **record_links(record, request, "api:algorithm-record"),
            }
            for record in algorithm_records
        ],
    }
