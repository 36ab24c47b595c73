"""What the app's sync tests need on the live server, and what the app queues for it.

Plain functions (not fixtures), shared by tests/mobile/services and the end-to-end test.
"""

from __future__ import annotations

import copy
import datetime
import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone
from PIL import Image

from api.throttling import WriteThrottle
from tests.factories import (
    CampaignPageFactory,
    ScienceIndexPageFactory,
    SiteFactory,
    SurveyIndexPageFactory,
    SurveyPageFactory,
    build_site,
)

CAMPAIGN = "rain-gauges"
SITE = "rain-001"
SURVEY = "data-and-you"
UNIT = "mm"
ANSWERS = {
    "cctv-search": {"judgement": "acceptable_with_conditions", "conditions": ["audit"]},
    "trust": "agree",
    "worries": ["parking", "speed"],
    "priorities": ["privacy", "safety"],
    "age": "prefer_not_to_say",
    "ward": "north",
}


@contextmanager
def throttle_rates(**rates: str) -> Iterator[None]:
    """Rates for this block. ``override_settings`` reaches the survey responses' throttle, which
    reads the setting on each request; DRF's scoped throttles (readings, contributors) read the
    rates once, when the class is defined, so their class attribute is swapped too."""
    configured = rest_framework_with(**rates)
    before = WriteThrottle.THROTTLE_RATES
    WriteThrottle.THROTTLE_RATES = configured["DEFAULT_THROTTLE_RATES"]
    try:
        with override_settings(REST_FRAMEWORK=configured):
            cache.clear()
            yield
    finally:
        WriteThrottle.THROTTLE_RATES = before
        cache.clear()


def rest_framework_with(**rates: str) -> dict:
    configured = copy.deepcopy(settings.REST_FRAMEWORK)
    configured["DEFAULT_THROTTLE_RATES"] = {**configured["DEFAULT_THROTTLE_RATES"], **rates}
    return configured


# Rates high enough that the tests measure the sync, not the throttle.
GENEROUS_RATES = {
    "contributors": "1000/minute",
    "readings": "10000/minute",
    "survey_responses": "10000/minute",
}


def make_campaign_and_survey() -> dict[str, Any]:
    """A home page, an open instant-sampling campaign with one site, and an open survey."""
    home, _register = build_site()
    campaign = CampaignPageFactory(
        parent=ScienceIndexPageFactory(parent=home),
        slug=CAMPAIGN,
        title="Rain gauges",
        sampling="instant",
        unit=UNIT,
        valid_min=0.0,
        valid_max=300.0,
        expected_min=None,
        expected_max=None,
    )
    SiteFactory(campaign=campaign, code=SITE)
    survey = SurveyPageFactory(
        parent=SurveyIndexPageFactory(parent=home), slug=SURVEY, title="Data and you"
    )
    return {"campaign": campaign, "survey": survey}


def reading_payload(value: float = 12.5, **overrides: Any) -> dict[str, Any]:
    """A reading as the app queues it: the API's fields without client_uuid and campaign."""
    observed = timezone.now() - datetime.timedelta(hours=1)
    payload = {
        "site": SITE,
        "value": value,
        "unit": UNIT,
        "observed_at": observed.isoformat(timespec="seconds"),
    }
    payload.update(overrides)
    return payload


def survey_payload(participant_token: str, answers: dict | None = None) -> dict[str, Any]:
    return {"answers": answers or ANSWERS, "participant_token": participant_token}


def jpeg_with_gps(path: Path, shade: int = 0) -> Path:
    """A small real JPEG carrying EXIF GPS, as a phone's camera writes it."""
    image = Image.new("RGB", (96, 64), (40 + shade % 200, 120, 200))
    for x in range(0, 96, 8):
        for y in range(64):
            image.putpixel((x, y), (250, 250, 250))
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (51.0, 28.0, 15.0), 3: "W", 4: (0.0, 6.0, 44.0)})
    exif[0x8825] = gps
    exif[0x010F] = "PhoneMaker"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    path.write_bytes(out.getvalue())
    return path


def new_uuid() -> str:
    return str(uuid.uuid4())
