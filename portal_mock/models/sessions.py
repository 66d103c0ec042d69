"""Server-side sessions: the cookie holds only a random id; the data lives in the store and expires after the
portal's session timeout in simulated time."""

from __future__ import annotations

import json
import secrets
from datetime import datetime, timedelta

from .clock import parse_time


class SessionsMixin:
    """Part of ``Portal`` (models/portal.py): uses its store, clock and settings."""

    def session_load(self, sid: str | None) -> tuple[str, dict, bool]:
        """-> (sid, data, expired).  Unknown or missing ids get a fresh session."""
        now = self.clock.now()
        if sid and len(sid) <= 64:
            row = self.store.one("SELECT * FROM sessions WHERE id = ?", (sid,))
            if row:
                timeout = timedelta(minutes=float(self.setting("session_timeout_minutes")))
                if now - parse_time(row["last_seen"]) > timeout:
                    self.store.execute("DELETE FROM sessions WHERE id = ?", (sid,))
                    return self._new_session(now), {"csrf": None}, True
                return sid, json.loads(row["data"]), False
        return self._new_session(now), {"csrf": None}, False

    def _new_session(self, now: datetime) -> str:
        return secrets.token_urlsafe(24)

    def session_save(self, sid: str, data: dict) -> None:
        self.store.execute(
            "INSERT INTO sessions (id, data, last_seen) VALUES (?, ?, ?) "
            "ON CONFLICT(id) DO UPDATE SET data = excluded.data, last_seen = excluded.last_seen",
            (sid, json.dumps(data, ensure_ascii=False), self.clock.now().isoformat()),
        )

    def session_drop(self, sid: str) -> None:
        self.store.execute("DELETE FROM sessions WHERE id = ?", (sid,))

    def session_rotate(self, sid: str) -> str:
        """A new id for the same session, the old one dropped: called at each step of login, so an id someone
        planted or read before login (session fixation) is worth nothing after it."""
        self.session_drop(sid)
        return self._new_session(self.clock.now())
