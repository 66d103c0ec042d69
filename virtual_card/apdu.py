"""Command APDU parsing (ISO/IEC 7816-4 §5.1) and the status words the card emits.

Why a module of its own: every byte that reaches the card comes from a client we do not control (OpenSC probes,
fuzzers, broken drivers). Parsing is the one place that turns arbitrary bytes into either a well-formed command
or a status word; nothing below it ever sees a malformed APDU, and nothing here ever raises to the caller.
"""

from __future__ import annotations

from dataclasses import dataclass


class SW:
    """Status words (JICSAP Table 25 wording, reference jpki-card.md §6)."""

    OK = 0x9000
    WRONG_LENGTH = 0x6700
    CHANNEL_NOT_SUPPORTED = 0x6881
    SM_NOT_SUPPORTED = 0x6882
    CHAINING_NOT_SUPPORTED = 0x6884
    FILE_STRUCTURE_CONFLICT = 0x6981
    SECURITY_NOT_SATISFIED = 0x6982
    IEF_LOCKED = 0x6984
    CONDITIONS_NOT_SATISFIED = 0x6985
    NO_CURRENT_EF = 0x6986
    SM_DATA_MISSING = 0x69FC
    WRONG_DATA = 0x6A80
    FILE_NOT_FOUND = 0x6A82
    RECORD_NOT_FOUND = 0x6A83
    WRONG_P1P2 = 0x6A86
    REFERENCED_DATA_NOT_FOUND = 0x6A88
    OFFSET_OUT_OF_RANGE = 0x6B00
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00
    UNKNOWN_ERROR = 0x6F00

    @staticmethod
    def tries(n: int) -> int:
        """`63Cx`: verification failed / query, x tries left (0..15)."""
        return 0x63C0 | (max(0, min(n, 15)))


class ApduError(Exception):
    """A command the card refuses; carries only the status word (never APDU data, which may be a PIN)."""

    def __init__(self, sw: int):
        super().__init__(f"SW {sw:04X}")
        self.sw = sw


@dataclass(frozen=True)
class CommandAPDU:
    """A parsed command. `le` is None when absent, else Ne (256 / 65536 for a zero Le)."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    le: int | None
    case: int
    extended: bool

    @property
    def has_data(self) -> bool:
        return self.case in (3, 4)


def parse(raw: bytes) -> CommandAPDU:
    """Parse short or extended C-APDUs (cases 1, 2S/E, 3S/E, 4S/E). Malformed lengths raise ApduError(6700)."""
    n = len(raw)
    if n < 4:
        raise ApduError(SW.WRONG_LENGTH)
    cla, ins, p1, p2 = raw[0], raw[1], raw[2], raw[3]
    body = raw[4:]
    if n == 4:
        return CommandAPDU(cla, ins, p1, p2, b"", None, 1, False)
    b0 = body[0]
    if n == 5:
        return CommandAPDU(cla, ins, p1, p2, b"", b0 or 256, 2, False)
    if b0 != 0:
        lc = b0
        if n == 5 + lc:
            return CommandAPDU(cla, ins, p1, p2, bytes(body[1:]), None, 3, False)
        if n == 6 + lc:
            return CommandAPDU(cla, ins, p1, p2, bytes(body[1 : 1 + lc]), body[-1] or 256, 4, False)
        raise ApduError(SW.WRONG_LENGTH)
    # Extended length: first body byte 00, then two length bytes.
    if n < 7:
        raise ApduError(SW.WRONG_LENGTH)
    value = (body[1] << 8) | body[2]
    if n == 7:
        return CommandAPDU(cla, ins, p1, p2, b"", value or 65536, 2, True)
    lc = value
    if lc == 0:
        raise ApduError(SW.WRONG_LENGTH)
    if n == 7 + lc:
        return CommandAPDU(cla, ins, p1, p2, bytes(body[3:]), None, 3, True)
    if n == 9 + lc:
        le = (body[-2] << 8) | body[-1]
        return CommandAPDU(cla, ins, p1, p2, bytes(body[3 : 3 + lc]), le or 65536, 4, True)
    raise ApduError(SW.WRONG_LENGTH)


def respond(sw: int, data: bytes = b"") -> bytes:
    """R-APDU bytes: data followed by SW1 SW2."""
    return bytes(data) + bytes(((sw >> 8) & 0xFF, sw & 0xFF))


# INS codes whose command data is a PIN or password: masked in every log (VERIFY, CHANGE REFERENCE DATA,
# JICSAP CHANGE KEY, RESET RETRY COUNTER).
SECRET_INS = frozenset({0x20, 0x24, 0x32, 0x2C})


def masked_hex(raw: bytes) -> str:
    """Hex of a command for logs: PIN-bearing commands keep only the header, the data becomes `**`.

    Lc is dropped too, because the length of a PIN is itself a hint.
    """
    if len(raw) >= 4 and raw[1] in SECRET_INS:
        if len(raw) == 4:
            return raw.hex().upper()
        return raw[:4].hex().upper() + " **"
    return raw.hex().upper()
