"""Helpers shared by the virtual card tests (imported as tests.virtual_card.support): a minimal PC/SC client."""

from __future__ import annotations

import time


class PcscClient:
    """Minimal pyscard client for one reader (the harness's jpki_client is tested elsewhere)."""

    def __init__(self, reader_name: str):
        from smartcard.scard import (
            SCARD_PROTOCOL_T0,
            SCARD_PROTOCOL_T1,
            SCARD_SCOPE_USER,
            SCARD_SHARE_SHARED,
            SCardConnect,
            SCardEstablishContext,
        )
        self.reader_name = reader_name
        hr, self.ctx = SCardEstablishContext(SCARD_SCOPE_USER)
        assert hr == 0, f"SCardEstablishContext failed: {hr:#x}"
        deadline = time.monotonic() + 5
        while True:
            hr, self.handle, self.protocol = SCardConnect(self.ctx, reader_name, SCARD_SHARE_SHARED,
                                                          SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
            if hr == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert hr == 0, f"SCardConnect({reader_name}) failed: {hr & 0xFFFFFFFF:#x}"

    def transmit(self, apdu: bytes) -> bytes:
        from smartcard.scard import SCardTransmit
        hr, response = SCardTransmit(self.handle, self.protocol, list(apdu))
        if hr != 0:
            raise OSError(f"SCardTransmit failed: {hr & 0xFFFFFFFF:#x}")
        return bytes(response)

    def reconnect(self, disposition: str) -> None:
        from smartcard.scard import (
            SCARD_PROTOCOL_T0,
            SCARD_PROTOCOL_T1,
            SCARD_RESET_CARD,
            SCARD_SHARE_SHARED,
            SCARD_UNPOWER_CARD,
            SCardReconnect,
        )
        init = {"reset": SCARD_RESET_CARD, "unpower": SCARD_UNPOWER_CARD}[disposition]
        hr, self.protocol = SCardReconnect(self.handle, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, init)
        assert hr == 0, f"SCardReconnect failed: {hr & 0xFFFFFFFF:#x}"

    def close(self) -> None:
        from smartcard.scard import SCARD_LEAVE_CARD, SCardDisconnect, SCardReleaseContext
        SCardDisconnect(self.handle, SCARD_LEAVE_CARD)
        SCardReleaseContext(self.ctx)
