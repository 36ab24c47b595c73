"""Observations: accepted readings of public campaigns, read from the database page by page.

Two costs must not grow with the number of readings: ``$count`` and "the latest observation
of each Datastream". An unfiltered count is the sum of the campaign results rows
(``PeriodResult.readings``), which are recounted whenever a reading is accepted, rejected or
erased. The latest (or first *n*) observations of many Datastreams at once are one query: a
``UNION ALL`` of one small ``ORDER BY … LIMIT n`` per Datastream, each answered from the index
on (site, status, observed_at), so it reads *n* index entries per Datastream whatever the
table's size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce

from portal.citizen_science.models import Reading, ReadingStatus

from .entities import ObservationScope
from .query import ID, NUMBER, TIME, Column, OrderKey, QueryOptions, filter_to_q, unknown_property

COLUMNS = {
    "id": Column("pk", ID),
    "result": Column("sta_result", NUMBER),
    # An exposure period is compared and sorted by its end, when the tube came down.
    "phenomenonTime": Column("observed_at", TIME),
    "resultTime": Column("observed_at", TIME),
}
# Only these columns are read: never the exact position, notes, photos, receipt or contributor.
FIELDS = ("id", "campaign_id", "site_id", "cell", "exposure_start", "observed_at", "value", "flags")
# SQLite allows at most 500 terms in one compound SELECT; stay well below.
UNION_CHUNK = 200 if connection.vendor == "sqlite" else 1000


def scope_q(scope: ObservationScope, campaign_ids: Sequence[int]) -> Q:
    condition = Q(status=ReadingStatus.ACCEPTED)
    if scope.site_id is not None:
        return condition & Q(site_id=scope.site_id)
    if scope.campaign_id is not None:
        condition &= Q(campaign_id=scope.campaign_id)
    else:
        condition &= Q(campaign_id__in=list(campaign_ids))
    if scope.without_site:
        condition &= Q(site__isnull=True)
    if scope.cells is not None:
        condition &= Q(cell__in=list(scope.cells))
    return condition


def with_result(queryset: QuerySet[Reading]) -> QuerySet[Reading]:
    """The published value as a column, for $filter and $orderby on ``result``."""
    factor = Coalesce(Cast("campaign__bias_factor", FloatField()), Value(1.0))
    return queryset.annotate(sta_result=F("value") * factor)


def observations(
    scope: ObservationScope, options: QueryOptions, campaign_ids: Sequence[int]
) -> QuerySet[Reading]:
    """The readings in scope, filtered and ordered as asked (not yet sliced)."""
    queryset = Reading.objects.filter(scope_q(scope, campaign_ids))
    needs_result = False
    condition = Q()
    if options.filter is not None:
        condition, used = filter_to_q(options.filter, model=Reading, columns=COLUMNS)
        needs_result = "result" in used
    ordering = []
    for key in options.orderby:
        name = "/".join(key.path)
        column = COLUMNS.get(name)
        if column is None:
            raise unknown_property("$orderby", name, COLUMNS)
        needs_result = needs_result or name == "result"
        expression = F(column.field)
        ordering.append(expression.desc() if key.descending else expression.asc())
    if not options.orderby:
        # Time order by default: it is what users expect, and for one site it is the order of
        # the index on (site, status, observed_at, id), so a page never scans the site's rows.
        ordering.append(F("observed_at").asc())
    # A final tie-break on the id makes paging stable, so nextLink visits every row once.
    last_desc = bool(options.orderby) and options.orderby[-1].descending
    ordering.append(F("pk").desc() if last_desc else F("pk").asc())
    if needs_result:
        queryset = with_result(queryset)
    return queryset.filter(condition).order_by(*ordering)


def count(scope: ObservationScope, options: QueryOptions, queryset: QuerySet[Reading]) -> int:
    if options.filter is None:
        return scope.count
    return queryset.count()


def page(queryset: QuerySet[Reading], *, skip: int, top: int) -> tuple[list[dict[str, Any]], bool]:
    """One page of rows, and whether more follow (one row more is read to know)."""
    rows = list(queryset.values(*FIELDS)[skip : skip + top + 1])
    return rows[:top], len(rows) > top


def first_rows_each(
    scopes: Sequence[ObservationScope], options: QueryOptions, campaign_ids: Sequence[int]
) -> list[tuple[list[dict[str, Any]], bool]]:
    """The first ``skip + top`` rows of each scope (e.g. the latest of each Datastream).

    Site scopes (every Datastream and FeatureOfInterest of a site) share one compiled query
    with the site as its only varying parameter: on PostgreSQL a ``LATERAL`` join runs it once
    per site in a single statement; elsewhere it becomes one ``UNION ALL`` arm per site. The
    few other scopes (readings away from sites) get an arm each.
    """
    limit = options.skip + options.top + 1
    rows: dict[int, list[dict[str, Any]]] = {index: [] for index in range(len(scopes))}
    by_site = {scope.site_id: index for index, scope in enumerate(scopes) if scope.site_id}
    others = [index for index, scope in enumerate(scopes) if not scope.site_id]
    found_per_site = _per_site(list(by_site), options, campaign_ids, limit) if by_site else []
    if found_per_site is None:
        others = list(range(len(scopes)))  # the shared query did not compile as expected
    else:
        for reading in found_per_site:
            rows[by_site[reading["site_id"]]].append(reading)
    for offset in range(0, len(others), UNION_CHUNK):
        chunk = others[offset : offset + UNION_CHUNK]
        arms, params = [], []
        for index in chunk:
            queryset = observations(scopes[index], options, campaign_ids)
            queryset = queryset.annotate(sta_arm=Value(index))
            sql, arm_params = queryset.values(*FIELDS, "sta_arm")[:limit].query.sql_with_params()
            arms.append(f"SELECT * FROM ({sql}) AS arm_{index}")
            params.extend(arm_params)
        for reading in Reading.objects.raw(" UNION ALL ".join(arms), params):
            rows[int(reading.sta_arm)].append(_row(reading))
    results = []
    for index in range(len(scopes)):
        # Neither UNION ALL nor LATERAL promises an order across arms; restore each arm's.
        found = sorted(rows[index], key=_sort_key(options))
        results.append((found[options.skip : options.skip + options.top], len(found) >= limit))
    return results


# A site id no site has: it marks where the real site goes in the compiled query.
SENTINEL_SITE = -7_340_019


def _per_site(
    site_ids: list[int], options: QueryOptions, campaign_ids: Sequence[int], limit: int
) -> list[dict[str, Any]] | None:
    template = observations(ObservationScope(site_id=SENTINEL_SITE), options, campaign_ids)
    sql, params = template.values(*FIELDS)[:limit].query.sql_with_params()
    pieces = sql.split("%s")
    marks = [position for position, value in enumerate(params) if value == SENTINEL_SITE]
    if len(pieces) != len(params) + 1 or len(marks) != 1:
        return None
    mark = marks[0]
    rest = [value for position, value in enumerate(params) if position != mark]
    found: list[dict[str, Any]] = []
    if connection.vendor == "postgresql":
        inner = "".join(
            piece + ("arms.site" if position == mark else "%s")
            for position, piece in enumerate(pieces[:-1])
        )
        query = (
            f"SELECT found.* FROM unnest(%s::integer[]) AS arms(site) "
            f"CROSS JOIN LATERAL ({inner + pieces[-1]}) AS found"
        )
        return [_row(reading) for reading in Reading.objects.raw(query, [site_ids, *rest])]
    arm = "SELECT * FROM (" + sql + ")"
    for offset in range(0, len(site_ids), UNION_CHUNK):
        chunk = site_ids[offset : offset + UNION_CHUNK]
        chunk_params: list[Any] = []
        for site_id in chunk:
            chunk_params.extend(site_id if value == SENTINEL_SITE else value for value in params)
        query = " UNION ALL ".join([arm] * len(chunk))
        found.extend(_row(reading) for reading in Reading.objects.raw(query, chunk_params))
    return found


def _row(reading: Reading) -> dict[str, Any]:
    # A raw query of the model applies the ORM's conversions (dates on SQLite, JSON flags)
    # and reads only the columns the query selects.
    return {name: getattr(reading, name) for name in FIELDS}


def _sort_key(options: QueryOptions) -> Any:
    def key(row: dict[str, Any]) -> tuple:
        parts: list[Any] = []
        for order in options.orderby:
            name = "/".join(order.path)
            value = row["value"] if name == "result" else row["observed_at"]
            if name == "id":
                value = row["id"]
            parts.append(_Reversed(value) if order.descending else value)
        if not options.orderby:
            parts.append(row["observed_at"])
        last_desc = bool(options.orderby) and options.orderby[-1].descending
        parts.append(_Reversed(row["id"]) if last_desc else row["id"])
        return tuple(parts)

    return key


class _Reversed:
    """Sorts in the opposite order of the value it wraps."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return other.value < self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and other.value == self.value


def check_orderby(keys: Sequence[OrderKey]) -> None:
    for key in keys:
        name = "/".join(key.path)
        if name not in COLUMNS:
            raise unknown_property("$orderby", name, COLUMNS)
