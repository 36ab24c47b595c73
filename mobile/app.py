"""The Kivy application: a screen manager whose screens are loaded the first time they are shown."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.core.window import Window
from kivy.lang import Builder
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    ObjectProperty,
    StringProperty,
)
from kivy.uix.screenmanager import NoTransition, ScreenManager

from mobile.background_sync import BackgroundSync
from mobile.services.api import Transport
from mobile.services.session import Session

# Kept in step with pyproject.toml and buildozer.spec; shown in Settings.
APP_VERSION = "0.1.0"

# The key code Android's back button (and a desktop's Escape) arrives as.
BACK_KEY = 27

# name -> "module:Class". Loaded on first use, so the app opens on the home screen quickly.
SCREENS: dict[str, str] = {
    "home": "mobile.screens.home:HomeScreen",
    "scan": "mobile.screens.scan:ScanScreen",
    "device": "mobile.screens.device:DeviceScreen",
    "reading": "mobile.screens.reading:ReadingScreen",
    "survey": "mobile.screens.survey:SurveyScreen",
    "outbox": "mobile.screens.outbox:OutboxScreen",
    "my_data": "mobile.screens.my_data:MyDataScreen",
    "settings": "mobile.screens.settings:SettingsScreen",
}

Builder.load_file(str(Path(__file__).with_name("theme.kv")))


class PlainsightApp(App):
    title = "Plainsight"
    session = ObjectProperty(None, allownone=True)
    # A short message shown at the foot of every screen (sync progress, what just happened).
    status = StringProperty("")
    history = ListProperty([])
    # How many records are in each outbox state (pending, sent, rejected, refused).
    counts = DictProperty({})
    # True while the background thread is sending the outbox.
    syncing = BooleanProperty(False)

    def __init__(
        self,
        *,
        data_dir: str | Path | None = None,
        server: str | None = None,
        transport: Transport | None = None,
        # Send without being asked: when the app starts and whenever a screen opens with records
        # waiting. Off in most UI tests, so records they queue stay where they put them.
        auto_sync: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._data_dir = data_dir
        self._server = server
        self._transport = transport
        self._auto_sync = auto_sync
        self.sync: BackgroundSync | None = None
        # Set when the app stops: answers from the sync thread still in Kivy's queue are dropped.
        self._stopped = False
        # The person asked for the sync under way (so its outcome is always reported).
        self._asked = False

    def build(self) -> ScreenManager:
        data_dir = Path(self._data_dir) if self._data_dir else Path(self.user_data_dir)
        self.session = Session(data_dir, server=self._server, transport=self._transport)
        self.sync = BackgroundSync(
            store_path=self.session.store.path,
            server=lambda: self.session.server_url,
            token=lambda: self.session.contributor_token,
            transport=self._transport,
            on_progress=self._sync_progress,
            on_finished=self._sync_finished,
        )
        self.refresh_counts()
        Window.bind(on_keyboard=self.key_pressed)
        self.manager = ScreenManager(transition=NoTransition())
        self.show("home")
        return self.manager

    def on_start(self) -> None:
        if self._auto_sync:
            self.send_now(asked=False)

    # --- the outbox -----------------------------------------------------------------------

    def refresh_counts(self) -> None:
        self.counts = self.session.store.counts()

    def send_now(self, *, asked: bool = True) -> None:
        """Send what is waiting, in the background; progress arrives in ``status``.

        ``asked``: the person tapped Send now. A sync the app started itself says nothing
        when it had nothing to do, so the status line is not filled with "Nothing waiting".
        """
        if self.sync is None:
            return
        self._asked = asked or self._asked
        self.syncing = True
        if self.counts.get("pending"):
            self.status = "Sending\u2026"
        self.sync.send_now()

    def _worth_telling(self, report: Any) -> bool:
        if not report.message:
            return False
        did_something = any(
            (report.sent, report.rejected, report.refused, report.photos_sent, report.failures)
        )
        return self._asked or did_something or bool(report.pending)

    def _sync_progress(self, report: Any) -> None:
        if self._stopped:
            return
        if self._worth_telling(report):
            self.status = report.message
        self.outbox_changed()

    def _sync_finished(self, report: Any, problem: str | None) -> None:
        if self._stopped:
            return
        self.syncing = bool(self.sync and self.sync.sending)
        if problem:
            self.status = problem
        elif report is not None and self._worth_telling(report):
            self.status = report.message
        if not self.syncing:
            self._asked = False
        self.outbox_changed()

    def outbox_changed(self) -> None:
        """Call after anything is queued, sent or removed: counts and the outbox redraw."""
        self.refresh_counts()
        # Only when on screen: a long sync reports after every batch. (The outbox redraws itself
        # when it is opened.)
        if self.manager.current == "outbox":
            self.manager.get_screen("outbox").refresh()

    # --- moving between screens -----------------------------------------------------------

    def screen(self, name: str) -> Any:
        """The screen called ``name``, created the first time it is asked for."""
        if not self.manager.has_screen(name):
            module_name, class_name = SCREENS[name].split(":")
            screen_class = getattr(importlib.import_module(module_name), class_name)
            self.manager.add_widget(screen_class(name=name))
        return self.manager.get_screen(name)

    def show(self, name: str, *, remember: bool = True, **context: Any) -> Any:
        """Open a screen; ``context`` goes to its ``prepare`` (a campaign slug, a device code)."""
        screen = self.screen(name)
        # A screen may have queued something: every screen shows today's counts, and what waits
        # is sent (the sync keeps trying, backing off, while there is no signal).
        self.refresh_counts()
        if self._auto_sync and self.counts.get("pending") and not self.syncing:
            self.send_now(asked=False)
        if hasattr(screen, "prepare"):
            screen.prepare(**context)
        if remember and self.manager.current and self.manager.current != name:
            self.history.append(self.manager.current)
        self.manager.current = name
        return screen

    def go_back(self) -> bool:
        if not self.history:
            return False
        self.show(self.history.pop(), remember=False)
        return True

    def key_pressed(self, _window: Any, key: int, *_args: Any) -> bool:
        # True keeps Android from closing the app; on the first screen, back leaves as usual.
        if key == BACK_KEY:
            return self.go_back()
        return False

    def on_stop(self) -> None:
        self._stopped = True
        Window.unbind(on_keyboard=self.key_pressed)
        if self.sync is not None:
            self.sync.stop()
        if self.session is not None:
            self.session.close()
