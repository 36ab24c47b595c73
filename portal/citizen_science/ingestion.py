"""Taking in batches of readings: each item checked on its own, stored once, given a receipt.

A batch of up to 500 readings costs a handful of queries: the campaigns and sites it names are
read once, the valid rows are inserted together with ``ON CONFLICT DO NOTHING`` on
``client_uuid``, and one query reads back which rows are new (they carry this batch's id) and
which were there before (their original receipt is returned). Twenty clients sending the same
reading at once, or one client retrying after a dropped connection, store it exactly once.
"""

from __future__ import annotations

import datetime
import functools
import json
import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from portal.core.receipts import new_receipt as shared_receipt

from .geo import point_in_polygon
from .models import CampaignPage, Contributor, Reading, ReadingStatus, Sampling, Site
from .results import cell_for, period_for, refresh_for_readings

MAX_BATCH = 500
# Phones' clocks drift; a reading a few minutes "in the future" is a clock, not a forgery.
CLOCK_SKEW = datetime.timedelta(minutes=10)
FIELDS = {
    "client_uuid",
    "campaign",
    "site",
    "value",
    "unit",
    "observed_at",
    "exposure_start",
    "latitude",
    "longitude",
    "accuracy_m",
    "notes",
}


@dataclass
class Outcome:
    """The receipt for one item, in the order the items were sent."""

    index: int
    client_uuid: str | None
    result: str  # "created", "duplicate" or "rejected"
    receipt: str | None = None
    received_at: datetime.datetime | None = None
    status: str | None = None
    flags: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"index": self.index, "client_uuid": self.client_uuid}
        data["result"] = self.result
        if self.result == "rejected":
            data["errors"] = self.errors
        else:
            data.update(
                receipt=self.receipt,
                received_at=self.received_at.isoformat() if self.received_at else None,
                status=self.status,
                flags=self.flags,
            )
        return data


class BatchRefused(ValueError):
    """The batch as a whole cannot be read; nothing in it was stored."""


def new_receipt() -> str:
    return shared_receipt("R")


def ingest(items: Any, contributor: Contributor | None) -> list[Outcome]:
    if not isinstance(items, list):
        raise BatchRefused(_("Send the readings as a JSON list under “readings”."))
    if not items:
        raise BatchRefused(_("The batch is empty: send at least one reading."))
    if len(items) > MAX_BATCH:
        raise BatchRefused(
            _("A batch holds at most %(max)d readings; this one has %(count)d. Split it.")
            % {"max": MAX_BATCH, "count": len(items)}
        )
    context = _BatchContext.load(items, contributor)
    outcomes: list[Outcome] = []
    rows: dict[uuid.UUID, tuple[int, Reading]] = {}
    duplicates_in_batch: list[tuple[int, uuid.UUID]] = []
    for index, item in enumerate(items):
        reading, errors = _check(item, context)
        if errors or reading is None:
            outcomes.append(
                Outcome(index, _client_uuid_text(item), "rejected", errors=errors or {})
            )
            continue
        if reading.client_uuid in rows:
            duplicates_in_batch.append((index, reading.client_uuid))
            continue
        rows[reading.client_uuid] = (index, reading)
    outcomes += _store(rows, duplicates_in_batch)
    # Readings accepted automatically count in the published results straight away.
    refresh_for_readings(
        reading
        for outcome in outcomes
        if outcome.result == "created" and outcome.status == ReadingStatus.ACCEPTED
        for _index, reading in [rows[uuid.UUID(outcome.client_uuid)]]
    )
    return sorted(outcomes, key=lambda outcome: outcome.index)


def _store(
    rows: dict[uuid.UUID, tuple[int, Reading]], duplicates_in_batch: list[tuple[int, uuid.UUID]]
) -> list[Outcome]:
    if not rows:
        return []
    batch = uuid.uuid4()
    received_at = timezone.now()
    pending = dict(rows)
    stored: dict[uuid.UUID, dict[str, Any]] = {}
    # A receipt that happens to collide is dropped by ON CONFLICT too; such rows go round again.
    for _attempt in range(3):
        for _index, reading in pending.values():
            reading.batch, reading.received_at, reading.receipt = batch, received_at, new_receipt()
        with transaction.atomic():
            inserted = _insert([reading for _index, reading in pending.values()])
        for client_uuid in inserted:
            reading = pending[client_uuid][1]
            stored[client_uuid] = {
                "receipt": reading.receipt,
                "received_at": received_at,
                "batch": batch,
                "status": reading.status,
                "flags": reading.flags,
            }
        # Rows already held (sent before, or by a concurrent request) give their own receipt.
        unknown = [client_uuid for client_uuid in pending if client_uuid not in stored]
        if unknown:
            found = Reading.objects.filter(client_uuid__in=unknown).values(
                "client_uuid", "receipt", "received_at", "batch", "status", "flags"
            )
            stored.update({row["client_uuid"]: row for row in found})
        pending = {key: value for key, value in pending.items() if key not in stored}
        if not pending:
            break
    outcomes = []
    for client_uuid, (index, _reading) in rows.items():
        row = stored[client_uuid]
        result = "created" if row["batch"] == batch else "duplicate"
        outcomes.append(_receipt(index, client_uuid, result, row))
    for index, client_uuid in duplicates_in_batch:
        outcomes.append(_receipt(index, client_uuid, "duplicate", stored[client_uuid]))
    return outcomes


def _insert(readings: list[Reading]) -> set[uuid.UUID]:
    """Insert what is not already held; the client_uuids inserted, where the database says.

    On PostgreSQL one ``INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING RETURNING`` sends
    one array per column instead of 500 rows of placeholders, and says which rows went in, so
    only the others are read back. Elsewhere ``bulk_create`` inserts, and everything is read
    back (an empty set here means "ask the table").
    """
    if connection.vendor != "postgresql":
        Reading.objects.bulk_create(readings, ignore_conflicts=True)
        return set()
    columns = [[_db_value(field, reading) for reading in readings] for field in _insert_fields()]
    with connection.cursor() as cursor:
        cursor.execute(_unnest_insert_sql(), columns)
        return {row[0] for row in cursor.fetchall()}


def _db_value(field: Any, reading: Reading) -> Any:
    value = field.pre_save(reading, True)
    if field.get_internal_type() == "JSONField":
        return json.dumps(value)
    return field.get_db_prep_save(value, connection)


@functools.cache
def _insert_fields() -> list[Any]:
    return [field for field in Reading._meta.concrete_fields if not field.primary_key]


@functools.cache
def _unnest_insert_sql() -> str:
    fields = _insert_fields()
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    arrays = ", ".join(f"%s::{_array_type(field)}" for field in fields)
    return (
        f"INSERT INTO {connection.ops.quote_name(Reading._meta.db_table)} ({names}) "
        f"SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING "
        f"RETURNING {connection.ops.quote_name('client_uuid')}"
    )


def _array_type(field: Any) -> str:
    # JSON goes over the wire as text and is cast per element; other types cast directly.
    db_type = field.db_type(connection)
    return "text[]::jsonb[]" if db_type == "jsonb" else f"{db_type}[]"


def _receipt(index: int, client_uuid: uuid.UUID, result: str, row: dict[str, Any]) -> Outcome:
    return Outcome(
        index,
        str(client_uuid),
        result,
        receipt=row["receipt"],
        received_at=row["received_at"],
        status=row["status"],
        flags=list(row["flags"]),
    )


@dataclass
class _BatchContext:
    campaigns: dict[str, CampaignPage]
    sites: dict[tuple[int, str], Site]
    consented: set[int]
    contributor: Contributor | None
    now: datetime.datetime

    @classmethod
    def load(cls, items: Sequence[Any], contributor: Contributor | None) -> _BatchContext:
        slugs = {str(item.get("campaign")) for item in items if isinstance(item, dict)}
        campaigns = {
            campaign.slug: campaign
            for campaign in CampaignPage.objects.live().filter(slug__in=slugs)
        }
        sites = {
            (site.campaign_id, site.code): site
            for site in Site.objects.filter(campaign__in=campaigns.values())
        }
        consented = (
            set(contributor.consents.values_list("campaign_id", flat=True))
            if contributor
            else set()
        )
        return cls(campaigns, sites, consented, contributor, timezone.now())


def quality_flags(
    campaign: CampaignPage, value: float, location: tuple[float, float] | None
) -> list[str]:
    """What a moderator should look at: a value outside the usual range, a place outside."""
    flags = []
    if campaign.expected_min is not None and value < campaign.expected_min:
        flags.append("unusually_low")
    if campaign.expected_max is not None and value > campaign.expected_max:
        flags.append("unusually_high")
    if (
        location is not None
        and campaign.area_geojson
        and not point_in_polygon(location[1], location[0], campaign.area_geojson)
    ):
        flags.append("outside_area")
    return flags


def _client_uuid_text(item: Any) -> str | None:
    if isinstance(item, dict) and isinstance(item.get("client_uuid"), str):
        return item["client_uuid"][:64]
    return None


def _number(value: Any) -> float | None:
    # JSON true/false are ints to Python; a reading of "true" is a mistake, not 1.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # a JSON integer with hundreds of digits
        return None
    return number if math.isfinite(number) else None


def _when(value: Any) -> datetime.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None or timezone.is_naive(moment):
        return None
    return moment


def _check(item: Any, context: _BatchContext) -> tuple[Reading | None, dict[str, list[str]]]:
    """The reading this item describes, or the errors that say how to fix it."""
    errors: dict[str, list[str]] = {}

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not isinstance(item, dict):
        return None, {"non_field_errors": [_("Each reading must be a JSON object.")]}
    for name in sorted(set(item) - FIELDS):
        error(name, _("“%(name)s” is not a reading field. Remove it.") % {"name": name[:40]})
    try:
        client_uuid = uuid.UUID(str(item.get("client_uuid")))
    except ValueError:
        client_uuid = None
        error(
            "client_uuid",
            _("Give each reading a UUID made on the device, e.g. 7f9c1a2e-…, and keep it."),
        )
    campaign = context.campaigns.get(str(item.get("campaign")))
    if campaign is None:
        error("campaign", _("No open campaign has this name. Use the campaign's slug."))
        return None, errors
    if not campaign.is_accepting_readings:
        error("campaign", _("This campaign is not taking readings now."))
    if context.contributor is not None and campaign.pk not in context.consented:
        error("campaign", _("Agree to this campaign's consent statement before sending readings."))

    site = None
    if item.get("site") not in (None, ""):
        site = context.sites.get((campaign.pk, str(item["site"])))
        if site is None:
            error("site", _("This campaign has no site with that code. Check the code on the kit."))

    value = _number(item.get("value"))
    if value is None:
        error("value", _("Give the value as a number, such as 23.4."))
    elif not campaign.valid_min <= value <= campaign.valid_max:
        error(
            "value",
            _("%(value)g is impossible here: values run from %(low)g to %(high)g %(unit)s.")
            % {
                "value": value,
                "low": campaign.valid_min,
                "high": campaign.valid_max,
                "unit": campaign.unit,
            },
        )
    if item.get("unit") != campaign.unit:
        error(
            "unit",
            _("This campaign records %(unit)s. Convert the value and send the unit as “%(unit)s”.")
            % {"unit": campaign.unit},
        )

    observed_at = _when(item.get("observed_at"))
    if observed_at is None:
        error(
            "observed_at",
            _("Give the time with its time zone, e.g. 2026-11-21T14:02:00+00:00."),
        )
    else:
        if observed_at > context.now + CLOCK_SKEW:
            error("observed_at", _("This time is in the future. Check the phone's clock."))
        campaign_start = datetime.datetime.combine(
            campaign.starts_on, datetime.time.min, tzinfo=datetime.UTC
        )
        if observed_at < campaign_start:
            error(
                "observed_at",
                _("This is before the campaign began on %(day)s.")
                % {"day": f"{campaign.starts_on:%-d %B %Y}"},
            )
    exposure_start = None
    if campaign.sampling == Sampling.EXPOSURE:
        exposure_start = _when(item.get("exposure_start"))
        if exposure_start is None:
            error(
                "exposure_start",
                _(
                    "Give when the tube was put up, with its time zone; observed_at is when it "
                    "was taken down."
                ),
            )
        elif observed_at is not None and exposure_start >= observed_at:
            error("exposure_start", _("The exposure must start before it ends."))

    latitude, longitude, accuracy = (
        _number(item.get("latitude")),
        _number(item.get("longitude")),
        _number(item.get("accuracy_m")),
    )
    has_location = item.get("latitude") is not None or item.get("longitude") is not None
    if has_location:
        if latitude is None or not -90 <= latitude <= 90:
            error("latitude", _("Give the latitude in decimal degrees, between -90 and 90."))
        if longitude is None or not -180 <= longitude <= 180:
            error("longitude", _("Give the longitude in decimal degrees, between -180 and 180."))
        if accuracy is None or not 0 <= accuracy <= 100_000:
            error(
                "accuracy_m",
                _("Give the location's accuracy in metres, as the phone reports it."),
            )
    elif site is None:
        error("site", _("Give the site code, or the location where the reading was taken."))

    notes = item.get("notes", "")
    if not isinstance(notes, str):
        error("notes", _("Notes must be text."))
    elif len(notes) > 1000:
        error("notes", _("Keep notes under 1,000 characters."))

    if errors:
        return None, errors
    flags = quality_flags(campaign, value, (latitude, longitude) if has_location else None)
    period_start, period_end = period_for(campaign.sampling, observed_at, exposure_start)
    if flags:
        status = ReadingStatus.FLAGGED
    elif campaign.auto_accept:
        status = ReadingStatus.ACCEPTED
    else:
        status = ReadingStatus.PENDING
    return (
        Reading(
            client_uuid=client_uuid,
            campaign=campaign,
            site=site,
            contributor=context.contributor,
            value=value,
            unit=campaign.unit,
            observed_at=observed_at,
            exposure_start=exposure_start,
            period_start=period_start,
            period_end=period_end,
            cell="" if site is not None or not has_location else cell_for(latitude, longitude),
            latitude=round(latitude, 6) if has_location else None,
            longitude=round(longitude, 6) if has_location else None,
            accuracy_m=accuracy if has_location else None,
            notes=notes.strip(),
            status=status,
            flags=flags,
            review_reason=_("Accepted automatically: inside the usual range.")
            if status == ReadingStatus.ACCEPTED
            else "",
        ),
        {},
    )
