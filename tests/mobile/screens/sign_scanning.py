"""Helpers for the scan and device screen tests: the demo borough on a live server, its signs."""

from __future__ import annotations

import importlib.util
import io
import socket
import urllib.request
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

# The window takes its size from Kivy's config when it opens; sized afterwards, the first layout
# is for 800 by 600 and screenshots show a black band at the top. (The shell helper's conftest
# does the same; set here too so these tests draw right on their own.)
from kivy.config import Config

from .conftest import PHONE_SIZE, pump

Config.set("graphics", "width", str(PHONE_SIZE[0]))
Config.set("graphics", "height", str(PHONE_SIZE[1]))
Config.set("graphics", "resizable", "0")

# Every test with the live server starts from the migrated database (Wagtail's root page).
live_demo = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def home_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app opens on "home"; on a branch without the home screen, a scan screen stands in."""
    if importlib.util.find_spec("mobile.screens.home") is None:
        from mobile.app import SCREENS

        monkeypatch.setitem(SCREENS, "home", "mobile.screens.scan:ScanScreen")


def load_demo_borough() -> None:
    call_command("load_demo", "--no-users", stdout=io.StringIO())


def demo_device(slug: str) -> Any:
    from portal.registry.models import DevicePage

    return DevicePage.objects.live().get(slug=slug)


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


def unreachable_server() -> str:
    """An address where nothing listens: connections are refused at once, as with no signal."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def pump_until(done: Callable[[], bool], *, frames: int = 600) -> None:
    """Let Kivy run until ``done()`` (a background fetch has come back), at most ``frames``."""
    for _ in range(frames):
        if done():
            return
        pump(1)
    assert done(), "the screen never finished what it was doing"


def press(button: Any) -> None:
    """Press and release a button as a finger would, then let Kivy draw."""
    assert not button.disabled, f"{button.text!r} is disabled"
    button.dispatch("on_press")
    button.dispatch("on_release")
    pump()


def labels_on(widget: Any) -> list[str]:
    """Every piece of text shown inside ``widget``."""
    from kivy.uix.label import Label

    return [child.text for child in widget.walk() if isinstance(child, Label) and child.text]
