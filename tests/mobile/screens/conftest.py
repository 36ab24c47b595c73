"""A headless app per test: real Kivy widgets drawn into a 360 by 640 window, no event loop thread.

Tests drive the app as a person would (``press`` a button, ``type_into`` a text input), let Kivy
draw with ``pump``, and keep a PNG of what is on screen with ``screenshot``. Screenshots go to
the test's temporary folder, and also to ``$APP_SCREENSHOTS_DIR`` when set (``make
app-screenshots`` sets it to docs/images/app, the pictures the README and docs show).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PHONE_SIZE = (360, 640)


@pytest.fixture(scope="session")
def window() -> Any:
    from kivy.base import EventLoop
    from kivy.core.window import Window

    Window.size = PHONE_SIZE
    EventLoop.ensure_window()
    return Window


def pump(frames: int = 4) -> None:
    """Let Kivy run its scheduled callbacks and draw a few frames."""
    from kivy.base import EventLoop

    for _ in range(frames):
        EventLoop.idle()


def make_app(window: Any, data_dir: Path, server: str | None = None, transport: Any = None) -> Any:
    from kivy.app import App

    from mobile.app import PlainsightApp

    app = PlainsightApp(data_dir=data_dir, server=server, transport=transport)
    App._running_app = app
    app.root = app.build()
    window.add_widget(app.root)
    pump()
    return app


def close_app(window: Any, app: Any) -> None:
    from kivy.app import App

    window.remove_widget(app.root)
    app.on_stop()
    App._running_app = None


@pytest.fixture
def app_factory(window: Any, tmp_path: Path) -> Iterator[Any]:
    """Start the app headlessly (more than once in a test to restart it on the same data)."""
    started: list[Any] = []

    def start(
        server: str | None = None, transport: Any = None, data_dir: Path | None = None
    ) -> Any:
        for running in started:
            close_app(window, running)
        started.clear()
        app = make_app(window, data_dir or tmp_path / "app-data", server, transport)
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
