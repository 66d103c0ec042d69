"""JPKI client for the harness: card access over PC/SC (any reader), PINs, the browser bridge, error codes.

Knows nothing of pytest, of the virtual card or of the portal (DESIGN.md "Boundaries").
"""

from .client import JpkiClient, TokenType
from .errors import (
    JpkiClientError,
    JpkiCommunicationError,
    JpkiNoCardError,
    JpkiPinBlocked,
    JpkiPinIncorrect,
    JpkiReadOnlyError,
    JpkiSeveralReadersError,
)
from .pin import PinEntryCancelled, PinProvider, PromptPinProvider, SecretStr, StaticPinProvider
from .transport import PcscTransport

__all__ = [
    "JpkiClient",
    "JpkiClientError",
    "JpkiCommunicationError",
    "JpkiNoCardError",
    "JpkiPinBlocked",
    "JpkiPinIncorrect",
    "JpkiReadOnlyError",
    "JpkiSeveralReadersError",
    "PcscTransport",
    "PinEntryCancelled",
    "PinProvider",
    "PromptPinProvider",
    "SecretStr",
    "StaticPinProvider",
    "TokenType",
]
