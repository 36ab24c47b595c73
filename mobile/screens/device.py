"""Device: what a street device does, as its DTPR answers with icons, from its code.

The device comes from the server (``GET /api/v1/devices/<code>/``) in a background thread, and
is kept on the phone; without signal, the copy kept last time is shown with the date it was
saved.
"""

from __future__ import annotations

import threading
import webbrowser
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from dtpr_assets.codes import normalise_code
from mobile.services.device_summary import (
    DeviceLookup,
    DeviceSummary,
    ElementRow,
    device_lookup,
    fetch_device,
)
from mobile.services.icons import IconFiles

LOOK = Path(__file__).with_name("scan_device_look.kv")
if str(LOOK) not in Builder.files:
    Builder.load_file(str(LOOK))
Builder.load_file(str(Path(__file__).with_suffix(".kv")))


def built(kv_class: str, **values: Any) -> Any:
    """A widget of a kv-declared class with its kv properties set (they are not kwargs)."""
    widget = Factory.get(kv_class)()
    for name, value in values.items():
        setattr(widget, name, value)
    return widget


def open_in_browser(url: str) -> None:
    """Open a web page, or a mailto: or tel: address, in the app the phone or desktop uses."""
    try:
        # python-for-android's module hands the address to Android (an ACTION_VIEW intent).
        from android import open_url  # type: ignore[import-not-found]
    except ImportError:
        webbrowser.open(url)
        return
    open_url(url)


class DeviceScreen(Screen):
    code = StringProperty("")
    loading = BooleanProperty(False)
    problem = StringProperty("")
    offline_note = StringProperty("")
    title = StringProperty("")
    status_line = StringProperty("")
    summary = StringProperty("")
    location = StringProperty("")
    web_page = StringProperty("")
    device = ObjectProperty(None, allownone=True)
    # How links are opened; the tests keep a list of them instead of starting a browser.
    open_url: Callable[[str], None] = staticmethod(open_in_browser)

    _request = 0

    @property
    def session(self) -> Any:
        return App.get_running_app().session

    def prepare(self, *, code: str, **_context: Any) -> None:
        self.code = normalise_code(code) or code.strip().upper()
        code = self.code
        self.show_lookup(DeviceLookup(code))
        self.loading = True
        self._request += 1
        request = self._request
        api = self.session.api

        def fetch() -> None:
            body, error = fetch_device(api, code)
            Clock.schedule_once(lambda _dt: self._fetched(request, body, error))

        threading.Thread(target=fetch, name=f"device-{code}", daemon=True).start()

    def _fetched(self, request: int, body: Any, error: Exception | None) -> None:
        if request != self._request:
            return  # another code was asked for since
        self.loading = False
        self.show_lookup(device_lookup(self.session.store, self.code, body, error))

    def show_lookup(self, lookup: DeviceLookup) -> None:
        device = lookup.device
        self.device = device
        self.problem = lookup.problem or ""
        self.offline_note = (
            f"No signal: this is the copy saved on this phone on {lookup.saved_on}."
            if device is not None and lookup.saved_on
            else ""
        )
        self.title = device.title if device else ""
        self.status_line = f"{device.status_label} \u00b7 code {device.code}" if device else ""
        self.summary = device.summary if device else ""
        self.location = device.location if device else ""
        self.web_page = (device.link("Web page") or "") if device else ""
        self._show_rows(device)
        self.ids.scroller.scroll_y = 1

    def _show_rows(self, device: DeviceSummary | None) -> None:
        rows, links = self.ids.rows, self.ids.links
        rows.clear_widgets()
        links.clear_widgets()
        if device is None:
            return
        icons = IconFiles(Path(self.session.data_dir) / "icon-cache")
        for group in device.groups:
            rows.add_widget(
                built("DeviceCategoryHeading", name=group.name, question=group.question)
            )
            for row in group.rows:
                rows.add_widget(self._row_widget(row, icons))
        for link in device.links:
            if link.label == "Web page":
                continue
            button = Factory.SignSecondaryButton(text=link.label)
            button.bind(on_release=lambda _button, url=link.url: self.open_link(url))
            links.add_widget(button)

    def _row_widget(self, row: ElementRow, icons: IconFiles) -> Any:
        icon = icons.path_for(*row.icon_key) if row.icon_key else None
        widget = built(
            "DeviceElementRow",
            icon_source=str(icon) if icon else "",
            row_title=row.title,
            row_text=row.description,
            details="\n".join(f"{label}: {value}" for label, value in row.variables),
        )
        for action in row.actions:
            button = Factory.SignSecondaryButton(text=action.label)
            button.bind(on_release=lambda _button, url=action.target: self.open_link(url))
            widget.ids.actions.add_widget(button)
        return widget

    def scan_another(self) -> None:
        App.get_running_app().show("scan")

    def open_link(self, url: str) -> None:
        if url:
            self.open_url(url)
