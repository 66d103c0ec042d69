"""The login flow (card, then password) and what a logged-in person sees: the menu of procedures, drafts and the
利用者情報 screen. The login state kept in the session is ``{"reg_id", "stage": "password" | "in"}``."""

from __future__ import annotations

import json

from . import rules
from .clock import parse_time
from .rules import PortalError


def start_login(sess: dict, reg_id: int) -> None:
    """The card identified a registration: the password is asked next. A registration in progress is dropped."""
    sess.pop("reg", None)
    sess["login"] = {"reg_id": reg_id, "stage": "password"}


def logged_in_id(sess: dict, stage: str, session_expired: bool) -> int:
    """The registration id of the session's login at ``stage`` ("password": card read; "in": password given)."""
    login = sess.get("login")
    if not login or (stage == "in" and login.get("stage") != "in"):
        raise PortalError("session_timeout" if session_expired else "login_required")
    return login["reg_id"]


def password_accepted(sess: dict) -> None:
    """Card and password given: the person is logged in."""
    sess["login"]["stage"] = "in"


def logout(sess: dict) -> None:
    sess.pop("login", None)
    sess.pop("reg", None)


class LoginMixin:
    """Part of ``Portal`` (models/portal.py): uses its store, clock, settings, verifier and mail."""

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

    def save_draft(self, reg_id: int, procedure: str, data: dict) -> int:
        return self.store.insert("drafts", {"registration_id": reg_id, "procedure": procedure,
                                            "data": json.dumps(data, ensure_ascii=False),
                                            "saved_at": self.clock.now().isoformat()})

    def drafts(self, reg_id: int) -> list[dict]:
        return self.store.query("SELECT id, procedure, saved_at FROM drafts WHERE registration_id = ? ORDER BY id",
                                (reg_id,))

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
