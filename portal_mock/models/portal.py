"""The portal as one object (moto's backend): settings, the simulated clock, the store, events, faults, the card
verifier and outgoing mail, with the flows mixed in from their own modules (registration, login, password,
sessions, bureau). Knows nothing of HTTP; portal_mock.responses are thin wrappers around it."""

from __future__ import annotations

import json
import threading
from datetime import datetime

from ..settings import GENERATIONS, RASENS_START, PortalSettings
from .bureau import BureauMixin
from .challenge import challenge_bytes
from .clock import SimClock, parse_time
from .login import LoginMixin
from .mail_texts import mail_body
from .mailbox import DirectTransport, Mailbox, build_message, mail_view
from .messages import Messages
from .password import PasswordMixin
from .registration import RegistrationMixin
from .rules import PortalError
from .sessions import SessionsMixin
from .store import Store
from .urls import PREFIX
from .verifier import VerificationError, Verifier

FAULT_KINDS = ("outage", "maintenance", "slow")


class Portal(SessionsMixin, RegistrationMixin, PasswordMixin, LoginMixin, BureauMixin):
    def __init__(self, settings: PortalSettings, clock: SimClock | None = None, transport=None) -> None:
        self.settings = settings
        self.clock = clock or SimClock(settings.clock_start, settings.clock_rate)
        self.store = Store(settings.db_path)
        self.messages = Messages(settings.messages_path)
        self.verifier = Verifier(settings.trust_dir, self.clock, lambda: self.setting("cert_min_age_hours"),
                                 lambda: self.store.get_setting("base_url"))  # its own OCSP route (responses/ocsp.py)
        self.mailbox = Mailbox(self.store, self.clock, self.mail_rules)
        self.transport = transport or DirectTransport(self.mailbox)
        self._due_lock = threading.Lock()
        self.clock.add_listener(lambda _now: self.process_due())

    # -- configuration -------------------------------------------------------------------------------------
    def setting(self, name: str):
        overrides = self.store.get_setting("runtime", {})
        return overrides.get(name, getattr(self.settings, name))

    def runtime_settings(self) -> dict:
        view = self.settings.runtime_view()
        view.update(self.store.get_setting("runtime", {}))
        return view

    def put_runtime_settings(self, values: dict) -> dict:
        current = self.store.get_setting("runtime", {})
        current.update(values)
        self.store.put_setting("runtime", current)
        return self.runtime_settings()

    def active_generation(self) -> str:
        override = self.store.get_setting("generation") or self.settings.generation
        if override:
            return override
        return "rasens" if self.clock.now() >= parse_time(RASENS_START) else "ras"

    def set_generation(self, generation: str | None) -> None:
        """Fix the generation the agency page leads to (None: by the simulated clock)."""
        self.store.put_setting("generation", generation)

    def pop_required(self, generation: str) -> bool:
        return bool(self.setting("proof_of_possession").get(generation, False))

    def mail_rules(self) -> list[dict]:
        return self.store.get_setting("mail_rules") or self.settings.mail_rules

    def put_mail_rules(self, rules: list[dict]) -> None:
        self.store.put_setting("mail_rules", rules)

    def base_url(self) -> str:
        return self.store.get_setting("base_url") or self.settings.base_url

    def reset(self, generation: str | None = None, clock: str | datetime | None = None) -> None:
        if generation is not None and generation not in GENERATIONS:
            raise ValueError("generation")
        base = self.store.get_setting("base_url")
        self.store.wipe()
        if base:
            self.store.put_setting("base_url", base)
        if generation:
            self.store.put_setting("generation", generation)
        self.clock.set(clock if clock is not None else self.settings.clock_start)

    # -- events --------------------------------------------------------------------------------------------
    def log_event(self, kind: str, page: str | None = None, status: int | None = None, code: str | None = None,
                  text: str | None = None, generation: str | None = None, detail: dict | None = None) -> None:
        self.store.insert("events", {
            "at": self.clock.now().isoformat(), "kind": kind, "generation": generation, "page": page,
            "status": status, "code": code, "text": text,
            "detail": json.dumps(detail or {}, ensure_ascii=False),
        })

    def events(self, since: int = 0) -> list[dict]:
        rows = self.store.query("SELECT * FROM events WHERE id > ? ORDER BY id", (since,))
        for r in rows:
            r["detail"] = json.loads(r["detail"] or "{}")
        return rows

    # -- faults ------------------------------------------------------------------------------------------------
    def faults(self) -> list[dict]:
        return self.store.get_setting("faults", [])

    def add_fault(self, kind: str, start: datetime, until: datetime, delay_ms: int = 0) -> dict:
        faults = self.faults()
        fault = {"id": len(faults) + 1 + max([f["id"] for f in faults] or [0]), "kind": kind,
                 "from": start.isoformat(), "until": until.isoformat(), "delay_ms": delay_ms}
        faults.append(fault)
        self.store.put_setting("faults", faults)
        return fault

    def clear_faults(self, fault_id: int | None = None) -> int:
        faults = self.faults()
        keep = [f for f in faults if fault_id is not None and f["id"] != fault_id]
        self.store.put_setting("faults", keep)
        return len(faults) - len(keep)

    def active_fault(self, kind: str) -> dict | None:
        now = self.clock.now()
        for f in self.faults():
            if f["kind"] == kind and parse_time(f["from"]) <= now < parse_time(f["until"]):
                return f
        return None

    # -- certificates ----------------------------------------------------------------------------------------
    def verify_card(self, generation: str, kind: str, cert_b64: str | None, challenge: str | None,
                    signature_b64: str | None, page: str, require_pop: bool | None = None) -> dict:
        """``require_pop``: None asks as the generation does; False only for arrangements that read no card."""
        try:
            info = self.verifier.verify(cert_b64, kind, challenge_bytes(challenge), signature_b64,
                                        self.pop_required(generation) if require_pop is None else require_pop)
        except VerificationError as e:
            self.log_event("verify_failed", page, 401, "WZBAM255E", None, generation,
                           {"certificate": kind, "reason": e.reason})
            raise PortalError("cert_auth_failed", reason=e.reason) from None
        self.log_event("verify_ok", page, None, None, None, generation, {"certificate": kind})
        return {"sha256": info.sha256, "identity": info.identity, "not_after": info.not_after.isoformat()}

    def verify_pair(self, generation: str, form: dict, challenge: str | None, page: str) -> tuple[dict, dict]:
        """Both certificates of one card read (the operation check, the old generation's top page): the page posts
        them as hdnSignCert/hdnSignSig and hdnUsrCert/hdnUsrSig."""
        if not form.get("hdnSignCert") or not form.get("hdnUsrCert"):
            raise PortalError("card_missing")
        sign = self.verify_card(generation, "sign", form.get("hdnSignCert"), challenge, form.get("hdnSignSig"), page)
        auth = self.verify_card(generation, "auth", form.get("hdnUsrCert"), challenge, form.get("hdnUsrSig"), page)
        return sign, auth

    # -- mail --------------------------------------------------------------------------------------------------
    def send_mail(self, kind: str, reg_id: int, at: datetime, token: str | None = None, extra_delay: float = 0,
                  days: int | None = None) -> None:
        reg = self.registration(reg_id)
        gen = self.active_generation()
        base = self.base_url().rstrip("/") + PREFIX[gen]
        subject = self.messages.subject(kind, gen, days=str(days or ""))
        body = mail_body(kind, gen, reg, base, token, at, days, float(self.setting("link_ttl_hours")),
                         int(self.setting("password_valid_days")))
        msg = build_message(self.settings.senders[gen], reg["email"], subject, body, kind, at, extra_delay)
        self.transport.send(msg)
        self.log_event("mail_sent", None, None, None, None, gen, {"kind": kind, "registration_id": reg_id})

    def mails(self, address: str | None = None, delivered_only: bool = False) -> list[dict]:
        self.process_due()
        now = self.clock.now()
        if address:
            rows = self.store.query("SELECT * FROM mails WHERE recipient = ? ORDER BY id", (address.lower(),))
        else:
            rows = self.store.query("SELECT * FROM mails ORDER BY id")
        views = [mail_view(r, now) for r in rows]
        if delivered_only:
            views = [v for v in views if v["status"] == "delivered"]
        return views
