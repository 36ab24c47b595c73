"""Campaign results: what the public sees is built from accepted readings only, coarsened.

Tubes at one site over one exposure are averaged and their precision checked; published values
carry the bias adjustment and say so; the page and the downloads agree, and neither carries a
reading's exact position.
"""

import csv
import datetime
import io
import json
import uuid
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.citizen_science import results
from portal.citizen_science.contributors import create_contributor, erase
from portal.citizen_science.downloads import COLUMNS
from portal.citizen_science.geo import coarsen
from portal.citizen_science.ingestion import new_receipt
from portal.citizen_science.models import PeriodResult, Reading, ReadingStatus
from tests.factories import CampaignPageFactory, ScienceIndexPageFactory, SiteFactory

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
# A volunteer's window: the exact point must never appear anywhere public.
HOME_LAT, HOME_LON = Decimal("51.463817"), Decimal("-0.091263")


def make_reading(campaign, value, *, site=None, day=datetime.date(2026, 3, 2), days=28, **extra):
    end = datetime.datetime.combine(day, datetime.time(9), tzinfo=UTC)
    start = end - datetime.timedelta(days=days) if campaign.sampling == "exposure" else None
    period_start, period_end = results.period_for(campaign.sampling, end, start)
    latitude, longitude = extra.pop("latitude", None), extra.pop("longitude", None)
    return Reading.objects.create(
        client_uuid=uuid.uuid4(),
        receipt=new_receipt(),
        received_at=end,
        batch=uuid.uuid4(),
        campaign=campaign,
        site=site,
        value=value,
        unit=campaign.unit,
        observed_at=end,
        exposure_start=start,
        period_start=period_start,
        period_end=period_end,
        latitude=latitude,
        longitude=longitude,
        accuracy_m=8 if latitude is not None else None,
        cell=results.cell_for(float(latitude), float(longitude)) if latitude is not None else "",
        status=extra.pop("status", ReadingStatus.ACCEPTED),
        **extra,
    )


@pytest.fixture
def index(site_tree):
    return ScienceIndexPageFactory(parent=site_tree[0])


@pytest.fixture
def no2(index):
    campaign = CampaignPageFactory(
        parent=index, slug="no2", bias_factor=Decimal("0.900"), precision_limit_percent=20
    )
    roadside = SiteFactory(
        campaign=campaign, code="no2-001", name="High Street", latitude=HOME_LAT,
        longitude=HOME_LON,
    )  # fmt: skip
    park = SiteFactory(campaign=campaign, code="no2-002", name="Park Lane")
    # A triplicate on the High Street: 40, 42, 44 averages to 42 raw, 37.8 adjusted.
    for value in (40, 42, 44):
        make_reading(campaign, value, site=roadside)
    # A duplicate in the park that disagrees by 40 %: published, with a precision warning.
    make_reading(campaign, 30, site=park)
    make_reading(campaign, 45, site=park)
    # Neither of these may count anywhere.
    make_reading(campaign, 99, site=park, status=ReadingStatus.PENDING)
    make_reading(campaign, 98, site=park, status=ReadingStatus.REJECTED)
    results.rebuild(campaign.pk)
    return campaign


def test_co_located_tubes_are_averaged_and_adjusted(no2):
    found = results.campaign_results(no2)
    by_name = {place.name: place for place in found.places}
    assert by_name["High Street"].mean == pytest.approx(42 * 0.9)
    assert by_name["High Street"].readings == 3
    assert by_name["Park Lane"].mean == pytest.approx(37.5 * 0.9)
    assert found.readings == 5  # the pending and the rejected tube are not counted
    assert found.value_label.startswith("Adjusted for bias")
    assert [(p.place, p.tubes, round(p.spread_percent)) for p in found.precision_problems] == [
        ("Park Lane", 2, 40)
    ]


def test_exceedances_use_the_published_value(no2):
    # Raw means 42 and 37.5 are both above 37.7 raw; adjusted they are 37.8 and 33.75.
    no2.threshold = 37.7
    found = results.campaign_results(no2)
    assert (found.places_over, found.periods_over) == (1, 1)
    no2.bias_factor = None
    found = results.campaign_results(no2)
    assert (found.places_over, found.periods_over) == (1, 1)
    assert found.value_label == "Raw (not adjusted)"
    no2.threshold = 37.0
    assert results.campaign_results(no2).places_over == 2


def test_campaign_page_shows_results_chart_and_table(client, no2):
    page = client.get("/science/no2/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Results" in html
    assert "37.8" in html  # the High Street's adjusted mean
    assert "Adjusted for bias (raw value multiplied by 0.9)" in html
    assert "disagreed by more than 20%" in html
    assert "<svg" in html
    assert "The figures in the chart, as a table" in html
    assert "99" not in html.split('id="results"')[1].split("How to take part")[0]
    assert "/science/no2/readings.csv" in html
    assert "/science/no2/readings.geojson" in html


def test_page_cost_does_not_grow_with_readings(client, no2):
    client.get("/science/no2/")  # warm Wagtail's site and content-type caches
    with CaptureQueriesContext(connection) as few:
        client.get("/science/no2/")
    site = no2.sites.get(code="no2-001")
    Reading.objects.bulk_create(
        [
            Reading(
                client_uuid=uuid.uuid4(),
                receipt=new_receipt(),
                received_at=reading.received_at,
                batch=reading.batch,
                campaign=no2,
                site=site,
                value=41,
                unit=no2.unit,
                observed_at=reading.observed_at,
                exposure_start=reading.exposure_start,
                period_start=reading.period_start,
                period_end=reading.period_end,
                status=ReadingStatus.ACCEPTED,
            )
            for reading in [no2.readings.filter(site=site).first()]
            for _ in range(300)
        ]
    )
    results.rebuild(no2.pk)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/science/no2/")
    assert "303" in response.content.decode()  # the new tubes are counted
    assert len(many) == len(few)
    assert not any("citizen_science_reading" in query["sql"] for query in many.captured_queries)


def test_refresh_after_a_status_change_publishes_or_withdraws(no2):
    pending = no2.readings.get(status=ReadingStatus.PENDING)
    Reading.objects.filter(pk=pending.pk).update(status=ReadingStatus.ACCEPTED)
    results.refresh_for_readings(Reading.objects.filter(pk=pending.pk))
    park = PeriodResult.objects.get(campaign=no2, site__code="no2-002")
    assert (park.readings, park.max_raw) == (3, 99)
    Reading.objects.filter(site__code="no2-002").update(status=ReadingStatus.REJECTED)
    results.refresh_for_readings(Reading.objects.filter(site__code="no2-002"))
    assert not PeriodResult.objects.filter(campaign=no2, site__code="no2-002").exists()
    assert PeriodResult.objects.filter(campaign=no2, site__code="no2-001").exists()


@pytest.fixture
def rain(index):
    campaign = CampaignPageFactory(
        parent=index, slug="rain", sampling="instant", unit="mm", threshold=25.0,
        threshold_label="Heavy rain", bias_factor=None,
    )  # fmt: skip
    gauge = SiteFactory(campaign=campaign, code="rain-01", name="Mill Lane")
    for offset in range(120):
        make_reading(
            campaign, float(offset % 30), site=gauge,
            day=datetime.date(2026, 1, 1) + datetime.timedelta(days=offset),
        )  # fmt: skip
    # One reading without a site, from a volunteer's garden.
    make_reading(campaign, 12.0, latitude=HOME_LAT, longitude=HOME_LON)
    results.rebuild(campaign.pk)
    return campaign


def test_many_days_are_grouped_into_weeks_for_the_chart(rain):
    found = results.campaign_results(rain)
    assert len(found.periods) <= results.MAX_CHART_POINTS
    assert found.periods[0].label.startswith("Week beginning")
    assert sum(period.readings for period in found.periods) == 121
    # Days with a reading above 25 mm at a place: 26..29 in each 30-day cycle, four cycles.
    assert found.periods_over == 16


def test_readings_without_a_site_are_shown_in_a_coarse_cell(rain):
    found = results.campaign_results(rain)
    garden = next(place for place in found.places if place.name == "Readings without a site")
    expected = coarsen(
        *(float(part) for part in results.cell_for(float(HOME_LAT), float(HOME_LON)).split(",")),
        rain.location_precision_m,
    )
    assert (garden.latitude, garden.longitude) == expected


def test_csv_download_has_accepted_readings_with_raw_and_adjusted_values(client, no2):
    response = client.get("/science/no2/readings.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="no2-readings.csv"' in response["Content-Disposition"]
    assert "open-government-licence" in response["Link"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(float(row["value_raw"]) for row in rows) == [30, 40, 42, 44, 45]
    high = next(row for row in rows if row["value_raw"] == "44.0")
    assert (high["value_published"], high["value_basis"]) == ("39.6", "adjusted")
    assert high["site_name"] == "High Street"
    assert (float(high["latitude"]), float(high["longitude"])) == coarsen(
        float(HOME_LAT), float(HOME_LON), 250
    )


def test_geojson_download_is_a_feature_collection_of_coarsened_points(client, rain):
    response = client.get("/science/rain/readings.geojson")
    data = json.loads(b"".join(response.streaming_content))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == 121
    garden = next(f for f in data["features"] if not f["properties"]["site_code"])
    longitude, latitude = garden["geometry"]["coordinates"]
    assert abs(latitude - float(HOME_LAT)) < 0.004
    assert (latitude, longitude) != (
        float(HOME_LAT),
        float(HOME_LON),
    )
    assert garden["properties"]["value_basis"] == "raw"
    assert garden["properties"]["location_precision_m"] == 250


@pytest.mark.parametrize("slug", ["no2", "rain"])
def test_exact_coordinates_never_leave_the_building(client, no2, rain, slug):
    contributor, _token = create_contributor()
    make_reading(
        rain, 5.0, latitude=Decimal("51.455551"), longitude=Decimal("-0.101119"),
        contributor=contributor, notes="Under my kitchen window at number 12",
    )  # fmt: skip
    results.rebuild(rain.pk)
    exact = {str(HOME_LAT), str(HOME_LON), "51.455551", "-0.101119", "51.4638", "-0.0912"}
    for path in ("", "readings.csv", "readings.geojson"):
        response = client.get(f"/science/{slug}/{path}")
        assert response.status_code == 200
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode()
        assert not [text for text in exact if text in body], path
        assert "kitchen window" not in body
        assert str(contributor.public_id) not in body


def test_anonymised_readings_without_a_site_keep_counting_but_leave_the_map(rain):
    contributor, _token = create_contributor()
    make_reading(
        rain, 7.0, latitude=Decimal("51.455551"), longitude=Decimal("-0.101119"),
        contributor=contributor, day=datetime.date(2026, 2, 14),
    )  # fmt: skip
    results.rebuild(rain.pk)
    erase(contributor, keep_readings_anonymised=True)
    found = results.campaign_results(rain)
    unplaced = next(p for p in found.places if p.name == "Readings without a location")
    assert (unplaced.readings, unplaced.latitude) == (1, None)
    assert found.readings == 122


def test_planned_campaign_publishes_nothing(client, index):
    campaign = CampaignPageFactory(parent=index, slug="noise", state="planned")
    make_reading(campaign, 50)
    results.rebuild(campaign.pk)
    assert 'id="results"' not in client.get("/science/noise/").content.decode()
    assert client.get("/science/noise/readings.csv").status_code == 404
    assert client.get("/science/noise/readings.geojson").status_code == 404


def test_a_campaign_without_accepted_readings_says_so(client, index):
    CampaignPageFactory(parent=index, slug="empty")
    html = client.get("/science/empty/").content.decode()
    assert "No readings have been checked and accepted yet" in html
    body = b"".join(client.get("/science/empty/readings.csv").streaming_content).decode()
    assert list(csv.reader(io.StringIO(body))) == [list(COLUMNS)]


def test_rebuild_command_recounts_one_or_every_campaign(no2, rain):
    PeriodResult.objects.all().delete()
    out = io.StringIO()
    call_command("rebuild_results", "--campaign", "no2", stdout=out)
    assert "no2: 2 place-periods" in out.getvalue()
    assert not PeriodResult.objects.filter(campaign=rain).exists()
    call_command("rebuild_results", stdout=io.StringIO())
    assert PeriodResult.objects.filter(campaign=rain).exists()
    with pytest.raises(CommandError, match="No campaign has the slug"):
        call_command("rebuild_results", "--campaign", "nope")
