"""The real-card path: safe by construction (issue 7).

A real My Number card locks its user-authentication PIN after 3 wrong tries and the signature password after 5,
and only a city office unlocks them. So, independently of what any client does, this module puts guards between
the client and the reader:

* :class:`GuardedTransport` — an APDU allowlist around the PC/SC transport. It refuses, before anything is sent:
  any INS outside {SELECT ``A4``, READ BINARY ``B0``, VERIFY ``20``, COMPUTE SIGNATURE ``2A``, GET DATA ``CA``}
  (so CHANGE REFERENCE DATA ``24``, UPDATE/WRITE BINARY, RESET RETRY COUNTER… can never reach the card);
  COMPUTE SIGNATURE and VERIFY *with data* unless PIN consent was given for this run; a VERIFY with data when the
  card's counter (asked first by the query that spends no try) shows fewer than 2 tries left; and any VERIFY with
  data after a first wrong PIN (no retry).
* :class:`PinConsent` / :class:`GuardedPinProvider` — PINs only with ``--allow-pin``; from a getpass prompt,
  or, only for a card declared a test card (``--test-card``), from ``RAS_E2E_TEST_PIN_AUTH`` /
  ``RAS_E2E_TEST_PIN_SIGN``. A PIN is never logged, printed or stored.
* :func:`select_reader` — with several readers and no ``--reader``, stop and list them (never guess whose card).
* :func:`read_only_report` — every check that needs no PIN, with a client opened ``allow_pin=False``.

No pytest here: the pytest wiring is ``fixtures/opt_in.py``; ``realcard.doctor`` uses the same pieces.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field

from jpki_client.pin import read_pin_without_echo

INS_NAMES = {0xA4: "SELECT", 0xB0: "READ BINARY", 0x20: "VERIFY", 0x2A: "COMPUTE SIGNATURE", 0xCA: "GET DATA"}
ALLOWED_INS = frozenset(INS_NAMES)
WRITE_INS = frozenset({0x24, 0x2C, 0xD6, 0xD0, 0xDC, 0xE2, 0xDA, 0xDB, 0xE0, 0xE4, 0x0E, 0x44, 0x04, 0xF0, 0x32})
MIN_TRIES_FOR_PIN = 2
ENV_TEST_PIN = {"auth": "RAS_E2E_TEST_PIN_AUTH", "sign": "RAS_E2E_TEST_PIN_SIGN"}
PIN_EF = {0x0018: "auth", 0x001B: "sign"}


class RealCardGuardError(RuntimeError):
    """A guard refused an operation; nothing was sent to the card."""


class ApduRefused(RealCardGuardError):
    pass


class PinNotAllowed(RealCardGuardError):
    pass


class PinTriesTooLow(RealCardGuardError):
    def __init__(self, kind: str, tries: int | None):
        self.kind, self.tries = kind, tries
        what = "unknown" if tries is None else str(tries)
        super().__init__(
            f"refused to send the {kind} PIN: tries left {what} (< {MIN_TRIES_FOR_PIN}); one more mistake could lock "
            "the card until a city-office visit. / 残り回数が少ないため暗証番号を送信しませんでした。"
        )


class WrongPinStop(RealCardGuardError):
    pass


class ReaderSelectionError(RuntimeError):
    def __init__(self, message: str, readers: list[str]):
        self.readers = readers
        super().__init__(message)


# -- PIN consent ---------------------------------------------------------------------------------------------------
@dataclass
class PinConsent:
    """What this run allows: ``allow_pin`` (--allow-pin) and ``test_card`` (--test-card: env PINs allowed)."""

    allow_pin: bool = False
    test_card: bool = False
    env: dict = field(default_factory=lambda: os.environ)
    prompt: Callable[[str], str] = read_pin_without_echo  # refuses, never echoes, without a terminal
    asked: list[str] = field(default_factory=list)  # kinds asked, and from where ("auth:prompt", "sign:env")


class GuardedPinProvider:
    """PIN provider for real cards: refuses without consent, prompts (getpass) unless a declared test card has an
    env PIN. ``prompt_wrapper`` lets pytest suspend output capture around the prompt."""

    PROMPTS = {
        "auth": "利用者証明用電子証明書の暗証番号（数字4桁） / user-authentication PIN (4 digits): ",
        "sign": "署名用電子証明書のパスワード（英大文字と数字 6〜16桁） / signature password (6-16, A-Z and 0-9): ",
    }

    def __init__(self, consent: PinConsent, prompt_wrapper: Callable[[Callable[[], str]], str] | None = None):
        self.consent = consent
        self._wrap = prompt_wrapper or (lambda fn: fn())

    def get_pin(self, kind: str) -> str:
        if not self.consent.allow_pin:
            raise PinNotAllowed(f"a {kind} PIN was asked for, but this run does not allow PIN operations "
                                "(add --allow-pin to allow them)")
        var = ENV_TEST_PIN.get(kind)
        if self.consent.test_card and var and self.consent.env.get(var):
            self.consent.asked.append(f"{kind}:env")
            return self.consent.env[var]
        self.consent.asked.append(f"{kind}:prompt")
        value = self._wrap(lambda: self.consent.prompt(self.PROMPTS.get(kind, f"PIN ({kind}): ")))
        if not value:
            from jpki_client.pin import PinEntryCancelled

            raise PinEntryCancelled(kind)
        return value

    def __repr__(self) -> str:
        return f"GuardedPinProvider(allow_pin={self.consent.allow_pin}, test_card={self.consent.test_card})"


# -- APDU allowlist ------------------------------------------------------------------------------------------------
def _has_data(apdu: bytes) -> bool:
    """Case 3/4 (a command data field). A 5-byte APDU carries only Le (case 2), 4 bytes nothing (case 1)."""
    if len(apdu) <= 5:
        return False
    if apdu[4] == 0 and len(apdu) >= 7:  # extended Lc
        return int.from_bytes(apdu[5:7], "big") > 0
    return apdu[4] > 0


def describe(apdu: bytes) -> str:
    """APDU header for logs; never the data (no PIN bytes, ever)."""
    ins = apdu[1] if len(apdu) > 1 else -1
    name = INS_NAMES.get(ins, f"INS {ins:02X}" if ins >= 0 else "short")
    data = f" +{len(apdu) - 5} data bytes" if _has_data(apdu) else ""
    return f"{name} {apdu[:4].hex(' ').upper()}{data}"


class GuardedTransport:
    """Wraps a transport (``connect/transmit/disconnect``); see the module doc for the rules."""

    def __init__(self, inner, consent: PinConsent | None = None):
        self.inner = inner
        self.consent = consent or PinConsent()
        self.log: list[str] = []  # headers only
        self.refused: list[str] = []
        self.stopped: str | None = None  # set after a wrong or blocked PIN: no more VERIFY with data
        self._current_ef: int | None = None
        self._last_tries: int | None = None

    # the transport duck type --------------------------------------------------------------------------------------
    @property
    def reader_name(self):
        return getattr(self.inner, "reader_name", None)

    @property
    def atr(self):
        return getattr(self.inner, "atr", None)

    @property
    def connected(self) -> bool:
        return bool(getattr(self.inner, "connected", False))

    def connect(self) -> None:
        self.inner.connect()

    def disconnect(self) -> None:
        self.inner.disconnect()

    def transmit(self, apdu: bytes) -> bytes:
        apdu = bytes(apdu)
        self._check(apdu)
        kind = PIN_EF.get(self._current_ef or -1)
        if apdu[1] == 0x20 and _has_data(apdu):
            self._check_tries(apdu, kind)
        resp = self._send(apdu)
        sw = (resp[-2] << 8 | resp[-1]) if len(resp) >= 2 else 0
        if apdu[1] == 0xA4 and sw == 0x9000:
            self._current_ef = int.from_bytes(apdu[5:7], "big") if apdu[2] == 0x02 and len(apdu) >= 7 else None
        if apdu[1] == 0x20 and _has_data(apdu) and sw != 0x9000:
            self.stopped = f"{kind or 'PIN'}: the card answered {sw:04X} to a VERIFY"
        return resp

    # rules ----------------------------------------------------------------------------------------------------------
    def _refuse(self, apdu: bytes, why: str):
        self.refused.append(f"{describe(apdu)}: {why}")
        if apdu[1] == 0x20 and "tries" in why:
            raise PinTriesTooLow(PIN_EF.get(self._current_ef or -1, "PIN"), self._last_tries)
        if apdu[1] == 0x20 and self.stopped:
            raise WrongPinStop(f"refused {describe(apdu)}: {why}")
        raise ApduRefused(f"refused {describe(apdu)}: {why} (nothing was sent to the card)")

    def _check(self, apdu: bytes) -> None:
        if len(apdu) < 4:
            self._refuse(apdu, "not an APDU")
        ins = apdu[1]
        if ins not in ALLOWED_INS:
            self._refuse(apdu, "instruction not on the read-only allowlist (nothing is ever written to the card)")
        if ins == 0x2A and not self.consent.allow_pin:
            self._refuse(apdu, "COMPUTE SIGNATURE needs PIN consent for this run (--allow-pin)")
        if ins == 0x20 and _has_data(apdu):
            if not self.consent.allow_pin:
                self._refuse(apdu, "VERIFY with a PIN needs consent for this run (--allow-pin)")
            if self.stopped:
                self._refuse(apdu, f"stopped after the first wrong PIN ({self.stopped}); no retry")

    def _check_tries(self, apdu: bytes, kind: str | None) -> None:
        """Ask the counter by the query that spends no try (same P1/P2), refuse below 2 or when it is unknown."""
        query = apdu[:4]
        resp = self._send(query)
        sw1, sw2 = resp[-2], resp[-1]
        tries = (sw2 & 0x0F) if sw1 == 0x63 and sw2 & 0xF0 == 0xC0 else None
        self._last_tries = tries
        if tries is None or tries < MIN_TRIES_FOR_PIN:
            self._refuse(apdu, f"tries left {tries if tries is not None else 'unknown'} < {MIN_TRIES_FOR_PIN}")

    def _send(self, apdu: bytes) -> bytes:
        self.log.append(describe(apdu))
        return self.inner.transmit(apdu)

    def __repr__(self) -> str:
        return f"GuardedTransport({self.inner!r}, allow_pin={self.consent.allow_pin})"


# -- PIN operations ------------------------------------------------------------------------------------------------
class RealCardSession:
    """PIN operations on a real card, each preceded by the counter query (no try spent): below 2 tries left the
    PIN is not even asked for; the first wrong PIN stops every further PIN operation of the run."""

    def __init__(self, client, pin_provider: GuardedPinProvider):
        self.client = client
        self.pin_provider = pin_provider
        self.stopped: str | None = None

    def _preflight(self, kind: str) -> None:
        if self.stopped:
            raise WrongPinStop(f"PIN operations stopped after the first wrong PIN ({self.stopped}); no retry")
        tries = self.client.tries_left(kind)
        if tries < MIN_TRIES_FOR_PIN:
            raise PinTriesTooLow(kind, tries)

    def _run(self, kind: str, operation):
        from jpki_client.errors import JpkiPinBlocked, JpkiPinIncorrect

        self._preflight(kind)
        try:
            return operation()
        except JpkiPinIncorrect as exc:
            self.stopped = f"{kind}: wrong PIN, {exc.tries_left} tries left"
            raise WrongPinStop(f"wrong {kind} PIN; {exc.tries_left} tries left. Stopping here: no retry in this run. "
                               "/ 暗証番号が違います。このまま終了します。") from None
        except JpkiPinBlocked:
            self.stopped = f"{kind}: blocked"
            raise

    def verify(self, kind: str) -> None:
        self._run(kind, lambda: self.client.verify_pin(kind, self.pin_provider))

    def sign(self, kind: str, message: bytes) -> bytes:
        return self._run(kind, lambda: self.client.sign(kind, message, self.pin_provider))

    def read_sign_certificate(self) -> bytes:
        return self._run("sign", lambda: self.client.read_certificate("sign", self.pin_provider))


# -- readers -------------------------------------------------------------------------------------------------------
def list_readers() -> list[tuple[str, bool]]:
    """(reader name, card present) for every PC/SC reader, without connecting to any card."""
    from smartcard import scard

    hresult, ctx = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return []
    try:
        hresult, names = scard.SCardListReaders(ctx, [])
        if hresult != scard.SCARD_S_SUCCESS or not names:
            return []
        hresult, states = scard.SCardGetStatusChange(ctx, 0, [(n, scard.SCARD_STATE_UNAWARE) for n in names])
        if hresult != scard.SCARD_S_SUCCESS:
            return [(n, False) for n in names]
        return [(s[0], bool(s[1] & scard.SCARD_STATE_PRESENT)) for s in states]
    finally:
        scard.SCardReleaseContext(ctx)


def format_readers(readers: list[tuple[str, bool]]) -> str:
    return "\n".join(f"  - {name!r}{'  (card present)' if present else ''}" for name, present in readers) or "  (none)"


def select_reader(readers: list[tuple[str, bool]], requested: str | None) -> str:
    """The reader to use. ``requested``: an exact name, else a unique substring. Several readers and no
    ``--reader`` (or a substring matching several): refuse and list them. Never a guess.

    The policy is the JPKI client's (``jpki_client.transport.PcscTransport.resolve_reader``: the named reader, or
    the only one, never one of several); this adds only what a person types on the command line — part of a name —
    and a listing of the readers with their cards."""
    from jpki_client.errors import JpkiSeveralReadersError
    from jpki_client.transport import PcscTransport

    names = [n for n, _ in readers]
    if not names:
        raise ReaderSelectionError("no PC/SC reader found. Connect the reader (and start pcscd on Linux).", [])
    if requested is not None and requested not in names:
        requested = _by_part_of_name(readers, requested)
    try:
        return PcscTransport(requested, list_readers=lambda: names).resolve_reader()
    except JpkiSeveralReadersError:
        raise ReaderSelectionError(
            f"{len(names)} readers are connected and none was named; the harness will not guess which card to use. "
            f"Name one with --reader:\n{format_readers(readers)}", names) from None


def _by_part_of_name(readers: list[tuple[str, bool]], part: str) -> str:
    matches = [(n, p) for n, p in readers if part.lower() in n.lower()]
    if len(matches) == 1:
        return matches[0][0]
    if not matches:
        raise ReaderSelectionError(f"no reader matches --reader {part!r}. Readers:\n{format_readers(readers)}",
                                   [n for n, _ in readers])
    raise ReaderSelectionError(
        f"--reader {part!r} matches {len(matches)} readers; name exactly one:\n{format_readers(matches)}",
        [n for n, _ in matches])


# -- read-only checks ----------------------------------------------------------------------------------------------
@dataclass
class CertInfo:
    kind: str
    present: bool
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None

    def days_left(self, now: dt.datetime) -> int | None:
        return None if self.not_after is None else (self.not_after - now).days



@dataclass
class CardReport:
    """Everything a read-only pass learns; no PIN was sent, no try spent."""

    reader: str | None
    atr: str | None = None
    jpki_ap: bool = False
    token_label: str | None = None
    token_kind: str | None = None
    availability: dict = field(default_factory=dict)
    certs: dict[str, CertInfo] = field(default_factory=dict)
    tries: dict[str, int] = field(default_factory=dict)
    card_expiry_bound: dt.datetime | None = None  # the card ends no earlier than its certificates (jpki-card §13.4)
    errors: list[str] = field(default_factory=list)


def cert_info(kind: str, der: bytes) -> CertInfo:
    from cryptography import x509

    cert = x509.load_der_x509_certificate(der)
    return CertInfo(kind, True, cert.not_valid_before_utc, cert.not_valid_after_utc)


def read_only_report(client) -> CardReport:
    """Card present, JPKI AP, token type, both certificates (auth read; sign by availability only, since reading it
    needs the password), validity and days left, tries left on every PIN. Spends no try."""
    from jpki_client.errors import (
        JpkiCertificateAbsent,
        JpkiClientError,
        JpkiNotJpkiCardError,
    )

    report = CardReport(reader=getattr(client, "reader_name", None))
    try:
        client.connect()
    except JpkiNotJpkiCardError as exc:
        report.errors.append(f"{exc.code}: not a JPKI card")
        return report
    report.jpki_ap = True
    atr = getattr(client.transport, "atr", None)
    report.atr = atr.hex(" ").upper() if isinstance(atr, bytes | bytearray) else None
    report.reader = client.reader_name
    try:
        token = client.token_type()
        report.token_label, report.token_kind = token.label, token.kind
    except JpkiClientError as exc:
        report.errors.append(f"token info: {exc.code}")
    try:
        report.availability = client.certificate_availability()
    except JpkiClientError as exc:
        report.errors.append(f"availability: {exc.code}")
    for kind in ("auth",):
        try:
            report.certs[kind] = cert_info(kind, client.read_certificate(kind))
        except JpkiCertificateAbsent:
            report.certs[kind] = CertInfo(kind, False)
        except JpkiClientError as exc:
            report.errors.append(f"{kind} certificate: {exc.code}")
    # The signature certificate is behind the password; its presence comes from EF 0008 (no try spent).
    report.certs["sign"] = CertInfo("sign", bool(report.availability.get("sign")))
    try:
        report.tries = client.pin_status()
    except JpkiClientError as exc:
        report.errors.append(f"tries: {exc.code}")
    auth = report.certs.get("auth")
    if auth and auth.not_after:
        report.card_expiry_bound = auth.not_after
    return report
