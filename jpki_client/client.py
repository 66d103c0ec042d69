"""The JPKI client: certificates, PIN counters and signatures over any transport (PC/SC or in-process).

Why it looks like this:

* It speaks exactly as OpenSC does (jpki-card.md §8, §12): ``SELECT`` by FID with ``P2=0C``, certificates read as
  a 4-byte header then 256-byte chunks with an exact last chunk, ``VERIFY`` of the current IEF, ``80 2A 00 80``
  over a SHA-256 DigestInfo — so a virtual card that satisfies this client satisfies the real-world clients too.
* Operations are split in two groups, because a real card locks after 3 (PIN) or 5 (password) mistakes and only a
  city office can unlock it (issue 7):

  - **read-only**, never send a PIN and spend no try: ``read_certificate`` of ``auth``/``auth_ca``/``sign_ca``,
    ``pin_status`` (the case-1 VERIFY query), ``token_type``, ``certificate_availability``;
  - **PIN-using**: ``verify_pin``, ``sign``, ``read_certificate("sign")`` (the signature certificate is behind the
    password).  With ``allow_pin=False`` these raise ``JpkiReadOnlyError`` before a single byte is sent.

* A PIN is sent as typed, except that lower case in the *signature password* is converted to upper case, as the
  real client does (J-LIS, ``settings.UPPER_CASE_SIGN_PASSWORD``); the card itself compares bytes.  The
  client notes a warning for any other shape it does not expect, and refuses only what cannot be a VERIFY at all:
  an empty PIN (that would be the counter query), more than 16 bytes, non-ASCII.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from . import apdu, settings
from .apdu import Response
from .errors import (
    JpkiCardStatusError,
    JpkiCertificateAbsent,
    JpkiClientError,
    JpkiCommunicationError,
    JpkiNotJpkiCardError,
    JpkiPinBlocked,
    JpkiPinFormatError,
    JpkiPinIncorrect,
    JpkiReadOnlyError,
)
from .pin import PinProvider, SecretStr

logger = logging.getLogger("jpki_client")

CERT_KINDS = ("auth", "sign", "auth_ca", "sign_ca")
KEY_KINDS = ("auth", "sign")

#: Token labels (EF 0006, jpki-card.md §9).
TOKEN_KINDS = {
    "JPKIAPICCTOKEN2": "my_number_card",
    "JPKIAPICCTOKEN": "juki_card",
    "JPKIAPGPSETOKEN": "android",
    "JPKIAPIOSTOKEN": "iphone",
}


@dataclass(frozen=True)
class TokenType:
    """The token label of EF 0006 and what it means (``juki_card`` = the old 住基カード, not usable here)."""

    label: str
    kind: str

    @property
    def is_my_number_card(self) -> bool:
        return self.kind == "my_number_card"


class JpkiClient:
    """Talks to the JPKI application of one card through ``transport`` (``connect/transmit/disconnect``).

    Use as a context manager, or call ``connect()``/``close()``; any operation connects lazily.  ``apdu_log`` keeps
    every exchange with PIN bytes masked (for the report); ``notices`` keeps warnings meant for the person.
    """

    def __init__(self, transport, allow_pin: bool = True, upper_case_sign_password: bool | None = None):
        self.transport = transport
        self.allow_pin = allow_pin
        if upper_case_sign_password is None:
            upper_case_sign_password = settings.UPPER_CASE_SIGN_PASSWORD
        self.upper_case_sign_password = upper_case_sign_password
        self.apdu_log: list[str] = []
        self.notices: list[str] = []
        self._open = False
        self._verified: set[str] = set()

    # -- session ---------------------------------------------------------------------------------------------
    def connect(self) -> JpkiClient:
        """Connect the transport (if not already) and select the JPKI AP, which also clears any PIN state."""
        if not self._open:
            if not getattr(self.transport, "connected", False):
                self.transport.connect()
            self._open = True
        try:
            self._select_ap()
        except JpkiClientError:
            self._open = False
            raise
        return self

    def close(self) -> None:
        """Clear verified PINs (re-select the AP, as OpenSC's logout does) and release the reader."""
        if not self._open:
            return
        self._open = False
        if self._verified:
            try:
                self._exchange(apdu.select_df())
            except JpkiClientError:
                pass
            self._verified.clear()
        self.transport.disconnect()

    def __enter__(self) -> JpkiClient:
        return self.connect()

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def reader_name(self) -> str | None:
        return getattr(self.transport, "reader_name", None)

    # -- read-only operations --------------------------------------------------------------------------------
    def read_certificate(self, kind: str, pin_provider: PinProvider | None = None) -> bytes:
        """The DER certificate of ``kind`` (``auth|sign|auth_ca|sign_ca``).  ``sign`` needs the password."""
        if kind not in CERT_KINDS:
            raise ValueError(f"unknown certificate kind {kind!r}; expected one of {CERT_KINDS}")
        if kind == "sign":
            self._require_pin_allowed("read_certificate(sign)")
        self._ensure_open()
        if kind == "sign":
            self._check_available("sign")
            if "sign" not in self._verified:
                if pin_provider is None:
                    raise ValueError("reading the signature certificate needs a pin_provider (signature password)")
                self._verify("sign", pin_provider)
        return self._read_ef(apdu.CERT_EF[kind], kind)

    def pin_status(self) -> dict[str, int]:
        """Tries left for the auth PIN and the signature password, by the case-1 VERIFY that spends no try."""
        self._ensure_open()
        return {kind: self.tries_left(kind) for kind in KEY_KINDS}

    def tries_left(self, kind: str) -> int:
        """Tries left for one PIN (``auth`` or ``sign``); spends no try."""
        self._ensure_open()
        self._select_ef(apdu.PIN_EF[kind], f"PIN {kind}")
        resp = self._exchange(apdu.verify_query())
        if resp.sw1 == 0x63 and resp.sw2 & 0xF0 == 0xC0:
            return resp.sw2 & 0x0F
        if resp.ok:  # some cards answer 9000 once verified in this session; the counter is then at its maximum
            return apdu.MAX_TRIES[kind]
        if resp.sw in (0x6984, 0x6983):
            return 0
        raise JpkiCardStatusError(resp.sw, f"VERIFY query {kind}")

    def token_type(self) -> TokenType:
        """The token label (EF 0006, first 32 bytes, space/NUL padded)."""
        self._ensure_open()
        self._select_ef(apdu.TOKEN_INFO_EF, "token info")
        resp = self._exchange(apdu.read_binary(0, 0x20))
        self._expect_ok(resp, "READ BINARY token info")
        label = resp.data[:32].rstrip(b" \x00").decode("ascii", errors="replace")
        return TokenType(label, TOKEN_KINDS.get(label, "unknown"))

    def certificate_availability(self) -> dict[str, bool]:
        """Which certificates the card holds (EF 0008: byte 0 sign, byte 1 auth; ``00`` = absent)."""
        self._ensure_open()
        self._select_ef(apdu.AVAILABILITY_EF, "certificate availability")
        resp = self._exchange(apdu.read_binary(0, 3))
        self._expect_ok(resp, "READ BINARY certificate availability")
        data = resp.data.ljust(2, b"\x00")
        return {"sign": data[0] != 0, "auth": data[1] != 0}

    # -- PIN-using operations --------------------------------------------------------------------------------
    def verify_pin(self, kind: str, pin_provider: PinProvider) -> None:
        """VERIFY the PIN of ``kind`` once for this session (a wrong PIN costs a try)."""
        if kind not in KEY_KINDS:
            raise ValueError(f"unknown PIN kind {kind!r}; expected one of {KEY_KINDS}")
        self._require_pin_allowed(f"verify_pin({kind})")
        self._ensure_open()
        self._verify(kind, pin_provider)

    def sign(self, kind: str, message: bytes, pin_provider: PinProvider) -> bytes:
        """RSA PKCS#1 v1.5 signature of SHA-256(``message``) with the ``auth`` or ``sign`` key (256 bytes)."""
        if kind not in KEY_KINDS:
            raise ValueError(f"unknown key kind {kind!r}; expected one of {KEY_KINDS}")
        self._require_pin_allowed(f"sign({kind})")
        self._ensure_open()
        if kind == "sign":
            self._check_available("sign")
        digest_info = apdu.sha256_digest_info(bytes(message))
        for attempt in (1, 2):
            self._verify(kind, pin_provider)
            self._select_ef(apdu.KEY_EF[kind], f"key {kind}")
            resp = self._exchange(apdu.compute_signature(digest_info))
            if resp.ok:
                return resp.data
            if resp.sw == 0x6982 and attempt == 1:  # security state lost (another process re-selected the AP)
                self._verified.discard(kind)
                continue
            raise JpkiCardStatusError(resp.sw, f"COMPUTE SIGNATURE {kind}")
        raise AssertionError("unreachable")

    # -- internals -------------------------------------------------------------------------------------------
    def _require_pin_allowed(self, operation: str) -> None:
        if not self.allow_pin:
            raise JpkiReadOnlyError(operation)

    def _ensure_open(self) -> None:
        if not self._open:
            self.connect()

    def _select_ap(self) -> None:
        resp = self._exchange(apdu.select_df())
        self._verified.clear()
        if resp.sw == 0x6A82:
            raise JpkiNotJpkiCardError()
        self._expect_ok(resp, "SELECT JPKI AP")

    def _select_ef(self, fid: int, what: str) -> Response:
        resp = self._exchange(apdu.select_ef(fid))
        self._expect_ok(resp, f"SELECT {fid:04X} ({what})")
        return resp

    def _check_available(self, kind: str) -> None:
        """Refuse before asking for a PIN when EF 0008 says the certificate is absent (a child's card)."""
        resp = self._exchange(apdu.select_ef(apdu.AVAILABILITY_EF))
        if not resp.ok:
            return  # cards without EF 0008: let the certificate EF itself decide
        resp = self._exchange(apdu.read_binary(0, 3))
        if resp.ok and len(resp.data) >= 2 and resp.data[0 if kind == "sign" else 1] == 0:
            raise JpkiCertificateAbsent(kind)

    def _verify(self, kind: str, pin_provider: PinProvider) -> None:
        if kind in self._verified:
            return
        secret = SecretStr(pin_provider.get_pin(kind))
        pin_bytes = self._pin_bytes(kind, secret)
        self._select_ef(apdu.PIN_EF[kind], f"PIN {kind}")
        resp = self._exchange(apdu.verify(pin_bytes))
        del pin_bytes
        if resp.ok:
            self._verified.add(kind)
            return
        if resp.sw1 == 0x63 and resp.sw2 & 0xF0 == 0xC0:
            tries = resp.sw2 & 0x0F
            if tries == 0:
                raise JpkiPinBlocked(kind)
            raise JpkiPinIncorrect(kind, tries)
        if resp.sw in (0x6984, 0x6983):
            raise JpkiPinBlocked(kind)
        raise JpkiCardStatusError(resp.sw, f"VERIFY {kind}")

    def _pin_bytes(self, kind: str, secret: SecretStr) -> bytes:
        value = secret.reveal()
        if not value:
            raise JpkiPinFormatError(kind, "empty")
        try:
            data = value.encode("ascii")
        except UnicodeEncodeError:
            raise JpkiPinFormatError(kind, "not ASCII (full-width characters?)") from None
        if len(data) > 16:
            raise JpkiPinFormatError(kind, "longer than 16 characters")
        if kind == "sign" and self.upper_case_sign_password:
            data = data.upper()  # ASCII only (checked above), so only a-z change
            value = value.upper()
        if kind == "sign" and not re.fullmatch(r"[A-Z0-9]{6,16}", value):
            self._notice(
                "署名用パスワードは英大文字と数字の6〜16桁です。"
                " / The signature password is 6-16 capital letters and digits."
            )
        elif kind == "auth" and not re.fullmatch(r"[0-9]{4}", value):
            self._notice("利用者証明用の暗証番号は数字4桁です。 / The user-authentication PIN is 4 digits.")
        return data

    def _notice(self, text: str) -> None:
        self.notices.append(text)
        logger.warning(text)

    def _read_ef(self, fid: int, kind: str) -> bytes:
        """OpenSC's way: SELECT, read 4 bytes for the DER length, then 256-byte chunks and an exact last one."""
        resp = self._exchange(apdu.select_ef(fid))
        if resp.sw == 0x6A82:
            raise JpkiCertificateAbsent(kind)
        self._expect_ok(resp, f"SELECT {fid:04X} ({kind} certificate)")
        head = self._exchange(apdu.read_binary(0, 4))
        if head.sw == 0x6982:
            raise JpkiCardStatusError(head.sw, f"READ BINARY {kind} certificate (PIN not verified)")
        self._expect_ok(head, f"READ BINARY {kind} certificate header")
        if len(head.data) < 4 or head.data[0] != 0x30:
            if head.data[:1] in (b"", b"\x00", b"\xff"):
                raise JpkiCertificateAbsent(kind)
            raise JpkiCardStatusError(head.sw, f"certificate {kind} is not DER ({head.data.hex()})")
        total = apdu.der_total_length(head.data)
        out = bytearray()
        while len(out) < total:
            le = min(256, total - len(out))
            resp = self._exchange(apdu.read_binary(len(out), le))
            self._expect_ok(resp, f"READ BINARY {kind} certificate at {len(out)}")
            if not resp.data:
                raise JpkiCommunicationError(f"card returned no data at offset {len(out)}")
            out += resp.data[:le]
        return bytes(out)

    def _exchange(self, command: bytes) -> Response:
        """Transmit one APDU; follow 61xx (GET RESPONSE) and 6Cxx (resend with Le) as clients tolerate them."""
        resp = self._raw(command)
        if resp.sw1 == 0x6C and len(command) in (4, 5):
            resp = self._raw(command[:4] + bytes([resp.sw2]))
        data = bytearray(resp.data)
        while resp.sw1 == 0x61:
            resp = self._raw(apdu.get_response(resp.sw2))
            data += resp.data
        return Response(bytes(data), resp.sw)

    def _raw(self, command: bytes) -> Response:
        try:
            raw = self.transport.transmit(command)
        except JpkiClientError:
            self.apdu_log.append(f"{apdu.mask(command)} -> (communication failure)")
            raise
        except (OSError, ConnectionError) as exc:  # in-process or socket transports
            self.apdu_log.append(f"{apdu.mask(command)} -> (communication failure)")
            raise JpkiCommunicationError(str(exc)) from exc
        try:
            resp = Response.parse(raw)
        except ValueError as exc:
            raise JpkiCommunicationError(str(exc)) from exc
        self.apdu_log.append(f"{apdu.mask(command)} -> {len(resp.data)} bytes {resp.sw:04X}")
        logger.debug("%s -> %04X", apdu.mask(command), resp.sw)
        return resp

    @staticmethod
    def _expect_ok(resp: Response, what: str) -> None:
        if not resp.ok:
            raise JpkiCardStatusError(resp.sw, what)

    def __repr__(self) -> str:
        return f"JpkiClient(reader={self.reader_name!r}, allow_pin={self.allow_pin})"
