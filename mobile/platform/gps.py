"""Where the phone is, with how sure it is: plyer's GPS on Android, none on a desktop.

The reading screen asks :func:`location_source` for an adapter and starts it when a person
chooses "Somewhere else". On a desktop (and in the tests) there is no fix: the screen says so
and the person types the latitude, longitude and an accuracy they choose. A fix is only ever a
suggestion that fills those fields; the person can still change them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Fix:
    latitude: float
    longitude: float
    accuracy_m: float


FixCallback = Callable[[Fix], None]
StatusCallback = Callable[[str], None]

NO_GPS = "This device has no GPS the app can use. Type the location and how accurate it is."


class LocationSource(Protocol):
    available: bool

    def start(self, on_fix: FixCallback, on_status: StatusCallback) -> None:
        """Look for the position; call ``on_fix`` for each fix and ``on_status`` with news."""

    def stop(self) -> None: ...


class PlyerGps:
    """Android's location service through plyer, with the accuracy it reports (metres)."""

    available = True

    def __init__(self) -> None:
        self._running = False

    def start(self, on_fix: FixCallback, on_status: StatusCallback) -> None:
        from kivy.clock import mainthread
        from plyer import gps

        # plyer calls back on Android's thread; widgets may only be touched on Kivy's.
        @mainthread
        def located(**kwargs: Any) -> None:
            accuracy = kwargs.get("accuracy")
            if accuracy is None:
                return  # a position without its accuracy cannot be sent
            on_fix(Fix(float(kwargs["lat"]), float(kwargs["lon"]), round(float(accuracy), 1)))

        @mainthread
        def status(kind: str, message: str) -> None:
            if kind == "provider-disabled":
                on_status("Location is turned off. Turn it on, or type the location.")

        _ask_for_location_permission()
        gps.configure(on_location=located, on_status=status)
        gps.start(minTime=1000, minDistance=0)
        self._running = True
        on_status("Finding your position\u2026")

    def stop(self) -> None:
        if self._running:
            from plyer import gps

            gps.stop()
            self._running = False


class NoGps:
    """A desktop: no fix ever comes, and the person is told to type the location."""

    available = False

    def start(self, on_fix: FixCallback, on_status: StatusCallback) -> None:
        on_status(NO_GPS)

    def stop(self) -> None:
        pass


class FixedPosition:
    """Gives one fix at once: the tests' stand-in for a phone that has found itself."""

    available = True

    def __init__(self, fix: Fix) -> None:
        self.fix = fix

    def start(self, on_fix: FixCallback, on_status: StatusCallback) -> None:
        on_status(f"Position found to within {self.fix.accuracy_m:g} metres.")
        on_fix(self.fix)

    def stop(self) -> None:
        pass


def _ask_for_location_permission() -> None:
    # Android 6 and later ask at run time; the manifest's permission is not enough.
    try:
        from android.permissions import Permission, request_permissions  # type: ignore
    except ImportError:
        return
    request_permissions([Permission.ACCESS_FINE_LOCATION, Permission.ACCESS_COARSE_LOCATION])


def location_source() -> LocationSource:
    from kivy.utils import platform

    return PlyerGps() if platform == "android" else NoGps()
