"""APDU builders and response parsing for the JPKI application (jpki-card.md §3–§5).

Why separate: the client's logic reads as "select, verify, read, sign"; the byte layouts, the DigestInfo prefix
and the masking of PIN bytes for logs live here, testable without a card.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

JPKI_AID = bytes.fromhex("D392F000260100000001")

#: EF of each certificate (jpki-card.md §4).
CERT_EF = {"sign": 0x0001, "sign_ca": 0x0002, "auth": 0x000A, "auth_ca": 0x000B}
#: PIN IEF and private-key IEF per key kind.
PIN_EF = {"auth": 0x0018, "sign": 0x001B}
KEY_EF = {"auth": 0x0017, "sign": 0x001A}
TOKEN_INFO_EF = 0x0006
AVAILABILITY_EF = 0x0008

#: Retry-counter maxima (jpki-card.md §7).
MAX_TRIES = {"auth": 3, "sign": 5}

SHA256_DIGEST_INFO_PREFIX = bytes.fromhex("3031300D060960864801650304020105000420")

SW_OK = 0x9000
INS_VERIFY = 0x20
INS_CHANGE_REFERENCE_DATA = 0x24


@dataclass(frozen=True)
class Response:
    """An R-APDU split into data and status word."""

    data: bytes
    sw: int

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    @classmethod
    def parse(cls, raw: bytes) -> Response:
        if len(raw) < 2:
            raise ValueError(f"response shorter than a status word: {raw.hex()}")
        return cls(bytes(raw[:-2]), (raw[-2] << 8) | raw[-1])


def select_df(aid: bytes = JPKI_AID) -> bytes:
    """SELECT by DF name, no FCI (``00 A4 04 0C``), as OpenSC and every other client sends it."""
    return bytes([0x00, 0xA4, 0x04, 0x0C, len(aid)]) + aid


def select_ef(fid: int) -> bytes:
    """SELECT EF by file id under the current DF, no FCI (``00 A4 02 0C 02 FID``)."""
    return bytes([0x00, 0xA4, 0x02, 0x0C, 0x02, fid >> 8, fid & 0xFF])


def read_binary(offset: int, le: int) -> bytes:
    """READ BINARY of the current EF at a 15-bit offset; ``le`` 1–256 (256 is sent as ``00``)."""
    if not 0 <= offset <= 0x7FFF:
        raise ValueError(f"offset out of range: {offset}")
    if not 1 <= le <= 256:
        raise ValueError(f"Le out of range: {le}")
    return bytes([0x00, 0xB0, offset >> 8, offset & 0xFF, le & 0xFF])


def verify_query() -> bytes:
    """Case-1 VERIFY (no Lc, no Le): asks for the retry counter of the current IEF and spends no try."""
    return bytes([0x00, 0x20, 0x00, 0x80])


def verify(pin: bytes) -> bytes:
    """Case-3 VERIFY of the current IEF with the PIN's ASCII bytes (1–16 bytes, no padding)."""
    if not 1 <= len(pin) <= 16:
        raise ValueError("PIN length must be 1-16 bytes")
    return bytes([0x00, 0x20, 0x00, 0x80, len(pin)]) + pin


def compute_signature(data: bytes) -> bytes:
    """JPKI COMPUTE DIGITAL SIGNATURE ``80 2A 00 80 Lc data 00`` over the current key EF (PKCS#1 v1.5)."""
    if not 1 <= len(data) <= 245:
        raise ValueError("signature input must be 1-245 bytes")
    return bytes([0x80, 0x2A, 0x00, 0x80, len(data)]) + data + b"\x00"


def get_response(le: int) -> bytes:
    return bytes([0x00, 0xC0, 0x00, 0x00, le & 0xFF])


def sha256_digest_info(message: bytes) -> bytes:
    """DER DigestInfo of SHA-256(message): what the card pads and signs with P1=00 (RFC 8017 §9.2)."""
    return SHA256_DIGEST_INFO_PREFIX + hashlib.sha256(message).digest()


def der_total_length(header: bytes) -> int:
    """Total length of a DER SEQUENCE from its first 4 bytes, like OpenSC (``30 82 LL LL`` → LLLL + 4)."""
    if len(header) < 2 or header[0] != 0x30:
        raise ValueError(f"not a DER SEQUENCE: {header.hex()}")
    first = header[1]
    if first < 0x80:
        return first + 2
    n = first & 0x7F
    if n == 0 or n > 2 or len(header) < 2 + n:
        raise ValueError(f"unsupported DER length form: {header.hex()}")
    return int.from_bytes(header[2 : 2 + n], "big") + 2 + n


def mask(apdu: bytes) -> str:
    """Hex of a C-APDU for logs, with the data of VERIFY / CHANGE REFERENCE DATA replaced by ``**``."""
    if len(apdu) > 5 and apdu[1] in (INS_VERIFY, INS_CHANGE_REFERENCE_DATA):
        return apdu[:5].hex(" ").upper() + " " + " ".join("**" for _ in apdu[5:])
    return apdu.hex(" ").upper()
