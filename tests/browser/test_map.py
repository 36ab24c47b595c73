"""With JavaScript the maps draw when scrolled to, with no script errors or CSP violations."""

from __future__ import annotations

from typing import Any

from browser_support import BROWSER_MARKS, DESKTOP, device_paths

pytestmark = BROWSER_MARKS

# Collects the CSP violations the page reports; init scripts are exempt from the page's CSP.
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || 'inline code'}` +
        (event.sourceFile ? ` (${event.sourceFile}:${event.lineNumber})` : ''));
});
"""


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"console {message.type}: {message.text}")
            if message.type in ("error", "warning")
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"uncaught error: {error}"))
    return problems


def test_maps_draw_when_scrolled_into_view_without_errors(demo_url: str, new_context: Any) -> None:
    context = new_context(viewport=DESKTOP)
    context.add_init_script(RECORD_CSP_VIOLATIONS)
    page = context.new_page()
    problems = _watch(page)
    leaflet_requests: list[str] = []
    page.on(
        "request",
        lambda request: leaflet_requests.append(request.url) if "leaflet" in request.url else None,
    )

    failures = []
    for path in ["/devices/", *device_paths()]:
        leaflet_requests.clear()
        problems.clear()
        page.goto(f"{demo_url}{path}", wait_until="load")
        the_map = page.locator("#ps-map")
        if path != "/devices/":
            # A device page's map is far below the fold: Leaflet waits until it is needed.
            page.wait_for_timeout(100)
            if leaflet_requests:
                failures.append(f"{path}: Leaflet loaded before the map was scrolled to")
        the_map.scroll_into_view_if_needed()
        page.wait_for_selector("#ps-map[data-ready='true']", state="attached", timeout=10_000)
        markers = page.locator("#ps-map .leaflet-interactive")
        expected = page.locator(".ps-device-list__item").count() if path == "/devices/" else 1
        box, map_box = markers.first.bounding_box(), the_map.bounding_box()
        if not the_map.is_visible() or map_box is None or map_box["height"] < 150:
            failures.append(f"{path}: the map is not visible ({map_box})")
        elif markers.count() != expected:
            failures.append(f"{path}: {markers.count()} markers drawn, expected {expected}")
        elif box is None or not (
            map_box["x"] <= box["x"] + box["width"] / 2 <= map_box["x"] + map_box["width"]
            and map_box["y"] <= box["y"] + box["height"] / 2 <= map_box["y"] + map_box["height"]
        ):
            failures.append(f"{path}: the marker is outside the map ({box} in {map_box})")
        problems.extend(page.evaluate("() => window.__cspViolations"))
        failures.extend(f"{path}: {problem}" for problem in problems)
    assert not failures, "\n".join(failures)
