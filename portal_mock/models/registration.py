"""The registration flow (利用者情報の登録): the step state machine a browser walks through, the residents' registry
(seeded by the control API) and the rules a new registration must pass."""

from __future__ import annotations

import json
from datetime import date

from . import rules
from .clock import parse_time
from .rules import PortalError

#: the steps of a registration per generation, in order; a browser may go back but not skip ahead
STEPS = {
    "ras": ["terms", "category", "info", "confirm"],
    "rasens": ["terms", "category", "card_sign", "card_auth", "info", "confirm"],
}


def require_step(gen: str, reg: dict | None, step: str, session_expired: bool) -> dict:
    """The registration in progress (kept in the session) if it may be at ``step``; else the portal's error."""
    steps = STEPS[gen]
    if not reg:
        raise PortalError("session_timeout" if session_expired else "bad_transition",
                          reason=f"no registration in progress at {step}")
    if steps.index(step) > reg.get("max", 0):
        raise PortalError("bad_transition", reason=f"{step} before {steps[reg.get('max', 0)]}")
    return reg


def reach_step(gen: str, reg: dict, step: str) -> dict:
    """Mark ``step`` as reached (the browser may now open it); returns the registration to keep in the session."""
    reg["max"] = max(reg.get("max", 0), STEPS[gen].index(step))
    return reg


def next_step(gen: str, step: str) -> str:
    steps = STEPS[gen]
    return steps[steps.index(step) + 1]


class RegistrationMixin:
    """Part of ``Portal`` (models/portal.py): uses its store, clock, settings, verifier and mail."""

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

    def seed_residents(self, items: list[dict]) -> list[dict]:
        """All or none: a bad entry leaves the registry as it was."""
        with self.store.transaction():
            return [self.seed_resident(r) for r in items]

    def residents(self) -> list[dict]:
        return self.store.query("SELECT * FROM residents ORDER BY residence_card_number")

    def resident(self, number: str | None) -> rules.Resident | None:
        if not number:
            return None
        row = self.store.one("SELECT * FROM residents WHERE residence_card_number = ?", (number,))
        if not row:
            return None
        return rules.Resident(row["residence_card_number"], date.fromisoformat(row["birth_date"]),
                              row["status_of_residence"],
                              date.fromisoformat(row["period_of_stay_until"]) if row["period_of_stay_until"] else None,
                              row["name"], period_of_stay_months=row["period_of_stay_months"])

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


def _opt_str(v) -> str | None:
    if v is None:
        return None
    if not isinstance(v, str) or len(v) > 200:
        raise PortalError("too_long", field="text", max="200")
    return v
