"""Helpers shared by the jpki_client tests (importable: this folder is on sys.path under pytest's prepend mode)."""

from __future__ import annotations

import time

import pytest


def wait_reader_state(reader: str, present: bool, timeout: float = 5.0) -> None:
    """Block until pcscd itself reports the card present/absent (the bridge's poll can precede pcscd's state)."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    try:
        deadline = time.monotonic() + timeout
        state = scard.SCARD_STATE_UNAWARE
        while time.monotonic() < deadline:
            hresult, states = scard.SCardGetStatusChange(context, 200, [(reader, state)])
            if hresult in (scard.SCARD_S_SUCCESS, scard.SCARD_E_TIMEOUT) and states:
                state = states[0][1] & ~scard.SCARD_STATE_CHANGED
                if bool(state & scard.SCARD_STATE_PRESENT) == present:
                    return
        pytest.fail(f"environment problem: pcscd never saw the card {'in' if present else 'out of'} {reader!r} "
                    f"(last result {hresult:#x}, state {state:#x})", pytrace=False)
    finally:
        scard.SCardReleaseContext(context)
