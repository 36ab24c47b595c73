"""Published results of a campaign, from accepted readings only, with locations coarsened.

Readings are summed up per place and period into ``PeriodResult`` rows when their status
changes (``refresh_periods``), so the campaign page runs four small aggregate queries over
those rows: its cost follows the number of sites and periods, not the number of readings.

Diffusion tubes: co-located duplicate or triplicate tubes at a site share an exposure period
and are averaged; their spread is checked against the campaign's precision limit. Every
published value is either raw or multiplied by the campaign's bias-adjustment factor, and is
labelled as such; the raw values stay in the database and in the downloads.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Avg, Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.maps import map_points_json

from . import charts
from .geo import coarsen
from .models import CampaignPage, PeriodResult, Reading, ReadingStatus, Sampling, Site

# Readings without a site are grouped by a 100 m cell: fine enough to coarsen further to any
# campaign precision, coarse enough that the stored key is not anyone's doorstep.
CELL_METRES = 100
# More points than this and the chart groups days into weeks, then weeks into months.
MAX_CHART_POINTS = 60
# Map markers: the same colours as the legend swatches in plainsight.scss.
OVER_COLOUR = "#d4351c"
UNDER_COLOUR = "#1d4f5c"
# SQLite allows 999 parameters per query; refresh in chunks well below that.
REFRESH_CHUNK = 400


def cell_for(latitude: float, longitude: float) -> str:
    lat, lon = coarsen(latitude, longitude, CELL_METRES)
    return f"{lat:.6f},{lon:.6f}"


def period_for(
    sampling: str, observed_at: datetime.datetime, exposure_start: datetime.datetime | None
) -> tuple[datetime.date, datetime.date]:
    """The local days a reading counts for: its exposure, or the day it was taken."""
    end = timezone.localdate(observed_at)
    if sampling == Sampling.EXPOSURE and exposure_start is not None:
        return timezone.localdate(exposure_start), end
    return end, end


def refresh_for_readings(readings: QuerySet[Reading] | Iterable[Reading]) -> None:
    """Rebuild the results that these readings count towards (call after changing them)."""
    if isinstance(readings, QuerySet):
        pairs = set(readings.values_list("campaign_id", "period_start").distinct())
    else:
        pairs = {(reading.campaign_id, reading.period_start) for reading in readings}
    starts: dict[int, set[datetime.date]] = defaultdict(set)
    for campaign_id, start in pairs:
        starts[campaign_id].add(start)
    for campaign_id, days in starts.items():
        refresh_periods(campaign_id, days)


def refresh_periods(campaign_id: int, starts: Iterable[datetime.date]) -> None:
    """Recount the places and periods beginning on ``starts`` from their accepted readings."""
    days = sorted(set(starts))
    with transaction.atomic():
        _lock_campaign(campaign_id)
        for offset in range(0, len(days), REFRESH_CHUNK):
            chunk = days[offset : offset + REFRESH_CHUNK]
            PeriodResult.objects.filter(campaign_id=campaign_id, period_start__in=chunk).delete()
            _insert_results(campaign_id, Q(campaign_id=campaign_id, period_start__in=chunk))


def rebuild(campaign_id: int) -> int:
    """Recount every result of a campaign (after a bulk load or a change of method)."""
    with transaction.atomic():
        _lock_campaign(campaign_id)
        PeriodResult.objects.filter(campaign_id=campaign_id).delete()
        return _insert_results(campaign_id, Q(campaign_id=campaign_id))


def _lock_campaign(campaign_id: int) -> None:
    # Two moderators accepting readings of one campaign at once would otherwise both delete
    # and both insert the same rows; the campaign row serialises them (PostgreSQL; SQLite
    # serialises every write anyway).
    list(
        CampaignPage.objects.select_for_update(of=("self",))
        .filter(pk=campaign_id)
        .values_list("pk", flat=True)
    )


def _insert_results(campaign_id: int, where: Q) -> int:
    groups = (
        Reading.objects.filter(where, status=ReadingStatus.ACCEPTED)
        .values("site_id", "cell", "period_start", "period_end")
        .annotate(count=Count("id"), mean=Avg("value"), low=Min("value"), high=Max("value"))
        .order_by()
    )
    rows = [
        PeriodResult(
            campaign_id=campaign_id,
            site_id=group["site_id"],
            cell="" if group["site_id"] else group["cell"],
            period_start=group["period_start"],
            period_end=group["period_end"],
            readings=group["count"],
            mean_raw=group["mean"],
            min_raw=group["low"],
            max_raw=group["high"],
        )
        for group in groups.iterator(chunk_size=2000)
    ]
    PeriodResult.objects.bulk_create(rows, batch_size=500)
    return len(rows)


# --- reading the results -----------------------------------------------------------------


@dataclass
class PlaceResult:
    """A site (or an area, for readings without one) as the public may see it."""

    name: str
    latitude: float | None
    longitude: float | None
    mean: float
    periods: int
    readings: int
    last_day: datetime.date
    over_threshold: bool

    @property
    def mean_text(self) -> str:
        return charts.format_value(self.mean)


@dataclass
class PeriodSummary:
    start: datetime.date
    end: datetime.date
    label: str
    mean: float
    highest: float
    places: int
    readings: int

    @property
    def mean_text(self) -> str:
        return charts.format_value(self.mean)

    @property
    def highest_text(self) -> str:
        return charts.format_value(self.highest)


@dataclass
class PrecisionProblem:
    place: str
    period: str
    tubes: int
    spread_percent: float

    @property
    def spread_text(self) -> str:
        return f"{self.spread_percent:.0f}"


@dataclass
class CampaignResults:
    value_label: str
    adjusted: bool
    bias_factor: Decimal | None
    readings: int
    places: list[PlaceResult]
    periods: list[PeriodSummary]
    mean: float | None
    lowest: float | None
    highest: float | None
    threshold: float | None
    places_over: int
    periods_over: int
    period_count: int
    precision_problems: list[PrecisionProblem] = field(default_factory=list)
    chart_svg: str = ""

    @property
    def has_data(self) -> bool:
        return self.readings > 0

    @property
    def mapped_places(self) -> list[PlaceResult]:
        return [place for place in self.places if place.latitude is not None]

    @property
    def mean_text(self) -> str:
        return _text(self.mean)

    @property
    def lowest_text(self) -> str:
        return _text(self.lowest)

    @property
    def highest_text(self) -> str:
        return _text(self.highest)

    @property
    def threshold_text(self) -> str:
        return _text(self.threshold)

    @property
    def map_points(self) -> str:
        over = _("Mean above the threshold")
        return map_points_json(
            [
                {
                    "lat": place.latitude,
                    "lon": place.longitude,
                    "name": place.name,
                    "colour": OVER_COLOUR if place.over_threshold else UNDER_COLOUR,
                    "lines": [
                        _("Mean %(value)s") % {"value": place.mean_text},
                        _("%(count)d readings") % {"count": place.readings},
                        *([over] if place.over_threshold else []),
                    ],
                }
                # Lowest first, so where places share a grid square the highest is on top.
                for place in reversed(self.mapped_places)
            ]
        )

    @property
    def map_legend(self) -> list[tuple[str, str]]:
        if self.threshold is None:
            return []
        return [
            ("over", _("Mean above the threshold")),
            ("under", _("Mean at or below the threshold")),
        ]


def _text(value: float | None) -> str:
    return "" if value is None else charts.format_value(value)


def published_factor(campaign: CampaignPage) -> float:
    return float(campaign.bias_factor) if campaign.bias_factor else 1.0


def value_label(campaign: CampaignPage) -> str:
    if campaign.bias_factor:
        return _("Adjusted for bias (raw value multiplied by %(factor)s)") % {
            "factor": charts.format_value(float(campaign.bias_factor))
        }
    return _("Raw (not adjusted)")


def campaign_results(campaign: CampaignPage) -> CampaignResults:
    """Everything the results section shows, from the precomputed rows (four queries)."""
    factor = published_factor(campaign)
    rows = PeriodResult.objects.filter(campaign=campaign).order_by()
    places = _places(campaign, rows, factor)
    periods = _periods(campaign, rows, factor)
    over = _over_threshold(campaign, rows, factor)
    means = [place.mean for place in places]
    results = CampaignResults(
        value_label=value_label(campaign),
        adjusted=bool(campaign.bias_factor),
        bias_factor=campaign.bias_factor,
        readings=sum(place.readings for place in places),
        places=places,
        periods=periods,
        mean=sum(means) / len(means) if means else None,
        lowest=min((period.mean for period in periods), default=None),
        highest=max((period.highest for period in periods), default=None),
        threshold=campaign.threshold,
        places_over=sum(1 for place in places if place.over_threshold),
        periods_over=over,
        period_count=sum(place.periods for place in places),
        precision_problems=_precision_problems(campaign, rows),
    )
    if periods:
        results.chart_svg = _chart(campaign, periods, results.value_label)
    return results


def _places(
    campaign: CampaignPage, rows: QuerySet[PeriodResult], factor: float
) -> list[PlaceResult]:
    grouped = rows.values("site_id", "cell").annotate(
        mean=Avg("mean_raw"),
        periods=Count("id"),
        readings=Sum("readings"),
        last_day=Max("period_end"),
    )
    sites = {site.pk: site for site in Site.objects.filter(campaign=campaign)}
    merged: dict[tuple[str, float | None, float | None], list[dict]] = defaultdict(list)
    for group in grouped:
        site = sites.get(group["site_id"])
        if site is not None:
            lat, lon = coarsen(
                float(site.latitude), float(site.longitude), campaign.location_precision_m
            )
            merged[(site.name, lat, lon)].append(group)
        elif group["cell"]:
            cell_lat, cell_lon = (float(part) for part in group["cell"].split(","))
            lat, lon = coarsen(cell_lat, cell_lon, campaign.location_precision_m)
            merged[(_("Readings without a site"), lat, lon)].append(group)
        else:
            # Readings kept after their contributor was erased, with no site: counted, unmapped.
            merged[(_("Readings without a location"), None, None)].append(group)
    places = []
    for (name, lat, lon), groups in merged.items():
        periods = sum(group["periods"] for group in groups)
        mean = sum(group["mean"] * group["periods"] for group in groups) / periods * factor
        places.append(
            PlaceResult(
                name=name,
                latitude=lat,
                longitude=lon,
                mean=mean,
                periods=periods,
                readings=sum(group["readings"] for group in groups),
                last_day=max(group["last_day"] for group in groups),
                over_threshold=campaign.threshold is not None and mean > campaign.threshold,
            )
        )
    return sorted(places, key=lambda place: (-place.mean, place.name))


def _periods(
    campaign: CampaignPage, rows: QuerySet[PeriodResult], factor: float
) -> list[PeriodSummary]:
    grouped = (
        rows.values("period_start", "period_end")
        .annotate(
            mean=Avg("mean_raw"),
            highest=Max("mean_raw"),
            places=Count("id"),
            readings=Sum("readings"),
        )
        .order_by("period_start", "period_end")
    )
    periods = [
        PeriodSummary(
            start=group["period_start"],
            end=group["period_end"],
            label=_period_label(group["period_start"], group["period_end"]),
            mean=group["mean"] * factor,
            highest=group["highest"] * factor,
            places=group["places"],
            readings=group["readings"],
        )
        for group in grouped
    ]
    if campaign.sampling == Sampling.INSTANT:
        periods = _bucketed(periods)
    return periods


def _over_threshold(campaign: CampaignPage, rows: QuerySet[PeriodResult], factor: float) -> int:
    """Place-periods above the threshold: a tube's exposure mean, or a day's highest reading."""
    if campaign.threshold is None:
        return 0
    raw_threshold = campaign.threshold / factor
    column = "mean_raw" if campaign.sampling == Sampling.EXPOSURE else "max_raw"
    return rows.filter(**{f"{column}__gt": raw_threshold}).count()


def _precision_problems(
    campaign: CampaignPage, rows: QuerySet[PeriodResult]
) -> list[PrecisionProblem]:
    """Co-located tubes of one exposure that disagree by more than the precision limit."""
    if campaign.sampling != Sampling.EXPOSURE:
        return []
    limit = campaign.precision_limit_percent / 100
    problems = (
        rows.filter(readings__gte=2, mean_raw__gt=0)
        .filter(max_raw__gt=F("min_raw") + F("mean_raw") * limit)
        .select_related("site")
    )
    return [
        PrecisionProblem(
            place=row.site.name if row.site else _("Readings without a site"),
            period=_period_label(row.period_start, row.period_end),
            tubes=row.readings,
            spread_percent=(row.max_raw - row.min_raw) / row.mean_raw * 100,
        )
        for row in problems.order_by("period_start", "site__code")[:50]
    ]


def _bucketed(periods: list[PeriodSummary]) -> list[PeriodSummary]:
    """Days into weeks, or weeks into months, so the chart and table stay readable."""
    if len(periods) <= MAX_CHART_POINTS:
        return periods
    weeks = _merge(periods, lambda day: day - datetime.timedelta(days=day.weekday()), "week")
    if len(weeks) <= MAX_CHART_POINTS:
        return weeks
    return _merge(periods, lambda day: day.replace(day=1), "month")


def _merge(
    periods: Sequence[PeriodSummary], key: Callable[[datetime.date], datetime.date], kind: str
) -> list[PeriodSummary]:
    buckets: dict[datetime.date, list[PeriodSummary]] = defaultdict(list)
    for period in periods:
        buckets[key(period.start)].append(period)
    merged = []
    for start, members in sorted(buckets.items()):
        places = sum(member.places for member in members)
        merged.append(
            PeriodSummary(
                start=start,
                end=max(member.end for member in members),
                label=_week_label(start) if kind == "week" else _month_label(start),
                mean=sum(member.mean * member.places for member in members) / places,
                highest=max(member.highest for member in members),
                places=places,
                readings=sum(member.readings for member in members),
            )
        )
    return merged


def _period_label(start: datetime.date, end: datetime.date) -> str:
    if start == end:
        return charts.format_date(start)
    return _("%(start)s to %(end)s") % {
        "start": charts.format_date(start),
        "end": charts.format_date(end),
    }


def _week_label(start: datetime.date) -> str:
    return _("Week beginning %(day)s") % {"day": charts.format_date(start)}


def _month_label(start: datetime.date) -> str:
    return _("%(month)s %(year)d") % {
        "month": charts.MONTH_NAMES[start.month - 1],
        "year": start.year,
    }


def _chart(campaign: CampaignPage, periods: list[PeriodSummary], label: str) -> str:
    # The table under the chart is built from the same ``periods``, formatted the same way.
    series = [
        charts.Series(
            _("Mean of all sites"),
            [charts.Point(period.end, period.mean, period.label) for period in periods],
        ),
        charts.Series(
            _("Highest site"),
            [charts.Point(period.end, period.highest, period.label) for period in periods],
        ),
    ]
    return charts.time_series_svg(
        series,
        unit=campaign.unit,
        title=_("%(property)s over time") % {"property": campaign.observed_property},
        description=_(
            "The mean and the highest value across sites for each period. %(label)s. "
            "The same figures are in the table below."
        )
        % {"label": label},
        threshold=campaign.threshold,
        threshold_label=campaign.threshold_label,
        value_label=campaign.observed_property,
        chart_id=f"campaign-{campaign.pk}",
    )
