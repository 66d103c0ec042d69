"""Build the two applications of the card from a profile and its credentials (reference §4, §9, §10.1).

Why builders: the file contents (token info, availability, the support AP's TLV) are derived data with exact
byte layouts; keeping them here lets tests check a layout without going through APDUs.
"""

from __future__ import annotations

import hashlib
import struct

from .files import Applet, BinaryEF, KeyEF, Pin, four_digits, sign_password
from .pki import CardCredentials
from .profiles import PIN_MAX_TRIES, CardProfile

AID_JPKI = bytes.fromhex("D392F000260100000001")
AID_SUPPORT = bytes.fromhex("D3921000310001010408")

# JPKI AP file ids
EF_SIGN_CERT, EF_SIGN_CA, EF_TOKEN, EF_AVAILABILITY = 0x01, 0x02, 0x06, 0x08
EF_AUTH_CERT, EF_AUTH_CA = 0x0A, 0x0B
EF_AUTH_KEY, EF_AUTH_PIN, EF_SIGN_KEY, EF_SIGN_PIN = 0x17, 0x18, 0x1A, 0x1B
# 券面事項入力補助AP file ids
EF_MY_NUMBER, EF_ATTRIBUTES, EF_SUPPORT_PIN = 0x01, 0x02, 0x11

SEX_ISO5218 = {"male": b"1", "female": b"2", "unknown": b"9"}


def token_info(label: str, serial_seed: str) -> bytes:
    """EF 0006: a 160-byte PKCS#11 CK_TOKEN_INFO with big-endian 32-bit CK_ULONGs (reference §9)."""
    def pad(text: str, n: int) -> bytes:
        return text.encode("ascii")[:n].ljust(n, b" ")

    serial = str(int(hashlib.sha256(serial_seed.encode()).hexdigest()[:12], 16) % 10**16).zfill(16)
    out = pad(label, 32) + pad("JPKI-TEST virtual card", 32) + pad("E16R01NJ", 16) + pad(serial, 16)
    out += struct.pack(">I", 0x0000040D)  # RNG | LOGIN_REQUIRED | USER_PIN_INITIALIZED | TOKEN_INITIALIZED
    out += struct.pack(">IIII", 1, 0, 1, 0)  # max sessions, sessions, max rw sessions, rw sessions
    out += struct.pack(">II", 16, 6)  # max / min PIN length
    out += b"\xff" * 16  # total/free public/private memory: unavailable
    out += b"03" + b"01"  # hardware / firmware version, ASCII as on the card
    out += b" " * 16  # utcTime: not set
    assert len(out) == 160
    return out


def availability(creds: CardCredentials) -> bytes:
    """EF 0008: byte0 signature cert, byte1 authentication cert (8F present, 00 absent), then 00."""
    return bytes((0x8F if creds.sign_cert else 0x00, 0x8F if creds.auth_cert else 0x00, 0x00))


def build_jpki(profile: CardProfile, creds: CardCredentials) -> Applet:
    pins = profile.pins
    files = {
        EF_SIGN_CERT: BinaryEF(EF_SIGN_CERT, creds.sign_cert or b"", read_pin="sign"),
        EF_SIGN_CA: BinaryEF(EF_SIGN_CA, creds.sign_ca_cert),
        EF_TOKEN: BinaryEF(EF_TOKEN, token_info(profile.token_label, f"{profile.name}|{profile.generation}")),
        EF_AVAILABILITY: BinaryEF(EF_AVAILABILITY, availability(creds)),
        EF_AUTH_CERT: BinaryEF(EF_AUTH_CERT, creds.auth_cert),
        EF_AUTH_CA: BinaryEF(EF_AUTH_CA, creds.auth_ca_cert),
        EF_AUTH_KEY: KeyEF(EF_AUTH_KEY, "auth", creds.auth_key),
        EF_AUTH_PIN: Pin("auth", EF_AUTH_PIN, pins.auth.value.encode("ascii"), PIN_MAX_TRIES["auth"],
                         pins.auth.tries_left, four_digits),
        EF_SIGN_KEY: KeyEF(EF_SIGN_KEY, "sign", creds.sign_key),
        EF_SIGN_PIN: Pin("sign", EF_SIGN_PIN, pins.sign.value.encode("ascii"), PIN_MAX_TRIES["sign"],
                         pins.sign.tries_left, sign_password),
    }
    return Applet("jpki", AID_JPKI, files)


def _ber_len(n: int) -> bytes:
    if n < 0x80:
        return bytes([n])
    if n < 0x100:
        return bytes([0x81, n])
    return bytes([0x82, n >> 8, n & 0xFF])


def _tlv(tag: bytes, value: bytes) -> bytes:
    return tag + _ber_len(len(value)) + value


def my_number_ef(number: str) -> bytes:
    """EF 0001: `FF 10 0C` + 12 ASCII digits + `FF FF` filler (17 bytes, what clients read)."""
    return b"\xff\x10\x0c" + number.encode("ascii") + b"\xff\xff"


def attributes_ef(profile: CardProfile, creds: CardCredentials) -> bytes:
    """EF 0002: `FF 20` { DF21 offsets, DF22 name, DF23 address, DF24 birth YYYYMMDD, DF25 sex (ISO 5218) }.

    DF21 holds four 2-byte offsets (from the start of the FF20 value) to the DF22..DF25 objects.
    """
    holder = profile.holder
    parts = [
        _tlv(b"\xdf\x22", holder.name.encode("utf-8")),
        _tlv(b"\xdf\x23", holder.address.encode("utf-8")),
        _tlv(b"\xdf\x24", creds.birth_date.strftime("%Y%m%d").encode("ascii")),
        _tlv(b"\xdf\x25", SEX_ISO5218[holder.sex]),
    ]
    offsets, pos = [], 11  # DF21 object itself: 2 tag + 1 length + 8 value
    for part in parts:
        offsets.append(pos)
        pos += len(part)
    content = _tlv(b"\xdf\x21", struct.pack(">4H", *offsets)) + b"".join(parts)
    return _tlv(b"\xff\x20", content)


def build_support(profile: CardProfile, creds: CardCredentials) -> Applet:
    pin = profile.pins.support
    files = {
        EF_MY_NUMBER: BinaryEF(EF_MY_NUMBER, my_number_ef(profile.holder.my_number), read_pin="support"),
        EF_ATTRIBUTES: BinaryEF(EF_ATTRIBUTES, attributes_ef(profile, creds), read_pin="support"),
        EF_SUPPORT_PIN: Pin("support", EF_SUPPORT_PIN, pin.value.encode("ascii"), PIN_MAX_TRIES["support"],
                            pin.tries_left, four_digits),
    }
    return Applet("support", AID_SUPPORT, files)
