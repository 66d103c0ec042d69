"""The portal's simulated clock: hours and days pass in milliseconds.

Everything time-dependent in the simulation (sessions, links, mail delays, password expiry, reminder mails,
outages, certificate validity) asks this clock, never the wall clock.  The clock is frozen unless ``rate`` is
non-zero: with ``rate=1.0`` it also follows real time (useful when a person walks the journey by hand).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from ras_common.jst import JST


def parse_time(value: str | datetime) -> datetime:
    """ISO 8601 text or datetime -> aware datetime (naive values are read as JST)."""
    if isinstance(value, datetime):
        dt = value
    else:
        if not isinstance(value, str) or not value.strip():
            raise ValueError("expected an ISO 8601 date-time, e.g. 2025-06-01T09:00:00+09:00")
        text = value.strip()
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        dt = datetime.fromisoformat(text)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=JST)
    return dt


class SimClock:
    """A settable, advanceable clock.  Thread-safe.  ``listeners`` are called after every change."""

    def __init__(self, start: str | datetime, rate: float = 0.0) -> None:
        self._lock = threading.Lock()
        self._base = parse_time(start)
        self._anchor = time.monotonic()
        self._rate = float(rate)
        self._listeners: list[Callable[[datetime], None]] = []

    def now(self) -> datetime:
        with self._lock:
            return self._now_locked()

    def _now_locked(self) -> datetime:
        if self._rate:
            return self._base + timedelta(seconds=(time.monotonic() - self._anchor) * self._rate)
        return self._base

    def now_jst(self) -> datetime:
        return self.now().astimezone(JST)

    def set(self, value: str | datetime) -> datetime:
        with self._lock:
            self._base = parse_time(value)
            self._anchor = time.monotonic()
            now = self._base
        self._notify(now)
        return now

    def advance(self, seconds: float = 0, *, minutes: float = 0, hours: float = 0, days: float = 0) -> datetime:
        delta = timedelta(seconds=seconds, minutes=minutes, hours=hours, days=days)
        if delta < timedelta(0):
            raise ValueError("the clock only moves forward; use set() to go back")
        with self._lock:
            self._base = self._now_locked() + delta
            self._anchor = time.monotonic()
            now = self._base
        self._notify(now)
        return now

    @property
    def rate(self) -> float:
        return self._rate

    def add_listener(self, fn: Callable[[datetime], None]) -> None:
        self._listeners.append(fn)

    def _notify(self, now: datetime) -> None:
        for fn in list(self._listeners):
            fn(now)
