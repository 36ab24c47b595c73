"""axe-core finds no WCAG 2.2 AA failures on the register or on any device page."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import (
    BROWSER_MARKS,
    VIEWPORTS,
    describe_violations,
    device_paths,
    draw_map,
    run_axe,
)

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_register_and_every_device_page_pass_axe(
    viewport: str, demo_url: str, new_context: Any, axe_source: str
) -> None:
    page = new_context(viewport=VIEWPORTS[viewport]).new_page()
    devices = device_paths()

    failures = []
    for path in ["/devices/", *devices]:
        page.goto(f"{demo_url}{path}")
        draw_map(page)  # check the page as a reader sees it, map included
        violations = run_axe(page, axe_source)
        if violations:
            failures.append(describe_violations(f"{path} at {viewport} size", violations))
    assert not failures, (
        f"{len(failures)} of {len(devices) + 1} pages fail WCAG 2.2 AA:\n\n" + "\n\n".join(failures)
    )
