"""Control API (WireMock-style), loopback only: /__admin/..."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, request

from .clock import parse_time
from .mail import RuleError, validate_rules
from .rules import EMAIL_MAX, EMAIL_RE, PortalError, validate_card_number
from .settings import GENERATIONS

bp = Blueprint("admin", __name__, url_prefix="/__admin")
LOOPBACK = ("127.0.0.1", "::1", "::ffff:127.0.0.1")


class BadInput(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def portal():
    return current_app.extensions["portal"]


@bp.before_request
def _loopback_only():
    if request.remote_addr not in LOOPBACK:
        return {"error": "the control API answers only on loopback"}, 403
    portal().process_due()
    return None


@bp.errorhandler(BadInput)
def _bad(e: BadInput):
    return {"error": e.message, "field": e.field}, 400


@bp.errorhandler(OverflowError)
def _overflow(e: OverflowError):
    return {"error": "time out of range", "field": "clock"}, 400


@bp.errorhandler(PortalError)
def _portal_error(e: PortalError):
    field = e.fmt.get("field") or e.key
    return {"error": portal().messages.get(e.key, **e.fmt).text, "field": field, "key": e.key}, 400


def body() -> dict:
    data = request.get_json(silent=True, force=True) if request.get_data() else {}
    if data is None:
        raise BadInput("body", "body: expected a JSON object")
    if not isinstance(data, dict):
        raise BadInput("body", "body: expected a JSON object")
    return data


def time_field(data: dict, name: str, required: bool = False):
    value = data.get(name)
    if value is None:
        if required:
            raise BadInput(name, f"{name}: required (ISO 8601 date-time)")
        return None
    try:
        return parse_time(value)
    except (ValueError, TypeError):
        raise BadInput(name, f"{name}: expected an ISO 8601 date-time, e.g. 2025-06-01T09:00:00+09:00") from None


def number_field(data: dict, name: str, default=None, minimum: float = 0):
    value = data.get(name, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < minimum or value > 10**10:
        raise BadInput(name, f"{name}: expected a number >= {minimum:g}")
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
    parts = {k: number_field(data, k, 0) for k in ("seconds", "minutes", "hours", "days")}
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
    portal().store.put_setting("generation", gen)
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
    if kind not in ("outage", "maintenance", "slow"):
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
    delay = number_field(data, "delay_ms", 0)
    if kind == "slow" and not delay:
        raise BadInput("delay_ms", "delay_ms: a slow fault needs delay_ms > 0")
    if delay and delay > 30_000:
        raise BadInput("delay_ms", "delay_ms: at most 30000")
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
    portal().store.put_setting("mail_rules", rules)
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
            number_field(data, key)
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


@bp.post("/residents")
def residents_post():
    data = body()
    items = data.get("residents") if "residents" in data else [data]
    if not isinstance(items, list) or not items or len(items) > 1000:
        raise BadInput("residents", "residents: expected a non-empty list")
    for i, r in enumerate(items):
        if not isinstance(r, dict):
            raise BadInput(f"residents[{i}]", f"residents[{i}]: expected an object")
    p = portal()
    out = []
    with p.store.transaction():
        for r in items:
            try:
                out.append(p.seed_resident(r))
            except PortalError as e:
                fields = {"在留カード番号": "residence_card_number"}
                field = e.fmt.get("field", "residence_card_number" if e.key == "card_number_format" else e.key)
                raise BadInput(fields.get(field, field), f"{fields.get(field, field)}: "
                               f"{p.messages.get(e.key, **e.fmt).text}") from None
    return {"residents": out}, 201


@bp.get("/residents")
def residents_get():
    return {"residents": portal().store.query("SELECT * FROM residents ORDER BY residence_card_number")}


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
