"""Wiring for the jpki_client tests: virtual cards from profiles, in a vpcd slot behind pcscd or in-process.

The client under test only ever gets a transport: ``PcscTransport(reader)`` for ``pcsc`` (the real PC/SC stack:
pyscard → pcscd → vpcd → ``virtual_card``) or ``InProcessTransport(card)`` for ``direct``.  Run with
``RAS_E2E_VPCD_SLOT=2`` on the shared development machine (slot 2 holds the card, slot 3 stays empty).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from jpki_client.client import JpkiClient
from jpki_client.transport import PcscTransport
from virtual_card.card import MyNumberCard
from virtual_card.pki import TestPKI
from virtual_card.profiles import load_profile
from virtual_card.transport import InProcessTransport
from virtual_card.vpcd import VpcdBridge


@pytest.fixture(scope="session")
def test_pki() -> TestPKI:
    return TestPKI()  # keys cached under .cache/ras-e2e/keys, shared with the rest of the suite


@pytest.fixture
def make_card(test_pki):
    """``make_card("valid", sign_password=...)`` → a fresh MyNumberCard for that profile."""

    def make(name: str = "valid", **secrets) -> MyNumberCard:
        profile = load_profile(name)
        if secrets:
            profile = profile.with_secrets(**secrets)
        return MyNumberCard(profile, test_pki.issue_card(profile))

    return make


@pytest.fixture(scope="session")
def vpcd_bridge(pcsc_stack, vpcd_slot):
    bridge = VpcdBridge(pcsc_stack.host, pcsc_stack.vpcd_port(vpcd_slot)).start()
    if not bridge.wait_connected(5.0):
        bridge.stop()
        pytest.fail(f"environment problem: vpcd on port {pcsc_stack.vpcd_port(vpcd_slot)} did not accept the card",
                    pytrace=False)
    yield bridge
    bridge.stop()


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


@dataclass
class CardAccess:
    """A card in a reader, as the client reaches it; ``mode`` is ``pcsc`` or ``direct``."""

    mode: str
    card: MyNumberCard
    reader_name: str
    bridge: VpcdBridge | None = None

    def transport(self):
        return PcscTransport(self.reader_name) if self.mode == "pcsc" else InProcessTransport(self.card)

    def client(self, allow_pin: bool = True) -> JpkiClient:
        return JpkiClient(self.transport(), allow_pin=allow_pin)


@pytest.fixture
def pcsc_access(request, vpcd_bridge, pcsc_stack, vpcd_slot):
    """``pcsc_access(card)`` inserts the card into our vpcd slot and returns a CardAccess through pcscd."""

    def access(card: MyNumberCard) -> CardAccess:
        reader = pcsc_stack.reader_name(vpcd_slot)
        vpcd_bridge.clear_faults()
        # insert over the previous card rather than remove + insert: each client session re-selects the AP, and
        # pcscd + vpcd 3.3 stop polling a slot after a removal in this set-up (reported to the lead)
        vpcd_bridge.insert(card)
        wait_reader_state(reader, present=True)
        return CardAccess("pcsc", card, reader, vpcd_bridge)

    yield access
    vpcd_bridge.clear_faults()


@pytest.fixture(params=["pcsc", "direct"])
def card_access(request, make_card):
    """Parametrised: ``card_access(profile_name, **secrets)`` in both modes."""

    def access(name: str = "valid", **secrets) -> CardAccess:
        card = make_card(name, **secrets)
        if request.param == "pcsc":
            return request.getfixturevalue("pcsc_access")(card)
        return CardAccess("direct", card, InProcessTransport.reader_name)

    access.mode = request.param
    return access
