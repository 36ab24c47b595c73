"""Taking a GeoReport v2 service request as a concern, through the web form's own path.

The request is checked by ``ConcernForm`` (the web form's validation), stored by
``receive_concern`` (the same reference format and the same e-mail to staff) and rate limited
by ``too_many_concerns`` (the same budget per visitor and per device, so a resident cannot get
round the form's limit by switching to the API). Nothing about the sender is kept: not the
address, not the browser, and none of GeoReport's personal fields (names, phone, device id).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _

from portal.concerns.forms import ConcernForm
from portal.concerns.models import Concern
from portal.concerns.notifications import status_url
from portal.concerns.services import device_open_to_concerns, receive_concern, too_many_concerns
from portal.registry.models import DevicePage
from portal.signage.codes import normalise_code

from .catalogue import MATCH_RADIUS_METRES, service_codes
from .locating import devices_near

DEVICE_CODE_FIELD = "attribute[device_code]"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
# Long enough for any real value; an echo of a pasted essay would bury the advice.
ECHO_LENGTH = 40


class SubmissionRefused(Exception):
    """The request cannot be taken; ``messages`` say how to fix it. Nothing was stored."""

    def __init__(self, messages: list[str], *, status: int = 400) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages
        self.status = status


@dataclass(frozen=True)
class Submitted:
    concern: Concern
    notice: str


def _echo(value: str) -> str:
    return value if len(value) <= ECHO_LENGTH else value[:ECHO_LENGTH] + "…"


def read_parameters(request: HttpRequest) -> dict[str, str]:
    """The posted fields as strings, from a form body (the spec's) or a JSON object."""
    content_type = request.content_type or ""
    if content_type in FORM_TYPES or (not content_type and not request.body):
        if request.FILES:
            raise SubmissionRefused([_media_refusal()])
        return {key: request.POST.get(key, "") for key in request.POST}
    if content_type == "application/json":
        return _json_parameters(request.body)
    raise SubmissionRefused(
        [
            _(
                "Send the request as application/x-www-form-urlencoded, as GeoReport v2 "
                "expects, or as a JSON object with Content-Type: application/json."
            )
        ],
        status=415,
    )


def _json_parameters(body: bytes) -> dict[str, str]:
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise SubmissionRefused(
            [_('The body is not valid JSON. Send one JSON object, such as {"service_code": …}.')]
        ) from None
    if not isinstance(data, dict):
        raise SubmissionRefused(
            [_("Send one JSON object with the fields as keys, not a list or a single value.")]
        )
    parameters: dict[str, str] = {}
    for key, value in data.items():
        # {"attribute": {"device_code": …}} is the natural JSON for attribute[device_code].
        if key == "attribute" and isinstance(value, dict):
            for name, inner in value.items():
                parameters[f"attribute[{name}]"] = _json_scalar(inner)
        else:
            parameters[str(key)] = _json_scalar(value)
    return parameters


def _json_scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        # A list or object where text belongs: make it fail validation rather than guess.
        return json.dumps(value)
    return str(value)


def _media_refusal() -> str:
    return _(
        "Photos and other media are not accepted: they can show people's faces, homes and "
        "number plates, and the web form takes none either. Send the request again without "
        "media_url, and describe what you saw in words."
    )


def _service_code_problem(code: str) -> str | None:
    codes = ", ".join(service_codes())
    if not code:
        return _(
            "service_code is missing. Give the kind of concern, one of: %(codes)s (listed at "
            "services.json)."
        ) % {"codes": codes}
    if code not in service_codes():
        return _("service_code “%(code)s” is not a service here. Use one of: %(codes)s.") % {
            "code": _echo(code),
            "codes": codes,
        }
    return None


def _coordinate(name: str, value: str, limit: int) -> tuple[float | None, str | None]:
    try:
        number = float(value)
    except ValueError:
        number = math.nan
    if not math.isfinite(number) or abs(number) > limit:
        return None, _(
            "%(name)s “%(value)s” is not a coordinate. Give decimal degrees between -%(limit)d "
            "and %(limit)d (WGS 84), such as 51.4701 for lat and -0.1102 for long."
        ) % {"name": name, "value": _echo(value), "limit": limit}
    return number, None


def _device_by_code(typed: str) -> DevicePage:
    code = normalise_code(typed)
    if code is None:
        raise SubmissionRefused(
            [
                _(
                    "attribute[device_code] “%(code)s” is not a device code. Codes look like "
                    "K7Q-29XG and are printed under the QR code on the device's sign; check "
                    "each character."
                )
                % {"code": _echo(typed)}
            ]
        )
    device = device_open_to_concerns(code)
    if device is None:
        raise SubmissionRefused(
            [
                _(
                    "No published device has the code %(code)s. Check it against the sign, or "
                    "find the device on the register at /devices/."
                )
                % {"code": code}
            ]
        )
    return device


def _device_by_location(lat_text: str, long_text: str) -> tuple[DevicePage, float]:
    if not (lat_text and long_text):
        raise SubmissionRefused(
            [_("Give both lat and long, or give attribute[device_code] instead.")]
        )
    lat, lat_problem = _coordinate("lat", lat_text, 90)
    lon, long_problem = _coordinate("long", long_text, 180)
    problems = [problem for problem in (lat_problem, long_problem) if problem]
    if problems or lat is None or lon is None:
        raise SubmissionRefused(problems)
    nearby = devices_near(lat, lon, radius_metres=MATCH_RADIUS_METRES)
    if not nearby:
        raise SubmissionRefused(
            [
                _(
                    "No published device is within %(metres)d metres of that point. Give the "
                    "code printed under the QR code on the device's sign as "
                    "attribute[device_code]."
                )
                % {"metres": MATCH_RADIUS_METRES}
            ]
        )
    if len(nearby) > 1:
        # Two devices on one lamp post are common; guessing would file the concern against
        # the wrong one, so the resident is asked to say which.
        choices = "; ".join(f"{item.device.code} ({item.device.title})" for item in nearby[:5])
        raise SubmissionRefused(
            [
                _(
                    "%(count)d devices are within %(metres)d metres of that point: %(choices)s. "
                    "Give the code of the one you mean as attribute[device_code]."
                )
                % {"count": len(nearby), "metres": MATCH_RADIUS_METRES, "choices": choices}
            ]
        )
    return nearby[0].device, nearby[0].metres


def _find_device(parameters: dict[str, str]) -> tuple[DevicePage, float | None]:
    typed_code = parameters.get(DEVICE_CODE_FIELD, "").strip()
    if typed_code:
        return _device_by_code(typed_code), None
    lat_text = parameters.get("lat", "").strip()
    long_text = parameters.get("long", "").strip()
    if lat_text or long_text:
        return _device_by_location(lat_text, long_text)
    raise SubmissionRefused(
        [
            _(
                "Say which device the concern is about: give attribute[device_code] (the code "
                "printed under the QR code on its sign, such as K7Q-29XG), or lat and long of "
                "where it stands."
            )
        ]
    )


def _field_problems(parameters: dict[str, str]) -> tuple[ConcernForm, list[str]]:
    code = parameters.get("service_code", "").strip()
    form = ConcernForm(
        {
            "category": code,
            "description": parameters.get("description", ""),
            "email": parameters.get("email", "").strip(),
        }
    )
    form.is_valid()
    problems: list[str] = []
    if service_problem := _service_code_problem(code):
        problems.append(service_problem)
    # The form's own sentences, so both channels explain a problem in the same words.
    for field in ("description", "email"):
        problems.extend(f"{field}: {message}" for message in form.errors.get(field, []))
    if parameters.get("media_url", "").strip():
        problems.append(_media_refusal())
    return form, problems


def submit_request(request: HttpRequest) -> Submitted:
    """Check, rate limit and store one service request. Raises ``SubmissionRefused``."""
    parameters = read_parameters(request)
    form, problems = _field_problems(parameters)
    try:
        device, metres = _find_device(parameters)
    except SubmissionRefused as refused:
        problems.extend(refused.messages)
        device, metres = None, None
    if problems or device is None:
        raise SubmissionRefused(problems)
    if too_many_concerns(request, device.pk):
        raise SubmissionRefused(
            [
                _(
                    "We have had a lot of concerns in the last hour, so we could not take this "
                    "one. Nothing has been saved. Please try again in an hour."
                )
            ],
            status=429,
        )
    concern = receive_concern(
        device_id=device.pk,
        category=form.cleaned_data["category"],
        description=form.cleaned_data["description"],
        email=form.cleaned_data["email"],
    )
    return Submitted(concern, _notice(concern, device, metres))


def _notice(concern: Concern, device: DevicePage, metres: float | None) -> str:
    notice = _(
        "Thank you. Your reference is %(reference)s: follow it at %(url)s. What you wrote is "
        "not published."
    ) % {"reference": concern.reference, "url": status_url(concern)}
    if metres is not None:
        notice += " " + _(
            "We took it to be about %(device)s (%(code)s), %(metres)d metres from the point you "
            "gave; if that is the wrong device, raise it again with its code."
        ) % {"device": device.title, "code": device.code, "metres": round(metres)}
    return notice
