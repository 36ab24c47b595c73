"""The demo's citizen science: enough realistic data to show every part of a campaign."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Count

from portal.citizen_science.geo import point_in_polygon
from portal.citizen_science.models import (
    CampaignPage,
    Consent,
    Contributor,
    ModerationEvent,
    PeriodResult,
    Reading,
    ScienceIndexPage,
    Site,
)
from portal.citizen_science.results import campaign_results
from portal.core.demo import science
from portal.core.demo.science import NO2, NOISE, RAIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def _campaign(spec):
    return CampaignPage.objects.get(slug=spec["slug"])


def _statuses(campaign):
    return Counter(campaign.readings.values_list("status", flat=True))


def _tubes_per_exposure(campaign):
    """How many tubes each site had in each exposure period: {site code: {count, …}}."""
    groups = (
        Reading.objects.filter(campaign=campaign, site__isnull=False)
        .exclude(status="rejected")
        .values("site__code", "period_start", "period_end")
        .annotate(tubes=Count("id"))
    )
    found: dict[str, set[int]] = {}
    for group in groups:
        found.setdefault(group["site__code"], set()).add(group["tubes"])
    return found


def test_no2_campaign_has_forty_sites_months_of_tubes_and_readings_to_check(demo):
    campaign = _campaign(NO2)
    assert campaign.state == "open"
    assert (campaign.unit, campaign.sampling, campaign.threshold) == ("µg/m³", "exposure", 40.0)
    sites = list(Site.objects.filter(campaign=campaign))
    assert len(sites) == 40
    assert all(
        point_in_polygon(float(site.longitude), float(site.latitude), campaign.area_geojson)
        for site in sites
    )
    assert {site.device.slug for site in sites if site.device} == {
        "air-quality-clock-tower",
        "air-quality-st-annes-school",
    }
    periods = set(campaign.readings.values_list("period_start", "period_end"))
    assert len(periods) >= 6
    assert all((end - start).days == 28 for start, end in periods)
    tubes = _tubes_per_exposure(campaign)
    assert sum(1 for counts in tubes.values() if max(counts) == 2) == 8
    assert sum(1 for counts in tubes.values() if max(counts) == 3) == 3
    # Co-located tubes share one exposure, so each site-period is one result.
    assert PeriodResult.objects.filter(campaign=campaign, readings=3).exists()

    statuses = _statuses(campaign)
    assert statuses["accepted"] > 400
    assert 40 <= statuses["pending"] <= 60
    assert statuses["flagged"] >= 3
    assert statuses["rejected"] == 1
    flags = [flag for flags in campaign.readings.values_list("flags", flat=True) for flag in flags]
    assert {"unusually_high", "outside_area"} <= set(flags)
    rejected = campaign.readings.get(status="rejected")
    assert rejected.review_reason
    assert rejected.reviewed_by.username == "moderator"
    assert not campaign.readings.filter(status="accepted", review_reason="").exists()
    # The latest exposure is the one waiting for a check.
    latest = campaign.readings.order_by("-period_start").values_list("period_start").first()
    assert {
        status
        for status, flags in campaign.readings.filter(period_start=latest[0]).values_list(
            "status", "flags"
        )
        if not flags
    } == {"pending"}

    results = campaign_results(campaign)
    assert len(results.precision_problems) == 1
    assert results.precision_problems[0].place == "London Road"
    assert results.precision_problems[0].spread_percent > campaign.precision_limit_percent
    assert results.places_over >= 1
    assert len(results.periods) >= 6
    # Winter is worse than summer.
    assert results.periods[0].mean > results.periods[6].mean
    assert ModerationEvent.objects.filter(reading__campaign=campaign).count() == (
        statuses["accepted"] + statuses["rejected"]
    )


def test_rain_gauges_read_daily_and_a_noise_survey_is_planned(demo):
    campaign = _campaign(RAIN)
    assert (campaign.sampling, campaign.unit, campaign.auto_accept) == ("instant", "mm", True)
    assert campaign.sites.count() == 10
    statuses = _statuses(campaign)
    assert statuses["accepted"] > 700
    assert statuses["flagged"] >= 3
    days = set(campaign.readings.values_list("period_start", flat=True))
    assert len(days) >= 85
    values = list(campaign.readings.filter(status="accepted").values_list("value", flat=True))
    assert sum(1 for value in values if value == 0) > len(values) / 3  # many dry days
    assert max(values) > campaign.threshold  # and some heavy rain
    assert PeriodResult.objects.filter(campaign=campaign).exists()

    noise = _campaign(NOISE)
    assert noise.state == "planned"
    assert noise.sites.count() > 0
    assert not noise.readings.exists()

    # Every reading belongs to a pseudonymous volunteer who agreed to its campaign.
    readings = Reading.objects.filter(campaign__slug__in=[NO2["slug"], RAIN["slug"]])
    assert not readings.filter(contributor__isnull=True).exists()
    for reading in readings.select_related("contributor").distinct()[:50]:
        assert Consent.objects.filter(
            contributor=reading.contributor, campaign=reading.campaign
        ).exists()
    assert 2 <= Contributor.objects.count() <= 10


def test_science_pages_answer_anonymous_visitors(demo, client):
    index = ScienceIndexPage.objects.get()
    assert index.url == "/science/"
    html = client.get("/science/").content.decode()
    for spec in (NO2, RAIN, NOISE):
        assert spec["title"].replace("'", "&#x27;") in html
        page = _campaign(spec)
        assert page.url == f"/science/{spec['slug']}/"
        assert client.get(page.url).status_code == 200, page.url


def test_loading_the_demo_again_changes_no_readings_and_builds_the_same_ones(demo):
    def snapshot():
        return (
            CampaignPage.objects.count(),
            Site.objects.count(),
            Contributor.objects.count(),
            Consent.objects.count(),
            ModerationEvent.objects.count(),
            Counter(Reading.objects.values_list("campaign__slug", "status")),
            set(Reading.objects.values_list("client_uuid", "receipt", "value")),
            set(
                PeriodResult.objects.values_list(
                    "pk", "site_id", "period_start", "period_end", "readings", "mean_raw"
                )
            ),
        )

    before = snapshot()
    call_command("load_demo", verbosity=0)
    assert snapshot() == before

    # Seeded and derived with uuid5: a fresh load elsewhere builds exactly these readings.
    campaign = _campaign(NO2)
    sites = {
        site.code: (site, spec)
        for site, spec in zip(
            Site.objects.filter(campaign=campaign).order_by("code"),
            science._no2_sites(),
            strict=True,
        )
    }
    volunteers = list(Contributor.objects.order_by("pk")[:4])
    planned = [plan.reading for plan in science._no2_readings(campaign, sites, volunteers)]
    stored = dict(campaign.readings.values_list("client_uuid", "value"))
    assert {reading.client_uuid: reading.value for reading in planned} == stored
