"""Where PINs come from, and how they are kept out of logs, tracebacks and reports.

Why: DESIGN.md forbids a PIN in any artifact.  A PIN is asked of a ``PinProvider`` — the card profile in simulation,
a getpass prompt in real mode — never of the page.  Inside the client it travels as a ``SecretStr`` whose
``repr``/``str`` is ``'****'``, so an accidental ``print``, f-string, log call or traceback shows nothing.
"""

from __future__ import annotations

import getpass
import os
import sys
import warnings
from collections.abc import Callable, Mapping
from typing import Protocol, runtime_checkable

PIN_KINDS = ("auth", "sign", "support")


class PinEntryCancelled(Exception):
    """The person closed the PIN dialog (the bridge answers ``result: "9"``)."""


class PinPromptUnavailable(PinEntryCancelled):
    """There is no terminal to read a PIN without echo; nothing was read (to the bridge, a cancelled entry)."""

    def __init__(self) -> None:
        super().__init__(
            "no terminal to read the PIN without echo (stdin is not a terminal and there is no /dev/tty); the PIN "
            "was not read. Run the command from an interactive terminal, or, for a declared test card, use "
            "--test-card with RAS_E2E_TEST_PIN_AUTH / RAS_E2E_TEST_PIN_SIGN.")


def _terminal_available() -> bool:
    """getpass reads /dev/tty, else stdin when it is a terminal; otherwise it reads stdin *with echo*."""
    if os.name == "nt":  # msvcrt.getwch: the console never echoes
        return True
    try:
        os.close(os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY))
        return True
    except OSError:
        return bool(sys.stdin and sys.stdin.isatty())


def read_pin_without_echo(prompt: str, stream=None) -> str:
    """getpass, but never its echoing fallback: without a terminal, ``PinPromptUnavailable`` before any read.

    The warning filter is a second lock for a terminal that vanishes between the check and the read."""
    if not _terminal_available():
        raise PinPromptUnavailable()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", getpass.GetPassWarning)
            return getpass.getpass(prompt, stream=stream or sys.stderr)
    except getpass.GetPassWarning:
        raise PinPromptUnavailable() from None


class SecretStr:
    """A string that will not show itself: ``repr``/``str``/``format`` give ``'****'``; ``reveal()`` gives the value.

    Equality and hashing are deliberately not defined on the value, so a SecretStr never ends up as a dict key
    or in an assertion message by accident.
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | SecretStr):
        self._value = value.reveal() if isinstance(value, SecretStr) else str(value)

    def reveal(self) -> str:
        return self._value

    def __len__(self) -> int:
        return len(self._value)

    def __repr__(self) -> str:
        return "'****'"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return "****"

    def __reduce__(self):  # pickling would copy the value into whatever stores the pickle
        raise TypeError("SecretStr cannot be pickled")


@runtime_checkable
class PinProvider(Protocol):
    """Supplies the PIN for ``kind`` (``auth``: 4-digit PIN, ``sign``: signature password, ``support``)."""

    def get_pin(self, kind: str) -> str: ...


def reveal(value: str | SecretStr) -> str:
    return value.reveal() if isinstance(value, SecretStr) else value


class StaticPinProvider:
    """PINs from a mapping (simulation: the card profile's ``pins``).  Counts how often each kind was asked.

    ``with_override(kind, value)`` returns a copy that answers ``value`` for ``kind`` — a scenario's wrong PIN;
    ``cancelling(kind)`` returns a copy that raises ``PinEntryCancelled`` for ``kind`` (the person clicks キャンセル).
    """

    def __init__(self, mapping: Mapping[str, str | SecretStr], *, cancel: frozenset[str] = frozenset()):
        self._pins = {kind: SecretStr(value) for kind, value in mapping.items()}
        self._cancel = frozenset(cancel)
        self.asked: list[str] = []

    @classmethod
    def from_profile(cls, profile) -> StaticPinProvider:
        """From a ``virtual_card`` CardProfile (``profile.pins.<kind>.value``) or a plain ``{kind: {value}}``."""
        pins = getattr(profile, "pins", profile)
        mapping: dict[str, str] = {}
        for kind in PIN_KINDS:
            entry = pins.get(kind) if isinstance(pins, Mapping) else getattr(pins, kind, None)
            if entry is None:
                continue
            value = entry.get("value") if isinstance(entry, Mapping) else getattr(entry, "value", entry)
            if value is not None:
                mapping[kind] = value
        return cls(mapping)

    def with_override(self, kind: str, value: str) -> StaticPinProvider:
        pins = dict(self._pins)
        pins[kind] = SecretStr(value)
        return StaticPinProvider(pins, cancel=self._cancel)

    def cancelling(self, kind: str) -> StaticPinProvider:
        return StaticPinProvider(self._pins, cancel=self._cancel | {kind})

    def get_pin(self, kind: str) -> str:
        self.asked.append(kind)
        if kind in self._cancel:
            raise PinEntryCancelled(kind)
        try:
            return self._pins[kind].reveal()
        except KeyError:
            raise PinEntryCancelled(f"no PIN of kind {kind!r} configured") from None

    def __repr__(self) -> str:
        return f"StaticPinProvider(kinds={sorted(self._pins)}, cancel={sorted(self._cancel)})"


PROMPTS = {
    "auth": "利用者証明用電子証明書の暗証番号（数字4桁） / user-authentication PIN (4 digits): ",
    "sign": "署名用電子証明書のパスワード（英大文字と数字 6〜16桁） / signature password (6-16, A-Z and 0-9): ",
    "support": "券面事項入力補助用の暗証番号（数字4桁） / card-info PIN (4 digits): ",
}


class PromptPinProvider:
    """Asks a person at the terminal with getpass; refuses to ask if the input would be echoed.

    An empty answer, Ctrl-C or Ctrl-D cancels (``PinEntryCancelled``) — never an empty VERIFY.
    """

    def __init__(self, *, getpass_func: Callable[[str], str] | None = None, stream=None):
        self._getpass = getpass_func
        self._stream = stream

    def get_pin(self, kind: str) -> str:
        prompt = PROMPTS.get(kind, f"PIN ({kind}): ")
        try:
            if self._getpass is not None:
                value = self._getpass(prompt)
            else:
                value = read_pin_without_echo(prompt, self._stream)
        except getpass.GetPassWarning:  # an injected getpass that warns it would echo
            raise PinPromptUnavailable() from None
        except (KeyboardInterrupt, EOFError):
            raise PinEntryCancelled(kind) from None
        if not value:
            raise PinEntryCancelled(kind)
        return value

    def __repr__(self) -> str:
        return "PromptPinProvider()"
