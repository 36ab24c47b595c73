"""The open-data pages as people use them: accessible, phone-sized, downloads without JavaScript."""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest
from browser_support import (
    BROWSER_MARKS,
    VIEWPORTS,
    describe_violations,
    horizontal_overflow,
    run_axe,
)

pytestmark = BROWSER_MARKS

PAGES = [
    "/data/",
    "/data/datasets/devices/",
    "/data/datasets/readings-millbrook-breathes-no2-2026/",
]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_open_data_pages_pass_axe_and_fit_a_phone(
    viewport: str, demo_url: str, new_context: Any, axe_source: str
) -> None:
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    failures = []
    for path in PAGES:
        response = page.goto(f"{demo_url}{path}")
        assert response is not None
        assert response.status == 200, path
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(describe_violations(f"{path} at {viewport} size", violations))
        if viewport == "phone":
            overflow = horizontal_overflow(page)
            if overflow["scrollWidth"] > overflow["innerWidth"]:
                failures.append(f"{path} scrolls sideways: {overflow['offenders']}")
    assert not failures, "\n\n".join(failures)


def test_downloads_work_without_javascript(demo_url: str, new_context: Any) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}/")
    page.get_by_role("contentinfo").get_by_role("link", name="Open data").click()
    assert page.get_by_role("heading", name="Open data", level=1).is_visible()

    page.get_by_role("link", name="Devices in public space").first.click()
    assert page.get_by_role("heading", name="Devices in public space").is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Devices as CSV").click()
    assert download.value.suggested_filename == "devices.csv"
    with download.value.path().open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 10
    assert all(row["page_url"].startswith(demo_url) for row in rows)

    with page.expect_download() as download:
        page.get_by_role("link", name="Devices as GeoJSON").click()
    collection = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert len(collection["features"]) == len(rows)

    # The schema.org block is data: the page's strict CSP does not stop it being read.
    described = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert described["name"] == "Devices in public space"

    # A size learnt from the download now shows on the index. The browser kept the index from
    # the first visit (it is cacheable); a reload revalidates it, as a reader's refresh would.
    page.get_by_role("link", name="Open data").first.click()
    page.reload()
    assert page.get_by_text("(CSV, ").first.is_visible()
