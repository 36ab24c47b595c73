"""Settings: which council's server the app talks to, shared-phone mode, and version numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.screenmanager import Screen

from mobile.services.session import InvalidServerUrl
from mobile.services.store import SCHEMA_VERSION

Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class SettingsScreen(Screen):
    server_url = StringProperty("")
    problem = StringProperty("")
    saved = StringProperty("")
    shared_device = BooleanProperty(False)
    versions = StringProperty("")

    @property
    def session(self) -> Any:
        return App.get_running_app().session

    def prepare(self, **_context: Any) -> None:
        from mobile.app import APP_VERSION

        self.problem = ""
        self.saved = ""
        self.server_url = self.session.server_url
        self.ids.server_input.text = self.server_url
        self.shared_device = self.session.shared_device
        self.versions = (
            f"App version {APP_VERSION}\n"
            f"Outbox format version {self.session.store.schema_version} "
            f"(this app writes version {SCHEMA_VERSION})"
        )

    def save_server(self, typed: str) -> None:
        try:
            url = self.session.set_server_url(typed)
        except InvalidServerUrl as error:
            self.problem = str(error)
            self.saved = ""
            return
        self.problem = ""
        self.server_url = url
        self.ids.server_input.text = url
        self.saved = f"Saved. The app now talks to {url}."
        App.get_running_app().status = "Server address saved."

    def set_shared(self, shared: bool) -> None:
        if shared == self.session.shared_device:
            return
        self.session.set_shared_device(shared)
        self.shared_device = shared
        App.get_running_app().status = (
            "Shared-phone mode is on." if shared else "Shared-phone mode is off."
        )
