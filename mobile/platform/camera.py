"""Pictures of a sign to read the QR code from: the phone's camera, or a photo chosen from files.

On Android, plyer's camera opens the phone's own camera app, which takes one still picture
and hands it back; the app then decodes it (:mod:`mobile.platform.qr`). That is not a live
preview that reads the code as soon as it is in view: that would need a camera widget
(Kivy's ``Camera`` feeding frames to zxing-cpp) and has not been built. On a desktop there is
no camera adapter; the scan screen offers "Choose a photo of the sign" (a Kivy file chooser)
and typing the code instead.

Callbacks may arrive on another thread (Android's activity result): the screen hands them to
Kivy's thread before touching widgets.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

PictureCallback = Callable[[Path | None], None]


class Camera(Protocol):
    def take_picture(self, on_picture: PictureCallback) -> None:
        """Take one picture and call ``on_picture`` with its path (None if cancelled)."""


class PlyerCamera:
    """The phone's camera app, through plyer (Android)."""

    def __init__(self, pictures_dir: Path) -> None:
        self.pictures_dir = pictures_dir

    def take_picture(self, on_picture: PictureCallback) -> None:
        from plyer import camera

        self.pictures_dir.mkdir(parents=True, exist_ok=True)
        # Kept in the app's own folder and deleted once read: a sign photo is not a record.
        target = self.pictures_dir / f"sign-{uuid.uuid4().hex}.jpg"

        def taken(filename: str | None) -> bool:
            path = Path(filename) if filename else None
            on_picture(path if path is not None and path.exists() else None)
            return False

        _ask_for_camera_permission()
        camera.take_picture(filename=str(target), on_complete=taken)


class StillPictureCamera:
    """Hands back a picture already on disk as if it had just been taken.

    The tests' camera (a sign rendered by the portal), and a way to try the camera path on a
    desktop: ``PLAINSIGHT_CAMERA_PICTURE=/path/to/photo.jpg make mobile``.
    """

    def __init__(self, picture: str | Path) -> None:
        self.picture = Path(picture)

    def take_picture(self, on_picture: PictureCallback) -> None:
        on_picture(self.picture if self.picture.exists() else None)


def _ask_for_camera_permission() -> None:
    # Android 6 and later ask at run time; the manifest's CAMERA permission is not enough.
    try:
        from android.permissions import Permission, request_permissions  # type: ignore
    except ImportError:
        return
    request_permissions([Permission.CAMERA])


def camera_for_this_device(pictures_dir: Path) -> Camera | None:
    """The camera adapter for where the app runs, or None on a desktop without one."""
    import os

    from kivy.utils import platform

    if platform == "android":
        return PlyerCamera(pictures_dir)
    stand_in = os.environ.get("PLAINSIGHT_CAMERA_PICTURE")
    return StillPictureCamera(stand_in) if stand_in else None


def choose_picture(on_picture: PictureCallback, *, start_dir: str | Path | None = None) -> Any:
    """Let the person choose a photo of a sign. Returns the desktop popup (None on Android)."""
    from mobile.platform.photos import choose_photo

    return choose_photo(
        on_picture,
        start_dir=start_dir,
        title="Choose a photo of the sign",
        use_label="Use this photo",
    )
