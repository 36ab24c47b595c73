"""Photos for a reading: the phone's camera on Android, a chosen image file anywhere.

Whatever the source, the file handed back is the person's own (in the gallery or the camera's
folder); the reading screen passes it to :func:`mobile.services.photos.prepare_photo`, which
writes a clean copy into the app's folder, and only that copy is queued.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

PhotoCallback = Callable[[Path | None], None]
IMAGE_PATTERNS = ["*.jpg", "*.jpeg", "*.png", "*.webp", "*.JPG", "*.JPEG", "*.PNG", "*.WEBP"]


class PhotoCamera(Protocol):
    def take_photo(self, on_photo: PhotoCallback) -> None:
        """Take one photo and call ``on_photo`` with its path (None when cancelled)."""


class PlyerPhotoCamera:
    """The phone's camera app through plyer (Android)."""

    def __init__(self, scratch_dir: Path) -> None:
        self.scratch_dir = scratch_dir

    def take_photo(self, on_photo: PhotoCallback) -> None:
        from kivy.clock import mainthread
        from plyer import camera

        self.scratch_dir.mkdir(parents=True, exist_ok=True)
        target = self.scratch_dir / f"camera-{uuid.uuid4().hex}.jpg"

        @mainthread
        def taken(filename: str | None) -> bool:
            path = Path(filename) if filename else None
            on_photo(path if path is not None and path.exists() else None)
            return False

        _ask_for_camera_permission()
        camera.take_picture(filename=str(target), on_complete=taken)


def _ask_for_camera_permission() -> None:
    try:
        from android.permissions import Permission, request_permissions  # type: ignore
    except ImportError:
        return
    request_permissions([Permission.CAMERA])


def photo_camera(scratch_dir: Path) -> PhotoCamera | None:
    """The camera where there is one (Android); None on a desktop, which chooses files."""
    from kivy.utils import platform

    return PlyerPhotoCamera(scratch_dir) if platform == "android" else None


def choose_photo(
    on_photo: PhotoCallback,
    *,
    start_dir: str | Path | None = None,
    title: str = "Choose a photo",
    use_label: str = "Attach this photo",
) -> Any:
    """Let the person pick an image file. Returns the desktop popup (None on Android).

    The scan screen uses it too, with its own wording, to read a photo of a sign.
    """
    from kivy.utils import platform

    if platform == "android":
        from kivy.clock import mainthread
        from plyer import filechooser

        # Android's own picker reaches the gallery, which the app's storage cannot. Its answer
        # comes on another thread; widgets may only be touched on Kivy's.
        filechooser.open_file(
            on_selection=mainthread(lambda chosen: on_photo(Path(chosen[0]) if chosen else None)),
            filters=IMAGE_PATTERNS,
        )
        return None
    return _desktop_chooser(on_photo, start_dir=start_dir, title=title, use_label=use_label)


def _desktop_chooser(
    on_photo: PhotoCallback, *, start_dir: str | Path | None, title: str, use_label: str
) -> Any:
    from kivy.metrics import dp
    from kivy.uix.boxlayout import BoxLayout
    from kivy.uix.button import Button
    from kivy.uix.filechooser import FileChooserListView
    from kivy.uix.popup import Popup

    folder = Path(start_dir) if start_dir else Path.home()
    chooser = FileChooserListView(path=str(folder), filters=IMAGE_PATTERNS)
    use = Button(text=use_label, size_hint_y=None, height=dp(52), disabled=True)
    cancel = Button(text="Cancel", size_hint_y=None, height=dp(52))
    buttons = BoxLayout(size_hint_y=None, height=dp(52), spacing=dp(8))
    buttons.add_widget(cancel)
    buttons.add_widget(use)
    content = BoxLayout(orientation="vertical", spacing=dp(8))
    content.add_widget(chooser)
    content.add_widget(buttons)
    popup = Popup(title=title, content=content, title_size="18sp")
    popup.chooser = chooser
    popup.use_button = use

    def chosen(*_args: Any) -> None:
        popup.dismiss()
        on_photo(Path(chooser.selection[0]) if chooser.selection else None)

    chooser.bind(selection=lambda _chooser, selection: setattr(use, "disabled", not selection))
    chooser.bind(on_submit=chosen)
    use.bind(on_release=chosen)
    cancel.bind(on_release=lambda *_args: popup.dismiss())
    popup.open()
    return popup
