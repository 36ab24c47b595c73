"""A new user tries the demo: answers a scenario survey without JavaScript, then reads results."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import (
    BROWSER_MARKS,
    VIEWPORTS,
    describe_violations,
    django_orm,
    horizontal_overflow,
    run_axe,
)

from surveys.models import Response

pytestmark = BROWSER_MARKS


def _continue(page: Any, name: str = "Continue") -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name).click()


def test_a_resident_answers_the_open_scenario_survey_and_reads_published_results(
    demo_url: str, new_context: Any
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}/surveys/")
    page.get_by_role("link", name="Smart lamp posts").click()
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Acceptable, but only with conditions").check()
    page.get_by_label("A sign on each lamp post says what it does").check()
    _continue(page)
    page.get_by_label("Not acceptable").check()
    _continue(page)
    page.get_by_label("Prefer not to say").first.check()
    _continue(page)
    assert page.get_by_role("heading", name="Check your answers").is_visible()
    _continue(page, "Send")
    receipt = page.locator(".govuk-panel__body strong").inner_text()
    assert receipt.startswith("S")
    with django_orm():
        stored = Response.objects.get(receipt=receipt)
        assert stored.answers["lamp-post-fly-tipping"] == {"judgement": "not_acceptable"}

    page.goto(f"{demo_url}/surveys/millbrook-data-charter/")
    page.get_by_role("link", name="See the results").click()
    assert page.get_by_role("heading", name="We asked, you said, we did").is_visible()
    # Small groups are hidden, marked in the tables, and the marks explained.
    assert page.get_by_text("To protect people's privacy we never show").is_visible()
    assert page.locator("td .ps-hidden-figure").count() > 0
    legend = page.locator(".ps-legend").inner_text()
    assert "[s]" in legend
    assert "fewer than 10 people" in legend.lower()


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_demo_survey_pages_and_results_pass_axe(
    viewport: str, demo_url: str, new_context: Any, axe_source: str
) -> None:
    paths = [
        "/surveys/",
        "/surveys/smart-lamp-posts/",
        "/surveys/smart-lamp-posts/answer/1/",
        "/surveys/millbrook-data-charter/results/",
        "/surveys/e-scooters-spring-2026/results/",
    ]
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    failures = []
    for path in paths:
        page.goto(f"{demo_url}{path}")
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
