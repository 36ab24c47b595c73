"""Scan: find a device from the QR code on its sign, a photo of the sign, or its typed code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.app import App
from kivy.clock import mainthread
from kivy.lang import Builder
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from dtpr_assets.codes import explain_code_problem, normalise_code
from mobile.platform.camera import Camera, camera_for_this_device, choose_picture
from mobile.platform.qr import ScanResult, code_from_text, decode_file

LOOK = Path(__file__).with_name("scan_device_look.kv")
if str(LOOK) not in Builder.files:
    Builder.load_file(str(LOOK))
Builder.load_file(str(Path(__file__).with_suffix(".kv")))


class ScanScreen(Screen):
    # The camera adapter; None on a desktop, where the camera button is disabled.
    camera = ObjectProperty(None, allownone=True)
    camera_available = BooleanProperty(False)
    # Why the last photo or typed code did not lead to a device, for the person to act on.
    problem = StringProperty("")
    # The desktop photo chooser while it is open (the tests choose a file through it).
    photo_chooser = ObjectProperty(None, allownone=True)

    def on_kv_post(self, base_widget: Any) -> None:
        app = App.get_running_app()
        pictures = Path(app.session.data_dir) / "sign-pictures" if app else Path(".")
        self.camera = camera_for_this_device(pictures)

    def on_camera(self, _screen: Any, camera: Camera | None) -> None:
        self.camera_available = camera is not None

    def prepare(self, **_context: Any) -> None:
        self.problem = ""
        self.ids.code_input.text = ""

    def scan_with_camera(self) -> None:
        if self.camera is None:
            return
        self.problem = ""
        self.camera.take_picture(self.picture_ready)

    def choose_photo(self) -> None:
        self.problem = ""
        self.photo_chooser = choose_picture(self.picture_ready, start_dir=Path.home())

    @mainthread
    def picture_ready(self, path: Path | None) -> None:
        """A picture from the camera or the chooser (on Kivy's thread, whatever called it)."""
        self.photo_chooser = None
        if path is None:
            return  # cancelled: nothing to say
        result = decode_file(path)
        if path.name.startswith("sign-") and path.parent.name == "sign-pictures":
            # The camera's own picture, taken only to be read: don't keep it.
            path.unlink(missing_ok=True)
        self.show_result(result)

    def look_up_typed(self, typed: str) -> None:
        if "://" in typed:
            # A short link pasted from a message reads as well as a code.
            self.show_result(code_from_text(typed))
            return
        problem = explain_code_problem(typed)
        if problem is not None:
            self.problem = problem
            return
        self.open_device(normalise_code(typed) or typed)

    def show_result(self, result: ScanResult) -> None:
        if result.code is None:
            self.problem = result.problem or ""
            return
        self.open_device(result.code)

    def open_device(self, code: str) -> None:
        self.problem = ""
        App.get_running_app().show("device", code=code)
