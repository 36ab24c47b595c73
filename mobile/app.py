"""The Kivy application: a screen manager whose screens are loaded the first time they are shown."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import ListProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from mobile.services.api import Transport
from mobile.services.session import Session

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

    def __init__(
        self,
        *,
        data_dir: str | Path | None = None,
        server: str | None = None,
        transport: Transport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._data_dir = data_dir
        self._server = server
        self._transport = transport

    def build(self) -> ScreenManager:
        data_dir = Path(self._data_dir) if self._data_dir else Path(self.user_data_dir)
        self.session = Session(data_dir, server=self._server, transport=self._transport)
        self.manager = ScreenManager(transition=NoTransition())
        self.show("home")
        return self.manager

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

    def on_stop(self) -> None:
        if self.session is not None:
            self.session.close()
