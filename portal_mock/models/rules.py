"""The portal's rules in plain Python (no Flask, no SQL).  Violations raise PortalError(message key)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import string
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

CARD_NUMBER_RE = re.compile(r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$")
PASSWORD_SYMBOLS = "$%&=@_#*+-?!"
PASSWORD_ALLOWED = set(string.ascii_letters + string.digits + PASSWORD_SYMBOLS)
EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
EMAIL_MAX = 60  # [O*] 電子届出 registration form
AUTH_ID_RE = re.compile(r"^[A-Z0-9]{1,20}$")

CATEGORIES = {
    "self": "外国人本人",
    "legal_representative": "法定代理人",
    "relative": "配偶者、子、父又は母等（法定代理人を除く）",
}
RELATIONSHIPS = {"spouse": "配偶者", "child": "子", "parent": "父又は母", "other": "その他の親族"}
# Who may not use the system at all (ledger: rules.excluded_statuses): onlineshinsei.html 注4 (外交・公用・短期滞在)
# and 001351658.pdf 注記 (外交・短期滞在・特定活動（出国準備期間）).
EXCLUDED_STATUSES = ("外交", "公用", "短期滞在", "特定活動（出国準備期間）")
SHORT_STAY_MAX_MONTHS = 3  # onlineshinsei.html 注4: a period of stay of 「3月」 or less is not mid- to long-term
PERMANENT = ("永住者", "特別永住者")  # not in 001351658.pdf's list of statuses that may apply online
NO_PERIOD_STATUSES = ("永住者", "特別永住者")

# The procedures, in the column order of 「利用者ごとの申請可能な手続」 (moj.go.jp/isa/content/001369137.pdf).
# 資格外活動 and 再入国 only together with 2-4 (leaflet 001368775; 001351658.pdf items 6-7).
PROCEDURES = {
    "coe": "在留資格認定証明書交付申請",
    "change": "在留資格変更許可申請",
    "extend": "在留期間更新許可申請",
    "acquire": "在留資格取得許可申請",
    "work_cert": "就労資格証明書交付申請",
    "extra_activity": "資格外活動許可申請（2〜4と同時に申請する場合に限る）",
    "reentry": "再入国許可申請（2〜4と同時に申請する場合に限る）",
}
# The table's marks per user category: "o" ○ may, "n2" △ 注2, "n3" △ 注3, "p" △ without a note; absent = ×.
# 注3: only when the person concerned is under 16 or cannot apply because of illness or another reason (checked at
# registration, check_registrant).  注2: a certificate of eligibility only for the statuses the PDF lists after
# the table (RELATIVE_COE_STATUSES).
_ALL = {k: "o" for k in PROCEDURES}
BY_CATEGORY = {
    "self": _ALL,
    "legal_representative": _ALL,
    "relative": {"coe": "n2", "change": "n3", "extend": "n3", "acquire": "p", "reentry": "n3"},
}
# 001369137.pdf, the list after the table (read up to 日本人の配偶者等; the rest of the list was cut off in the copy
# read: 永住者の配偶者等 and 定住者 are inferred from the same family-status pattern, ledger verified: false).
RELATIVE_COE_STATUSES = ("文化活動", "留学", "家族滞在", "特定活動", "日本人の配偶者等", "永住者の配偶者等", "定住者")
NOT_ONLINE = {
    "permanent": "永住許可申請",
    "card": "在留カードに関する手続（住居地以外の記載事項変更、有効期間更新等）",
    "reentry_alone": "再入国許可申請（単独）",
}


class PortalError(Exception):
    """A rule was broken; ``key`` names the message in messages.yaml, ``fmt`` fills its placeholders."""

    def __init__(self, key: str, reason: str | None = None, **fmt: str) -> None:
        super().__init__(key)
        self.key = key
        self.reason = reason  # for the events log only (never shown)
        self.fmt = fmt


# -- formats ---------------------------------------------------------------------------------------------
def require(value: str | None, label: str, max_len: int = 200) -> str:
    value = (value or "").strip()
    if not value:
        raise PortalError("required", field=label)
    if len(value) > max_len:
        raise PortalError("too_long", field=label, max=str(max_len))
    return value


def validate_card_number(value: str | None, label: str = "在留カード番号") -> str:
    value = require(value, label, 40)
    if not CARD_NUMBER_RE.match(value):
        raise PortalError("card_number_format")
    return value


def validate_email(email: str | None, confirm: str | None) -> str:
    email = (email or "").strip()
    confirm = (confirm or "").strip()
    if not email:
        raise PortalError("required", field="メールアドレス")
    if not confirm:
        raise PortalError("required", field="メールアドレス（確認用）")
    if len(email) > EMAIL_MAX:
        raise PortalError("email_too_long")
    if not email.isascii() or not EMAIL_RE.match(email):
        raise PortalError("email_format")
    if email != confirm:
        raise PortalError("email_mismatch")
    return email


def validate_password(password: str | None, confirm: str | None, auth_id: str) -> str:
    password = password or ""
    if not password:
        raise PortalError("required", field="パスワード")
    if not (8 <= len(password) <= 32) or not set(password) <= PASSWORD_ALLOWED:
        raise PortalError("password_rules")
    if not (
        any(c in string.ascii_letters for c in password)
        and any(c in string.digits for c in password)
        and any(c in PASSWORD_SYMBOLS for c in password)
    ):
        raise PortalError("password_rules")
    if auth_id and auth_id.lower() in password.lower():
        raise PortalError("password_contains_id")
    if password != (confirm or ""):
        raise PortalError("password_mismatch")
    return password


def validate_auth_id(value: str | None) -> str:
    value = require(value, "認証ID", 40).upper()
    if not AUTH_ID_RE.match(value):
        raise PortalError("auth_id_format")
    return value


def parse_date(value: str | None, label: str) -> date:
    value = require(value, label, 10)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise PortalError("date_format", field=label) from None


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


# -- identity ----------------------------------------------------------------------------------------------
def identity_key(name: str, birth_date: str) -> str:
    """One person = the signature certificate's name + birth date (no My Number in JPKI certificates)."""
    norm = "".join(name.split()).upper()
    return hashlib.sha256(f"{norm}|{birth_date}".encode()).hexdigest()


def new_auth_id(existing: set[str] | None = None) -> str:
    """認証ID: format unknown ([U]); 10 half-width capitals/digits starting with a letter."""
    alphabet = string.ascii_uppercase + string.digits
    while True:
        value = secrets.choice(string.ascii_uppercase) + "".join(secrets.choice(alphabet) for _ in range(9))
        if not existing or value not in existing:
            return value


def hash_password(password: str) -> str:
    salt = secrets.token_hex(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), bytes.fromhex(salt), 20_000).hex()
    return f"pbkdf2${salt}${digest}"


def check_password(password: str, stored: str | None) -> bool:
    if not stored:
        return False
    _, salt, digest = stored.split("$")
    other = hashlib.pbkdf2_hmac("sha256", (password or "").encode(), bytes.fromhex(salt), 20_000).hex()
    return hmac.compare_digest(digest, other)


def password_expires_at(set_at: datetime, valid_days: int) -> datetime:
    return set_at + timedelta(days=valid_days)


def password_expired(set_at: datetime, now: datetime, valid_days: int) -> bool:
    return now >= password_expires_at(set_at, valid_days)


def reminders_due(set_at: datetime, now: datetime, valid_days: int, days_before: tuple, sent: list) -> list:
    """[(days, due_at)] of reminder mails that fell due by ``now`` and were not sent."""
    expiry = password_expires_at(set_at, valid_days)
    out = []
    for d in days_before:
        due = expiry - timedelta(days=d)
        if d not in sent and due <= now:
            out.append((d, due))
    return out


# -- eligibility ----------------------------------------------------------------------------------------------
@dataclass
class Resident:
    residence_card_number: str
    birth_date: date
    status_of_residence: str
    period_of_stay_until: date | None = None
    name: str | None = None
    period_of_stay_months: int | None = None  # the period granted (e.g. 3 for 「3月」); None: not recorded


@dataclass
class Registrant:
    name: str
    birth_date: date
    category: str
    resident: Resident | None = None
    applicant_birth_date: date | None = None
    applicant_resident: Resident | None = None
    applicant_cannot_apply: bool = False
    extra: dict = field(default_factory=dict)


def check_status(status: str) -> None:
    if status in EXCLUDED_STATUSES:
        raise PortalError("status_excluded", status=status)


def check_period(resident: Resident) -> None:
    """A 本人 whose period of stay is 3 months or less is not a mid- to long-term resident (onlineshinsei 注4)."""
    months = resident.period_of_stay_months
    if months is not None and months <= SHORT_STAY_MAX_MONTHS:
        raise PortalError("short_stay_excluded", months=str(months))


def check_registrant(r: Registrant, today: date) -> None:
    """Eligibility at registration ([O] onlineshinsei.html 注4/注5, Q&A Q1-1)."""
    if r.category not in CATEGORIES:
        raise PortalError("choice_required", field="利用者区分")
    if r.category == "self":
        if age_on(r.birth_date, today) < 15:
            raise PortalError("under_15")
        if r.resident is None:
            raise PortalError("resident_not_found")
        if r.resident.birth_date != r.birth_date:
            raise PortalError("resident_mismatch", reason="birth date differs from the certificate")
        check_status(r.resident.status_of_residence)
        check_period(r.resident)
    else:
        if r.applicant_resident is not None:
            check_status(r.applicant_resident.status_of_residence)
        if r.category == "relative":
            birth = r.applicant_birth_date
            if not r.applicant_cannot_apply and (birth is None or age_on(birth, today) >= 16):
                raise PortalError("relative_not_allowed")


def _allowed(category: str, key: str, status: str | None) -> bool:
    mark = BY_CATEGORY.get(category, {}).get(key)
    if mark == "n2":
        return status in RELATIVE_COE_STATUSES
    return mark is not None


def procedures_for(category: str, status: str | None, period_until: date | None, today: date,
                   permanent_online: bool = False) -> dict:
    """Which procedures a user may file online: {'available': [...], 'not_available': [...], 'blocked': key?}.

    ``permanent_online``: the setting ``permanent_residence_online`` (announced, not offered: off)."""
    not_online = dict(NOT_ONLINE)
    if permanent_online:
        not_online.pop("permanent")
    nothing = {"available": [], "not_available": list(PROCEDURES.values()) + list(not_online.values()),
               "available_keys": []}
    if status in EXCLUDED_STATUSES:
        return nothing | {"blocked": "status_excluded"}
    if period_until is not None and status not in NO_PERIOD_STATUSES and today >= period_until:
        return nothing | {"blocked": "last_day"}
    if status in PERMANENT:
        avail = []
    else:
        avail = [k for k in PROCEDURES if _allowed(category, k, status)]
    available = [PROCEDURES[k] for k in avail]
    keys = list(avail)
    if permanent_online and status not in PERMANENT and category in ("self", "legal_representative"):
        available.append(NOT_ONLINE["permanent"])
        keys.append("permanent")
    others = [v for k, v in PROCEDURES.items() if k not in avail]
    return {"available": available, "not_available": others + list(not_online.values()), "blocked": None,
            "available_keys": keys}
