"""Open311 services: one per kind of concern a resident can raise about a device."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.concerns.models import Concern

# How far a reported point may be from a device and still mean that device. A phone's GPS is
# usually good to 10 to 30 metres in a street; much further and the resident may well be
# describing something else, so we ask for the code on the sign instead.
MATCH_RADIUS_METRES = 50

DEVICES_GROUP = gettext_lazy("Devices in public space")
DATA_GROUP = gettext_lazy("Data and privacy")


@dataclass(frozen=True)
class ServiceText:
    description: Promise
    keywords: Promise
    group: Promise


SERVICE_TEXT: dict[str, ServiceText] = {
    Concern.Category.QUESTION: ServiceText(
        gettext_lazy("Ask the council a question about a device: what it does, who runs it, why."),
        gettext_lazy("question,device,sensor,camera"),
        DEVICES_GROUP,
    ),
    Concern.Category.PROBLEM: ServiceText(
        gettext_lazy("Report a device that is broken, damaged, vandalised or in the wrong place."),
        gettext_lazy("broken,damaged,vandalised,fault,device"),
        DEVICES_GROUP,
    ),
    Concern.Category.OBJECTION: ServiceText(
        gettext_lazy("Object to a device, or to how it collects or uses data."),
        gettext_lazy("objection,privacy,data,surveillance"),
        DATA_GROUP,
    ),
    Concern.Category.PUBLISH_DPIA: ServiceText(
        gettext_lazy(
            "Ask for the device's data protection impact assessment (DPIA) to be published, or "
            "the parts withheld from it. The council decides and explains on the status page."
        ),
        gettext_lazy("DPIA,data protection,impact assessment,publication"),
        DATA_GROUP,
    ),
    Concern.Category.OTHER: ServiceText(
        gettext_lazy("Anything else about a device."),
        gettext_lazy("other,device"),
        DEVICES_GROUP,
    ),
}


def service_codes() -> list[str]:
    return [str(code) for code in Concern.Category.values]


def service_name(code: str) -> str:
    return str(Concern.Category(code).label)


def list_services() -> list[dict[str, Any]]:
    return [
        {
            "service_code": code,
            "service_name": service_name(code),
            "description": str(SERVICE_TEXT[code].description),
            # Every service has an attribute (the device code), so clients must fetch it.
            "metadata": True,
            "type": "realtime",
            "keywords": str(SERVICE_TEXT[code].keywords),
            "group": str(SERVICE_TEXT[code].group),
        }
        for code in service_codes()
    ]


def service_definition(code: str) -> dict[str, Any]:
    """The attributes a request for ``code`` takes. Raises ``ValueError`` for an unknown code."""
    Concern.Category(code)
    return {
        "service_code": code,
        "attributes": [
            {
                "variable": True,
                "code": "device_code",
                "datatype": "string",
                # GeoReport's "required" cannot say "unless lat and long are given", so it is
                # false here and the rule is spelled out for people in the two texts below.
                "required": False,
                "datatype_description": _(
                    "The short code printed under the QR code on the device's sign, such as "
                    "K7Q-29XG. Required unless you give lat and long instead; then the nearest "
                    "published device within %(metres)d metres is used."
                )
                % {"metres": MATCH_RADIUS_METRES},
                "order": 1,
                "description": _("Device code (printed under the QR code on the sign)"),
            }
        ],
    }
