"""The portal's state in a real SQLite file.  Plain Python, no HTTP."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    auth_id TEXT UNIQUE NOT NULL,
    generation TEXT NOT NULL,
    category TEXT NOT NULL,
    identity_key TEXT NOT NULL,
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    sex TEXT,
    address TEXT,
    residence_card_number TEXT,
    email TEXT NOT NULL,
    applicant TEXT,
    sign_cert_sha256 TEXT NOT NULL,
    auth_cert_sha256 TEXT NOT NULL,
    password_hash TEXT,
    password_set_at TEXT,
    reminders_sent TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS residents (
    residence_card_number TEXT PRIMARY KEY,
    name TEXT,
    birth_date TEXT NOT NULL,
    status_of_residence TEXT NOT NULL,
    period_of_stay_until TEXT,
    nationality TEXT,
    period_of_stay_months INTEGER
);
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    token TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    registration_id INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE TABLE IF NOT EXISTS mails (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id TEXT,
    sender TEXT NOT NULL,
    recipient TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    kind TEXT,
    sent_at TEXT NOT NULL,
    deliver_at TEXT,
    action TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    generation TEXT,
    page TEXT,
    status INTEGER,
    code TEXT,
    text TEXT,
    detail TEXT
);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    due_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    done_at TEXT
);
CREATE TABLE IF NOT EXISTS drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id INTEGER NOT NULL,
    procedure TEXT NOT NULL,
    data TEXT NOT NULL,
    saved_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
"""

TABLES = ("registrations", "residents", "sessions", "tokens", "mails", "events", "jobs", "drafts", "settings")
# tables a page view may change without changing the portal's state as a person sees it
VOLATILE = ("sessions", "events")


class Store:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(str(self.path), check_same_thread=False, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        self._db.execute("PRAGMA journal_mode=WAL")
        # A simulation's state need not survive a power cut: no fsync per commit. Each page view commits a few
        # times (session, event log), and on a busy CI disk an fsync can stall a page for seconds.
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- generic -----------------------------------------------------------------------------------------
    def execute(self, sql: str, params: tuple | dict = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, params)

    def query(self, sql: str, params: tuple | dict = ()) -> list[dict]:
        with self._lock:
            return [dict(r) for r in self._db.execute(sql, params).fetchall()]

    def one(self, sql: str, params: tuple | dict = ()) -> dict | None:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    def insert(self, table: str, row: dict) -> int:
        assert table in TABLES
        cols = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        with self._lock:
            cur = self._db.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))
            return int(cur.lastrowid)

    def update(self, table: str, where: dict, values: dict) -> int:
        assert table in TABLES
        sets = ", ".join(f"{k} = ?" for k in values)
        conds = " AND ".join(f"{k} = ?" for k in where)
        with self._lock:
            cur = self._db.execute(
                f"UPDATE {table} SET {sets} WHERE {conds}", (*values.values(), *where.values())
            )
            return cur.rowcount

    def transaction(self):
        return _Tx(self)

    def wipe(self) -> None:
        with self._lock:
            for t in TABLES:
                self._db.execute(f"DELETE FROM {t}")
            self._db.execute("DELETE FROM sqlite_sequence")

    def dump(self, include_volatile: bool = False) -> dict[str, list[dict]]:
        """Every row of every table (for before/after comparisons)."""
        out = {}
        for t in TABLES:
            if not include_volatile and t in VOLATILE:
                continue
            out[t] = self.query(f"SELECT * FROM {t} ORDER BY rowid")
        return out

    # -- settings (key -> JSON) ------------------------------------------------------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.one("SELECT value FROM settings WHERE key = ?", (key,))
        return json.loads(row["value"]) if row else default

    def put_setting(self, key: str, value: Any) -> None:
        self.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value, ensure_ascii=False)),
        )


class _Tx:
    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> Store:
        self.store._lock.acquire()
        self.store._db.execute("BEGIN IMMEDIATE")
        return self.store

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            self.store._db.execute("ROLLBACK" if exc_type else "COMMIT")
        finally:
            self.store._lock.release()
