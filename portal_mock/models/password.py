"""The password flow: the links mailed after registration or a reset request (one use, limited life), setting a
password by the portal's rules, and asking for a reset."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from . import rules
from .clock import parse_time
from .rules import PortalError


class PasswordMixin:
    """Part of ``Portal`` (models/portal.py): uses its store, clock, settings and mail."""

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
