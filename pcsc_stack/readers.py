"""pcscd's own view of a reader: the one wait every user of the stack shares."""

from __future__ import annotations

import time

from pcsc_stack.stack import PcscUnavailable


def wait_reader_state(reader: str, present: bool, timeout: float = 5.0) -> None:
    """Return once pcscd tells its clients the reader holds (or does not hold) a card. pcscd polls vpcd, so a
    card put in is not visible to clients at once; the card bridge's own view can be ahead of pcscd's."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        raise PcscUnavailable(f"pcscd unavailable: {scard.SCardGetErrorMessage(hresult)}")
    try:
        deadline = time.monotonic() + timeout
        state = scard.SCARD_STATE_UNAWARE
        while time.monotonic() < deadline:
            hresult, states = scard.SCardGetStatusChange(context, 200, [(reader, state)])
            if hresult in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT) and states:
                state = states[0][1] & ~scard.SCARD_STATE_CHANGED
                if bool(state & scard.SCARD_STATE_PRESENT) == present:
                    return
        raise TimeoutError(f"pcscd did not see the card {'inserted in' if present else 'removed from'} {reader!r} "
                           f"within {timeout} s (last result {hresult:#x}, state {state:#x})")
    finally:
        scard.SCardReleaseContext(context)


