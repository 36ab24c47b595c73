"""Sending the outbox: readings in batches, then survey responses, then the readings' photos.

Every record and photo carries the ``client_uuid`` it was given when it was made, and the server
stores each one once whatever happens to the connection, so anything without a receipt is simply
sent again. Three rules keep the outbox exact:

* A receipt is stored (one commit for a batch) as soon as it arrives, before anything else
  happens; an app killed a moment later sends that record again and gets ``duplicate`` with
  the same receipt.
* No answer (no signal, a dropped connection, a timeout), a server error (5xx), an answer that
  is not the API's JSON, or "too many requests" (429) marks nothing: the pass stops and the next
  one comes after an exponential backoff with full jitter (or the server's ``Retry-After``).
* Nothing is ever deleted here. A record the server turned down stays in the outbox with the
  server's reason: ``rejected`` when the person can fix it and resend it, ``refused`` when it
  can never be accepted.

What the sync sends is built from the queued record:

* a reading: the payload (the API's reading fields: site, value, unit, observed_at, ...) with
  ``client_uuid`` and ``campaign`` taken from the record (``target`` is the campaign's slug);
* a photo: the file at the photo's path, as it is (EXIF is removed when the photo is kept),
  with the photo's own ``client_uuid``, once its reading has a receipt;
* a survey response: ``{client_uuid, answers, participant_token, code}``, the client_uuid from
  the record and the rest from the payload, to the survey named by ``target``.

Run ``python -m mobile.services.sync --data-dir DIR`` to send an app's outbox from a terminal.
"""

from __future__ import annotations

import argparse
import dataclasses
import email.utils
import random as random_module
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .api import ApiClient, ApiError, HttpResponse, TransportError
from .store import NewerStoreError, Photo, Record, Store

DEFAULT_BATCH_SIZE = 100
MAX_BATCH_SIZE = 500  # the API's limit
DEFAULT_RETRY_AFTER = 60.0


def backoff_delay(
    attempt: int, base: float, cap: float, random: Callable[[], float] = random_module.random
) -> float:
    """Seconds to wait before try number ``attempt + 1``: exponential backoff with full jitter.

    Anywhere between 0 and ``base * 2**attempt``, never more than ``cap``. The randomness spreads
    phones that lost signal together (a stadium, a tube line) so they do not all come back at
    the same moment.
    """
    ceiling = min(cap, base * 2 ** min(max(attempt, 0), 62))
    return random() * ceiling


def retry_after_seconds(value: str | None, *, now: float | None = None) -> float:
    """The server's ``Retry-After`` (seconds or an HTTP date) as seconds; 60 when absent."""
    if not value:
        return DEFAULT_RETRY_AFTER
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return DEFAULT_RETRY_AFTER
    return max(0.0, moment - (time.time() if now is None else now))


@dataclass
class SyncReport:
    sent: int = 0  # receipts stored this run (created or duplicate)
    rejected: int = 0  # the server said what to change
    refused: int = 0  # can never be accepted (survey closed, already answered)
    photos_sent: int = 0
    failures: int = 0  # attempts with no usable answer (no signal, 5xx, timeout, 429)
    pending: int = 0  # still waiting after this run
    message: str = ""  # one line for a person, e.g. "All 12 sent." / "No signal: 3 waiting."


class _PassOver(Exception):
    """This pass cannot go on: no answer, a server error, a wait asked for, or no registration."""

    def __init__(self, kind: str, wait: float | None = None) -> None:
        super().__init__(kind)
        self.kind = kind  # "no_answer", "server", "busy", "unregistered", "register_again"
        self.wait = wait


# What a person is told when a pass ends early, with how many are still waiting.
_TROUBLE = {
    "no_answer": "No signal: {waiting} waiting. The app will try again.",
    "server": "The council's server had a problem: {waiting} waiting. The app will try again.",
    "busy": "The council's server asked the app to wait: {waiting} waiting.",
    "unregistered": ("Register as a contributor (My data) to send readings: {waiting} waiting."),
    "register_again": (
        "The council no longer recognises this phone: register again (My data). "
        "{waiting} waiting, nothing lost."
    ),
}
# Troubles that waiting cannot fix: a person has to act, so sync() stops.
_NEEDS_A_PERSON = {"unregistered", "register_again"}


def one_line(errors: dict[str, list[str]], fallback: str) -> str:
    """The server's messages as one line for the outbox: each field's first message."""
    messages = []
    for value in errors.values():
        items = value if isinstance(value, list) else [value]
        if items and str(items[0]) not in messages:
            messages.append(str(items[0]))
    return " ".join(messages) or fallback


def _answer(response: HttpResponse) -> dict[str, Any] | None:
    data = response.json()
    return data if isinstance(data, dict) else None


class Syncer:
    """Sends what the store holds. One per thread: it uses the store it is given."""

    def __init__(
        self,
        store: Store,
        api: ApiClient,
        *,
        batch_size: int = DEFAULT_BATCH_SIZE,
        sleep: Callable[[float], None] = time.sleep,
        random: Callable[[], float] = random_module.random,
        base_delay: float = 1.0,
        max_delay: float = 300.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH_SIZE:
            raise ValueError(f"batch_size must be between 1 and {MAX_BATCH_SIZE}")
        self.store = store
        self.api = api
        self.batch_size = batch_size
        self.sleep = sleep
        self.random = random
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.monotonic = monotonic
        self.trouble: str | None = None  # why the last pass ended early, if it did
        self._wait_asked: float | None = None  # the server's Retry-After, after a 429

    # --- one pass -------------------------------------------------------------------------

    def sync_once(self) -> SyncReport:
        """Send everything once, stopping at the first failure. Never raises for the network."""
        report = SyncReport()
        self._pass(report)
        return self._finish(report)

    def _pass(self, report: SyncReport, progress: Callable[[], None] | None = None) -> None:
        self.trouble, wait = None, None
        troubles: list[_PassOver] = []
        # The small records first, photos (the slow part on a weak signal) last. Survey
        # responses need no registration, so a phone that cannot send readings still sends them.
        for step in (self._send_readings, self._send_survey_responses, self._send_photos):
            try:
                step(report, progress)
            except _PassOver as over:
                troubles.append(over)
                if over.kind not in _NEEDS_A_PERSON:
                    break  # no signal or a struggling server: do not try the rest now
        if troubles:
            # The most telling trouble: one a person must act on, else the first one met.
            chosen = next((t for t in troubles if t.kind in _NEEDS_A_PERSON), troubles[0])
            self.trouble, wait = chosen.kind, chosen.wait
        self._wait_asked = wait

    def _finish(self, report: SyncReport) -> SyncReport:
        report.pending = self.store.waiting()
        report.message = self._message(report)
        return report

    def _message(self, report: SyncReport) -> str:
        if self.trouble and report.pending:
            return _TROUBLE[self.trouble].format(waiting=report.pending)
        parts = []
        if report.sent or report.photos_sent:
            if report.pending or report.rejected or report.refused:
                parts.append(f"{report.sent} sent.")
            else:
                if report.sent:
                    parts.append(f"All {report.sent} sent." if report.sent > 1 else "1 sent.")
                else:
                    parts.append("Photos sent.")
        if report.rejected:
            verb = "needs" if report.rejected == 1 else "need"
            parts.append(f"{report.rejected} {verb} changing: see the outbox.")
        if report.refused:
            parts.append(f"{report.refused} could not be accepted: see the outbox.")
        if report.pending:
            parts.append(f"{report.pending} waiting.")
        return " ".join(parts) or "Nothing waiting to be sent."

    # --- readings -------------------------------------------------------------------------

    def _send_readings(self, report: SyncReport, progress: Callable[[], None] | None) -> None:
        waiting = self.store.records(states=["pending"], kind="reading")
        if not waiting:
            return
        if not self.api.token:
            raise _PassOver("unregistered")
        for start in range(0, len(waiting), self.batch_size):
            self._send_batch(waiting[start : start + self.batch_size], report)
            if progress:
                progress()

    def _send_batch(self, batch: Sequence[Record], report: SyncReport) -> None:
        uuids = [record.client_uuid for record in batch]
        self.store.note_attempt(uuids)
        response = self._exchange(
            report,
            lambda: self.api.send_readings(
                [{**r.payload, "client_uuid": r.client_uuid, "campaign": r.target} for r in batch]
            ),
        )
        data = _answer(response)
        receipts = data.get("receipts") if data else None
        if response.status not in (200, 400) or not isinstance(receipts, list):
            # A 400 without receipts is a batch the API could not read at all: nothing was
            # stored, and sending it again as it is cannot help, but neither can marking it.
            self._failed(report, "server")
        ours = set(uuids)
        sent: list[tuple[str, str, str | None]] = []
        rejected: list[tuple[str, str, dict[str, list[str]]]] = []
        for item in receipts:
            if not isinstance(item, dict) or item.get("client_uuid") not in ours:
                continue
            if item.get("result") in ("created", "duplicate") and item.get("receipt"):
                sent.append((item["client_uuid"], str(item["receipt"]), item.get("received_at")))
            elif item.get("result") == "rejected":
                errors = item.get("errors") if isinstance(item.get("errors"), dict) else {}
                reason = one_line(errors, "The council could not accept this reading.")
                rejected.append((item["client_uuid"], reason, errors))
        # The receipts first, in one commit: from here on the records are safe.
        self.store.mark_sent(sent)
        report.sent += len(sent)
        if rejected:
            self.store.mark_rejected_many(rejected)
            report.rejected += len(rejected)

    # --- photos ---------------------------------------------------------------------------

    def _send_photos(self, report: SyncReport, progress: Callable[[], None] | None) -> None:
        photos = self.store.pending_photos()
        if photos and not self.api.token:
            raise _PassOver("unregistered")
        missing_reading = 0
        for photo in photos:
            missing_reading += self._send_photo(photo, report)
            if progress:
                progress()
        if missing_reading:
            # The server does not hold these photos' readings (yet): try them again later.
            raise _PassOver("server")

    def _send_photo(self, photo: Photo, report: SyncReport) -> int:
        """1 when the server does not know the photo's reading, else 0."""
        try:
            content = Path(photo.path).read_bytes()
        except OSError:
            self.store.mark_photo(
                photo.client_uuid,
                reason="The photo is no longer on this phone, so it cannot be sent.",
            )
            return 0
        self.store.note_attempt([photo.client_uuid], table="photo")
        response = self._exchange(
            report, lambda: self.api.send_photo(photo.record_uuid, photo.client_uuid, content)
        )
        data = _answer(response)
        if response.status in (200, 201) and data and data.get("receipt"):
            self.store.mark_photo(
                photo.client_uuid,
                receipt=str(data["receipt"]),
                received_at=data.get("received_at"),
            )
            report.photos_sent += 1
        elif response.status == 400 and data is not None:
            errors = {k: v for k, v in data.items() if isinstance(v, list)}
            reason = one_line(errors, "The council could not accept this photo.")
            self.store.mark_photo(photo.client_uuid, reason=reason)
        elif response.status == 404:
            # The server does not hold the reading: this photo waits, and the others go on.
            report.failures += 1
            return 1
        else:
            self._failed(report, "server")
        return 0

    # --- survey responses -----------------------------------------------------------------

    def _send_survey_responses(
        self, report: SyncReport, progress: Callable[[], None] | None
    ) -> None:
        for record in self.store.records(states=["pending"], kind="survey_response"):
            self._send_survey_response(record, report)
            if progress:
                progress()

    def _send_survey_response(self, record: Record, report: SyncReport) -> None:
        body: dict[str, Any] = {
            "client_uuid": record.client_uuid,
            "answers": record.payload.get("answers"),
            "participant_token": record.payload.get("participant_token"),
        }
        if record.payload.get("code"):
            body["code"] = record.payload["code"]
        self.store.note_attempt([record.client_uuid])
        response = self._exchange(
            report, lambda: self.api.send_survey_response(record.target, body)
        )
        data = _answer(response)
        if response.status in (200, 201) and data and data.get("receipt"):
            self.store.mark_sent(
                [(record.client_uuid, str(data["receipt"]), data.get("submitted_at"))]
            )
            report.sent += 1
        elif response.status in (400, 409) and data and data.get("result") == "rejected":
            errors = data.get("errors") if isinstance(data.get("errors"), dict) else {}
            fallback = str(data.get("detail") or "The council could not accept this response.")
            refused = response.status == 409
            self.store.mark_rejected(
                record.client_uuid,
                reason=one_line(errors, fallback),
                errors=errors,
                refused=refused,
            )
            if refused:
                report.refused += 1
            else:
                report.rejected += 1
        elif response.status in (404, 415) and data and isinstance(data.get("detail"), str):
            # No such survey any more, or a body this server will never read: no retry helps.
            self.store.mark_rejected(record.client_uuid, reason=data["detail"], refused=True)
            report.refused += 1
        else:
            self._failed(report, "server")

    # --- one exchange ---------------------------------------------------------------------

    def _exchange(self, report: SyncReport, send: Callable[[], HttpResponse]) -> HttpResponse:
        """The server's answer, or _PassOver when there was none worth reading."""
        try:
            response = send()
        except TransportError:
            self._failed(report, "no_answer")
        except ApiError as error:  # raised before sending: there is no token
            raise _PassOver("unregistered") from error
        if response.status == 401:
            raise _PassOver("register_again")
        if response.status == 429:
            report.failures += 1
            raise _PassOver("busy", retry_after_seconds(response.header("Retry-After")))
        if response.status >= 500:
            self._failed(report, "server")
        return response

    @staticmethod
    def _failed(report: SyncReport, kind: str) -> None:
        report.failures += 1
        raise _PassOver(kind)

    # --- until done -----------------------------------------------------------------------

    def sync(
        self,
        *,
        stop: threading.Event | None = None,
        deadline: float | None = None,
        progress: Callable[[SyncReport], None] | None = None,
    ) -> SyncReport:
        """Passes until nothing is waiting, ``stop`` is set, or ``deadline`` (a
        ``time.monotonic()`` value) passes. Between passes that ended early it waits: the
        server's ``Retry-After`` after a 429, otherwise a backoff with full jitter that grows
        with each pass that sent nothing. Returns what the whole run did."""
        report = SyncReport()
        failed_passes = 0

        def tell() -> None:
            if progress:
                progress(self._finish(dataclasses.replace(report)))

        while True:
            before = (report.sent, report.rejected, report.refused, report.photos_sent)
            self._pass(report, tell if progress else None)
            tell()
            if self.trouble is None or self.trouble in _NEEDS_A_PERSON:
                break
            if not self.store.waiting():
                break
            moved = (report.sent, report.rejected, report.refused, report.photos_sent) != before
            failed_passes = 0 if moved else failed_passes + 1
            delay = backoff_delay(failed_passes, self.base_delay, self.max_delay, self.random)
            if self._wait_asked is not None:
                delay = max(delay, self._wait_asked)
            if stop is not None and stop.is_set():
                break
            if deadline is not None:
                left = deadline - self.monotonic()
                if left <= delay:
                    break
            self._wait(delay, stop)
            if stop is not None and stop.is_set():
                break
        return self._finish(report)

    def _wait(self, delay: float, stop: threading.Event | None) -> None:
        if stop is not None and self.sleep is time.sleep:
            stop.wait(delay)  # wakes at once when the app asks the sync to stop
        else:
            self.sleep(delay)


# --- from a terminal -------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    """Send an app's outbox: 0 when nothing is left waiting, 1 when some is, 2 when a person
    must act first (register or register again, correct the address, update the app)."""
    from .session import InvalidServerUrl, Session

    parser = argparse.ArgumentParser(
        prog="python -m mobile.services.sync", description="Send the app's outbox to the council."
    )
    parser.add_argument("--data-dir", required=True, help="the app's data folder")
    parser.add_argument("--server", help="the server's address (default: the app's setting)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE)
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds per request")
    parser.add_argument("--base-delay", type=float, default=1.0, help="first backoff, seconds")
    parser.add_argument("--max-delay", type=float, default=300.0, help="longest backoff")
    parser.add_argument("--seconds", type=float, help="give up after this many seconds")
    parser.add_argument("--quiet", action="store_true", help="print only the last line")
    options = parser.parse_args(argv)

    try:
        session = Session(options.data_dir, server=options.server)
    except (NewerStoreError, InvalidServerUrl) as error:
        print(error, file=sys.stderr)
        return 2
    try:
        session.api.timeout = options.timeout
        syncer = Syncer(
            session.store,
            session.api,
            batch_size=options.batch_size,
            base_delay=options.base_delay,
            max_delay=options.max_delay,
        )
        deadline = time.monotonic() + options.seconds if options.seconds else None

        def show(report: SyncReport) -> None:
            if not options.quiet:
                print(report.message, flush=True)

        report = syncer.sync(deadline=deadline, progress=show)
        print(
            f"{report.message} (sent {report.sent}, photos {report.photos_sent}, "
            f"rejected {report.rejected}, refused {report.refused}, failures {report.failures})",
            flush=True,
        )
        if syncer.trouble in _NEEDS_A_PERSON:
            return 2
        return 1 if report.pending else 0
    finally:
        session.close()


if __name__ == "__main__":
    sys.exit(main())
