"""What happens at the bureau and as simulated time passes: e-mail changes and 認証ID inquiries filed at a
counter (jobs due later), and the password-expiry reminders."""

from __future__ import annotations

import json
from datetime import timedelta

from . import rules
from .clock import parse_time


class BureauMixin:
    """Part of ``Portal`` (models/portal.py): uses its store, clock, settings and mail."""

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

    def process_due(self) -> None:
        """Run what is due at the simulated now: the bureau's jobs, then the reminders. Re-entrant calls (a mail
        sent while processing moves nothing) return at once."""
        if not self._due_lock.acquire(blocking=False):
            return
        try:
            now = self.clock.now()
            self._run_jobs(now)
            self._send_reminders(now)
        finally:
            self._due_lock.release()

    def _run_jobs(self, now) -> None:
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

    def _send_reminders(self, now) -> None:
        valid_days = int(self.setting("password_valid_days"))
        for reg in self.store.query("SELECT * FROM registrations WHERE password_set_at IS NOT NULL"):
            sent = json.loads(reg["reminders_sent"])
            for days, due in rules.reminders_due(parse_time(reg["password_set_at"]), now, valid_days,
                                                 tuple(self.settings.password_reminder_days), sent):
                self.send_mail("password_expiry", reg["id"], due, days=days)
                sent.append(days)
                self.store.update("registrations", {"id": reg["id"]}, {"reminders_sent": json.dumps(sent)})
