"""Settings of the portal simulation.  Every fact the references mark unverified ([U]) is a setting whose
default is the documented guess."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from datetime import datetime
from pathlib import Path

GENERATIONS = ("ras", "rasens")

# rasens went live on Mon 5 Jan 2026 09:00 JST (portal-journey.md §2.6, [T]).
RASENS_START = "2026-01-05T09:00:00+09:00"

# Delivery per provider.  The agency says free mail "may not arrive" (servers abroad, recipient filters: the
# user-registration page, 注3) without naming providers; Gmail dropping is the first-hand account's case.  Each rule
# has its entry in facts.yaml (mail_rule.DOMAIN) saying which are verified.
DEFAULT_MAIL_RULES: list[dict] = [
    {"domain": "gmail.com", "action": "drop"},
    {"domain": "googlemail.com", "action": "drop"},
    {"domain": "outlook.com", "action": "drop"},
    {"domain": "hotmail.com", "action": "drop"},
    {"domain": "yahoo.com", "action": "drop"},
    {"domain": "icloud.com", "action": "drop"},
    {"domain": "yahoo.co.jp", "action": "deliver", "delay_seconds": 60},
    {"domain": "docomo.ne.jp", "action": "deliver", "delay_seconds": 60},
    {"domain": "nifty.com", "action": "deliver", "delay_seconds": 60},
    {"domain": "*.jp", "action": "deliver", "delay_seconds": 60},
    {"domain": "*", "action": "deliver", "delay_seconds": 0},
]

SENDERS = {"ras": "noreply@ras-immi.moj.go.jp", "rasens": "info@rasens-immi.moj.go.jp"}


@dataclass
class PortalSettings:
    db_path: str | Path
    trust_dir: str | Path | None
    clock_start: str | datetime = "2025-06-02T10:00:00+09:00"
    generation: str | None = None  # None: by clock (rasens from RASENS_START)
    smtp_port: int = 0
    clock_rate: float = 0.0  # 0 = frozen simulated time; 1.0 = also follows real time (manual walks)
    # proof of possession: ras accepted certificates alone (anchors.md §2.1); rasens checks a signature.
    proof_of_possession: dict = field(default_factory=lambda: {"ras": False, "rasens": True})
    cert_min_age_hours: float = 24  # [O] Settsu city: new certificates unusable for about 24 h
    session_timeout_minutes: float = 60  # [U]
    # password-setting / reset link lifetime: the first-hand account's reset link still opened after a five-day
    # outage (first-hand-journey.md items 7-8), so it is at least ~5 days; the exact value is not published.
    # A week is the smallest round value that account allows (ledger: portal.setting.link_ttl_hours).
    link_ttl_hours: float = 168
    password_valid_days: int = 365  # [O]
    password_reminder_days: tuple = (30, 7)  # [O]
    mail_rules: list = field(default_factory=lambda: copy.deepcopy(DEFAULT_MAIL_RULES))
    senders: dict = field(default_factory=lambda: dict(SENDERS))
    bureau_change_delay_seconds: float = 3600  # first-hand: "almost an hour"
    bureau_mail_delay_seconds: float = 0  # extra delay of the two mails after the change
    # 永住許可 online: announced, not offered (Q&A Q1-5; ledger portal.setting.permanent_residence_online)
    permanent_residence_online: bool = False
    # [U] the bureau answers a 認証ID確認申出書 (別記第15号様式) by mail; no delay is published
    # (online-riyousyajyouhouhenkou.html, read 2026-11-27). Two days is a guess.
    bureau_auth_id_delay_seconds: float = 2 * 86400
    # [O] online-riyoumoushide.html 注3 (read 2026-11-27): ISA restricts access from overseas IP addresses. The
    # simulation listens on loopback only, so "from abroad" is the CLIENT_LOCATION_HEADER the harness's browser
    # sends for a person abroad (see portal_mock.app); what the blocked person sees is a guess (messages.yaml).
    overseas_access_blocked: bool = True
    smartphone_supported: dict = field(default_factory=lambda: {"ras": False, "rasens": False})
    smartphone_ua_pattern: str = r"iPhone|iPad|iPod|Android.*Mobile|Mobile Safari|Windows Phone"
    accept_unknown_residents: bool = False  # [U] if False a 在留カード番号 must be in the seeded registry
    unknown_resident_status: str = "技術・人文知識・国際業務"  # used when unknown residents are accepted
    extension_timeout_seconds: float = 60  # the page gives up waiting for the extension
    max_field_length: int = 200
    base_url: str = "http://localhost"  # overwritten by PortalServer.start()
    messages_path: str | Path | None = None  # default: portal_mock/messages.yaml

    def __post_init__(self) -> None:
        if self.generation is not None and self.generation not in GENERATIONS:
            raise ValueError(f"generation: expected one of {GENERATIONS} or None, got {self.generation!r}")
        for key in self.proof_of_possession:
            if key not in GENERATIONS:
                raise ValueError(f"proof_of_possession: unknown generation {key!r}")

    # runtime-adjustable (control API PUT /__admin/settings)
    RUNTIME_FIELDS = (
        "proof_of_possession",
        "cert_min_age_hours",
        "session_timeout_minutes",
        "link_ttl_hours",
        "password_valid_days",
        "bureau_change_delay_seconds",
        "bureau_mail_delay_seconds",
        "bureau_auth_id_delay_seconds",
        "overseas_access_blocked",
        "smartphone_supported",
        "permanent_residence_online",
        "accept_unknown_residents",
        "extension_timeout_seconds",
    )

    def runtime_view(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in self.RUNTIME_FIELDS}


# Fields that wire the simulation up (paths, ports, the clock a scenario sets) rather than describe the portal.
_WIRING = ("db_path", "trust_dir", "clock_start", "generation", "smtp_port", "clock_rate", "base_url", "messages_path")


def overridable() -> list[str]:
    return [f.name for f in fields(PortalSettings) if f.name not in _WIRING]


def parse_override(item: str) -> tuple[str, object]:
    """``NAME=VALUE`` (the value in YAML) as a checked setting, for trying what-ifs from the command line.

    Why checked here: a misspelt name or a value of the wrong type would otherwise run the whole suite against
    the defaults and say nothing."""
    import yaml

    name, sep, raw = item.partition("=")
    name = name.strip()
    names = overridable()
    if not sep or not name:
        raise ValueError(f"portal setting {item!r}: expected NAME=VALUE, e.g. link_ttl_hours=24")
    if name not in names:
        raise ValueError(f"portal setting {name!r} does not exist; the settings are: {', '.join(names)}")
    try:
        value = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ValueError(f"portal setting {name}: {raw!r} is not a YAML value ({exc.__class__.__name__})") from None
    default = getattr(PortalSettings(db_path=":memory:", trust_dir=None), name)

    def number(v) -> bool:
        return isinstance(v, (int, float)) and not isinstance(v, bool)

    if number(default):
        ok = number(value)
    elif isinstance(default, tuple):
        ok, value = isinstance(value, list), tuple(value) if isinstance(value, list) else value
    else:
        ok = isinstance(value, type(default))
    if not ok:
        kind = "number" if number(default) else "list" if isinstance(default, tuple) else type(default).__name__
        raise ValueError(f"portal setting {name}: expected a {kind} like {default!r}, got {raw!r}")
    return name, value
