"""In-process transport: the card without pcscd, same duck type as jpki_client's PC/SC transport.

Why: machines without pcscd (and fast unit tests) still need the exact card behaviour. Power handling mirrors what
pcscd does through vpcd: connecting powers an unpowered card on; disconnecting leaves the card as it is (pcscd's
SCARD_LEAVE_CARD), so the security state survives between "processes" exactly as through the real stack.
"""

from __future__ import annotations

from .card import MyNumberCard


class TransportError(IOError):
    """No card, or not connected (mirrors a PC/SC failure, without APDU data)."""


class InProcessTransport:
    reader_name = "virtual-direct"

    def __init__(self, card: MyNumberCard | None):
        self.card = card
        self.connected = False

    def connect(self) -> None:
        if self.card is None:
            raise TransportError("no card in the virtual-direct reader")
        self.card.power_on()
        self.connected = True

    def transmit(self, apdu: bytes) -> bytes:
        if not self.connected or self.card is None:
            raise TransportError("not connected to a card")
        return self.card.transmit(bytes(apdu))

    def disconnect(self) -> None:
        self.connected = False

    @property
    def atr(self) -> bytes:
        if self.card is None:
            raise TransportError("no card in the virtual-direct reader")
        return self.card.atr

    def __enter__(self) -> InProcessTransport:
        self.connect()
        return self

    def __exit__(self, *exc: object) -> None:
        self.disconnect()
