"""Concerns published as GeoReport v2 service requests, and their updates.

What is published is what the concern's public status page at /concerns/<reference>/ already
shows, and no more: the device, the kind of concern, open or closed with the finer status, the
dates and the council's public note. What the resident wrote is never published (the status
page promises that no one else with the link can read it), nor the e-mail address.

Only concerns about devices the public can see are published. The list and the updates feed
follow the register (live, unrestricted, not past "do not show after"); one request by its
reference is found while its device is live and unrestricted, as its status page is.

The model keeps days, not times (on purpose: less is known about when someone wrote), so a
day is published as midnight at the start of that day in the council's time zone.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.concerns.models import Concern
from portal.core.models import CouncilSettings
from portal.core.visibility import visible_to_public
from portal.registry.models import DeviceOrganisation, DevicePage

from .catalogue import service_codes, service_name

DEFAULT_WINDOW_DAYS = 90
MAX_REQUESTS = 1000
MAX_IDS = 100
OPEN, CLOSED = "open", "closed"


class FilterProblem(ValueError):
    """A query parameter cannot be used; the messages say how to fix it."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def open_or_closed(status: str) -> str:
    """GeoReport knows only open and closed; every finer status maps to one of them."""
    return CLOSED if status in Concern.CLOSED_STATUSES else OPEN


def published_datetime(day: datetime.date) -> str:
    """A stored day as an ISO 8601 date-time with offset: midnight, council time."""
    midnight = datetime.datetime.combine(day, datetime.time.min)
    return timezone.make_aware(midnight).isoformat()


# -- which concerns --------------------------------------------------------------------------


def _with_devices(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    return concerns.select_related("device").prefetch_related(
        Prefetch(
            "device__accountable_organisations",
            queryset=DeviceOrganisation.objects.select_related("organisation"),
        )
    )


def listed_concerns() -> QuerySet[Concern]:
    """Concerns about devices in the public register (what the list and updates show)."""
    return _with_devices(
        Concern.objects.filter(device_id__in=DevicePage.objects.listed().values("pk"))
    )


def find_request(reference: str) -> Concern | None:
    """One concern by reference, while its device is live and unrestricted."""
    visible = visible_to_public(DevicePage.objects.live()).values("pk")
    return (
        _with_devices(Concern.objects.filter(device_id__in=visible))
        .filter(reference=reference.upper())
        .first()
    )


# -- filters ---------------------------------------------------------------------------------


def parse_moment(name: str, text: str) -> datetime.datetime:
    """An ISO 8601 date or date-time; without an offset it is read as council time."""
    try:
        moment = datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise FilterProblem(
            [
                _(
                    "%(name)s “%(value)s” is not a date. Give a date such as 2025-03-01, or a "
                    "date and time with its offset such as 2025-03-01T09:00:00Z."
                )
                % {"name": name, "value": text[:40]}
            ]
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _first_day_from(moment: datetime.datetime) -> datetime.date:
    """The first day whose published midnight is at or after ``moment``."""
    day = timezone.localtime(moment).date()
    midnight = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return day if midnight >= moment else day + datetime.timedelta(days=1)


def _last_day_to(moment: datetime.datetime) -> datetime.date:
    """The last day whose published midnight is at or before ``moment``."""
    return timezone.localtime(moment).date()


@dataclass(frozen=True)
class DateWindow:
    first_day: datetime.date
    last_day: datetime.date | None

    @classmethod
    def from_parameters(cls, params: Mapping[str, str]) -> DateWindow:
        """``start_date``/``end_date``; 90 days up to the end (or today) when no start is given."""
        start_text, end_text = params.get("start_date", ""), params.get("end_date", "")
        problems: list[str] = []
        start = end = None
        for name, text in (("start_date", start_text), ("end_date", end_text)):
            if text.strip():
                try:
                    moment = parse_moment(name, text)
                except FilterProblem as problem:
                    problems.extend(problem.messages)
                    continue
                if name == "start_date":
                    start = moment
                else:
                    end = moment
        if problems:
            raise FilterProblem(problems)
        last_day = _last_day_to(end) if end else None
        if start:
            first_day = _first_day_from(start)
        else:
            first_day = (last_day or timezone.localdate()) - datetime.timedelta(
                days=DEFAULT_WINDOW_DAYS
            )
        if start and end and start > end:
            raise FilterProblem([_("start_date is after end_date. Swap them, or leave one out.")])
        return cls(first_day, last_day)

    def filter(self, concerns: QuerySet[Concern], field_name: str) -> QuerySet[Concern]:
        concerns = concerns.filter(**{f"{field_name}__gte": self.first_day})
        if self.last_day is not None:
            concerns = concerns.filter(**{f"{field_name}__lte": self.last_day})
        return concerns


def _comma_list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


@dataclass
class RequestFilters:
    references: list[str] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)
    window: DateWindow | None = None

    @classmethod
    def from_parameters(cls, params: Mapping[str, str]) -> RequestFilters:
        references = [item.upper() for item in _comma_list(params.get("service_request_id", ""))]
        if references:
            if len(references) > MAX_IDS:
                raise FilterProblem(
                    [
                        _("Ask for at most %(count)d service_request_id values at a time.")
                        % {"count": MAX_IDS}
                    ]
                )
            # The spec: when ids are given, every other filter is ignored.
            return cls(references=references)
        problems: list[str] = []
        codes = _comma_list(params.get("service_code", ""))
        if unknown := [code for code in codes if code not in service_codes()]:
            problems.append(
                _("service_code “%(code)s” is not a service here. Use one of: %(codes)s.")
                % {"code": unknown[0][:40], "codes": ", ".join(service_codes())}
            )
        statuses = [status.lower() for status in _comma_list(params.get("status", ""))]
        if any(status not in (OPEN, CLOSED) for status in statuses):
            problems.append(_("status must be open, closed, or both separated by a comma."))
        try:
            window = DateWindow.from_parameters(params)
        except FilterProblem as problem:
            problems.extend(problem.messages)
            window = None
        if problems:
            raise FilterProblem(problems)
        return cls(service_codes=codes, statuses=statuses, window=window)

    def apply(self, concerns: QuerySet[Concern]) -> QuerySet[Concern]:
        if self.references:
            return concerns.filter(reference__in=self.references)
        if self.service_codes:
            concerns = concerns.filter(category__in=self.service_codes)
        if set(self.statuses) == {OPEN}:
            concerns = concerns.exclude(status__in=Concern.CLOSED_STATUSES)
        elif set(self.statuses) == {CLOSED}:
            concerns = concerns.filter(status__in=Concern.CLOSED_STATUSES)
        if self.window is not None:
            concerns = self.window.filter(concerns, "received_on")
        return concerns


def search_requests(params: Mapping[str, str]) -> list[Concern]:
    """Newest first, at most ``MAX_REQUESTS``. Raises ``FilterProblem`` for a bad filter."""
    filters = RequestFilters.from_parameters(params)
    return list(filters.apply(listed_concerns()).order_by("-received_on", "-id")[:MAX_REQUESTS])


# -- what is published -----------------------------------------------------------------------


class Publisher:
    """Turns concerns into GeoReport records; looks up the council's name once per response."""

    def __init__(self) -> None:
        council = CouncilSettings.objects.filter(site__is_default_site=True).first()
        self.council_name = council.council_name if council else ""

    def agency(self, device: DevicePage) -> str:
        # The device's first accountable organisation answers for it; else the council.
        organisations = device.organisations
        return organisations[0].name if organisations else self.council_name

    def request(self, concern: Concern) -> dict[str, Any]:
        device = concern.device
        return {
            "service_request_id": concern.reference,
            "status": open_or_closed(concern.status),
            "status_detail": str(concern.get_status_display()),
            "status_notes": concern.public_note or None,
            "service_name": service_name(concern.category),
            "service_code": concern.category,
            "agency_responsible": self.agency(device),
            "requested_datetime": published_datetime(concern.received_on),
            "updated_datetime": published_datetime(concern.updated_on),
            "address": device.location_description,
            "lat": float(device.latitude),
            "long": float(device.longitude),
            "device_code": device.code,
            "device_name": device.title,
        }

    def requests(self, concerns: Iterable[Concern]) -> list[dict[str, Any]]:
        return [self.request(concern) for concern in concerns]


# -- updates (the servicerequestupdates extension) -------------------------------------------


def _has_an_update(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    # A concern still "received" with no note has had nothing happen to it yet.
    return concerns.filter(~Q(status=Concern.Status.RECEIVED) | ~Q(public_note=""))


def search_updates(params: Mapping[str, str]) -> list[Concern]:
    window = DateWindow.from_parameters(params)
    concerns = window.filter(_has_an_update(listed_concerns()), "updated_on")
    return list(concerns.order_by("-updated_on", "-id")[:MAX_REQUESTS])


def update_record(concern: Concern) -> dict[str, Any]:
    """The latest state of a concern as one update.

    No history of changes is kept, so each concern yields its current state only: a change
    replaces the previous update, which then no longer appears. The id is derived from that
    state so a client can tell a new update from one it has already seen.
    """
    state = f"{concern.reference}|{concern.status}|{concern.updated_on}|{concern.public_note}"
    return {
        "update_id": f"{concern.reference}-{hashlib.sha256(state.encode()).hexdigest()[:10]}",
        "service_request_id": concern.reference,
        "status": open_or_closed(concern.status),
        "status_detail": str(concern.get_status_display()),
        "updated_datetime": published_datetime(concern.updated_on),
        # In this extension "description" is the text of the update: the council's public
        # note. What the resident wrote is never published.
        "description": concern.public_note,
        "media_url": None,
    }
