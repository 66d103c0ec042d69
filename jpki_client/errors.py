"""Errors the client raises, each carrying the code a person (or the portal page) would see.

Why codes: the portal journey is judged by what a person meets; ``EW000J0200`` and ``EW104J1502`` are the real
JPKI client's codes (portal-journey.md §3), the ``JPKI_*`` codes are the harness's own for situations no source
shows (see ``settings.MESSAGES``).  Every error has a Japanese message (``.message``) and an English one
(``.message_en``); ``str(error)`` gives both.  No error ever carries a PIN.
"""

from __future__ import annotations

from . import settings


class JpkiClientError(Exception):
    """A failure of the JPKI client, with the code and message the real client would show."""

    def __init__(self, code: str, message: str | None = None, *, message_en: str | None = None, **fields: object):
        self.code = code
        self.fields = dict(fields)
        self.message = message if message is not None else settings.message(code, "ja", **fields)
        self.message_en = message_en if message_en is not None else settings.message(code, "en", **fields)
        super().__init__(f"{code}: {self.message} / {self.message_en}")


class JpkiCommunicationError(JpkiClientError):
    """The card went away or the reader failed in the middle of a command (EW104J1502)."""

    def __init__(self, detail: str = ""):
        super().__init__("EW104J1502", message_en=settings.message("EW104J1502", "en") + (f" ({detail})" if detail else ""))
        self.detail = detail


class JpkiNoCardError(JpkiClientError):
    """No reader, no card, or the named reader does not exist (EW000J0200)."""

    def __init__(self, detail: str = ""):
        super().__init__("EW000J0200", message_en=settings.message("EW000J0200", "en") + (f" ({detail})" if detail else ""))
        self.detail = detail


class JpkiSeveralReadersError(JpkiClientError):
    """More than one reader and none named: the client refuses to guess which one holds the card."""

    def __init__(self, readers: list[str]):
        self.readers = list(readers)
        super().__init__("JPKI_SEVERAL_READERS", readers=", ".join(self.readers))


class JpkiCardStatusError(JpkiClientError):
    """The card answered a status word the client did not expect for this command."""

    def __init__(self, sw: int, command: str):
        self.sw = sw
        self.command = command
        super().__init__("JPKI_CARD_STATUS", sw=f"{sw:04X}")
        self.message_en = f"{self.message_en} [{command}]"


class JpkiNotJpkiCardError(JpkiClientError):
    """The card in the reader has no JPKI application."""

    def __init__(self):
        super().__init__("JPKI_NOT_JPKI_CARD")


class JpkiCertificateAbsent(JpkiClientError):
    """The card holds no certificate of this kind (e.g. no signature certificate under 15)."""

    def __init__(self, kind: str):
        self.kind = kind
        super().__init__(
            "JPKI_CERT_ABSENT",
            certificate=settings.CERTIFICATE_NAMES_JA.get(kind, kind),
            certificate_en=settings.CERTIFICATE_NAMES_EN.get(kind, kind),
        )


class JpkiPinIncorrect(JpkiClientError):
    """VERIFY failed; ``tries_left`` is what the card reported (63Cx)."""

    def __init__(self, kind: str, tries_left: int):
        self.kind = kind
        self.tries_left = tries_left
        super().__init__("JPKI_PIN_INCORRECT", tries_left=tries_left)


class JpkiPinBlocked(JpkiClientError):
    """The PIN is locked (6984, or 63C0 on the try that exhausted it); only the city office can reset it."""

    def __init__(self, kind: str):
        self.kind = kind
        self.tries_left = 0
        super().__init__("JPKI_PIN_BLOCKED")


class JpkiPinFormatError(JpkiClientError):
    """The PIN cannot be sent at all (empty, over 16 bytes, not ASCII); nothing was sent to the card."""

    def __init__(self, kind: str, reason: str):
        self.kind = kind
        self.reason = reason
        super().__init__("JPKI_PIN_FORMAT")
        self.message_en = f"{self.message_en} ({reason})"


class JpkiReadOnlyError(JpkiClientError):
    """A PIN-using operation was asked of a client opened read-only; nothing was sent to the card."""

    def __init__(self, operation: str):
        self.operation = operation
        super().__init__("JPKI_READ_ONLY")
        self.message_en = f"{self.message_en} (refused: {operation})"


class JpkiClientNotRunning(JpkiClientError):
    """The extension is there but the browser-version client it talks to is not (standalone client only)."""

    def __init__(self):
        super().__init__("JPKI_CLIENT_NOT_RUNNING")
