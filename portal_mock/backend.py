"""The portal's behaviour in plain Python (moto style): store + rules + verifier + mail, at the simulated clock.
Knows nothing of HTTP; routes in routes_*.py are thin wrappers around it."""

from __future__ import annotations

import base64
import binascii
import json
import secrets
import threading
from datetime import date, datetime, timedelta

from . import rules
from .clock import JST, SimClock, parse_time
from .mail import DirectTransport, Mailbox, build_message, mail_view
from .messages import Messages
from .rules import PortalError
from .settings import GENERATIONS, RASENS_START, PortalSettings
from .store import Store
from .verifier import VerificationError, Verifier

PREFIX = {"ras": "/WC01/WCAAS010", "rasens": "/rasens-u"}
FAULT_KINDS = ("outage", "maintenance", "slow")


class Portal:
    def __init__(self, settings: PortalSettings, clock: SimClock | None = None, transport=None) -> None:
        self.settings = settings
        self.clock = clock or SimClock(settings.clock_start, settings.clock_rate)
        self.store = Store(settings.db_path)
        self.messages = Messages(settings.messages_path)
        self.verifier = Verifier(settings.trust_dir, self.clock, lambda: self.setting("cert_min_age_hours"),
                                 lambda: self.store.get_setting("base_url"))  # its own OCSP route (ocsp.py)
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

    def pop_required(self, generation: str) -> bool:
        return bool(self.setting("proof_of_possession").get(generation, False))

    def mail_rules(self) -> list[dict]:
        return self.store.get_setting("mail_rules") or self.settings.mail_rules

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

    # -- sessions (server side; the cookie holds only the id) -------------------------------------------------
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

    # -- residents (ISA's registry, seeded by the control API) ---------------------------------------------
    def seed_resident(self, r: dict) -> dict:
        number = rules.validate_card_number(r.get("residence_card_number"))
        birth = rules.parse_date(r.get("birth_date"), "birth_date").isoformat()
        status = r.get("status_of_residence")
        if not isinstance(status, str) or not status.strip() or len(status) > 40:
            raise PortalError("required", field="status_of_residence")
        until = r.get("period_of_stay_until")
        until = rules.parse_date(until, "period_of_stay_until").isoformat() if until else None
        months = r.get("period_of_stay_months")
        if months is not None and (isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 120):
            raise PortalError("bad_request", field="period_of_stay_months",
                              reason="period_of_stay_months: expected a whole number of months, 1-120")
        row = {"residence_card_number": number, "name": _opt_str(r.get("name")), "birth_date": birth,
               "status_of_residence": status.strip(), "period_of_stay_until": until,
               "nationality": _opt_str(r.get("nationality")), "period_of_stay_months": months}
        self.store.execute("DELETE FROM residents WHERE residence_card_number = ?", (number,))
        self.store.insert("residents", row)
        return row

    def resident(self, number: str | None) -> rules.Resident | None:
        if not number:
            return None
        row = self.store.one("SELECT * FROM residents WHERE residence_card_number = ?", (number,))
        if not row:
            return None
        return rules.Resident(row["residence_card_number"], date.fromisoformat(row["birth_date"]),
                              row["status_of_residence"],
                              date.fromisoformat(row["period_of_stay_until"]) if row["period_of_stay_until"] else None,
                              row["name"], row["nationality"], row["period_of_stay_months"])

    # -- certificates ----------------------------------------------------------------------------------------
    def verify_card(self, generation: str, kind: str, cert_b64: str | None, challenge: str | None,
                    signature_b64: str | None, page: str, require_pop: bool | None = None) -> dict:
        """``require_pop``: None asks as the generation does; False only for arrangements that read no card."""
        try:
            info = self.verifier.verify(cert_b64, kind, _challenge_bytes(challenge), signature_b64,
                                        self.pop_required(generation) if require_pop is None else require_pop)
        except VerificationError as e:
            self.log_event("verify_failed", page, 401, "WZBAM255E", None, generation,
                           {"certificate": kind, "reason": e.reason})
            raise PortalError("cert_auth_failed", reason=e.reason) from None
        self.log_event("verify_ok", page, None, None, None, generation, {"certificate": kind})
        return {"sha256": info.sha256, "identity": info.identity, "not_after": info.not_after.isoformat()}

    # -- registration ----------------------------------------------------------------------------------------
    def check_not_registered(self, identity: dict) -> None:
        key = rules.identity_key(identity["name"], identity["birth_date"])
        if self.store.one("SELECT id FROM registrations WHERE identity_key = ?", (key,)):
            raise PortalError("person_already_registered")

    def validate_user_info(self, reg: dict, form: dict) -> dict:
        """Check the user-information form for a registration in progress; returns the cleaned values."""
        category = reg.get("category")
        ident = reg["sign"]["identity"]
        today = self.clock.now_jst().date()
        maxlen = self.settings.max_field_length
        out: dict = {"category": category}
        card = (form.get("residence_card_number") or "").strip()
        if category == "self" or card:
            out["residence_card_number"] = rules.validate_card_number(card)
        else:
            out["residence_card_number"] = None
        out["email"] = rules.validate_email(form.get("email"), form.get("email_confirm"))
        applicant = None
        if category in ("legal_representative", "relative"):
            applicant = {
                "name": rules.require(form.get("applicant_name"), "申請人の氏名", maxlen),
                "birth_date": rules.parse_date(form.get("applicant_birth_date"), "申請人の生年月日").isoformat(),
                "relationship": form.get("relationship") or "",
                "cannot_apply": form.get("applicant_cannot_apply") == "1",
            }
            if applicant["relationship"] not in rules.RELATIONSHIPS:
                raise PortalError("choice_required", field="申請人との関係")
            a_card = (form.get("applicant_residence_card_number") or "").strip()
            applicant["residence_card_number"] = rules.validate_card_number(a_card, "申請人の在留カード番号") if a_card else None
        out["applicant"] = applicant
        # the person's own record (外国人本人) from the registry
        resident = self.resident(out["residence_card_number"])
        if resident is None and out["residence_card_number"] and self.setting("accept_unknown_residents"):
            resident = rules.Resident(out["residence_card_number"], date.fromisoformat(ident["birth_date"]),
                                      self.settings.unknown_resident_status)
        applicant_resident = self.resident(applicant["residence_card_number"]) if applicant else None
        rules.check_registrant(rules.Registrant(
            name=ident["name"], birth_date=date.fromisoformat(ident["birth_date"]), category=category,
            resident=resident,
            applicant_birth_date=date.fromisoformat(applicant["birth_date"]) if applicant else None,
            applicant_resident=applicant_resident,
            applicant_cannot_apply=bool(applicant and applicant["cannot_apply"])), today)
        if out["residence_card_number"] and self.store.one(
                "SELECT id FROM registrations WHERE residence_card_number = ?", (out["residence_card_number"],)):
            raise PortalError("card_number_in_use")
        self.check_not_registered(ident)
        return out

    def complete_registration(self, generation: str, reg: dict) -> dict:
        info = reg["info"]
        ident = reg["sign"]["identity"]
        now = self.clock.now()
        with self.store.transaction() as st:
            # re-check inside the transaction (double submit, two tabs)
            if info["residence_card_number"] and st.one(
                    "SELECT id FROM registrations WHERE residence_card_number = ?", (info["residence_card_number"],)):
                raise PortalError("card_number_in_use")
            key = rules.identity_key(ident["name"], ident["birth_date"])
            if st.one("SELECT id FROM registrations WHERE identity_key = ?", (key,)):
                raise PortalError("person_already_registered")
            existing = {r["auth_id"] for r in st.query("SELECT auth_id FROM registrations")}
            auth_id = rules.new_auth_id(existing)
            reg_id = st.insert("registrations", {
                "auth_id": auth_id, "generation": generation, "category": info["category"], "identity_key": key,
                "name": ident["name"], "birth_date": ident["birth_date"], "sex": ident.get("sex"),
                "address": ident.get("address"), "residence_card_number": info["residence_card_number"],
                "email": info["email"], "applicant": json.dumps(info["applicant"], ensure_ascii=False),
                "sign_cert_sha256": reg["sign"]["sha256"], "auth_cert_sha256": reg["auth"]["sha256"],
                "created_at": now.isoformat(),
            })
        token = self.issue_token("password_set", reg_id, now)
        self.send_mail("registered", reg_id, now, token=token)
        self.log_event("registered", None, None, None, None, generation, {"registration_id": reg_id})
        return {"id": reg_id, "auth_id": auth_id, "name": ident["name"]}

    def arrange_registration(self, generation: str, sign_b64: str, auth_b64: str, residence_card_number: str,
                             email: str) -> dict:
        """A registration of 外国人本人 made without the browser, for scenarios about what comes after it.

        The certificates are verified as at the card-read pages (chain, validity, CRL, the 24-hour rule) and the
        user-information rules and the one-registration-per-person rule apply; only the proof of possession is
        not asked for, because no card is read. The mail with the 認証ID goes out as usual."""
        sign = self.verify_card(generation, "sign", sign_b64, None, None, "arranged", require_pop=False)
        auth = self.verify_card(generation, "auth", auth_b64, None, None, "arranged", require_pop=False)
        reg = {"sign": sign, "auth": auth, "category": "self"}
        reg["info"] = self.validate_user_info(reg, {"residence_card_number": residence_card_number, "email": email,
                                                    "email_confirm": email})
        return self.complete_registration(generation, reg)

    def registration(self, reg_id: int) -> dict | None:
        return self.store.one("SELECT * FROM registrations WHERE id = ?", (reg_id,))

    def registrations(self) -> list[dict]:
        out = []
        for r in self.store.query("SELECT * FROM registrations ORDER BY id"):
            r = dict(r)
            r.pop("password_hash", None)
            r["password_set"] = r["password_set_at"] is not None
            r["applicant"] = json.loads(r["applicant"] or "null")
            r["reminders_sent"] = json.loads(r["reminders_sent"])
            if r["password_set_at"]:
                r["password_expires_at"] = rules.password_expires_at(
                    parse_time(r["password_set_at"]), int(self.setting("password_valid_days"))).isoformat()
            out.append(r)
        return out

    def find_registration(self, auth_id: str | None = None, residence_card_number: str | None = None,
                          email: str | None = None) -> dict | None:
        if auth_id:
            return self.store.one("SELECT * FROM registrations WHERE auth_id = ?", (auth_id,))
        if residence_card_number:
            return self.store.one("SELECT * FROM registrations WHERE residence_card_number = ?",
                                  (residence_card_number,))
        if email:
            return self.store.one("SELECT * FROM registrations WHERE email = ? ORDER BY id", (email,))
        return None

    # -- links -------------------------------------------------------------------------------------------------
    def issue_token(self, kind: str, reg_id: int, at: datetime) -> str:
        token = secrets.token_urlsafe(24)
        ttl = timedelta(hours=float(self.setting("link_ttl_hours")))
        self.store.insert("tokens", {"token": token, "kind": kind, "registration_id": reg_id,
                                     "created_at": at.isoformat(), "expires_at": (at + ttl).isoformat()})
        return token

    def check_token(self, token: str | None) -> dict:
        if not token or len(token) > 100:
            raise PortalError("link_invalid")
        row = self.store.one("SELECT * FROM tokens WHERE token = ?", (token,))
        if not row:
            raise PortalError("link_invalid")
        if row["used_at"]:
            raise PortalError("link_used")
        ttl = timedelta(hours=float(self.setting("link_ttl_hours")))
        if self.clock.now() >= parse_time(row["created_at"]) + ttl:
            raise PortalError("link_expired")
        return row

    def set_password(self, token: str, password: str | None, confirm: str | None) -> dict:
        row = self.check_token(token)
        reg = self.registration(row["registration_id"])
        rules.validate_password(password, confirm, reg["auth_id"])
        now = self.clock.now()
        with self.store.transaction() as st:
            if st.one("SELECT used_at FROM tokens WHERE token = ?", (token,))["used_at"]:
                raise PortalError("link_used")
            st.update("tokens", {"token": token}, {"used_at": now.isoformat()})
            st.update("registrations", {"id": reg["id"]}, {
                "password_hash": rules.hash_password(password), "password_set_at": now.isoformat(),
                "reminders_sent": "[]"})
        self.log_event("password_set", None, None, None, None, None, {"registration_id": reg["id"]})
        return reg

    def request_reset(self, auth_id: str | None, email: str | None) -> None:
        auth_id = rules.validate_auth_id(auth_id)
        email = (email or "").strip()
        if not email:
            raise PortalError("required", field="メールアドレス")
        if len(email) > rules.EMAIL_MAX:
            raise PortalError("email_too_long")
        reg = self.find_registration(auth_id=auth_id)
        if not reg or reg["email"].lower() != email.lower():
            raise PortalError("reset_unknown")
        now = self.clock.now()
        token = self.issue_token("password_reset", reg["id"], now)
        self.send_mail("password_reset", reg["id"], now, token=token)

    # -- login ---------------------------------------------------------------------------------------------------
    def login_certificate(self, generation: str, cert_b64: str | None, challenge: str | None,
                          signature_b64: str | None, page: str) -> dict:
        info = self.verify_card(generation, "auth", cert_b64, challenge, signature_b64, page)
        reg = self.store.one("SELECT * FROM registrations WHERE auth_cert_sha256 = ?", (info["sha256"],))
        if not reg:
            raise PortalError("login_unregistered", reason="no registration bound to this certificate")
        return reg

    def login_password(self, reg_id: int, password: str | None) -> dict:
        reg = self.registration(reg_id)
        if not reg:
            raise PortalError("login_required")
        if not reg["password_hash"]:
            raise PortalError("password_not_set")
        if not rules.check_password(password or "", reg["password_hash"]):
            raise PortalError("password_wrong")
        if rules.password_expired(parse_time(reg["password_set_at"]), self.clock.now(),
                                  int(self.setting("password_valid_days"))):
            raise PortalError("password_expired")
        return reg

    def menu(self, reg: dict) -> dict:
        today = self.clock.now_jst().date()
        status, until = None, None
        applicant = json.loads(reg["applicant"] or "null")
        number = reg["residence_card_number"] if reg["category"] == "self" else (
            applicant or {}).get("residence_card_number")
        res = self.resident(number)
        if res:
            status, until = res.status_of_residence, res.period_of_stay_until
        elif reg["category"] == "self":
            status = self.settings.unknown_resident_status
        result = rules.procedures_for(reg["category"], status, until, today,
                                      permanent_online=bool(self.setting("permanent_residence_online")))
        result["status_of_residence"] = status
        result["period_of_stay_until"] = until.isoformat() if until else None
        return result

    # -- drafts (rasens: saving part-way) -------------------------------------------------------------------
    def save_draft(self, reg_id: int, procedure: str, data: dict) -> int:
        return self.store.insert("drafts", {"registration_id": reg_id, "procedure": procedure,
                                            "data": json.dumps(data, ensure_ascii=False),
                                            "saved_at": self.clock.now().isoformat()})

    def drafts(self, reg_id: int) -> list[dict]:
        return self.store.query("SELECT id, procedure, saved_at FROM drafts WHERE registration_id = ? ORDER BY id",
                                (reg_id,))

    # -- the bureau (a phone call) ---------------------------------------------------------------------------
    def bureau_change_email(self, reg: dict, email: str) -> dict:
        due = self.clock.now() + timedelta(seconds=float(self.setting("bureau_change_delay_seconds")))
        job_id = self.store.insert("jobs", {"due_at": due.isoformat(), "kind": "change_email",
                                            "payload": json.dumps({"registration_id": reg["id"], "email": email})})
        return {"job_id": job_id, "registration_id": reg["id"], "effective_at": due.isoformat()}

    def bureau_auth_id_inquiry(self, reg: dict) -> dict:
        """The 認証ID確認申出書 (別記第15号様式) filed at the bureau: the answer comes by mail, later."""
        due = self.clock.now() + timedelta(seconds=float(self.setting("bureau_auth_id_delay_seconds")))
        job_id = self.store.insert("jobs", {"due_at": due.isoformat(), "kind": "auth_id_notice",
                                            "payload": json.dumps({"registration_id": reg["id"]})})
        return {"job_id": job_id, "registration_id": reg["id"], "effective_at": due.isoformat()}

    # -- the 利用者情報 screen (after login) --------------------------------------------------------------------
    def change_email_self(self, reg_id: int, email: str | None, confirm: str | None, password: str | None) -> dict:
        """A logged-in person changes her own e-mail address (online-riyousyajyouhouhenkou.html: 「利用者情報画面から
        変更してください」). The current password is asked again: the simulation's guess of how the screen guards it."""
        reg = self.registration(reg_id)
        if not reg:
            raise PortalError("login_required")
        new = rules.validate_email(email, confirm)
        if not rules.check_password(password or "", reg["password_hash"]):
            raise PortalError("password_wrong")
        self.store.update("registrations", {"id": reg_id}, {"email": new})
        self.send_mail("email_changed", reg_id, self.clock.now())
        self.log_event("email_changed", "userinfo", None, None, None, None, {"registration_id": reg_id})
        return self.registration(reg_id)

    # -- time passing ------------------------------------------------------------------------------------------
    def process_due(self) -> None:
        if not self._due_lock.acquire(blocking=False):
            return
        try:
            now = self.clock.now()
            for job in self.store.query("SELECT * FROM jobs WHERE done_at IS NULL ORDER BY due_at, id"):
                due = parse_time(job["due_at"])
                if due > now:
                    continue
                payload = json.loads(job["payload"])
                if job["kind"] == "change_email":
                    self.store.update("registrations", {"id": payload["registration_id"]}, {"email": payload["email"]})
                    extra = float(self.setting("bureau_mail_delay_seconds"))
                    self.send_mail("email_changed", payload["registration_id"], due, extra_delay=extra)
                    token = self.issue_token("password_reset", payload["registration_id"], due)
                    self.send_mail("password_reset", payload["registration_id"], due, token=token, extra_delay=extra)
                elif job["kind"] == "auth_id_notice":
                    self.send_mail("auth_id_notice", payload["registration_id"], due)
                self.store.update("jobs", {"id": job["id"]}, {"done_at": now.isoformat()})
            valid_days = int(self.setting("password_valid_days"))
            for reg in self.store.query("SELECT * FROM registrations WHERE password_set_at IS NOT NULL"):
                sent = json.loads(reg["reminders_sent"])
                for days, due in rules.reminders_due(parse_time(reg["password_set_at"]), now, valid_days,
                                                     tuple(self.settings.password_reminder_days), sent):
                    self.send_mail("password_expiry", reg["id"], due, days=days)
                    sent.append(days)
                    self.store.update("registrations", {"id": reg["id"]}, {"reminders_sent": json.dumps(sent)})
        finally:
            self._due_lock.release()

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


def _challenge_bytes(challenge: str | None) -> bytes | None:
    """The page's challenge is Base64 text; the card signs its bytes."""
    if not challenge:
        return None
    try:
        return base64.b64decode(challenge, validate=True)
    except (binascii.Error, ValueError):
        return None


def new_challenge() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def _opt_str(v) -> str | None:
    if v is None:
        return None
    if not isinstance(v, str) or len(v) > 200:
        raise PortalError("too_long", field="text", max="200")
    return v


def mail_body(kind: str, gen: str, reg: dict, base: str, token: str | None, at: datetime, days: int | None,
              ttl_hours: float, valid_days: int) -> str:
    system = "在留申請オンラインシステム"
    name = reg["name"]
    expires = (at + timedelta(hours=ttl_hours)).astimezone(JST).strftime("%Y年%m月%d日 %H時%M分")
    footer = (
        "\n※本メールは送信専用のアドレスから送信しています。返信いただいてもお答えできません。\n"
        "※このメールに心当たりのない方は、本メールを破棄してください。\n"
        f"\n出入国在留管理庁 {system}\n"
    )
    if kind == "registered":
        link = f"{base}/password?token={token}"
        return (
            f"{name} 様\n\n{system}への利用者情報の登録を受け付けました。\n"
            f"あなたの認証IDは次のとおりです。ログインの際に必要となりますので、大切に保管してください。\n\n"
            f"認証ID：{reg['auth_id']}\n\n"
            f"次のURLにアクセスし、パスワードを設定してください。\n{link}\n"
            f"URLの有効期限：{expires}\n\n"
            f"(English) Your user registration was accepted. Your authentication ID is {reg['auth_id']}.\n"
            f"Set your password at the following URL:\n{link}&lang=en\n" + footer
        )
    if kind == "email_changed":
        return (f"{name} 様\n\n{system}に登録されているメールアドレスの変更が完了しました。\n"
                f"認証ID：{reg['auth_id']}\n\n(English) Your e-mail address has been changed.\n" + footer)
    if kind == "auth_id_notice":
        return (f"{name} 様\n\n{system}の認証IDの確認の申出について、次のとおりお知らせします。\n"
                f"認証ID：{reg['auth_id']}\n\n(English) Your authentication ID is {reg['auth_id']}.\n" + footer)
    if kind == "password_reset":
        link = f"{base}/password?token={token}"
        return (
            f"{name} 様\n\nパスワード再設定について\n次のURLにアクセスし、パスワードを再設定してください。\n{link}\n"
            f"URLの有効期限：{expires}\n認証ID：{reg['auth_id']}\n\n"
            f"(English) About resetting your password: open the following URL to set a new password.\n"
            f"{link}&lang=en\n" + footer
        )
    if kind == "password_expiry":
        exp = (parse_time(reg["password_set_at"]) + timedelta(days=valid_days)).astimezone(JST)
        return (
            f"{name} 様\n\n{system}のパスワードの有効期限まで、あと{days}日です。\n"
            f"有効期限：{exp.strftime('%Y年%m月%d日')}\n"
            "ログイン後、利用者情報の変更からパスワードを変更してください。有効期限が過ぎた場合は、"
            "ログイン画面の「パスワードを忘れた場合」から再設定してください。\n" + footer
        )
    raise ValueError(kind)
