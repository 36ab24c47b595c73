"""The assessments index and every demo DPIA pass axe-core, fit a phone, hide what is withheld."""

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

from portal.assessments.models import DpiaPage

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_assessment_pages_pass_axe_and_fit(
    viewport: str, demo_url: str, new_context: Any, axe_source: str
) -> None:
    with django_orm():
        paths = [page.url for page in DpiaPage.objects.live()]
    assert len(paths) >= 3
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    failures = []
    for path in ["/assessments/", *paths]:
        page.goto(f"{demo_url}{path}")
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(describe_violations(f"{path} at {viewport} size", violations))
        if viewport == "phone":
            overflow = horizontal_overflow(page)
            if overflow["scrollWidth"] > overflow["innerWidth"]:
                failures.append(f"{path} scrolls sideways: {overflow['offenders']}")
    assert not failures, "\n\n".join(failures)


def test_a_resident_sees_why_parts_are_withheld(demo_url: str, new_context: Any) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}/assessments/")
    page.get_by_role("link", name="Town centre CCTV").click()
    assert page.get_by_text("It would show exactly where cameras point").is_visible()
    assert page.get_by_text("A risk has been withheld.").is_visible()
    assert page.get_by_text("Named operator rota").count() == 0
