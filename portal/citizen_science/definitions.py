"""What an app needs to take readings for a campaign offline: its rules and its sites.

Only public facts: a site appears with its code, public name and the centre of its grid square
at the campaign's precision, never its exact position.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse

from portal.core.links import public_url
from portal.core.visibility import visible_to_public

from .geo import coarsen
from .models import CampaignPage, CampaignState


def public_campaigns() -> QuerySet[CampaignPage]:
    return visible_to_public(CampaignPage.objects.live()).exclude(
        state=CampaignState.PLANNED
    ).order_by("-starts_on", "title")  # fmt: skip


def campaign_summary(campaign: CampaignPage, request: HttpRequest | None = None) -> dict[str, Any]:
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "summary": campaign.summary,
        "observed_property": campaign.observed_property,
        "unit": campaign.unit,
        "state": campaign.state,
        "accepting_readings": campaign.is_accepting_readings,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat() if campaign.ends_on else None,
        "url": public_url(campaign, request),
    }


def campaign_definition(
    campaign: CampaignPage, request: HttpRequest | None = None
) -> dict[str, Any]:
    precision = campaign.location_precision_m
    sites = []
    for site in campaign.sites.select_related("device").order_by("code"):
        latitude, longitude = coarsen(float(site.latitude), float(site.longitude), precision)
        sites.append(
            {
                "code": site.code,
                "name": site.name,
                "latitude": latitude,
                "longitude": longitude,
                "device_code": site.device.code if site.device and site.device.live else None,
            }
        )
    return {
        **campaign_summary(campaign, request),
        "method": campaign.method,
        "sampling": campaign.sampling,
        "sampling_description": campaign.sampling_description,
        "valid_range": [campaign.valid_min, campaign.valid_max],
        "usual_range": [campaign.expected_min, campaign.expected_max],
        "threshold": campaign.threshold,
        "threshold_label": campaign.threshold_label,
        "bias_factor": float(campaign.bias_factor) if campaign.bias_factor else None,
        "location_precision_m": precision,
        "area": campaign.area_geojson,
        "licence": campaign.licence,
        "consent_text": campaign.consent_text,
        "sites": sites,
        "downloads": {
            "csv": reverse("citizen_science:readings-csv", args=[campaign.slug]),
            "geojson": reverse("citizen_science:readings-geojson", args=[campaign.slug]),
        },
    }
