"""Filtering the register for machines: the API's device list and the downloads.

Unlike the register page, which offers only choices in use, a machine may ask for any DTPR
element; what it cannot ask for is something that does not exist, and then it is told what
would work.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dtpr_assets.taxonomy import load_taxonomy
from portal.core.maps import BoundingBox

from .models import DevicePage, DeviceStatus, PersonalData

FILTER_NAMES = ("purpose", "technology", "personal_data", "status", "area", "bbox")


class FilterProblem(ValueError):
    """One or more filters cannot be applied; ``errors`` says why, per parameter."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def parse_bbox(text: str) -> BoundingBox:
    parts = text.split(",")
    hint = _(
        "Give four numbers separated by commas: west,south,east,north in decimal degrees "
        "(longitude, latitude, longitude, latitude), e.g. -0.20,51.40,-0.10,51.50."
    )
    if len(parts) != 4:
        raise ValueError(hint)
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise ValueError(hint) from None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        raise ValueError(hint)
    if not (-180 <= west <= 180 and -180 <= east <= 180):
        raise ValueError(_("Longitudes must be between -180 and 180. %(hint)s") % {"hint": hint})
    if not (-90 <= south <= 90 and -90 <= north <= 90):
        raise ValueError(_("Latitudes must be between -90 and 90. %(hint)s") % {"hint": hint})
    if south > north:
        raise ValueError(_("The south edge must not be north of the north edge. ") + hint)
    if west > east:
        raise ValueError(
            _(
                "The west edge must not be east of the east edge (boxes across the 180th "
                "meridian are not supported: ask for each side separately)."
            )
        )
    return BoundingBox(west, south, east, north)


def _choice(
    value: str, allowed: list[str], *, name: str, errors: dict[str, list[str]]
) -> str | None:
    if value in allowed:
        return value
    errors[name] = [
        _("“%(value)s” is not a %(name)s this register knows. Use one of: %(allowed)s.")
        % {"value": value, "name": name.replace("_", " "), "allowed": ", ".join(allowed)}
    ]
    return None


def filter_devices(devices: QuerySet[DevicePage], params: Mapping[str, str]) -> QuerySet:
    """Apply the machine filters in ``params``; raise ``FilterProblem`` naming each bad one."""
    taxonomy = load_taxonomy()
    errors: dict[str, list[str]] = {}
    # Parameter, the values it may take, and the filter a valid value applies.
    choices = (
        (
            "purpose",
            [element.id for element in taxonomy.elements_in("purpose")],
            lambda value: {"purpose_index__contains": f"|{value}|"},
        ),
        (
            "technology",
            [element.id for element in taxonomy.elements_in("tech")],
            lambda value: {"technology_index__contains": f"|{value}|"},
        ),
        ("personal_data", list(PersonalData.values), lambda value: {"personal_data": value}),
        ("status", list(DeviceStatus.values), lambda value: {"status": value}),
    )
    for name in FILTER_NAMES:
        if name in params and not params[name].strip():
            errors[name] = [
                _("%(name)s is empty: give a value or leave the parameter out.") % {"name": name}
            ]
    for name, allowed, lookup in choices:
        value = params.get(name)
        if value and _choice(value, allowed, name=name, errors=errors):
            devices = devices.filter(**lookup(value))
    if value := params.get("area"):
        devices = devices.filter(area__iexact=value)
    if value := params.get("bbox"):
        try:
            box = parse_bbox(value)
        except ValueError as problem:
            errors["bbox"] = [str(problem)]
        else:
            devices = devices.filter(
                longitude__gte=box.west,
                longitude__lte=box.east,
                latitude__gte=box.south,
                latitude__lte=box.north,
            )
    if errors:
        raise FilterProblem(errors)
    return devices
