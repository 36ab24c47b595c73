"""On a 360 px phone nothing scrolls sideways; screenshots to look at."""

from __future__ import annotations

import struct
from contextlib import suppress
from pathlib import Path
from typing import Any

from browser_support import (
    BROWSER_MARKS,
    PHONE,
    VIEWPORTS,
    device_paths,
    draw_map,
    horizontal_overflow,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = BROWSER_MARKS

SHOWCASE_DEVICE = "/devices/cctv-market-square/"


def test_register_and_device_pages_do_not_scroll_sideways_on_a_phone(
    demo_url: str, new_context: Any
) -> None:
    page = new_context(viewport=PHONE).new_page()
    failures = []
    for path in ["/devices/", *device_paths()]:
        page.goto(f"{demo_url}{path}")
        draw_map(page)
        result = horizontal_overflow(page)
        assert result["innerWidth"] == PHONE["width"]
        if result["scrollWidth"] > result["innerWidth"]:
            offenders = "\n".join(
                f"    {o['element']} reaches {o['right']}px: {o['text']!r}"
                for o in result["offenders"]
            )
            failures.append(
                f"{path}: the page is {result['scrollWidth']}px wide in a "
                f"{result['innerWidth']}px window. Elements that stick out:\n{offenders}"
            )
    assert not failures, "\n\n".join(failures)


def _png_size(path: Path) -> tuple[int, int]:
    with path.open("rb") as png:
        header = png.read(24)
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def test_screenshots_of_the_device_page_and_the_register(
    demo_url: str, new_context: Any, screenshot_dir: Path
) -> None:
    """Full-page PNGs at phone and desktop sizes, for a person to look at.

    Saved to $PLAINSIGHT_SCREENSHOT_DIR if it is set, otherwise to a temporary directory; the
    paths are printed (pytest -s, or -rA, shows them).
    """
    saved = []
    for size, viewport in VIEWPORTS.items():
        page = new_context(viewport=viewport).new_page()
        for name, path in (("device-page", SHOWCASE_DEVICE), ("register", "/devices/")):
            page.goto(f"{demo_url}{path}")
            draw_map(page)
            # Leaflet may stick out for a moment while it lays out; wait for it to settle.
            # Lasting overflow still fails the width check below.
            with suppress(PlaywrightTimeout):
                page.wait_for_function(
                    "document.documentElement.scrollWidth <= window.innerWidth", timeout=5000
                )
            target = screenshot_dir / f"{name}-{size}.png"
            page.screenshot(path=target, full_page=True, animations="disabled")
            width, height = _png_size(target)
            # A full-page screenshot grows wider than the window if anything sticks out.
            assert width == viewport["width"], f"{target} is {width}px wide"
            assert height >= viewport["height"], f"{target} is only {height}px tall"
            saved.append(target)
    print("\nScreenshots:\n" + "\n".join(f"  {path}" for path in saved))


def test_the_concern_form_is_drawn_with_the_design_system(demo_url: str, new_context: Any) -> None:
    """Radios are the large GOV.UK targets and the text box spans the column, on a phone."""
    page = new_context(viewport=PHONE).new_page()
    page.goto(f"{demo_url}{SHOWCASE_DEVICE}")
    styles = page.evaluate(
        """() => {
            const radio = document.querySelector('.ps-concern-form .govuk-radios__input');
            const label = document.querySelector('.ps-concern-form .govuk-radios__label');
            const box = document.querySelector('.ps-concern-form textarea');
            return {
                radioOpacity: getComputedStyle(radio).opacity,
                labelTarget: label.getBoundingClientRect().height,
                boxWidth: box.getBoundingClientRect().width,
                column: box.parentElement.getBoundingClientRect().width,
            };
        }"""
    )
    assert styles["radioOpacity"] == "0"  # the drawn circle replaces the browser's own
    assert styles["labelTarget"] >= 24  # WCAG 2.2 target size
    assert styles["boxWidth"] >= styles["column"] - 1
