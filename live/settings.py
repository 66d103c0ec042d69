"""Settings of a live (or staging) run: how gentle, when, and whether anything may ever be submitted."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import datetime, time

from ras_common.jst import JST

_DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

#: The agency's terms of use (利用規約, online-riyoukiyaku.html) say the system is available 24/7 "in principle"
#: and may stop for maintenance without notice; no maintenance calendar is published (portal-journey.md §2.5).
#: So the default window is the whole day, and the setting exists so a person (or a maintenance notice) can narrow
#: it: ``RAS_E2E_LIVE_HOURS="mon-fri 08:30-17:15"`` or ``--live-hours``.
DEFAULT_HOURS = "mon-sun 00:00-24:00"


def harness_version() -> str:
    try:
        from importlib.metadata import version

        return version("ras-e2e")
    except Exception:  # pragma: no cover - not installed
        return "0.0.0"


class SettingsError(ValueError):
    """A live setting that cannot be understood; the message names the setting and the expected form."""


@dataclass(frozen=True)
class ServiceHours:
    """Weekly windows in JST, e.g. ``"mon-fri 08:30-17:15; sat 09:00-12:00"``; plus one-off maintenance windows."""

    spec: str = DEFAULT_HOURS
    maintenance: tuple[tuple[datetime, datetime], ...] = ()
    windows: tuple[tuple[int, time, time | None], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "windows", tuple(self._parse(self.spec)))

    @staticmethod
    def _parse(spec: str):
        out = []
        for part in [p.strip() for p in spec.split(";") if p.strip()]:
            m = re.fullmatch(r"([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})", part.lower())
            if not m or m.group(1) not in _DAYS or (m.group(2) and m.group(2) not in _DAYS):
                raise SettingsError(
                    f"service hours {part!r}: expected e.g. 'mon-fri 08:30-17:15' (days mon..sun, 24h JST times)"
                )
            d1 = _DAYS.index(m.group(1))
            d2 = _DAYS.index(m.group(2)) if m.group(2) else d1
            start = time(int(m.group(3)), int(m.group(4)))
            eh, em = int(m.group(5)), int(m.group(6))
            end = None if (eh, em) == (24, 0) else time(eh, em)
            if end is not None and end <= start:
                raise SettingsError(f"service hours {part!r}: the end must be after the start")
            days = range(d1, d2 + 1) if d1 <= d2 else [*range(d1, 7), *range(0, d2 + 1)]
            out.extend((d, start, end) for d in days)
        if not out:
            raise SettingsError("service hours: empty; expected e.g. 'mon-sun 00:00-24:00'")
        return out

    def check(self, now: datetime | None = None) -> tuple[bool, str]:
        """(allowed, reason). ``now`` may be naive (taken as JST) or aware."""
        now = now or datetime.now(JST)
        now = now.replace(tzinfo=JST) if now.tzinfo is None else now.astimezone(JST)
        for start, end in self.maintenance:
            if start <= now < end:
                return False, f"the live site is in a maintenance window ({start.isoformat()} – {end.isoformat()})"
        for day, start, end in self.windows:
            if now.weekday() == day and start <= now.time() and (end is None or now.time() < end):
                return True, "within the agency's service hours"
        return False, (
            f"outside the agency's service hours ({self.spec}, JST); it is {now.strftime('%a %H:%M')} JST. "
            "Run again within the hours, or change them with --live-hours."
        )


@dataclass(frozen=True)
class LiveSettings:
    """How a run treats a live or staging site. The defaults are the gentle ones."""

    rate: float = 0.5  # requests per second (1 request / 2 s)
    burst: int = 1
    max_requests: int = 30
    hours: ServiceHours = field(default_factory=ServiceHours)
    timeout: float = 20.0
    allow_submit: bool = False  # --allow-live-submit; a typed confirmation is asked for in addition
    user_agent: str = ""
    max_links: int = 8  # links checked per page (each one is a request against the cap)

    def __post_init__(self) -> None:
        if not (0 < self.rate <= 5):
            raise SettingsError(f"--live-rate {self.rate}: expected requests per second, > 0 and <= 5")
        if not (1 <= self.max_requests <= 500):
            raise SettingsError(f"--live-max-requests {self.max_requests}: expected 1..500")
        if not self.user_agent:
            object.__setattr__(
                self,
                "user_agent",
                f"ras-e2e/{harness_version()} (read-only test harness for public pages; "
                f"<= {self.rate:g} req/s, <= {self.max_requests} requests per run)",
            )

    @classmethod
    def from_env(cls, **overrides) -> LiveSettings:
        """Settings from ``RAS_E2E_LIVE_RATE``, ``RAS_E2E_LIVE_MAX_REQUESTS``, ``RAS_E2E_LIVE_HOURS``; overrides win."""
        kw: dict = {}
        if os.environ.get("RAS_E2E_LIVE_RATE"):
            kw["rate"] = float(os.environ["RAS_E2E_LIVE_RATE"])
        if os.environ.get("RAS_E2E_LIVE_MAX_REQUESTS"):
            kw["max_requests"] = int(os.environ["RAS_E2E_LIVE_MAX_REQUESTS"])
        if os.environ.get("RAS_E2E_LIVE_HOURS"):
            kw["hours"] = ServiceHours(os.environ["RAS_E2E_LIVE_HOURS"])
        kw.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**kw)
