"""PC/SC transport over pyscard: the only way this client reaches a card.

Why its own module: DESIGN.md says ``jpki_client`` sees only PC/SC readers and cannot tell the virtual card from a
real one.  Everything pyscard-specific — listing readers, T=1, what a vanished card looks like — is mapped here to
the JPKI client's own error codes, so the rest of the client only sees ``transmit(bytes) -> bytes``.
"""

from __future__ import annotations

from collections.abc import Callable

from .errors import JpkiCommunicationError, JpkiNoCardError, JpkiSeveralReadersError


def _pcsc_readers() -> list[str]:
    from smartcard.Exceptions import SmartcardException
    from smartcard.System import readers

    try:
        return [str(r) for r in readers()]
    except SmartcardException as exc:  # pcscd not running, no service: the person sees "no reader"
        raise JpkiNoCardError(f"PC/SC unavailable: {exc}") from exc


class PcscTransport:
    """A connection to one PC/SC reader (T=1, shared mode).

    ``reader_name=None`` means "the only reader": with none the client reports EW000J0200, with several it
    refuses and lists them (a person's PC may have a second reader; guessing could spend the wrong card's PIN).
    ``list_readers`` is injectable so the "no reader" and "several readers" cases can be tested.
    """

    def __init__(self, reader_name: str | None = None, *, list_readers: Callable[[], list[str]] | None = None):
        self.requested_reader = reader_name
        self.reader_name: str | None = reader_name
        self._list_readers = list_readers or _pcsc_readers
        self._connection = None
        self._verified = False  # a VERIFY with a PIN succeeded on this connection: reset the card on the way out
        self.atr: bytes | None = None

    @property
    def connected(self) -> bool:
        return self._connection is not None

    def resolve_reader(self) -> str:
        """The reader to use, by the rules above, without connecting."""
        names = self._list_readers()
        if self.requested_reader is not None:
            if self.requested_reader not in names:
                raise JpkiNoCardError(f"reader {self.requested_reader!r} not found; readers: {names or 'none'}")
            return self.requested_reader
        if not names:
            raise JpkiNoCardError("no PC/SC reader")
        if len(names) > 1:
            raise JpkiSeveralReadersError(names)
        return names[0]

    def connect(self) -> None:
        """Connect with T=1; idempotent.  No card in the reader → EW000J0200."""
        if self._connection is not None:
            return
        from smartcard.CardConnection import CardConnection
        from smartcard.Exceptions import CardConnectionException, NoCardException
        from smartcard.pcsc.PCSCCardConnection import PCSCCardConnection
        from smartcard.System import readers

        name = self.resolve_reader()
        if name not in (str(r) for r in readers()):  # vanished between listing and connecting
            raise JpkiNoCardError(f"reader {name!r} disappeared")
        # Not reader.createConnection(): its decorator swallows ``disposition`` (set on the wrapper, never seen by
        # the connection that disconnects), and the disposition is what keeps a verified card from staying so.
        connection = PCSCCardConnection(name)
        try:
            connection.connect(protocol=CardConnection.T1_protocol)
        except NoCardException as exc:
            _release(connection)
            raise JpkiNoCardError(f"no card in {name!r}") from exc
        except CardConnectionException as exc:
            _release(connection)
            raise JpkiNoCardError(f"cannot connect to the card in {name!r}: {exc}") from exc
        self._connection = connection
        self._verified = False
        self.reader_name = name
        self.atr = bytes(connection.getATR())

    def transmit(self, apdu: bytes) -> bytes:
        """Send one C-APDU, return the R-APDU (data ‖ SW1 SW2).  A failure here is EW104J1502."""
        if self._connection is None:
            raise JpkiNoCardError("not connected")
        from smartcard.Exceptions import SmartcardException

        try:
            data, sw1, sw2 = self._connection.transmit(list(apdu))
        except SmartcardException as exc:
            self._drop()
            raise JpkiCommunicationError(str(exc)) from exc
        if apdu[1:2] == b"\x20" and len(apdu) > 5 and (sw1, sw2) == (0x90, 0x00):
            self._verified = True
        return bytes(data) + bytes([sw1, sw2])

    def disconnect(self) -> None:
        """Release the card: reset it (``SCARD_RESET_CARD``) if a PIN was verified on this connection, so no other
        process finds it verified — whatever the client did or forgot; otherwise leave it powered (like OpenSC)."""
        if self._connection is None:
            return
        from smartcard.scard import SCARD_LEAVE_CARD, SCARD_RESET_CARD

        connection, self._connection = self._connection, None
        connection.disposition = SCARD_RESET_CARD if self._verified else SCARD_LEAVE_CARD
        self._verified = False
        _release(connection)

    def _drop(self) -> None:
        connection, self._connection = self._connection, None
        _release(connection)

    def __repr__(self) -> str:
        return f"PcscTransport(reader_name={self.reader_name!r}, connected={self.connected})"


def _release(connection) -> None:
    """Disconnect and free the PC/SC context; errors are moot once the card or reader is gone."""
    try:
        connection.release()
    except Exception:  # noqa: BLE001 - pyscard raises several types here; none is actionable
        pass
