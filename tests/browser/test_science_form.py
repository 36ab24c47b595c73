"""A volunteer without the app logs a reading on the web, with no JavaScript, and gets a receipt."""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from browser_support import BROWSER_MARKS, VIEWPORTS, describe_violations, django_orm, run_axe
from wagtail.models import Site

from portal.citizen_science.models import Reading, ScienceIndexPage
from tests.factories import CampaignPageFactory, ScienceIndexPageFactory, SiteFactory

pytestmark = BROWSER_MARKS

LONDON = ZoneInfo("Europe/London")
CAMPAIGN_PATH = "/science/web-form-tubes/"
FORM_PATH = f"{CAMPAIGN_PATH}log/"


def web_readings() -> Any:
    """Readings of this test's campaign; the demo's own campaigns have readings of their own."""
    return Reading.objects.filter(campaign__slug="web-form-tubes")


def _campaign() -> None:
    """An open diffusion-tube campaign with one site, under the demo's home page."""
    with django_orm():
        index = ScienceIndexPage.objects.first()
        if index is None:
            home = Site.objects.get(is_default_site=True).root_page
            index = ScienceIndexPageFactory(parent=home)
        campaign = CampaignPageFactory(
            parent=index, slug="web-form-tubes", title="Nitrogen dioxide in Millbrook"
        )
        SiteFactory(campaign=campaign, code="no2-017", name="Elm Road")


def _fill_moment(page: Any, prefix: str, moment: datetime.datetime) -> None:
    local = moment.astimezone(LONDON)
    page.fill(f"#{prefix}_day", str(local.day))
    page.fill(f"#{prefix}_month", str(local.month))
    page.fill(f"#{prefix}_year", str(local.year))
    page.fill(f"#{prefix}_time", local.strftime("%H:%M"))


def _send(page: Any) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Send reading").click()


def test_a_volunteer_logs_a_reading_without_javascript(
    demo_url: str, new_context: Any, screenshot_dir: Any
) -> None:
    _campaign()
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}{CAMPAIGN_PATH}")
    with page.expect_navigation():
        page.get_by_role("link", name="Log a reading on the web if you do not use the app").click()
    assert page.url.endswith(FORM_PATH)

    now = datetime.datetime.now(tz=datetime.UTC)
    page.get_by_label("Where did you take the reading?").select_option(label="Elm Road (no2-017)")
    page.get_by_label("Your reading").fill("41.2")
    _fill_moment(page, "start", now - datetime.timedelta(days=28))
    _fill_moment(page, "observed", now - datetime.timedelta(hours=3))
    page.get_by_label("Notes (optional)").fill("Tube was on the lamp post as usual.")
    page.get_by_label("I agree to this").check()
    _send(page)

    assert page.url.endswith(f"{FORM_PATH}?sent")
    assert page.locator("h1").inner_text() == "Reading received"
    with django_orm():
        reading = web_readings().select_related("site").get()
    assert reading.receipt in page.locator(".govuk-panel__body").inner_text()
    assert (reading.value, reading.site.code, reading.status) == (41.2, "no2-017", "pending")
    page.screenshot(path=str(screenshot_dir / "science-form-sent.png"), full_page=True)

    page.reload()  # a refresh shows the receipt again and sends nothing
    assert reading.receipt in page.locator(".govuk-panel__body").inner_text()
    with django_orm():
        assert web_readings().count() == 1


def test_the_form_and_its_errors_pass_axe(
    demo_url: str, new_context: Any, axe_source: str, screenshot_dir: Any
) -> None:
    _campaign()
    failures = []
    for name, viewport in VIEWPORTS.items():
        page = new_context(viewport=viewport).new_page()
        page.goto(f"{demo_url}{FORM_PATH}")
        if violations := run_axe(page, axe_source):
            failures.append(describe_violations(f"empty form at {name} size", violations))
        page.screenshot(path=str(screenshot_dir / f"science-form-{name}.png"), full_page=True)

        page.get_by_label("Your reading").fill("lots")
        page.fill("#observed_month", "13")
        _send(page)
        assert page.locator(".govuk-error-summary").is_visible()
        summary = page.locator(".govuk-error-summary__list li").all_inner_texts()
        assert "Enter your reading as a number, like 23.4." in summary
        assert "The date you took the tube down must include a day and a year." in summary
        if violations := run_axe(page, axe_source):
            failures.append(describe_violations(f"form with errors at {name} size", violations))
        page.screenshot(
            path=str(screenshot_dir / f"science-form-errors-{name}.png"), full_page=True
        )
    with django_orm():
        assert not web_readings().exists()
    assert not failures, "\n\n".join(failures)
