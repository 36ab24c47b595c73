"""The issue's promise, end to end: offline, then a bad connection, then a killed app; exact.

Against the live test server: a contributor registers through the app's client, the campaign
and the survey are downloaded into the app's store, and the phone goes offline. 200 readings
(a photo on one in ten) and 20 survey responses (a phone handed round at an event, so each has
its own participant token) are queued, and the sync runs through a proxy that drops
connections before and after the server acts, answers 500 and stalls past the client's timeout.
The server must end with exactly 200 readings, 20 responses and 20 photos, and the store with
220 receipts that are the server's. Then the same again with the sync in a separate process,
killed with SIGKILL part way and started again.
"""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mobile.services.api import ApiClient, HttpRequest, HttpResponse, TransportError
from mobile.services.session import STORE_FILE, Session
from mobile.services.sync import Syncer
from portal.citizen_science.models import Reading, ReadingPhoto
from surveys.models import Response
from tests.mobile.fault_proxy import FAULTS, fault_proxy
from tests.mobile.screens.interact import screen_text
from tests.mobile.server_content import (
    CAMPAIGN,
    GENEROUS_RATES,
    SURVEY,
    jpeg_with_gps,
    make_campaign_and_survey,
    reading_payload,
    survey_payload,
    throttle_rates,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

REPOSITORY = Path(__file__).resolve().parents[2]
READINGS, RESPONSES, PHOTO_EVERY = 200, 20, 10
CLIENT_TIMEOUT = 2.0  # seconds; the proxy's stalls last longer
STALL = 2.5


class NoSignal:
    """The phone's radio with no network at all."""

    def __init__(self) -> None:
        self.tries = 0

    def send(self, request: HttpRequest) -> HttpResponse:
        self.tries += 1
        raise TransportError("Network is unreachable")


@pytest.fixture
def server(live_server):
    make_campaign_and_survey()
    with throttle_rates(**GENEROUS_RATES):
        yield live_server.url


def registered_session(data_dir: Path, server: str) -> Session:
    """A phone that has registered and downloaded the campaign and the survey while online."""
    session = Session(data_dir, server=server)
    created = session.api.register([CAMPAIGN])
    session.remember_contributor(created["id"], created["token"])
    session.store.save_download("campaign", CAMPAIGN, session.api.campaign(CAMPAIGN))
    session.store.save_download("survey", SURVEY, session.api.survey(SURVEY))
    session.set_shared_device(True)
    return session


def queue_a_day_of_work(session: Session) -> None:
    """200 readings, a photo with GPS in its EXIF on every tenth, and 20 survey responses."""
    campaign = session.store.download("campaign", CAMPAIGN)
    for n in range(READINGS):
        photos = []
        if n % PHOTO_EVERY == 0:
            photos = [jpeg_with_gps(session.photos_dir / f"reading-{n}.jpg", shade=n)]
        payload = reading_payload(value=float(n % 50), unit=campaign["unit"])
        session.store.queue("reading", CAMPAIGN, payload, photo_paths=photos)
    assert session.store.download("survey", SURVEY)["slug"] == SURVEY
    for _ in range(RESPONSES):
        session.store.queue("survey_response", SURVEY, survey_payload(session.participant_token()))


def assert_exact(store_path: Path, already: dict[str, int]) -> None:
    """The server holds each queued record and photo once, and the store holds its receipt."""
    db = sqlite3.connect(store_path)
    records = dict(db.execute("SELECT client_uuid, receipt FROM record WHERE state = 'sent'"))
    photos = dict(db.execute("SELECT client_uuid, receipt FROM photo WHERE state = 'sent'"))
    total_records = db.execute("SELECT count(*) FROM record").fetchone()[0]
    total_photos = db.execute("SELECT count(*) FROM photo").fetchone()[0]
    db.close()

    assert Reading.objects.count() - already["readings"] == READINGS
    assert Response.objects.count() - already["responses"] == RESPONSES
    assert ReadingPhoto.objects.count() - already["photos"] == READINGS // PHOTO_EVERY
    assert total_records == len(records) == READINGS + RESPONSES  # 220 receipts, none missing
    assert total_photos == len(photos) == READINGS // PHOTO_EVERY
    held = {
        str(client_uuid): receipt
        for model in (Reading, Response, ReadingPhoto)
        for client_uuid, receipt in model.objects.values_list("client_uuid", "receipt")
    }
    assert {key: held[key] for key in records} == records  # the server's own receipts
    assert {key: held[key] for key in photos} == photos
    assert len(set(records.values())) == len(records)


def counts_on_server() -> dict[str, int]:
    return {
        "readings": Reading.objects.count(),
        "responses": Response.objects.count(),
        "photos": ReadingPhoto.objects.count(),
    }


def test_offline_then_a_bad_connection_ends_with_exactly_what_was_queued(
    server, tmp_path, app_factory, offline_server
):
    session = registered_session(tmp_path / "phone", server)
    already = counts_on_server()

    # Offline: nothing goes, nothing is lost, nothing is marked.
    offline = NoSignal()
    queue_a_day_of_work(session)
    report = Syncer(session.store, ApiClient(server, token=session.api.token, transport=offline))
    first = report.sync_once()
    assert offline.tries == 1
    assert (first.pending, first.failures) == (READINGS + RESPONSES, 1)
    assert session.store.counts() == {
        "pending": READINGS + RESPONSES,
        "sent": 0,
        "rejected": 0,
        "refused": 0,
    }
    assert counts_on_server() == already

    # Back in signal, through a connection that fails a quarter of the time.
    with fault_proxy(server, fault_rate=0.25, seed=8, stall_seconds=STALL) as proxy:
        through = ApiClient(proxy.url, token=session.api.token, timeout=CLIENT_TIMEOUT)
        syncer = Syncer(session.store, through, batch_size=25, base_delay=0.05, max_delay=0.5)
        done = syncer.sync(deadline=time.monotonic() + 240)

    assert {kind for kind in FAULTS if proxy.counts[kind]} == set(FAULTS)  # each fault happened
    # Every fault was a failed try (a slow answer on a busy machine may add a timeout of its own).
    assert done.failures >= proxy.faults()
    assert (done.pending, done.message) == (0, f"All {READINGS + RESPONSES} sent.")
    assert_exact(tmp_path / "phone" / STORE_FILE, already)
    session.close()

    # The app, opened afterwards without signal, shows the 220 receipts in its outbox.
    app = app_factory(server=offline_server, data_dir=tmp_path / "phone")
    app.show("outbox")
    shown = screen_text(app)
    assert f"Sent ({READINGS + RESPONSES})" in shown
    assert "0 waiting" in shown
    receipts = {
        str(u): r
        for model in (Reading, Response)
        for u, r in model.objects.values_list("client_uuid", "receipt")
    }
    newest = app.session.store.records(states=["sent"], limit=5, newest_first=True)
    for record in newest:
        assert f"Receipt {receipts[record.client_uuid]}" in shown


def sent_so_far(store_path: Path) -> int:
    try:
        db = sqlite3.connect(store_path, timeout=5)
        try:
            return db.execute("SELECT count(*) FROM record WHERE state = 'sent'").fetchone()[0]
        finally:
            db.close()
    except sqlite3.OperationalError:
        return 0


def sync_command(data_dir: Path, server: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "mobile.services.sync",
        "--data-dir",
        str(data_dir),
        "--server",
        server,
        "--batch-size",
        "10",
        "--timeout",
        str(CLIENT_TIMEOUT),
        "--base-delay",
        "0.05",
        "--max-delay",
        "0.5",
        "--seconds",
        "240",
        "--quiet",
    ]


def test_an_app_killed_mid_sync_and_started_again_still_ends_exact(server, tmp_path):
    data_dir = tmp_path / "phone"
    session = registered_session(data_dir, server)
    queue_a_day_of_work(session)
    session.close()
    store_path = data_dir / STORE_FILE
    already = counts_on_server()

    with fault_proxy(server, fault_rate=0.25, seed=11, stall_seconds=STALL) as proxy:
        command = sync_command(data_dir, proxy.url)
        app = subprocess.Popen(
            command, cwd=REPOSITORY, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        # Kill it once some receipts are stored and most are not.
        while sent_so_far(store_path) < 40 and app.poll() is None:
            time.sleep(0.01)
        assert app.poll() is None, "the sync ended before it could be killed"
        app.send_signal(signal.SIGKILL)
        app.wait()
        assert app.returncode == -signal.SIGKILL
        at_kill = sent_so_far(store_path)
        assert 0 < at_kill < READINGS + RESPONSES
        assert Reading.objects.count() - already["readings"] < READINGS  # mid-sync indeed

        again = subprocess.run(
            command, cwd=REPOSITORY, capture_output=True, text=True, timeout=300, check=False
        )
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"All {READINGS + RESPONSES - at_kill} sent." in again.stdout
    assert proxy.faults() > 0
    assert_exact(store_path, already)
