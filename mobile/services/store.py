"""The app's local store: one SQLite file holding settings, downloaded definitions and the outbox.

Everything a person creates is written here first, with a ``client_uuid`` made at that moment,
and stays until the council's receipt for it is stored beside it. The file carries its schema
version (``PRAGMA user_version``) and is migrated forward step by step when the app starts, so
an update never loses a queued record. Each write commits at once with ``synchronous=FULL``: a
phone that dies or an app that is killed mid-sync keeps every record and every receipt it had.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

RecordKind = Literal["reading", "survey_response"]
RecordState = Literal["pending", "sent", "rejected", "refused"]

# pending: waiting to be sent (or sent and not yet answered); sent: the receipt is stored;
# rejected: the server said what to change (fix and resend); refused: it can never be accepted
# (the survey closed, or this phone already answered) and the person is told why.
STATES: tuple[RecordState, ...] = ("pending", "sent", "rejected", "refused")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _run(db: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it commits first, and a migration must be one transaction with the
    # version number it sets, so a crash half-way leaves the file as it was.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _v1(db: sqlite3.Connection) -> None:
    _run(
        db,
        """
        CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE download (
            kind TEXT NOT NULL,
            slug TEXT NOT NULL,
            body TEXT NOT NULL,
            downloaded_at TEXT NOT NULL,
            PRIMARY KEY (kind, slug)
        );
        CREATE TABLE record (
            client_uuid TEXT PRIMARY KEY,
            kind TEXT NOT NULL CHECK (kind IN ('reading', 'survey_response')),
            target TEXT NOT NULL,
            payload TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'rejected', 'refused')),
            receipt TEXT,
            received_at TEXT,
            reason TEXT,
            errors TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX record_state ON record (state, kind, created_at);
        """,
    )


def _v2(db: sqlite3.Connection) -> None:
    # Photos arrived in the second version of the outbox: each has its own client_uuid and
    # receipt, and is sent after the reading it belongs to.
    _run(
        db,
        """
        CREATE TABLE photo (
            client_uuid TEXT PRIMARY KEY,
            record_uuid TEXT NOT NULL REFERENCES record (client_uuid) ON DELETE CASCADE,
            path TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'sent', 'rejected', 'refused')),
            receipt TEXT,
            received_at TEXT,
            reason TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE INDEX photo_record ON photo (record_uuid);
        """,
    )


def _v3(db: sqlite3.Connection) -> None:
    # The sync asks for waiting photos on every pass; without an index that reads every photo
    # ever taken.
    _run(db, "CREATE INDEX photo_state ON photo (state, record_uuid)")


# Append only: a migration that has shipped is never edited, only followed by another.
MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_v1, _v2, _v3)
SCHEMA_VERSION = len(MIGRATIONS)


class NewerStoreError(RuntimeError):
    """The file was written by a newer version of the app; this one must not touch it."""


@dataclass(frozen=True)
class Photo:
    client_uuid: str
    record_uuid: str
    path: str
    state: RecordState
    receipt: str | None
    received_at: str | None
    reason: str | None
    attempts: int


@dataclass(frozen=True)
class Record:
    client_uuid: str
    kind: RecordKind
    target: str
    payload: dict[str, Any]
    state: RecordState
    receipt: str | None
    received_at: str | None
    reason: str | None
    errors: dict[str, list[str]]
    attempts: int
    created_at: str
    updated_at: str
    photos: tuple[Photo, ...] = field(default=())


def _record(row: sqlite3.Row, photos: tuple[Photo, ...] = ()) -> Record:
    return Record(
        client_uuid=row["client_uuid"],
        kind=row["kind"],
        target=row["target"],
        payload=json.loads(row["payload"]),
        state=row["state"],
        receipt=row["receipt"],
        received_at=row["received_at"],
        reason=row["reason"],
        errors=json.loads(row["errors"]) if row["errors"] else {},
        attempts=row["attempts"],
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        photos=photos,
    )


def _photo(row: sqlite3.Row) -> Photo:
    return Photo(
        client_uuid=row["client_uuid"],
        record_uuid=row["record_uuid"],
        path=row["path"],
        state=row["state"],
        receipt=row["receipt"],
        received_at=row["received_at"],
        reason=row["reason"],
        attempts=row["attempts"],
    )


class Store:
    """The app's SQLite file. Open one per process; it is not shared between threads."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.row_factory = sqlite3.Row
        # Refuse a newer file before anything writes to it (switching to WAL rewrites the header).
        try:
            self._refuse_newer()
        except NewerStoreError:
            self.db.close()
            raise
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    def close(self) -> None:
        self.db.close()

    # --- schema ---------------------------------------------------------------------------

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _refuse_newer(self) -> int:
        current = self.schema_version
        if current > SCHEMA_VERSION:
            raise NewerStoreError(
                f"This outbox was written by a newer version of the app (schema {current}; "
                f"this version knows {SCHEMA_VERSION}). Update the app: nothing has been changed."
            )
        return current

    def migrate(self, target: int = SCHEMA_VERSION) -> None:
        current = self._refuse_newer()
        for version in range(current + 1, target + 1):
            with self.transaction():
                MIGRATIONS[version - 1](self.db)
                self.db.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # --- settings -------------------------------------------------------------------------

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.db.execute("SELECT value FROM setting WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else default

    def set_setting(self, key: str, value: str | None) -> None:
        if value is None:
            self.db.execute("DELETE FROM setting WHERE key = ?", (key,))
        else:
            self.db.execute(
                "INSERT INTO setting (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    # --- downloaded definitions (campaigns, surveys, lists, devices) ------------------------

    def save_download(self, kind: str, slug: str, body: Any) -> None:
        self.db.execute(
            "INSERT INTO download (kind, slug, body, downloaded_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (kind, slug) DO UPDATE SET body = excluded.body, "
            "downloaded_at = excluded.downloaded_at",
            (kind, slug, json.dumps(body), _now()),
        )

    def download(self, kind: str, slug: str) -> Any | None:
        row = self.db.execute(
            "SELECT body FROM download WHERE kind = ? AND slug = ?", (kind, slug)
        ).fetchone()
        return json.loads(row["body"]) if row else None

    def downloads(self, kind: str) -> list[Any]:
        rows = self.db.execute(
            "SELECT body FROM download WHERE kind = ? ORDER BY slug", (kind,)
        ).fetchall()
        return [json.loads(row["body"]) for row in rows]

    def downloaded_at(self, kind: str, slug: str) -> str | None:
        row = self.db.execute(
            "SELECT downloaded_at FROM download WHERE kind = ? AND slug = ?", (kind, slug)
        ).fetchone()
        return row["downloaded_at"] if row else None

    # --- the outbox -----------------------------------------------------------------------

    def queue(
        self,
        kind: RecordKind,
        target: str,
        payload: dict[str, Any],
        *,
        photo_paths: Iterable[str | Path] = (),
        client_uuid: str | None = None,
    ) -> Record:
        """Keep a new record (and its photos) until the council has sent a receipt for it."""
        record_uuid = client_uuid or str(uuid.uuid4())
        now = _now()
        with self.transaction() as db:
            db.execute(
                "INSERT INTO record (client_uuid, kind, target, payload, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (record_uuid, kind, target, json.dumps(payload), now, now),
            )
            for path in photo_paths:
                db.execute(
                    "INSERT INTO photo (client_uuid, record_uuid, path, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    (str(uuid.uuid4()), record_uuid, str(path), now),
                )
        return self.record(record_uuid)  # type: ignore[return-value]

    def record(self, client_uuid: str) -> Record | None:
        row = self.db.execute(
            "SELECT * FROM record WHERE client_uuid = ?", (client_uuid,)
        ).fetchone()
        return _record(row, self._photos_of([client_uuid]).get(client_uuid, ())) if row else None

    def records(
        self,
        *,
        states: Iterable[RecordState] | None = None,
        kind: RecordKind | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> list[Record]:
        """Records oldest first (or newest first), with their photos."""
        clauses, params = [], []
        if states is not None:
            wanted = list(states)
            clauses.append(f"state IN ({', '.join('?' * len(wanted))})")
            params.extend(wanted)
        if kind is not None:
            clauses.append("kind = ?")
            params.append(kind)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        limit_sql = f"LIMIT {int(limit)}" if limit is not None else ""
        order = "DESC" if newest_first else "ASC"
        rows = self.db.execute(
            f"SELECT * FROM record {where} ORDER BY created_at {order}, rowid {order} {limit_sql}",
            params,
        ).fetchall()
        photos = self._photos_of([row["client_uuid"] for row in rows])
        return [_record(row, photos.get(row["client_uuid"], ())) for row in rows]

    def counts(self) -> dict[str, int]:
        """How many records are in each state, every state present."""
        counts = dict.fromkeys(STATES, 0)
        for row in self.db.execute("SELECT state, count(*) AS n FROM record GROUP BY state"):
            counts[row["state"]] = row["n"]
        return counts

    def _photos_of(self, record_uuids: list[str]) -> dict[str, tuple[Photo, ...]]:
        found: dict[str, list[Photo]] = {}
        # SQLite allows 32,766 parameters; ask in slices well under that.
        for start in range(0, len(record_uuids), 900):
            chunk = record_uuids[start : start + 900]
            rows = self.db.execute(
                f"SELECT * FROM photo WHERE record_uuid IN ({', '.join('?' * len(chunk))}) "
                "ORDER BY created_at, rowid",
                chunk,
            )
            for row in rows:
                found.setdefault(row["record_uuid"], []).append(_photo(row))
        return {key: tuple(value) for key, value in found.items()}

    def pending_photos(self, limit: int | None = None) -> list[Photo]:
        """Photos waiting to be sent whose reading already has its receipt."""
        limit_sql = f"LIMIT {int(limit)}" if limit is not None else ""
        rows = self.db.execute(
            "SELECT photo.* FROM photo JOIN record ON record.client_uuid = photo.record_uuid "
            "WHERE photo.state = 'pending' AND record.state = 'sent' "
            f"ORDER BY photo.created_at, photo.rowid {limit_sql}"
        ).fetchall()
        return [_photo(row) for row in rows]

    def waiting(self) -> int:
        """Records and photos the sync can send now: pending records, and pending photos whose
        reading has its receipt (a photo of a rejected reading waits for the reading's fix)."""
        records = self.db.execute("SELECT count(*) FROM record WHERE state = 'pending'")
        photos = self.db.execute(
            "SELECT count(*) FROM photo JOIN record ON record.client_uuid = photo.record_uuid "
            "WHERE photo.state = 'pending' AND record.state = 'sent'"
        )
        return int(records.fetchone()[0]) + int(photos.fetchone()[0])

    def photo_counts(self) -> dict[str, int]:
        """How many photos are in each state, every state present."""
        counts = dict.fromkeys(STATES, 0)
        for row in self.db.execute("SELECT state, count(*) AS n FROM photo GROUP BY state"):
            counts[row["state"]] = row["n"]
        return counts

    def note_attempt(self, client_uuids: Iterable[str], *, table: str = "record") -> None:
        """Count a try before it is made, so a record that crashes the app can be seen."""
        if table not in ("record", "photo"):
            raise ValueError(table)
        uuids = list(client_uuids)
        with self.transaction() as db:
            db.executemany(
                f"UPDATE {table} SET attempts = attempts + 1 WHERE client_uuid = ?",
                [(u,) for u in uuids],
            )

    def mark_sent(self, receipts: Iterable[tuple[str, str, str | None]]) -> None:
        """Store receipts: (client_uuid, receipt, received_at). All in one commit."""
        now = _now()
        with self.transaction() as db:
            db.executemany(
                "UPDATE record SET state = 'sent', receipt = ?, received_at = ?, reason = NULL, "
                "errors = NULL, updated_at = ? WHERE client_uuid = ?",
                [(receipt, received, now, u) for u, receipt, received in receipts],
            )

    def mark_rejected(
        self,
        client_uuid: str,
        *,
        reason: str,
        errors: dict[str, list[str]] | None = None,
        refused: bool = False,
    ) -> None:
        self.db.execute(
            "UPDATE record SET state = ?, reason = ?, errors = ?, updated_at = ? "
            "WHERE client_uuid = ?",
            (
                "refused" if refused else "rejected",
                reason,
                json.dumps(errors or {}),
                _now(),
                client_uuid,
            ),
        )

    def mark_rejected_many(
        self, rejections: Iterable[tuple[str, str, dict[str, list[str]]]], *, refused: bool = False
    ) -> None:
        """Several records the server turned down, (client_uuid, reason, errors), in one commit."""
        now, state = _now(), "refused" if refused else "rejected"
        with self.transaction() as db:
            db.executemany(
                "UPDATE record SET state = ?, reason = ?, errors = ?, updated_at = ? "
                "WHERE client_uuid = ?",
                [(state, reason, json.dumps(errors), now, u) for u, reason, errors in rejections],
            )

    def mark_photo(
        self,
        client_uuid: str,
        *,
        receipt: str | None = None,
        received_at: str | None = None,
        reason: str | None = None,
    ) -> None:
        """A photo's receipt, or why it was refused (a photo cannot be edited, only removed)."""
        state = "sent" if receipt else "refused"
        self.db.execute(
            "UPDATE photo SET state = ?, receipt = ?, received_at = ?, reason = ? "
            "WHERE client_uuid = ?",
            (state, receipt, received_at, reason, client_uuid),
        )

    def resubmit(self, client_uuid: str, payload: dict[str, Any]) -> Record:
        """A rejected record, corrected by the person: queued again under the same client_uuid.

        The server stored nothing for a rejected record, so the same client_uuid is safe to
        send again, and it keeps the link to the record's photos.
        """
        with self.transaction() as db:
            changed = db.execute(
                "UPDATE record SET payload = ?, state = 'pending', reason = NULL, errors = NULL, "
                "updated_at = ? WHERE client_uuid = ? AND state = 'rejected'",
                (json.dumps(payload), _now(), client_uuid),
            ).rowcount
        if not changed:
            raise ValueError("Only a record the council rejected can be corrected and resent.")
        return self.record(client_uuid)  # type: ignore[return-value]

    def discard(self, client_uuid: str) -> list[str]:
        """Remove a record the person no longer wants: never one that is waiting to be sent.

        Returns the photo files that can now be deleted from the phone.
        """
        record = self.record(client_uuid)
        if record is None:
            return []
        if record.state == "pending":
            raise ValueError("A record waiting to be sent cannot be removed until it is answered.")
        with self.transaction() as db:
            db.execute("DELETE FROM record WHERE client_uuid = ?", (client_uuid,))
        return [photo.path for photo in record.photos]
