"""Campaign pages as residents see them: accessible, phone-sized, readable without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import (
    BROWSER_MARKS,
    VIEWPORTS,
    describe_violations,
    django_orm,
    draw_map,
    horizontal_overflow,
    run_axe,
)

from portal.citizen_science.models import CampaignPage

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_science_pages_pass_axe_and_fit_a_phone(
    viewport: str, demo_url: str, new_context: Any, axe_source: str
) -> None:
    with django_orm():
        campaigns = [page.url for page in CampaignPage.objects.live()]
    assert len(campaigns) >= 3
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    failures = []
    for path in ["/science/", *campaigns]:
        page.goto(f"{demo_url}{path}")
        if page.locator("#ps-map").count():
            draw_map(page)
        # The chart's table is folded away; check it open, as a screen reader user may read it.
        for details in page.locator("details").all():
            details.evaluate("element => { element.open = true; }")
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(describe_violations(f"{path} at {viewport} size", violations))
        if viewport == "phone":
            overflow = horizontal_overflow(page)
            if overflow["scrollWidth"] > overflow["innerWidth"]:
                failures.append(f"{path} scrolls sideways: {overflow['offenders']}")
    assert not failures, "\n\n".join(failures)


def test_results_read_without_javascript(demo_url: str, new_context: Any) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}/science/")
    page.get_by_role("link", name="Millbrook Breathes").first.click()
    assert page.get_by_role("heading", name="Results").is_visible()
    assert page.get_by_text("Adjusted for bias (raw value multiplied by 0.87)").first.is_visible()
    # The chart is drawn on the server; its figures and the places are plain tables.
    assert page.locator("figure.ps-chart svg").is_visible()
    page.get_by_text("The figures in the chart, as a table").click()
    assert page.get_by_role("row").filter(has_text="5 January 2026 to 2 February 2026").is_visible()
    assert page.get_by_role("row").filter(has_text="London Road").first.is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="Readings as CSV (spreadsheet)").click()
    header = download.value.path().read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("reading_id,campaign,site_code")
