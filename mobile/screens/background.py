"""Running a slow call (the network) off the app's thread and getting its answer back on it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from kivy.clock import Clock

T = TypeVar("T")


def in_background(
    work: Callable[[], T],
    *,
    done: Callable[[T], None],
    failed: Callable[[Exception], None],
) -> threading.Thread:
    """Run ``work`` in a thread; ``done(result)`` or ``failed(error)`` then runs on Kivy's thread.

    ``work`` must not touch widgets or the app's ``Store`` (both belong to Kivy's thread): it
    talks to the server and returns plain data.
    """

    def run() -> None:
        try:
            result = work()
        except Exception as error:  # handed to the screen, which says what failed
            caught = error
            Clock.schedule_once(lambda _dt: failed(caught))
            return
        Clock.schedule_once(lambda _dt: done(result))

    thread = threading.Thread(target=run, name="plainsight-request", daemon=True)
    thread.start()
    return thread


def describe_problem(error: Exception, doing: str) -> str:
    """A sentence for a person: what went wrong while ``doing`` and what to do about it."""
    from mobile.services.api import ApiError, TransportError

    if isinstance(error, TransportError):
        return (
            f"No connection to the council's server while {doing}. "
            "Check your signal or Wi-Fi and try again."
        )
    if isinstance(error, ApiError):
        return f"The server said no while {doing}: {error.message}"
    return (
        f"Something went wrong while {doing} ({error}). "
        "Try again; if it keeps happening, tell the council."
    )
