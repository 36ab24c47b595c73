"""The device screen: a demo device's DTPR summary with icons from the live server, its links,
the copy kept for offline use, and plain messages for unknown codes and no signal."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from .conftest import pump
from .sign_scanning import (
    demo_device,
    home_screen,  # noqa: F401 (an autouse fixture)
    labels_on,
    live_demo,
    load_demo_borough,
    press,
    pump_until,
    unreachable_server,
)


def shown_device(app, code: str):
    screen = app.show("device", code=code)
    pump_until(lambda: not screen.loading)
    pump()
    return screen


def scroll_to_top_of(screen, widget) -> None:
    """Scroll the device screen so that ``widget`` is at the top, as a thumb would."""
    scroller, content = screen.ids.scroller, screen.ids.content
    below_top = content.top - widget.top
    scroller.scroll_y = max(0.0, min(1.0, 1 - below_top / (content.height - scroller.height)))
    pump(6)


def element_rows(screen) -> list:
    return list(reversed(screen.ids.rows.children))


@live_demo
def test_a_demo_device_shows_its_dtpr_summary_with_icons_and_links(
    live_server, app_factory, screenshot, tmp_path: Path
):
    load_demo_borough()
    device = demo_device("cctv-market-square")
    app = app_factory(server=live_server.url, data_dir=tmp_path / "phone")
    screen = shown_device(app, device.code)

    assert screen.problem == ""
    shown = labels_on(screen)
    assert "CCTV camera, Market Square" in shown
    assert f"Active \u00b7 code {device.code}" in shown
    assert screen.summary.endswith("It collects personal data that can identify people.")
    screenshot("device")

    rows = [row for row in element_rows(screen) if hasattr(row, "row_title")]
    titles = [row.row_title for row in rows]
    # Grouped by category in DTPR's order: accountable, purpose, technology ... storage.
    assert titles.index("Millbrook Borough Council") < titles.index("Safety & Security")
    assert titles.index("Safety & Security") < titles.index("Identifiable Video")
    assert titles.index("Retained 31 days") < titles.index("Stored locally")
    retention = rows[titles.index("Retained 31 days")]
    assert retention.details == "Duration: 31 days"
    # Every known element has its icon, drawn as a 128 px PNG.
    for row in rows:
        assert row.icon_source, f"{row.row_title} has no icon"
        assert Image.open(row.icon_source).size == (128, 128)

    headings = [row.name for row in element_rows(screen) if hasattr(row, "question")]
    assert headings[:3] == ["Accountable", "Purpose", "Technology"]
    purpose = next(row for row in element_rows(screen) if getattr(row, "name", "") == "Purpose")
    scroll_to_top_of(screen, purpose)
    screenshot("device-dtpr-rows")

    opened: list[str] = []
    screen.open_url = opened.append
    press(screen.ids.web_page_button)
    assert opened == [f"{live_server.url}/devices/cctv-market-square/"]
    council = rows[titles.index("Millbrook Borough Council")]
    email = next(b for b in council.ids.actions.children if b.text == "Email")
    press(email)
    assert opened[-1] == "mailto:smartstreets@millbrook.example"
    concern = next(b for b in screen.ids.links.children if b.text == "Raise a concern")
    press(concern)
    assert opened[-1].endswith("/devices/cctv-market-square/#concern")

    # Later, out of signal: the app restarts on the same phone and cannot reach the server.
    app = app_factory(server=unreachable_server(), data_dir=tmp_path / "phone")
    screen = shown_device(app, device.code.lower())
    assert screen.problem == ""
    assert screen.title == "CCTV camera, Market Square"
    assert screen.offline_note.startswith("No signal: this is the copy saved on this phone on ")
    assert screen.offline_note in labels_on(screen)
    assert "Retained 31 days" in labels_on(screen)
    screenshot("device-offline")


@live_demo
def test_a_code_no_published_device_has_says_so(live_server, app_factory, screenshot):
    # A valid code, on a register with no devices.
    app = app_factory(server=live_server.url)
    screen = shown_device(app, "K7Q-29XG")
    assert screen.problem.startswith("No published device has the code K7Q-29XG.")
    assert screen.title == ""
    assert screen.problem in labels_on(screen)
    screenshot("device-unknown-code")


def test_without_signal_a_device_never_seen_says_so(app_factory):
    app = app_factory(server=unreachable_server())
    screen = shown_device(app, "K7Q-29XG")
    assert screen.problem == (
        "No signal, and this device has not been looked at on this phone before. "
        "Try again when you have signal."
    )
    press(next(b for b in screen.walk() if getattr(b, "text", "") == "Scan another sign"))
    assert app.manager.current == "scan"
