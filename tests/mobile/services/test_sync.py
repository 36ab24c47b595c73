"""Sending the outbox: each kind of answer, what the person sees, and waiting between tries."""

from __future__ import annotations

import threading
import uuid

import pytest
from django.core.cache import cache

from mobile.services.api import ApiClient, HttpRequest, HttpResponse, TransportError
from mobile.services.store import Store
from mobile.services.sync import Syncer, SyncReport, backoff_delay, retry_after_seconds
from portal.citizen_science.models import Reading, ReadingPhoto
from surveys.models import Response
from tests.mobile.fault_proxy import fault_proxy
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

live = pytest.mark.django_db(transaction=True, serialized_rollback=True)


# --- waiting between tries ---------------------------------------------------------------------


def test_backoff_doubles_up_to_the_cap_with_full_jitter():
    most = [backoff_delay(attempt, 0.5, 10.0, lambda: 0.999999) for attempt in range(8)]
    assert [round(d, 3) for d in most] == [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0]
    assert backoff_delay(3, 0.5, 10.0, lambda: 0.0) == 0.0
    assert backoff_delay(3, 0.5, 10.0, lambda: 0.25) == 1.0
    assert backoff_delay(10_000, 1.0, 300.0, lambda: 0.5) == 150.0  # no overflow, still capped


def test_retry_after_in_seconds_or_as_a_date():
    assert retry_after_seconds("17") == 17.0
    assert retry_after_seconds(None) == 60.0
    assert retry_after_seconds("soon") == 60.0
    assert retry_after_seconds("Sat, 21 Nov 2026 10:00:30 GMT", now=1_795_255_200.0) == 30.0


# --- without a server --------------------------------------------------------------------------


class NoSignal:
    def __init__(self) -> None:
        self.tries = 0

    def send(self, request: HttpRequest) -> HttpResponse:
        self.tries += 1
        raise TransportError("Network is unreachable")


class CaptivePortal:
    """A café's Wi-Fi answering every request with its login page."""

    def send(self, request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, {"Content-Type": "text/html"}, b"<html>Log in to Wi-Fi</html>")


def queued_store(tmp_path, readings=3, responses=2) -> Store:
    store = Store(tmp_path / "outbox.sqlite3")
    for n in range(readings):
        store.queue("reading", CAMPAIGN, reading_payload(value=float(n)))
    for n in range(responses):
        store.queue("survey_response", SURVEY, survey_payload(f"participant-token-{n:04d}"))
    return store


def test_with_no_signal_nothing_is_marked_and_the_waits_grow(tmp_path):
    store = queued_store(tmp_path)
    transport = NoSignal()
    waits: list[float] = []
    stop = threading.Event()

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        if len(waits) == 4:
            stop.set()

    syncer = Syncer(
        store,
        ApiClient("http://phone.invalid", token="t", transport=transport),
        sleep=sleep,
        random=lambda: 1.0,
        base_delay=1.0,
        max_delay=5.0,
    )
    report = syncer.sync(stop=stop)

    assert waits == [2.0, 4.0, 5.0, 5.0]  # no progress: each wait longer, up to the cap
    assert store.counts() == {"pending": 5, "sent": 0, "rejected": 0, "refused": 0}
    assert (report.sent, report.failures, report.pending) == (0, 4, 5)
    assert report.message == "No signal: 5 waiting. The app will try again."
    assert transport.tries == 4  # each pass stops at the first request with no answer
    assert [r.attempts for r in store.records(kind="reading")] == [4, 4, 4]


def test_an_answer_that_is_not_the_api_marks_nothing(tmp_path):
    store = queued_store(tmp_path)
    report = Syncer(
        store, ApiClient("http://x.invalid", token="t", transport=CaptivePortal())
    ).sync_once()
    assert store.counts()["pending"] == 5
    assert report.failures == 1
    assert "waiting" in report.message


def test_the_deadline_ends_the_run(tmp_path):
    store = queued_store(tmp_path)
    clock = [0.0]

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    syncer = Syncer(
        store,
        ApiClient("http://x.invalid", token="t", transport=NoSignal()),
        sleep=sleep,
        random=lambda: 1.0,
        base_delay=1.0,
        monotonic=lambda: clock[0],
    )
    report = syncer.sync(deadline=20.0)
    assert clock[0] <= 20.0
    assert report.failures >= 3
    assert report.pending == 5


def test_without_registration_survey_responses_still_go_and_readings_wait(tmp_path):
    store = queued_store(tmp_path, readings=2, responses=0)
    transport = NoSignal()
    report = Syncer(store, ApiClient("http://x.invalid", transport=transport)).sync()
    assert transport.tries == 0
    assert report.message == "Register as a contributor (My data) to send readings: 2 waiting."
    assert store.counts()["pending"] == 2


# --- against the live server -------------------------------------------------------------------


@pytest.fixture
def server(live_server, transactional_db):
    make_campaign_and_survey()
    with throttle_rates(**GENEROUS_RATES):
        yield live_server.url


def registered(server: str) -> ApiClient:
    api = ApiClient(server)
    api.register([CAMPAIGN])
    return api


@live
def test_each_kind_of_answer_ends_where_the_person_can_see_it(server, tmp_path):
    api = registered(server)
    store = Store(tmp_path / "outbox.sqlite3")
    good = [store.queue("reading", CAMPAIGN, reading_payload(value=float(n))) for n in range(5)]
    photo = jpeg_with_gps(tmp_path / "gauge.jpg")
    not_a_photo = tmp_path / "notes.jpg"
    not_a_photo.write_bytes(b"this is not a picture")
    with_photos = store.queue(
        "reading", CAMPAIGN, reading_payload(value=7.0), photo_paths=[photo, not_a_photo]
    )
    wrong_unit = store.queue("reading", CAMPAIGN, reading_payload(unit="inches"))
    answered = store.queue("survey_response", SURVEY, survey_payload("participant-token-0001"))
    bad_answer = store.queue(
        "survey_response", SURVEY, survey_payload("participant-token-0002", {"trust": "maybe"})
    )
    again = store.queue("survey_response", SURVEY, survey_payload("participant-token-0001"))
    no_survey = store.queue("survey_response", "gone-survey", survey_payload("participant-token-3"))

    report = Syncer(store, api, batch_size=3).sync_once()

    # Readings: receipts that match the server's, one per record.
    held = dict(Reading.objects.values_list("client_uuid", "receipt"))
    for record in [*good, with_photos]:
        stored = store.record(record.client_uuid)
        assert stored.state == "sent"
        assert stored.receipt == held[uuid.UUID(record.client_uuid)]
        assert stored.attempts == 1
    assert len(held) == 6
    # The photo has its receipt; the file that is not a picture is refused with a reason.
    photos = {p.path: p for p in store.record(with_photos.client_uuid).photos}
    assert photos[str(photo)].receipt == ReadingPhoto.objects.get().receipt
    assert photos[str(not_a_photo)].state == "refused"
    assert photos[str(not_a_photo)].reason
    # The rejected reading stays, with the server's reason and its errors per field.
    rejected = store.record(wrong_unit.client_uuid)
    assert rejected.state == "rejected"
    assert "mm" in rejected.reason
    assert "unit" in rejected.errors
    # Survey responses: created, fixable, never acceptable, and no such survey.
    assert store.record(answered.client_uuid).receipt == Response.objects.get().receipt
    assert store.record(bad_answer.client_uuid).state == "rejected"
    assert "trust" in store.record(bad_answer.client_uuid).errors
    refused = store.record(again.client_uuid)
    assert (refused.state, refused.reason) == (
        "refused",
        "You have already answered this survey. Thank you.",
    )
    assert store.record(no_survey.client_uuid).state == "refused"
    assert store.record(no_survey.client_uuid).reason
    assert (report.sent, report.rejected, report.refused, report.photos_sent) == (7, 2, 2, 1)
    assert report.pending == 0
    assert (
        report.message
        == "7 sent. 2 need changing: see the outbox. 2 could not be accepted: see the outbox."
    )
    assert sum(store.counts().values()) == 11  # nothing was deleted

    # The person fixes the rejected ones and sends them again.
    store.resubmit(wrong_unit.client_uuid, reading_payload(value=3.0))
    store.resubmit(bad_answer.client_uuid, survey_payload("participant-token-0002"))
    fixed = Syncer(store, api).sync()
    assert (fixed.sent, fixed.message) == (2, "All 2 sent.")
    assert store.record(wrong_unit.client_uuid).receipt
    assert (Reading.objects.count(), Response.objects.count()) == (7, 2)


@live
def test_a_forgotten_contributor_is_told_to_register_again_and_nothing_is_lost(server, tmp_path):
    store = queued_store(tmp_path, readings=2, responses=0)
    waits: list[float] = []
    report = Syncer(store, ApiClient(server, token="revoked-token"), sleep=waits.append).sync()
    assert waits == []  # waiting cannot fix this: a person has to act
    assert "register again" in report.message
    assert store.counts()["pending"] == 2
    assert Reading.objects.count() == 0


@live
def test_too_many_requests_waits_as_long_as_the_server_says(live_server, tmp_path):
    make_campaign_and_survey()
    store = queued_store(tmp_path, readings=0, responses=3)
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        cache.clear()  # the time the server asked for has passed

    with throttle_rates(survey_responses="1/minute"):
        report = Syncer(store, ApiClient(live_server.url), sleep=sleep, base_delay=0.01).sync()

    assert len(waits) == 2
    assert all(55 <= wait <= 60 for wait in waits)  # the server's Retry-After, not 0.01
    assert (report.sent, report.failures, report.pending) == (3, 2, 0)
    assert Response.objects.count() == 3


@live
def test_server_errors_and_lost_answers_are_sent_again_and_stored_once(server, tmp_path):
    api = registered(server)
    store = queued_store(tmp_path, readings=12, responses=4)
    with fault_proxy(server, fault_rate=0.5, seed=3, stall_seconds=1.5) as proxy:
        through = ApiClient(proxy.url, token=api.token, timeout=1.0)
        report = Syncer(store, through, batch_size=4, base_delay=0.01, max_delay=0.05).sync()
    assert all(proxy.counts[kind] for kind in proxy.kinds)  # every kind of fault happened
    assert report.failures >= proxy.faults()  # each fault was a failed try, none was marked
    assert report.pending == 0
    assert (Reading.objects.count(), Response.objects.count()) == (12, 4)
    receipts = {r.receipt for r in store.records(states=["sent"])}
    assert receipts == set(Reading.objects.values_list("receipt", flat=True)) | set(
        Response.objects.values_list("receipt", flat=True)
    )


@live
def test_a_photo_whose_reading_the_server_lacks_waits_and_blocks_nothing(server, tmp_path):
    api = registered(server)
    store = Store(tmp_path / "outbox.sqlite3")
    # A reading the phone believes was received, but the server does not hold.
    orphan = store.queue(
        "reading", CAMPAIGN, reading_payload(), photo_paths=[jpeg_with_gps(tmp_path / "a.jpg")]
    )
    store.mark_sent([(orphan.client_uuid, "R-NOT-ON-SERVER", None)])
    answered = store.queue("survey_response", SURVEY, survey_payload("participant-token-0009"))

    report = Syncer(store, api).sync_once()

    (photo,) = store.record(orphan.client_uuid).photos
    assert (photo.state, photo.attempts) == ("pending", 1)
    assert store.record(answered.client_uuid).state == "sent"
    assert (report.sent, report.failures, report.pending) == (1, 1, 1)
    assert report.message.startswith("The council's server had a problem: 1 waiting.")


@pytest.mark.parametrize(
    ("report", "said"),
    [
        (SyncReport(sent=1), "1 sent."),
        (SyncReport(sent=3), "All 3 sent."),
        (SyncReport(sent=1, rejected=1), "1 sent. 1 needs changing: see the outbox."),
        (SyncReport(rejected=2, pending=1), "2 need changing: see the outbox. 1 waiting."),
    ],
)
def test_the_summary_reads_as_a_person_would_say_it(tmp_path, report, said):
    syncer = Syncer(Store(tmp_path / "app.sqlite3"), ApiClient("http://127.0.0.1:9"))
    assert syncer._message(report) == said
