"""The app's SQLite outbox: migrated forward without losing a record, never touched when newer."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from mobile.services import store as store_module
from mobile.services.store import MIGRATIONS, SCHEMA_VERSION, NewerStoreError, Store


def version_one_file(path) -> None:
    """A store as the first version of the app left it: only the first migration, one record."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("BEGIN")
    MIGRATIONS[0](db)
    db.execute("PRAGMA user_version = 1")
    db.execute(
        "INSERT INTO record (client_uuid, kind, target, payload, state, receipt, received_at, "
        "attempts, created_at, updated_at) VALUES "
        "('11111111-1111-4111-8111-111111111111', 'reading', 'rain-gauges', ?, 'sent', "
        "'R0001', '2026-11-01T09:00:00+00:00', 1, '2026-11-01T08:00:00+00:00', "
        "'2026-11-01T09:00:00+00:00'),"
        "('22222222-2222-4222-8222-222222222222', 'survey_response', 'data-and-you', ?, "
        "'pending', NULL, NULL, 3, '2026-11-02T08:00:00+00:00', '2026-11-02T08:00:00+00:00')",
        (json.dumps({"value": 4.5}), json.dumps({"answers": {"trust": "agree"}})),
    )
    db.execute("INSERT INTO setting (key, value) VALUES ('server_url', 'https://council.example')")
    db.execute("COMMIT")
    db.close()


def test_a_version_one_file_is_migrated_keeping_every_record(tmp_path):
    path = tmp_path / "old.sqlite3"
    version_one_file(path)

    store = Store(path)

    assert store.schema_version == SCHEMA_VERSION > 1
    sent, waiting = store.records()
    assert (sent.client_uuid, sent.state, sent.receipt, sent.payload) == (
        "11111111-1111-4111-8111-111111111111",
        "sent",
        "R0001",
        {"value": 4.5},
    )
    assert (waiting.state, waiting.attempts, waiting.payload) == (
        "pending",
        3,
        {"answers": {"trust": "agree"}},
    )
    assert store.setting("server_url") == "https://council.example"
    # The tables later versions added work on the migrated file.
    queued = store.queue("reading", "rain-gauges", {"value": 1.0}, photo_paths=["/tmp/a.jpg"])
    assert [photo.path for photo in store.record(queued.client_uuid).photos] == ["/tmp/a.jpg"]
    store.close()
    assert Store(path).schema_version == SCHEMA_VERSION  # opening again changes nothing


def test_a_file_from_a_newer_app_is_refused_and_left_exactly_as_it_was(tmp_path):
    path = tmp_path / "newer.sqlite3"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA journal_mode=DELETE")  # a file as another app version might leave it
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()

    with pytest.raises(NewerStoreError, match="newer version of the app"):
        Store(path)

    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not path.with_name(path.name + "-wal").exists()


def test_a_migration_that_fails_half_way_leaves_the_file_at_its_old_version(tmp_path, monkeypatch):
    path = tmp_path / "old.sqlite3"
    version_one_file(path)

    def broken(db):
        db.execute("CREATE TABLE half_done (x)")
        raise RuntimeError("the phone died")

    monkeypatch.setattr(store_module, "MIGRATIONS", (MIGRATIONS[0], broken))
    with pytest.raises(RuntimeError):
        Store(path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    db.close()


def test_receipts_rejections_and_a_fix(tmp_path):
    store = Store(tmp_path / "s.sqlite3")
    first = store.queue("reading", "rain-gauges", {"value": 1.0}, photo_paths=["/tmp/p.jpg"])
    second = store.queue("reading", "rain-gauges", {"value": -1.0})
    third = store.queue("survey_response", "data-and-you", {"answers": {}})
    assert store.waiting() == 3
    assert store.pending_photos() == []  # a photo waits for its reading's receipt

    store.note_attempt([first.client_uuid, second.client_uuid])
    store.mark_sent([(first.client_uuid, "R1", "2026-11-21T10:00:00+00:00")])
    store.mark_rejected_many([(second.client_uuid, "Too low.", {"value": ["Too low."]})])
    store.mark_rejected(third.client_uuid, reason="Closed.", refused=True)

    assert store.counts() == {"pending": 0, "sent": 1, "rejected": 1, "refused": 1}
    assert store.record(first.client_uuid).attempts == 1
    assert [photo.path for photo in store.pending_photos()] == ["/tmp/p.jpg"]
    assert store.waiting() == 1  # the photo
    rejected = store.record(second.client_uuid)
    assert (rejected.reason, rejected.errors) == ("Too low.", {"value": ["Too low."]})

    fixed = store.resubmit(second.client_uuid, {"value": 1.5})
    assert (fixed.state, fixed.payload, fixed.reason, fixed.errors) == (
        "pending",
        {"value": 1.5},
        None,
        {},
    )
    with pytest.raises(ValueError, match="Only a record the council rejected"):
        store.resubmit(third.client_uuid, {"answers": {}})  # refused cannot be resent
    with pytest.raises(ValueError, match="cannot be removed"):
        store.discard(second.client_uuid)  # waiting to be sent: never removed

    photo = store.pending_photos()[0]
    store.mark_photo(photo.client_uuid, receipt="P1", received_at="2026-11-21T10:01:00+00:00")
    assert store.photo_counts()["sent"] == 1
    assert store.waiting() == 1  # the corrected reading


def test_the_newest_records_can_be_read_without_reading_them_all(tmp_path):
    store = Store(tmp_path / "app.sqlite3")
    made = [store.queue("reading", "rain", {"value": n}).client_uuid for n in range(5)]
    store.mark_sent([(uuid, f"R-{n}", None) for n, uuid in enumerate(made)])

    newest = store.records(states=["sent"], limit=2, newest_first=True)
    assert [record.payload["value"] for record in newest] == [4, 3]
    assert [record.payload["value"] for record in store.records(limit=2)] == [0, 1]
