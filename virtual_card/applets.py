"""Build the two applications of the card from a profile and its credentials (reference §4, §9, §10.1).

Why builders: the file contents (token info, availability, the support AP's TLV) are derived data with exact
byte layouts; keeping them here lets tests check a layout without going through APDUs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import struct

from .files import Applet, BinaryEF, KeyEF, Pin, RecordEF, digits, four_digits, sign_password
from .pki import CardCredentials
from .profiles import PIN_MAX_TRIES, CardProfile

AID_JPKI = bytes.fromhex("D392F000260100000001")
AID_SUPPORT = bytes.fromhex("D3921000310001010408")
AID_COMMON = bytes.fromhex("D3921000310001010100")
#: Tries of 照合番号A/B: not in any source we found (unverified); the support PIN's 3 would make a typo on the
#: printed number costly, so we assume more.
COLLATION_MAX_TRIES = 10

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

    DF21 holds four 2-byte offsets, counted from the start of the *file*, to the tag of DF22..DF25. Source:
    soltia48/myna-card `src/ap/text.rs` (https://github.com/soltia48/myna-card, read 2026-11-27), whose real-card
    dump `FF 20 65 DF 21 08 000E 0020 0059 0064` is consistent only that way (000E = 3-byte FF20 header + 11-byte
    DF21 object), and nm004/myna_browser_extension `src/_internal/card.py`, which reads the FF20 value from file
    offset 3 and finds each field's length byte at `offset - 1` of that value.
    """
    holder = profile.holder
    parts = [
        _tlv(b"\xdf\x22", holder.name.encode("utf-8")),
        _tlv(b"\xdf\x23", holder.address.encode("utf-8")),
        _tlv(b"\xdf\x24", creds.birth_date.strftime("%Y%m%d").encode("ascii")),
        _tlv(b"\xdf\x25", SEX_ISO5218[holder.sex]),
    ]
    table_len = 11  # DF21 object itself: 2 tag + 1 length + 8 value
    content_len = table_len + sum(len(part) for part in parts)
    pos = 2 + len(_ber_len(content_len)) + table_len  # FF20 tag + its length bytes come first in the file
    offsets = []
    for part in parts:
        offsets.append(pos)
        pos += len(part)
    content = _tlv(b"\xdf\x21", struct.pack(">4H", *offsets)) + b"".join(parts)
    return _tlv(b"\xff\x20", content)


def _digest(*parts: object) -> bytes:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).digest()


def collation_a(profile: CardProfile) -> str:
    """照合番号A: the 12-digit My Number (jpki-card.md §10.1; myna-card `src/ap/text.rs` docs)."""
    return profile.holder.my_number


def collation_b(profile: CardProfile, creds: CardCredentials) -> str:
    """照合番号B: birth date `YYMMDD` in the Japanese era year, card expiry year `YYYY`, 4-digit security code
    (jpki-card.md §10.1, myna-card). The security code is printed on the card; here it is derived from the
    profile (our own choice)."""
    birth = creds.birth_date
    era_years = ((dt.date(2019, 5, 1), 2018), (dt.date(1989, 1, 8), 1988), (dt.date(1926, 12, 25), 1925))
    base = next((offset for start, offset in era_years if birth >= start), 1911)
    code = int.from_bytes(_digest(profile.name, "security-code")[:4], "big") % 10000
    return f"{birth.year - base:02d}{birth:%m%d}{creds.card_expires.year:04d}{code:04d}"


def _support_extra_files(profile: CardProfile, creds: CardCredentials) -> dict:
    """EFs 0003-0008, 0012, 0014, 0015 of the 券面事項入力補助AP, so that clients reading them (jpki/myna `text
    basic-info`, myna-card) find what a real card has. Which key opens which file: myna-card `src/ap/text.rs`
    (read 2026-11-27). Contents other than EF 0005's outer layout are stand-ins of the documented sizes (assumed):
    the integrity record is not a real J-LIS signature, the CV certificate and public keys are not verifiable."""
    seed = f"{profile.name}|{profile.generation}"
    any_key = ("support", "code_a", "code_b")
    basic = _tlv(b"\xff\x40", _tlv(b"\xdf\x41", b"\x00\x01\x00\x01") + _tlv(b"\xdf\x42", _digest(seed, "key")[:16]))
    tries = COLLATION_MAX_TRIES
    return {
        0x03: BinaryEF(0x03, (_digest(seed, "d1") + _digest(seed, "d2") + bytes(256) + bytes(16))[:336], read_pin=any_key),
        0x04: BinaryEF(0x04, _tlv(b"\x7f\x21", _digest(seed, "cvc") * 17)),
        0x05: BinaryEF(0x05, basic + b"\xff" * 128),
        0x06: BinaryEF(0x06, _tlv(b"\x7f\x49", _digest(seed, "sm-key") * 8), read_pin=any_key),
        0x07: BinaryEF(0x07, _tlv(b"\x7f\x49", _digest(seed, "signed-key") * 9), read_pin=any_key),
        0x08: BinaryEF(0x08, b"\xff" * 16),
        0x12: Pin("blocked_0012", 0x12, b"", 0, 0, lambda _v: False),  # blocked on every card examined (myna-card)
        0x14: Pin("code_a", 0x14, collation_a(profile).encode("ascii"), tries, tries, digits(12)),
        0x15: Pin("code_b", 0x15, collation_b(profile, creds).encode("ascii"), tries, tries, digits(14)),
    }


def build_support(profile: CardProfile, creds: CardCredentials) -> Applet:
    pin = profile.pins.support
    files = {
        EF_MY_NUMBER: BinaryEF(EF_MY_NUMBER, my_number_ef(profile.holder.my_number), read_pin=("support", "code_a")),
        EF_ATTRIBUTES: BinaryEF(EF_ATTRIBUTES, attributes_ef(profile, creds), read_pin=("support", "code_b")),
        EF_SUPPORT_PIN: Pin("support", EF_SUPPORT_PIN, pin.value.encode("ascii"), PIN_MAX_TRIES["support"],
                            pin.tries_left, four_digits),
        **_support_extra_files(profile, creds),
    }
    return Applet("support", AID_SUPPORT, files)


def card_info_record(profile: CardProfile, creds: CardCredentials) -> bytes:
    """共通カードAP EF 0001 record 1: simple-TLV `01 1C` + 15-digit serial + 5-digit municipality code + expiry
    YYYYMMDD (myna-card `src/ap/common.rs`, read 2026-11-27; jpki/myna `src/unknown.rs` reads it with
    `00 B2 01 0C 00`). The serial is derived from the profile (ours)."""
    serial = str(int.from_bytes(_digest(profile.name, profile.generation, "serial")[:8], "big") % 10**15).zfill(15)
    text = f"{serial}{profile.holder.municipality_code}{creds.card_expires:%Y%m%d}"
    return b"\x01" + bytes([len(text)]) + text.encode("ascii")


def build_common(profile: CardProfile, creds: CardCredentials) -> Applet:
    """共通カードAP `D3 92 10 00 31 00 01 01 01 00`: the card-info record. Its INTERNAL AUTHENTICATE key (EF 0019)
    and PIN (EF 001C) are not emulated (no client of the journey uses them)."""
    return Applet("common", AID_COMMON, {0x01: RecordEF(0x01, (card_info_record(profile, creds),))})
