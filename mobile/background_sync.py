"""Sending the outbox in a background thread, so the screens never wait for the network.

The thread opens its own ``Store`` on the app's file (an SQLite connection belongs to the thread
that made it) and its own ``ApiClient``, runs ``Syncer.sync`` until nothing is waiting or it is
told to stop, and hands each progress report to the app's thread through ``Clock``: widgets are
only ever touched there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kivy.clock import Clock

from mobile.services.api import ApiClient, Transport
from mobile.services.store import Store

Report = Any  # mobile.services.sync.SyncReport, imported with the Syncer when a run starts


class BackgroundSync:
    """One sending thread at a time; ``send_now`` while it runs wakes it from its back-off."""

    def __init__(
        self,
        *,
        store_path: Path,
        server: Callable[[], str],
        token: Callable[[], str | None],
        transport: Transport | None = None,
        on_progress: Callable[[Report], None],
        on_finished: Callable[[Report | None, str | None], None],
    ) -> None:
        self.store_path = store_path
        self._server = server
        self._token = token
        self._transport = transport
        self._on_progress = on_progress
        self._on_finished = on_finished
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._again = False
        # True from the start of a run until it has decided to finish (under the lock), so a
        # "Send now" in between is either seen by the running pass or starts a new thread.
        self._active = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._api: ApiClient | None = None
        self._latest: tuple[str, str | None] | None = None

    @property
    def running(self) -> bool:
        """A thread exists (it may be closing its store after its last pass)."""
        return self._thread is not None and self._thread.is_alive()

    @property
    def sending(self) -> bool:
        """A run is under way and will see a "Send now"."""
        return self._active

    def send_now(self) -> None:
        """Start sending, or if already sending, stop waiting and try again at once."""
        with self._lock:
            if self._active:
                # The running thread picks these up when it wakes: an address fixed in Settings
                # or a token from registering takes effect at once.
                self._latest = (self._server(), self._token())
                self._again = True
                self._wake.set()
                return
            self._stop.clear()
            self._wake.clear()
            self._again = False
            self._active = True
            # Read on the app's thread: the server address and token as they are right now.
            server, token = self._server(), self._token()
            self._thread = threading.Thread(
                target=self._run, args=(server, token), name="plainsight-sync", daemon=True
            )
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to finish the exchange it is in and return; wait for it."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _sleep(self, seconds: float) -> None:
        # The back-off between passes: cut short by "Send now" or by stopping.
        if self._wake.wait(seconds):
            self._wake.clear()
        self._take_latest()

    def _take_latest(self) -> None:
        with self._lock:
            latest, self._latest = self._latest, None
        if latest is not None and self._api is not None:
            self._api.server, self._api.token = latest[0].rstrip("/"), latest[1]

    def _run(self, server: str, token: str | None) -> None:
        report: Report | None = None
        problem: str | None = None
        store: Store | None = None
        try:
            from mobile.services.sync import Syncer

            store = Store(self.store_path)
            api = self._api = ApiClient(server, token=token, transport=self._transport)
            syncer = Syncer(store, api, sleep=self._sleep)
            while True:
                self._take_latest()
                report = syncer.sync(stop=self._stop, progress=self._progress)
                with self._lock:
                    if not self._again or self._stop.is_set():
                        self._active = False
                        break
                    self._again = False
        except Exception as error:  # whatever it was, the person must hear of it
            with self._lock:
                self._active = False
            problem = f"Sending stopped: {error}. Your records are safe; tap Send now to retry."
        finally:
            if store is not None:
                store.close()
            finished_report, finished_problem = report, problem
            Clock.schedule_once(lambda _dt: self._on_finished(finished_report, finished_problem))

    def _progress(self, report: Report) -> None:
        Clock.schedule_once(lambda _dt: self._on_progress(report))
