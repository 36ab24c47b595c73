"""A headless app per test: real Kivy widgets drawn into a 360 by 640 window, no event loop thread.

Tests drive the app as a person would (``press`` a button, ``type_into`` a text input: see
``interact.py``), let Kivy draw with ``pump``, and keep a PNG of what is on screen with
``screenshot``. The app's background sync is off unless a test asks for it
(``app_factory(auto_sync=True)``, or the person taps Send now), so a test that queues records
sees them wait. Screenshots go to
the test's temporary folder, and also to ``$APP_SCREENSHOTS_DIR`` when set (``make
app-screenshots`` sets it to docs/images/app, the pictures the README and docs show).
"""

from __future__ import annotations

import io
import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PHONE_SIZE = (360, 640)

# Kivy opens its window the first time anything imports kivy.core.window (mobile.app does, so
# a test module importing it at collection would open it): the size goes into Kivy's config
# before that, so the first layout is already a phone's. Set afterwards, the window opened at
# 800 by 600 and the root was laid out for that, leaving a black band at the top.
from kivy.config import Config  # noqa: E402

Config.set("graphics", "width", str(PHONE_SIZE[0]))
Config.set("graphics", "height", str(PHONE_SIZE[1]))
Config.set("graphics", "resizable", "0")


@pytest.fixture
def demo_server(live_server: Any) -> str:
    """The live server's address with the demo borough loaded (its campaigns and surveys).

    Tests that use it need ``pytest.mark.django_db(transaction=True, serialized_rollback=True)``
    (as the browser tests do) so each starts from the migrated database.
    """
    from django.core.management import call_command

    call_command("load_demo", "--no-users", stdout=io.StringIO())
    return live_server.url


@pytest.fixture
def offline_server() -> str:
    """An address where nothing answers: the app sees what it sees with no signal."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Closed on leaving the block: connecting is refused at once.
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="session")
def window() -> Any:
    from kivy.base import EventLoop
    from kivy.core.window import Window

    if tuple(Window.size) != PHONE_SIZE:
        Window.size = PHONE_SIZE
    EventLoop.ensure_window()
    return Window


def pump(frames: int = 4) -> None:
    """Let Kivy run its scheduled callbacks and draw a few frames."""
    from kivy.base import EventLoop

    for _ in range(frames):
        EventLoop.idle()


def make_app(
    window: Any,
    data_dir: Path,
    server: str | None = None,
    transport: Any = None,
    auto_sync: bool = False,
) -> Any:
    from kivy.app import App

    from mobile.app import PlainsightApp

    app = PlainsightApp(data_dir=data_dir, server=server, transport=transport, auto_sync=auto_sync)
    App._running_app = app
    app.root = app.build()
    window.add_widget(app.root)
    # What App.run() does once the window shows the root: the app starts (and may sync).
    app.dispatch("on_start")
    pump()
    return app


def close_app(window: Any, app: Any) -> None:
    from kivy.app import App

    window.remove_widget(app.root)
    # Dispatched, not called: kv's `app` caches the running app until it sees on_stop.
    app.dispatch("on_stop")
    App._running_app = None


@pytest.fixture
def app_factory(window: Any, tmp_path: Path) -> Iterator[Any]:
    """Start the app headlessly (more than once in a test to restart it on the same data)."""
    started: list[Any] = []

    def start(
        server: str | None = None,
        transport: Any = None,
        data_dir: Path | None = None,
        auto_sync: bool = False,
    ) -> Any:
        for running in started:
            close_app(window, running)
        started.clear()
        app = make_app(window, data_dir or tmp_path / "app-data", server, transport, auto_sync)
        started.append(app)
        return app

    yield start
    for running in started:
        close_app(window, running)


@pytest.fixture
def screenshot(window: Any, tmp_path: Path, request: Any) -> Any:
    """Save what the window shows as ``<name>.png``; returns the path."""

    def take(name: str) -> Path:
        pump()
        taken = Path(window.screenshot(name=str(tmp_path / f"{name}.png")))
        path = taken.with_name(f"{name}.png")
        taken.replace(path)
        publish_to = os.environ.get("APP_SCREENSHOTS_DIR")
        if publish_to:
            Path(publish_to).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, Path(publish_to) / path.name)
        return path

    return take
