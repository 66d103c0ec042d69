"""Card profiles: who holds the card, its PINs, certificates and applets, loaded from `virtual_card/data/cards/*.yaml`.

Why strict validation: a profile is test data written by people; a typo must stop the run with a message that
names the file, the field and the fix, instead of producing a card that silently behaves differently. Messages
never echo a PIN, a password or personal data, only their shape.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from . import dates, mynumber

#: The shipped profiles, found through the installed package (never the working directory). A user's own
#: profiles come from an explicit ``directory`` argument (``--profiles DIR`` on the command line).
DEFAULT_DIRECTORY = Path(str(resources.files(__package__) / "data" / "cards"))

ATR_ALIASES = {
    "old-contact": "3BE000FF8131FE4514",
    "new-contact": "3BDA13FF8131FB468012392F31C173C601C03B",
    "contactless": "3B888001000005E0B381A1007F",
}
TOKEN_LABELS = ("JPKIAPICCTOKEN2", "JPKIAPICCTOKEN", "JPKIAPGPSETOKEN", "JPKIAPIOSTOKEN")
APPLETS = ("jpki", "support")
SEXES = ("male", "female", "unknown")
STATUSES = ("valid", "revoked", "absent")
PIN_MAX_TRIES = {"auth": 3, "sign": 5, "support": 3}
PIN_DEFAULTS = {"auth": "1234", "sign": "ABC123", "support": "1234"}
RESIDENCE_CARD_RE = re.compile(r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$")
SIGN_PASSWORD_RE = re.compile(r"^[A-Z0-9]{6,16}$")
#: J-LIS, https://www2.jpki.go.jp/procedure/password.html (read 2026-11-27): letters and digits must be mixed
#: (「数字とアルファベットの混在が必須」).
SIGN_PASSWORD_MIXED_RULE = "must mix upper-case letters and digits (J-LIS: 数字とアルファベットの混在が必須)"


class ProfileError(ValueError):
    """A profile that cannot be used. Each line: `<file>: <field>: <problem>; fix: <fix>`."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass(frozen=True)
class Holder:
    name: str = field(repr=False)
    birth_date: str = field(repr=False)
    sex: str = field(repr=False)
    address: str = field(repr=False)
    prefecture: str
    city: str
    my_number: str = field(repr=False)
    name_kana: str | None = field(default=None, repr=False)
    municipality_code: str = "13104"


@dataclass(frozen=True)
class Person:
    residence_card_number: str = field(repr=False)
    nationality: str
    status_of_residence: str
    period_of_stay_until: str
    lives_abroad: bool = False


@dataclass(frozen=True)
class PinSpec:
    value: str = field(repr=False)
    tries_left: int


@dataclass(frozen=True)
class Pins:
    auth: PinSpec
    sign: PinSpec
    support: PinSpec

    def get(self, kind: str) -> PinSpec:
        return getattr(self, kind)


@dataclass(frozen=True)
class CertSpec:
    issued: str
    status: str = "valid"
    revoked_at: str | None = None
    expires: str | None = None  # override of the computed notAfter (e.g. an expired certificate)


@dataclass(frozen=True)
class Certificates:
    auth: CertSpec
    sign: CertSpec


@dataclass(frozen=True)
class CardProfile:
    name: str
    description: str
    atr: bytes
    token_label: str
    holder: Holder
    person: Person
    pins: Pins
    certificates: Certificates
    card_expires: str
    applets: tuple[str, ...]
    renewal_of: str | None = None
    generation: int = 1
    source: str = ""

    def with_secrets(
        self,
        auth_pin: str | None = None,
        sign_password: str | None = None,
        support_pin: str | None = None,
        holder_name: str | None = None,
        address: str | None = None,
        residence_card_number: str | None = None,
    ) -> CardProfile:
        """A copy with chosen secrets/personal data (e.g. sentinels a test then searches every artifact for)."""
        pins = self.pins
        if auth_pin is not None:
            pins = dataclasses.replace(pins, auth=dataclasses.replace(pins.auth, value=auth_pin))
        if sign_password is not None:
            pins = dataclasses.replace(pins, sign=dataclasses.replace(pins.sign, value=sign_password))
        if support_pin is not None:
            pins = dataclasses.replace(pins, support=dataclasses.replace(pins.support, value=support_pin))
        holder = self.holder
        if holder_name is not None:
            holder = dataclasses.replace(holder, name=holder_name)
        if address is not None:
            holder = dataclasses.replace(holder, address=address)
        person = self.person
        if residence_card_number is not None:
            person = dataclasses.replace(person, residence_card_number=residence_card_number)
        return dataclasses.replace(self, pins=pins, holder=holder, person=person)


# ----------------------------------------------------------------------------------------------------------
# Loading


def list_profiles(directory: Path = DEFAULT_DIRECTORY) -> list[str]:
    return sorted(p.stem for p in Path(directory).glob("*.yaml"))


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _find(name_or_path: str | Path, directory: Path) -> Path:
    text = str(name_or_path)
    candidate = Path(text)
    if text.endswith((".yaml", ".yml")) or "/" in text:
        return candidate
    return Path(directory) / f"{text}.yaml"


def _read_yaml(path: Path, directory: Path) -> dict[str, Any]:
    shown = _display(path)
    if not path.is_file():
        known = ", ".join(list_profiles(path.parent)) or "none"
        raise ProfileError([f"{shown}: (file): no such profile; fix: use one of: {known}"])
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "somewhere"
        raise ProfileError([f"{shown}: (file): not valid YAML at {where}; fix: check indentation and quoting"]) from None
    if not isinstance(data, dict):
        raise ProfileError([f"{shown}: (file): must be a mapping of sections; fix: start with `name: {path.stem}`"])
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_profile(name_or_path: str | Path, directory: Path = DEFAULT_DIRECTORY) -> CardProfile:
    """Load and validate a profile by name (`valid`) or path. Raises ProfileError naming file, field and fix."""
    path = _find(name_or_path, Path(directory))
    return _load(path, Path(directory), seen=())


def _load(path: Path, directory: Path, seen: tuple[str, ...]) -> CardProfile:
    data = _read_yaml(path, directory)
    shown = _display(path)
    generation = 1
    base_name = data.get("renewal_of")
    if base_name is not None:
        if not isinstance(base_name, str) or not base_name:
            raise ProfileError([f"{shown}: renewal_of: must be the name of another profile; fix: e.g. `renewal_of: valid`"])
        if base_name in seen or base_name == path.stem:
            raise ProfileError([f"{shown}: renewal_of: renews itself in a cycle; fix: point to an original card"])
        base_path = path.parent / f"{base_name}.yaml"
        if not base_path.is_file():
            known = ", ".join(list_profiles(path.parent))
            raise ProfileError([f"{shown}: renewal_of: no profile named {base_name!r}; fix: use one of: {known}"])
        base = _load(base_path, directory, seen + (path.stem,))
        generation = base.generation + 1
        base_data = yaml.safe_load(base_path.read_text(encoding="utf-8"))
        base_data = {k: v for k, v in base_data.items() if k not in ("name", "description", "renewal_of")}
        data = _merge(base_data, data)
    return from_dict(data, source=shown, generation=generation, expected_name=path.stem)


# ----------------------------------------------------------------------------------------------------------
# Validation


class _Checker:
    def __init__(self, source: str):
        self.source = source
        self.errors: list[str] = []

    def fail(self, where: str, problem: str, fix: str) -> None:
        self.errors.append(f"{self.source}: {where}: {problem}; fix: {fix}")

    def section(self, data: dict, key: str, allowed: tuple[str, ...], required: bool = True) -> dict:
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "is missing", f"add a `{key}:` section with {', '.join(allowed)}")
            return {}
        if not isinstance(value, dict):
            self.fail(key, f"must be a mapping (got {type(value).__name__})", f"indent {', '.join(allowed)} under `{key}:`")
            return {}
        for extra in value:
            if extra not in allowed:
                self.fail(f"{key}.{extra}", "unknown field", f"remove it or use one of: {', '.join(allowed)}")
        return value

    def text(self, data: dict, where: str, key: str, required: bool = True, example: str = "") -> str | None:
        value = data.get(key)
        path = f"{where}.{key}"
        if value is None:
            if required:
                self.fail(path, "is missing", f"add `{key}: {example or '...'}`")
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.fail(path, f"must be text (got {type(value).__name__})", f"write it as a quoted string, e.g. {example or '...'}")
            return None
        if not isinstance(value, str):
            self.fail(path, "must be a quoted string (got a number, which YAML may alter, e.g. drop leading zeros)",
                      f"quote it, e.g. {example or chr(34) + chr(34)}")
            return None
        if not value.strip():
            self.fail(path, "is empty", f"give a value, e.g. {example or '...'}")
            return None
        return value

    def date(self, data: dict, where: str, key: str, required: bool = True, example: str = "-2y") -> str | None:
        value = data.get(key)
        path = f"{where}.{key}" if where else key
        if value is None:
            if required:
                self.fail(path, "is missing", f"add `{key}: {example}`")
            return None
        problem = dates.check(value)
        if problem:
            self.fail(path, problem, f"write a date such as 2030-03-31 or an offset such as {example}")
            return None
        return str(value)


def _check_pin(c: _Checker, kind: str, raw: Any) -> PinSpec:
    where = f"pins.{kind}"
    default = PIN_DEFAULTS[kind]
    maximum = PIN_MAX_TRIES[kind]
    if raw is None:
        return PinSpec(default, maximum)
    if not isinstance(raw, dict):
        c.fail(where, "must be a mapping", f"write `{kind}: {{value: \"{default}\", tries_left: {maximum}}}`")
        return PinSpec(default, maximum)
    for extra in raw:
        if extra not in ("value", "tries_left"):
            c.fail(f"{where}.{extra}", "unknown field", "use only value and tries_left")
    value = raw.get("value", default)
    if isinstance(value, int) and not isinstance(value, bool):
        c.fail(f"{where}.value", "must be a quoted string (got a number; YAML drops leading zeros)",
               f'quote it, e.g. "{default}"')
        value = default
    elif not isinstance(value, str):
        c.fail(f"{where}.value", f"must be a string (got {type(value).__name__})", f'use e.g. "{default}"')
        value = default
    elif kind in ("auth", "support"):
        if len(value) != 4 or not (value.isascii() and value.isdigit()):
            got = f"{len(value)} characters" if len(value) != 4 else "non-digit characters"
            c.fail(f"{where}.value", f"must be exactly 4 digits (got {got})", 'use a 4-digit string such as "1234"')
    elif not SIGN_PASSWORD_RE.match(value):
        if not 6 <= len(value) <= 16:
            c.fail(f"{where}.value", f"must be 6-16 characters (got {len(value)} characters)",
                   'use 6-16 upper-case letters and digits such as "ABC123"')
        else:
            c.fail(f"{where}.value", "may contain only upper-case A-Z and digits 0-9 (got other characters)",
                   'use 6-16 upper-case letters and digits such as "ABC123"')
    elif not (re.search(r"[A-Z]", value) and re.search(r"[0-9]", value)):
        got = "only letters" if value.isalpha() else "only digits"
        c.fail(f"{where}.value", f"{SIGN_PASSWORD_MIXED_RULE} (got {got})",
               'add at least one digit and one letter, e.g. "ABC123"')
    tries = raw.get("tries_left", maximum)
    if isinstance(tries, bool) or not isinstance(tries, int) or not 0 <= tries <= maximum:
        c.fail(f"{where}.tries_left", f"must be a whole number from 0 to {maximum}",
               f"use {maximum} for a fresh card, 1 for one try left, 0 for blocked")
        tries = maximum
    return PinSpec(value, tries)


def _check_cert(c: _Checker, kind: str, raw: Any) -> CertSpec:
    where = f"certificates.{kind}"
    if raw is None:
        return CertSpec(issued="-1y")
    if not isinstance(raw, dict):
        c.fail(where, "must be a mapping", f"write `{kind}: {{issued: -2y, status: valid}}`")
        return CertSpec(issued="-1y")
    for extra in raw:
        if extra not in ("issued", "status", "revoked_at", "expires"):
            c.fail(f"{where}.{extra}", "unknown field", "use issued, status, revoked_at, expires")
    status = raw.get("status", "valid")
    if status not in STATUSES:
        c.fail(f"{where}.status", f"must be one of {', '.join(STATUSES)}", "use `status: valid`, `revoked` or `absent`")
        status = "valid"
    issued = c.date(raw, where, "issued", required=status != "absent") or "-1y"
    revoked_at = c.date(raw, where, "revoked_at", required=False, example="-1d")
    if status == "revoked" and revoked_at is None and "revoked_at" not in raw:
        c.fail(f"{where}.revoked_at", "is missing for a revoked certificate", "add `revoked_at: -1d` (when it was revoked)")
    if status != "revoked" and revoked_at is not None:
        c.fail(f"{where}.revoked_at", f"given but status is {status}", "set `status: revoked` or remove revoked_at")
    expires = c.date(raw, where, "expires", required=False, example="-10d")
    return CertSpec(issued=issued, status=status, revoked_at=revoked_at, expires=expires)


def _atr(c: _Checker, raw: Any) -> bytes:
    if raw is None:
        raw = "old-contact"
    if not isinstance(raw, str):
        c.fail("atr", "must be a name or hex string", f"use one of {', '.join(ATR_ALIASES)} or hex like 3BE000FF8131FE4514")
        return bytes.fromhex(ATR_ALIASES["old-contact"])
    text = ATR_ALIASES.get(raw, raw).replace(" ", "").replace(":", "")
    try:
        atr = bytes.fromhex(text)
    except ValueError:
        c.fail("atr", "is neither a known name nor hex", f"use one of {', '.join(ATR_ALIASES)} or hex like 3BE000FF8131FE4514")
        return bytes.fromhex(ATR_ALIASES["old-contact"])
    if not 2 <= len(atr) <= 33 or atr[0] not in (0x3B, 0x3F):
        c.fail("atr", "must be 2-33 bytes starting with 3B or 3F", "copy a published ATR, e.g. old-contact")
    return atr


_TOP_SECTIONS = ("name", "description", "atr", "token_label", "holder", "person", "pins", "certificates",
                 "card_expires", "applets", "renewal_of")


def from_dict(data: dict[str, Any], source: str = "<dict>", generation: int = 1, expected_name: str | None = None) -> CardProfile:
    """Validate a profile mapping (as read from YAML). Collects every problem before raising."""
    c = _Checker(source)
    for extra in data:
        if extra not in _TOP_SECTIONS:
            c.fail(str(extra), "unknown section", f"remove it or use one of: {', '.join(_TOP_SECTIONS)}")
    name = _name(c, data, expected_name)
    description = data.get("description") or ""
    atr = _atr(c, data.get("atr"))
    token_label = _token_label(c, data)
    holder = _holder(c, data)
    person = _person(c, data)
    pin_data = c.section(data, "pins", ("auth", "sign", "support"), required=False)
    pins = Pins(**{kind: _check_pin(c, kind, pin_data.get(kind)) for kind in ("auth", "sign", "support")})
    certificates = _certificates(c, data)
    card_expires = c.date(data, "", "card_expires", required=False, example="+3y") or person.period_of_stay_until
    applets = _applets(c, data)
    renewal_of = data.get("renewal_of")
    if c.errors:
        raise ProfileError(c.errors)
    return CardProfile(
        name=name, description=str(description), atr=atr, token_label=token_label, holder=holder, person=person,
        pins=pins, certificates=certificates, card_expires=card_expires, applets=tuple(applets),
        renewal_of=renewal_of, generation=generation, source=source,
    )


def _name(c: _Checker, data: dict[str, Any], expected_name: str | None) -> str:
    name = data.get("name")
    if not isinstance(name, str) or not re.match(r"^[a-z0-9][a-z0-9-]*$", name or ""):
        c.fail("name", "must be a lower-case name with dashes", f"use `name: {expected_name or 'my-profile'}`")
        return expected_name or "unnamed"
    if expected_name and name != expected_name:
        c.fail("name", f"is {name!r} but the file is {expected_name}.yaml", f"use `name: {expected_name}` or rename the file")
    return name


def _token_label(c: _Checker, data: dict[str, Any]) -> str:
    token_label = data.get("token_label", "JPKIAPICCTOKEN2")
    if not isinstance(token_label, str) or not token_label.isascii() or len(token_label) > 32:
        c.fail("token_label", "must be ASCII text of at most 32 characters", f"use one of {', '.join(TOKEN_LABELS)}")
        return "JPKIAPICCTOKEN2"
    return token_label


def _my_number(c: _Checker, h: dict) -> str | None:
    my_number = c.text(h, "holder", "my_number", example='"123456789018"') if h else None
    if my_number is not None and not mynumber.is_valid(my_number):
        if len(my_number) != 12 or not my_number.isdigit():
            c.fail("holder.my_number", f"must be 12 digits (got {len(my_number)} characters)",
                   "use 11 digits plus the check digit, e.g. virtual_card.mynumber.complete('12345678901')")
        else:
            c.fail("holder.my_number", "check digit is wrong",
                   "compute the last digit with virtual_card.mynumber.complete(first 11 digits)")
    return my_number


def _holder(c: _Checker, data: dict[str, Any]) -> Holder:
    h = c.section(data, "holder", ("name", "name_kana", "birth_date", "sex", "address", "prefecture", "city",
                                   "my_number", "municipality_code"))
    my_number = _my_number(c, h)
    sex = h.get("sex")
    if h and sex not in SEXES:
        c.fail("holder.sex", f"must be one of {', '.join(SEXES)}", "use `sex: female`, `male` or `unknown`")
    code = str(h.get("municipality_code", "13104"))
    if not re.match(r"^\d{5}$", code):
        c.fail("holder.municipality_code", "must be 5 digits (全国地方公共団体コード)", 'quote it, e.g. "13104"')
    return Holder(
        name=(c.text(h, "holder", "name", example='"山田　花子"') or "") if h else "",
        name_kana=h.get("name_kana"),
        birth_date=(c.date(h, "holder", "birth_date", example="1990-05-02") or "1990-01-01") if h else "1990-01-01",
        sex=sex if sex in SEXES else "unknown",
        address=(c.text(h, "holder", "address", example='"東京都新宿区…"') or "") if h else "",
        prefecture=(c.text(h, "holder", "prefecture", example="Tokyo-to") or "") if h else "",
        city=(c.text(h, "holder", "city", example="Shinjuku-ku") or "") if h else "",
        my_number=my_number or "",
        municipality_code=code,
    )


def _person(c: _Checker, data: dict[str, Any]) -> Person:
    p = c.section(data, "person", ("residence_card_number", "nationality", "status_of_residence",
                                   "period_of_stay_until", "lives_abroad"))
    rcn = c.text(p, "person", "residence_card_number", example='"AB12345678CD"') if p else None
    if rcn is not None and not RESIDENCE_CARD_RE.match(rcn):
        c.fail("person.residence_card_number", f"must be 2 letters, 8 digits, 2 letters (got {len(rcn)} characters)",
               'use the 在留カード format, e.g. "AB12345678CD"')
    lives_abroad = p.get("lives_abroad", False)
    if not isinstance(lives_abroad, bool):
        c.fail("person.lives_abroad", "must be true or false", "use `lives_abroad: false`")
        lives_abroad = False
    return Person(
        residence_card_number=rcn or "",
        nationality=(c.text(p, "person", "nationality", example="Viet Nam") or "") if p else "",
        status_of_residence=(c.text(p, "person", "status_of_residence", example="永住者") or "") if p else "",
        period_of_stay_until=(c.date(p, "person", "period_of_stay_until", example="+2y") or "+1y") if p else "+1y",
        lives_abroad=lives_abroad,
    )


def _certificates(c: _Checker, data: dict[str, Any]) -> Certificates:
    cert_data = c.section(data, "certificates", ("auth", "sign"), required=False)
    certificates = Certificates(auth=_check_cert(c, "auth", cert_data.get("auth")),
                                sign=_check_cert(c, "sign", cert_data.get("sign")))
    if certificates.auth.status == "absent" and "jpki" in (data.get("applets") or APPLETS):
        c.fail("certificates.auth.status", "absent is not possible: every JPKI card has an authentication certificate",
               "use valid or revoked, or drop `jpki` from applets for a card without JPKI")
    return certificates


def _applets(c: _Checker, data: dict[str, Any]) -> list:
    applets = data.get("applets", list(APPLETS))
    if not isinstance(applets, list) or any(a not in APPLETS for a in applets):
        c.fail("applets", f"must be a list drawn from {', '.join(APPLETS)}", "use `applets: [jpki, support]` (or [] for no My Number applets)")
        return list(APPLETS)
    return applets
