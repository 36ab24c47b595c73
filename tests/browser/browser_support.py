"""Shared by the browser tests: Chromium settings, the Playwright session, axe, layout checks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = (
    "Chromium is not installed: run `sudo apt-get install chromium chromium-driver` "
    "(make test does this when it can)"
)
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 640}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}

# Every browser test needs these; a test module sets ``pytestmark = BROWSER_MARKS``.
BROWSER_MARKS = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HERE = Path(__file__).resolve().parent


class BrowserSession:
    """Playwright and one Chromium, started on first use and stopped after the browser tests.

    Playwright's sync API runs an asyncio loop in a greenlet of the main thread and, between
    calls, leaves that loop marked as the thread's running loop. While it is marked, Django
    refuses ORM calls (SynchronousOnlyOperation) and, worse, hands out a different database
    connection (asgiref's Local switches to context-local storage), so pytest-django's
    serialized rollback and flush would miss the test connection. ``pause()`` takes the mark
    off while Django works; ``resume()`` puts it back before the next Playwright call.
    """

    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def resume(self) -> Any:
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            self._playwright = sync_playwright().start()
            self._loop = asyncio.get_running_loop()  # Playwright's, marked as running
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=LAUNCH_ARGS
            )
        else:
            asyncio._set_running_loop(self._loop)
        return self._browser

    def pause(self) -> None:
        if self._loop is not None:
            asyncio._set_running_loop(None)

    def stop(self) -> None:
        if self._playwright is None:
            return
        asyncio._set_running_loop(self._loop)
        try:
            if self._browser is not None:
                self._browser.close()
        finally:
            self._playwright.stop()  # also clears the running-loop mark
            self._playwright = self._browser = self._loop = None


@contextmanager
def django_orm() -> Iterator[None]:
    """Use around ORM calls made in a test while the browser is open (see BrowserSession)."""
    loop = asyncio._get_running_loop()
    asyncio._set_running_loop(None)
    try:
        yield
    finally:
        asyncio._set_running_loop(loop)


def device_paths() -> list[str]:
    """The address of every published device page, from the page tree.

    Built from the slugs rather than read from the register's links, so that a broken link on
    the register fails one test (test_no_javascript) instead of hiding every device page.
    """
    from portal.registry.models import DeviceIndexPage, DevicePage

    with django_orm():
        register = DeviceIndexPage.objects.live().get()
        devices = DevicePage.objects.child_of(register).live().order_by("title")
        paths = [f"/{register.slug}/{device.slug}/" for device in devices]
    assert paths, "The demo borough has no published devices."
    return paths


def run_axe(page: Any, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 AA violations on the current page.

    ``evaluate`` runs through the DevTools protocol, which the page's Content-Security-Policy
    (script-src 'self') does not govern, so axe checks the page exactly as it is served.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target, html: n.html, summary: n.failureSummary,
                })),
            }));
        }""",
        AXE_TAGS,
    )


def describe_violations(where: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{where}: {len(violations)} axe violation(s)"]
    for violation in violations:
        lines.append(
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({violation['helpUrl']})"
        )
        for node in violation["nodes"][:10]:
            lines.append(f"      at {json.dumps(node['target'])}")
            lines.append(f"         {node['html'][:300]}")
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"         {summary[:400]}")
        if len(violation["nodes"]) > 10:
            lines.append(f"      ... and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def draw_map(page: Any) -> None:
    """Scroll the map into view, as a reader would, and wait for Leaflet to draw it."""
    page.locator("#ps-map").scroll_into_view_if_needed()
    page.wait_for_selector("#ps-map[data-ready='true']", state="attached")
    page.evaluate("() => window.scrollTo(0, 0)")


def horizontal_overflow(page: Any) -> dict[str, Any]:
    """How wide the document is against the window, and the elements that stick out."""
    return page.evaluate(
        """() => {
            const width = window.innerWidth;
            const offenders = [];
            for (const el of document.querySelectorAll('body *')) {
                const rect = el.getBoundingClientRect();
                if (rect.width === 0 || rect.right <= width + 0.5) continue;
                // Leaflet moves its panes beyond the map's edges; the map clips them.
                if (el.closest('.leaflet-container')) continue;
                // Report the outermost element that overflows, not each of its descendants.
                const parent = el.parentElement;
                if (parent && parent !== document.body &&
                    parent.getBoundingClientRect().right > width + 0.5) continue;
                const cls = typeof el.className === 'string' ? el.className : '';
                offenders.push({
                    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                             (cls ? '.' + cls.trim().split(/\\s+/).join('.') : ''),
                    right: Math.round(rect.right),
                    text: (el.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 80),
                });
            }
            return {
                scrollWidth: document.documentElement.scrollWidth,
                innerWidth: width,
                offenders: offenders.slice(0, 20),
            };
        }"""
    )
