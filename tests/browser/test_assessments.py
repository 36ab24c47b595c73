"""The assessments index, every demo DPIA and algorithm record pass axe-core and fit a phone."""

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

from portal.assessments.models import AlgorithmRecordPage, DpiaPage

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_assessment_pages_pass_axe_and_fit(
    viewport: str, demo_url: str, new_context: Any, axe_source: str
) -> None:
    with django_orm():
        paths = [page.url for page in DpiaPage.objects.live()]
        records = [page.url for page in AlgorithmRecordPage.objects.live()]
    assert len(paths) >= 3
    assert records
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    failures = []
    # The index with an error summary showing, too.
    for path in ["/assessments/", "/assessments/?kind=everything", *paths, *records]:
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


def test_a_resident_follows_a_camera_to_its_algorithm_and_supplier_promises(
    demo_url: str, new_context: Any
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(f"{demo_url}/devices/anpr-station-road-bus-gate/")
    page.get_by_text("Each answer from Kestrel Traffic Systems Ltd").click()
    assert page.get_by_text("Contract clause 12.1.").is_visible()  # published evidence
    assert page.get_by_text("AES-256").count() == 0  # internal evidence
    page.get_by_role("link", name="Algorithm record: Bus gate number plate matching").click()
    assert page.get_by_role("heading", name="Can you challenge it?").is_visible()
    assert page.get_by_text("appeal to London Tribunals").is_visible()
    # Wait for the JSON document itself: on a busy machine the click returns mid-navigation.
    with page.expect_navigation(url="**/atrs.json"):
        page.get_by_role("link", name="Download this record in the standard's JSON format").click()
    page.wait_for_load_state()
    assert '"appeals_and_review"' in page.content()
