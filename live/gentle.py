"""Gentle by construction: a token bucket, a request cap, a User-Agent that names the harness, and a gate that
refuses anything but GET/HEAD before it is sent unless submission was allowed twice (option + typed confirmation).

Everything goes through :meth:`GentleSession.send`, which requests also uses for every redirect hop, so redirects
are rate-limited and counted too.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

from .scrub import scrub_url
from .settings import LiveSettings

SAFE_METHODS = frozenset({"GET", "HEAD"})


class LiveGuardError(RuntimeError):
    """A request the live guards refused; nothing was sent."""


class LiveRequestCapReached(LiveGuardError):
    pass


class LiveSubmitRefused(LiveGuardError):
    pass


class LiveHostRefused(LiveGuardError):
    pass


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` banked; :meth:`acquire` waits for a token."""

    def __init__(self, rate: float, burst: int = 1, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate, self.burst = rate, burst
        self._clock, self._sleep = clock, sleep
        self._tokens = float(burst)
        self._last = clock()
        self._lock = threading.Lock()
        self.waited = 0.0

    def acquire(self) -> float:
        """Take one token, sleeping as long as needed; returns the seconds waited."""
        with self._lock:
            now = self._clock()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            wait = 0.0
            if self._tokens < 1:
                wait = (1 - self._tokens) / self.rate
                self._sleep(wait)
                now = self._clock()
                self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
                self._last = now
                self._tokens = max(self._tokens, 1.0)
            self._tokens -= 1
            self.waited += wait
            return wait


@dataclass
class RequestBudget:
    """A total cap on the requests of one run."""

    limit: int
    used: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def take(self, what: str = "") -> None:
        with self._lock:
            if self.used >= self.limit:
                raise LiveRequestCapReached(
                    f"request cap reached ({self.limit} requests this run); not sending {what}. "
                    "Raise it with --live-max-requests if you really need more."
                )
            self.used += 1

    @property
    def left(self) -> int:
        return self.limit - self.used


def _default_confirm(prompt: str) -> str:
    return input(prompt)


class SubmitGate:
    """Anything that is not GET/HEAD needs ``--allow-live-submit`` AND the typed phrase at a prompt, each time."""

    def __init__(self, allowed_by_option: bool = False, confirm: Callable[[str], str] | None = None):
        self.allowed_by_option = allowed_by_option
        self._confirm = confirm or _default_confirm
        self.refused: list[str] = []

    @staticmethod
    def phrase(url: str) -> str:
        return f"submit to {urlsplit(url).hostname}"

    def authorize(self, method: str, url: str) -> None:
        method = method.upper()
        if method in SAFE_METHODS:
            return
        where = f"{method} {scrub_url(url)}"
        if not self.allowed_by_option:
            self.refused.append(where)
            raise LiveSubmitRefused(
                f"refused {where}: submitting anything to the live site needs --allow-live-submit and a typed "
                "confirmation; this run is read-only."
            )
        phrase = self.phrase(url)
        try:
            typed = self._confirm(
                f"\nAbout to SEND {where} to the live site. This may create or change real data.\n"
                f"Type exactly '{phrase}' to send it, anything else to refuse: "
            )
        except (EOFError, OSError):
            typed = ""
        if (typed or "").strip() != phrase:
            self.refused.append(where)
            raise LiveSubmitRefused(f"refused {where}: the typed confirmation did not match '{phrase}'")


@dataclass
class RequestRecord:
    method: str
    url: str  # scrubbed
    started: float  # monotonic seconds
    status: int | None = None
    elapsed: float | None = None
    error: str | None = None


class GentleSession(requests.Session):
    """A `requests.Session` that waits, counts, names itself and refuses submissions."""

    def __init__(self, settings: LiveSettings | None = None, *, gate: SubmitGate | None = None,
                 budget: RequestBudget | None = None, bucket: TokenBucket | None = None,
                 allowed_hosts: set[str] | None = None):
        super().__init__()
        self.settings = settings or LiveSettings()
        self.gate = gate or SubmitGate(self.settings.allow_submit)
        self.budget = budget or RequestBudget(self.settings.max_requests)
        self.bucket = bucket or TokenBucket(self.settings.rate, self.settings.burst)
        self.allowed_hosts = allowed_hosts
        self.headers["User-Agent"] = self.settings.user_agent
        self.headers["Accept-Language"] = "ja,en;q=0.5"
        self.log: list[RequestRecord] = []
        self.max_redirects = 5

    def send(self, request, **kwargs):  # every request and every redirect hop comes through here
        host = urlsplit(request.url).hostname or ""
        if self.allowed_hosts is not None and host not in self.allowed_hosts:
            raise LiveHostRefused(f"refused {request.method} {scrub_url(request.url)}: host {host!r} is not "
                                  f"one of the sites under test ({', '.join(sorted(self.allowed_hosts))})")
        self.gate.authorize(request.method, request.url)  # before anything is counted or sent
        self.budget.take(f"{request.method} {scrub_url(request.url)}")
        self.bucket.acquire()
        kwargs.setdefault("timeout", self.settings.timeout)
        record = RequestRecord(request.method, scrub_url(request.url), time.monotonic())
        self.log.append(record)
        try:
            response = super().send(request, **kwargs)
        except requests.RequestException as exc:
            record.error = type(exc).__name__
            raise
        record.status = response.status_code
        record.elapsed = response.elapsed.total_seconds()
        return response
