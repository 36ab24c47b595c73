"""What the screen tests put in the app: readings built from the campaigns the app downloaded,
as the reading form queues them, and small real JPEG photos."""

from __future__ import annotations

import datetime
import io
from pathlib import Path
from typing import Any

from PIL import Image


def open_campaigns_and_surveys() -> tuple[list[str], list[str]]:
    """Titles of what the server lists as open, read from the database the live server uses."""
    from portal.citizen_science.models import CampaignPage
    from surveys.models import SurveyPage

    campaigns = [c.title for c in CampaignPage.objects.live() if c.is_accepting_readings]
    surveys = [s.title for s in SurveyPage.objects.live() if s.is_open()]
    return sorted(campaigns), sorted(surveys)


def rain_gauge(app: Any) -> dict[str, Any]:
    """The demo's rain gauge campaign, as downloaded on the phone."""
    for campaign in app.session.store.downloads("campaign"):
        if campaign["unit"] == "mm":
            return campaign
    raise AssertionError("The rain gauge campaign was not downloaded")


def reading(campaign: dict[str, Any], value: float, hours_ago: float = 1) -> dict[str, Any]:
    """A reading's payload as the app queues it (client_uuid and campaign come from the record)."""
    observed = datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=hours_ago)
    return {
        "site": campaign["sites"][0]["code"],
        "value": value,
        "unit": campaign["unit"],
        "observed_at": observed.isoformat(timespec="seconds"),
    }


def photo(path: Path) -> Path:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 160)).save(out, "JPEG", quality=80)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())
    return path
