"""The card's file system objects: applications (DFs), transparent EFs, PIN IEFs and key IEFs.

Why separate from command handling: the access rules (which PIN unlocks which file) are data of the card, and
the command handlers in `card.py` stay generic: they resolve a file, ask it, and turn the answer into an SW.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .apdu import SW


@dataclass
class BinaryEF:
    """A transparent EF. `read_pin` names the PIN of the same applet that must be verified to read it, or a tuple
    of PINs any one of which opens it (the support AP's files open with the PIN or a 照合番号)."""

    fid: int
    data: bytes
    read_pin: str | tuple[str, ...] | None = None

    def readable(self, verified: set[str]) -> bool:
        if self.read_pin is None:
            return True
        needed = (self.read_pin,) if isinstance(self.read_pin, str) else self.read_pin
        return any(kind in verified for kind in needed)


@dataclass
class RecordEF:
    """A linear record EF (the 共通カードAP's EF 0001): records numbered from 1, read with READ RECORD."""

    fid: int
    records: tuple[bytes, ...]


@dataclass
class Pin:
    """A PIN IEF with its retry counter (reference §7 state machine). Value kept as bytes, never logged."""

    kind: str
    fid: int
    value: bytes = field(repr=False)
    max_tries: int
    tries: int
    valid_format: Callable[[bytes], bool]

    def query(self) -> int:
        """Case-1 VERIFY: report tries left without spending one (`63C{max}` also after a success)."""
        return SW.tries(self.tries)

    def verify(self, candidate: bytes) -> tuple[int, bool]:
        """Returns (SW, verified). A blocked PIN answers 6984 even to the right value."""
        if self.tries <= 0:
            return SW.IEF_LOCKED, False
        if candidate == self.value:
            self.tries = self.max_tries
            return SW.OK, True
        self.tries -= 1
        return SW.tries(self.tries), False

    def reset(self, new_value: bytes | None = None) -> None:
        """The city office's reset: counter back to max, optionally a new value."""
        self.tries = self.max_tries
        if new_value is not None:
            self.value = new_value


@dataclass
class KeyEF:
    """A private-key IEF; `key` is None when the key was never issued (e.g. no signature cert under 15)."""

    fid: int
    pin: str
    key: object | None = field(repr=False, default=None)


EF = BinaryEF | RecordEF | Pin | KeyEF


@dataclass
class Applet:
    """A DF selected by AID. `verified` is its security state: names of PINs verified since selection."""

    name: str
    aid: bytes
    files: dict[int, EF]
    verified: set[str] = field(default_factory=set)

    def pin(self, kind: str) -> Pin | None:
        for ef in self.files.values():
            if isinstance(ef, Pin) and ef.kind == kind:
                return ef
        return None

    def by_sfi(self, sfi: int) -> EF | None:
        """Short EF identifier: every EF of these applets has FID 00xx with xx = SFI (reference §3)."""
        return self.files.get(sfi)


def four_digits(value: bytes) -> bool:
    return len(value) == 4 and all(0x30 <= b <= 0x39 for b in value)


def sign_password(value: bytes) -> bool:
    """6-16 of A-Z and 0-9, letters and digits both present. J-LIS, https://www2.jpki.go.jp/procedure/password.html
    (read 2026-11-27): 「数字とアルファベットの混在が必須」 (the card refuses anything else as new reference data)."""
    return (6 <= len(value) <= 16 and all(0x30 <= b <= 0x39 or 0x41 <= b <= 0x5A for b in value)
            and any(0x30 <= b <= 0x39 for b in value) and any(0x41 <= b <= 0x5A for b in value))


def digits(n: int) -> Callable[[bytes], bool]:
    """A check for exactly `n` ASCII digits (照合番号A: the 12-digit My Number)."""
    return lambda value: len(value) == n and all(0x30 <= b <= 0x39 for b in value)
