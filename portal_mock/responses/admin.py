"""Control API (WireMock-style), loopback only: /__admin/...

Hostile input must never break the simulation (the design's quality bar): every number is finite and in a range
the clock can add, every time is within 2000-2100, a body must say it is JSON (a cross-site page can post
``text/plain`` without a preflight), and the Host and Origin must be this machine's (DNS rebinding, CSRF)."""

from __future__ import annotations

import json
from datetime import timedelta

from flask import Blueprint, current_app, request

from ras_common.finite_json import first_non_finite
from ras_common.loopback import NotThisMachine, check_same_machine

from ..models.clock import parse_time
from ..models.mailbox import RuleError, validate_rules
from ..models.portal import FAULT_KINDS
from ..models.rules import EMAIL_MAX, EMAIL_RE, PortalError, validate_card_number
from ..settings import GENERATIONS

bp = Blueprint("admin", __name__, url_prefix="/__admin")
YEARS = (2000, 2100)  # the simulated clock's range: far beyond any scenario, far from datetime's limits
CENTURY_SECONDS = 100 * 365 * 86400
EXTENSION_TIMEOUT_MAX = 86_400  # the page's setTimeout (ms) overflows at 2**31 ms, about 24.8 days
UNIT_SECONDS = {"seconds": 1, "minutes": 60, "hours": 3600, "days": 86400, "ms": 0.001}


class BadInput(Exception):
    def __init__(self, field: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.field = field
        self.message = message
        self.status = status


def portal():
    return current_app.extensions["portal"]


def _same_machine() -> None:
    """The client, the Host it asked for and the page that sent it (Origin) must all be this machine."""
    try:
        check_same_machine(request.remote_addr, request.host, request.headers.get("Origin"), "control API",
                           request.scheme)
    except NotThisMachine as e:
        raise BadInput(e.field, str(e), 403) from None


@bp.before_request
def _loopback_only():
    _same_machine()
    portal().process_due()
    return None


@bp.errorhandler(BadInput)
def _bad(e: BadInput):
    return {"error": e.message, "field": e.field}, e.status


@bp.errorhandler(OverflowError)
def _overflow(e: OverflowError):
    return {"error": "time out of range", "field": "clock"}, 400


@bp.errorhandler(PortalError)
def _portal_error(e: PortalError):
    field = e.fmt.get("field") or e.key
    return {"error": portal().messages.get(e.key, **e.fmt).text, "field": field, "key": e.key}, 400


def body() -> dict:
    raw = request.get_data()
    if not raw:
        return {}
    if request.mimetype != "application/json":
        raise BadInput("Content-Type", "Content-Type: expected application/json for a request body "
                                       f"(got {request.mimetype or 'none'!r})", 415)
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        raise BadInput("body", "body: expected a JSON object") from None
    if not isinstance(data, dict):
        raise BadInput("body", "body: expected a JSON object")
    bad = first_non_finite(data)
    if bad:
        raise BadInput(bad, f"{bad}: expected a finite number (NaN and Infinity are not numbers the portal keeps)")
    return data


def time_field(data: dict, name: str, required: bool = False):
    value = data.get(name)
    if value is None:
        if required:
            raise BadInput(name, f"{name}: required (ISO 8601 date-time)")
        return None
    try:
        when = parse_time(value)
    except (ValueError, TypeError):
        raise BadInput(name, f"{name}: expected an ISO 8601 date-time, e.g. 2025-06-01T09:00:00+09:00") from None
    if not YEARS[0] <= when.year < YEARS[1]:
        raise BadInput(name, f"{name}: expected a date-time between {YEARS[0]} and {YEARS[1]}")
    return when


def unit_limit(name: str) -> float:
    """A century in the field's unit (by its name's suffix): the most any setting or step can add to the clock."""
    unit = next((u for u in UNIT_SECONDS if name.endswith(u)), "seconds")
    return CENTURY_SECONDS / UNIT_SECONDS[unit]


def number_field(data: dict, name: str, default=None, minimum: float = 0, maximum: float | None = None):
    value = data.get(name, default)
    if value is None:
        return None
    maximum = unit_limit(name) if maximum is None else maximum
    if isinstance(value, bool) or not isinstance(value, int | float) or not minimum <= value <= maximum:
        raise BadInput(name, f"{name}: expected a number from {minimum:g} to {maximum:g}")
    return value


def clock_view() -> dict:
    p = portal()
    return {"now": p.clock.now_jst().isoformat(), "generation": p.active_generation(), "rate": p.clock.rate}


@bp.post("/reset")
def reset():
    data = body()
    gen = data.get("generation")
    if gen is not None and gen not in GENERATIONS:
        raise BadInput("generation", f"generation: expected one of {GENERATIONS} or null")
    clock = time_field(data, "clock")
    portal().reset(gen, clock)
    return {"ok": True, **clock_view()}


@bp.get("/clock")
def clock_get():
    return clock_view()


@bp.put("/clock")
def clock_put():
    data = body()
    portal().clock.set(time_field(data, "now", required=True))
    return clock_view()


@bp.post("/clock/advance")
def clock_advance():
    data = body()
    parts = {k: number_field(data, k, 0) or 0 for k in ("seconds", "minutes", "hours", "days")}
    if sum(parts[k] * UNIT_SECONDS[k] for k in parts) > CENTURY_SECONDS:
        raise BadInput("seconds", "seconds: advance the clock by at most a century at a time")
    if not any(parts.values()):
        raise BadInput("seconds", "seconds: give seconds, minutes, hours or days (> 0)")
    portal().clock.advance(parts["seconds"], minutes=parts["minutes"], hours=parts["hours"], days=parts["days"])
    return clock_view()


@bp.get("/generation")
def generation_get():
    return {"generation": portal().active_generation()}


@bp.put("/generation")
def generation_put():
    data = body()
    gen = data.get("generation")
    if gen is not None and gen not in GENERATIONS:
        raise BadInput("generation", f"generation: expected one of {GENERATIONS} or null (by clock)")
    portal().set_generation(gen)
    return {"generation": portal().active_generation()}


@bp.get("/faults")
def faults_get():
    p = portal()
    now = p.clock.now()
    return {"faults": [f | {"active": parse_time(f["from"]) <= now < parse_time(f["until"])} for f in p.faults()]}


@bp.post("/faults")
def faults_post():
    data = body()
    kind = data.get("kind")
    if kind not in FAULT_KINDS:
        raise BadInput("kind", "kind: expected outage, maintenance or slow")
    start = time_field(data, "from") or portal().clock.now()
    until = time_field(data, "until")
    duration = number_field(data, "duration_seconds")
    if until is None:
        if not duration:
            raise BadInput("until", "until: give until (ISO date-time) or duration_seconds (> 0)")
        until = start + timedelta(seconds=duration)
    if until <= start:
        raise BadInput("until", "until: must be after from")
    if until.year >= YEARS[1]:
        raise BadInput("until", f"until: expected a date-time before {YEARS[1]}")
    delay = number_field(data, "delay_ms", 0, maximum=30_000)
    if kind == "slow" and not delay:
        raise BadInput("delay_ms", "delay_ms: a slow fault needs delay_ms > 0")
    return portal().add_fault(kind, start, until, int(delay or 0)), 201


@bp.delete("/faults")
def faults_delete():
    fid = request.args.get("id")
    if fid is not None and not fid.isdigit():
        raise BadInput("id", "id: expected a fault id (integer)")
    return {"removed": portal().clear_faults(int(fid) if fid else None)}


@bp.get("/mail-rules")
def mail_rules_get():
    return {"rules": portal().mail_rules()}


@bp.put("/mail-rules")
def mail_rules_put():
    data = body()
    try:
        rules = validate_rules(data.get("rules"))
    except RuleError as e:
        raise BadInput(str(e).split(":")[0], str(e)) from None
    for i, rule in enumerate(rules):
        if rule["delay_seconds"] > unit_limit("seconds"):
            raise BadInput(f"rules[{i}].delay_seconds", f"rules[{i}].delay_seconds: at most {unit_limit('seconds'):g}")
    portal().put_mail_rules(rules)
    return {"rules": rules}


@bp.get("/settings")
def settings_get():
    return portal().runtime_settings()


@bp.put("/settings")
def settings_put():
    data = body()
    allowed = portal().settings.RUNTIME_FIELDS
    current = portal().runtime_settings()
    clean = {}
    for key, value in data.items():
        if key not in allowed:
            raise BadInput(key, f"{key}: not a runtime setting (allowed: {', '.join(allowed)})")
        old = current[key]
        if isinstance(old, dict):
            if not isinstance(value, dict) or not set(value) <= set(GENERATIONS) or not all(
                    isinstance(v, bool) for v in value.values()):
                raise BadInput(key, f"{key}: expected {{'ras': bool, 'rasens': bool}}")
            value = old | value
        elif isinstance(old, bool):
            if not isinstance(value, bool):
                raise BadInput(key, f"{key}: expected true or false")
        else:
            if value is None:
                raise BadInput(key, f"{key}: expected a number >= 0")
            number_field(data, key, maximum=EXTENSION_TIMEOUT_MAX if key == "extension_timeout_seconds" else None)
        clean[key] = value
    return portal().put_runtime_settings(clean)


@bp.post("/bureau/change-email")
def bureau_change_email():
    data = body()
    email = data.get("email")
    if not isinstance(email, str) or len(email) > EMAIL_MAX or not email.isascii() or not EMAIL_RE.match(email):
        raise BadInput("email", "email: expected an e-mail address (half-width, at most 60 characters)")
    p = portal()
    reg = None
    if data.get("auth_id"):
        if not isinstance(data["auth_id"], str):
            raise BadInput("auth_id", "auth_id: expected a string")
        reg = p.find_registration(auth_id=data["auth_id"])
    elif data.get("residence_card_number"):
        try:
            number = validate_card_number(data["residence_card_number"] if isinstance(
                data["residence_card_number"], str) else "")
        except PortalError:
            raise BadInput("residence_card_number", "residence_card_number: expected AA12345678BB") from None
        reg = p.find_registration(residence_card_number=number)
    elif data.get("old_email"):
        reg = p.find_registration(email=str(data["old_email"]))
    else:
        raise BadInput("auth_id", "auth_id: give auth_id, residence_card_number or old_email")
    if not reg:
        return {"error": "no registration matches", "field": "auth_id"}, 404
    return p.bureau_change_email(reg, email), 202


@bp.post("/bureau/auth-id-inquiry")
def bureau_auth_id_inquiry():
    """The 認証ID確認申出書 (別記第15号様式) a person files at the regional bureau; the 認証ID comes by mail."""
    data = body()
    raw = data.get("residence_card_number")
    try:
        number = validate_card_number(raw if isinstance(raw, str) else "")
    except PortalError:
        raise BadInput("residence_card_number", "residence_card_number: expected AA12345678BB") from None
    reg = portal().find_registration(residence_card_number=number)
    if not reg:
        return {"error": "no registration matches", "field": "residence_card_number"}, 404
    return portal().bureau_auth_id_inquiry(reg), 202


RESIDENT_TEXT = ("residence_card_number", "birth_date", "status_of_residence", "period_of_stay_until", "name",
                 "nationality")


@bp.post("/residents")
def residents_post():
    data = body()
    items = data.get("residents") if "residents" in data else [data]
    if not isinstance(items, list) or not items or len(items) > 1000:
        raise BadInput("residents", "residents: expected a non-empty list")
    for i, r in enumerate(items):
        if not isinstance(r, dict):
            raise BadInput(f"residents[{i}]", f"residents[{i}]: expected an object")
        for key in RESIDENT_TEXT:
            if r.get(key) is not None and not isinstance(r[key], str):
                raise BadInput(key, f"{key}: expected a string")
    try:
        out = portal().seed_residents(items)
    except PortalError as e:
        fields = {"在留カード番号": "residence_card_number"}
        field = e.fmt.get("field", "residence_card_number" if e.key == "card_number_format" else e.key)
        raise BadInput(fields.get(field, field), f"{fields.get(field, field)}: "
                       f"{portal().messages.get(e.key, **e.fmt).text}") from None
    return {"residents": out}, 201


@bp.get("/residents")
def residents_get():
    return {"residents": portal().residents()}


@bp.get("/registrations")
def registrations():
    return {"registrations": portal().registrations()}


@bp.post("/registrations")
def registrations_post():
    """Arrange a registration of 外国人本人 without the browser (the scenario is about what comes after it)."""
    data = body()
    gen = data.get("generation", "rasens")
    if gen not in GENERATIONS:
        raise BadInput("generation", f"generation: expected one of {', '.join(GENERATIONS)}")
    for key in ("sign_cert", "auth_cert", "residence_card_number", "email"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise BadInput(key, f"{key}: expected a string" + (" (Base64 DER)" if key.endswith("_cert") else ""))
    done = portal().arrange_registration(gen, data["sign_cert"], data["auth_cert"], data["residence_card_number"],
                                         data["email"])
    return {"id": done["id"], "auth_id": done["auth_id"]}, 201


@bp.post("/password")
def password_post():
    """Set a password with the token of a mailed link, by the portal's password rules."""
    data = body()
    for key in ("token", "password"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise BadInput(key, f"{key}: expected a string")
    portal().set_password(data["token"], data["password"], data["password"])
    return {}, 200


@bp.get("/mails")
def mails():
    return {"mails": portal().mails()}


@bp.get("/mailbox/<path:address>")
def mailbox(address: str):
    if len(address) > 254 or "@" not in address:
        raise BadInput("address", "address: expected an e-mail address")
    return {"address": address, "mails": portal().mails(address, delivered_only=True)}


@bp.get("/events")
def events():
    since = request.args.get("since", "0")
    if not since.isdigit():
        raise BadInput("since", "since: expected an event id (integer)")
    return {"events": portal().events(int(since))}
