"""Fixtures for the virtual card's own tests: cards from profiles, and one client API over both transports.

`card_client` is parametrized: `direct` (InProcessTransport) and `pcscd` (pyscard → pcscd → vpcd → VpcdBridge),
so every conformance test runs on both. The pcscd side reuses the harness's `pcsc_stack` / `vpcd_slot` fixtures.
For speed, a new card is hot-swapped into the running bridge between tests (the PC/SC session stays open), which
is invisible to pcscd; real insert/remove/swap are tested separately in test_vpcd.py.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.virtual_card.support import PcscClient
from virtual_card.card import MyNumberCard
from virtual_card.pki import TestPKI
from virtual_card.profiles import load_profile
from virtual_card.transport import InProcessTransport
from virtual_card.vpcd import VpcdBridge

REPO = Path(__file__).resolve().parents[2]
AID_JPKI = "D392F000260100000001"
AID_SUPPORT = "D3921000310001010408"
NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)


@pytest.fixture(scope="session")
def pki() -> TestPKI:
    return TestPKI(REPO / ".cache" / "ras-e2e" / "keys")


@pytest.fixture(scope="session")
def make_card(pki):
    def make(name: str = "valid", **secrets) -> MyNumberCard:
        profile = load_profile(name)
        if secrets:
            profile = profile.with_secrets(**secrets)
        return MyNumberCard(profile, pki.issue_card(profile, NOW))
    return make


class CardClient:
    """What a test talks to: `send(hex) -> (data, sw)`, the card object, and power cycling."""

    def __init__(self, kind: str, card: MyNumberCard, transport, power_cycle):
        self.kind = kind
        self.card = card
        self.transport = transport
        self._power_cycle = power_cycle

    def send(self, apdu: str | bytes) -> tuple[bytes, int]:
        raw = bytes.fromhex(apdu.replace(" ", "")) if isinstance(apdu, str) else apdu
        response = self.transport.transmit(raw)
        assert len(response) >= 2
        return response[:-2], int.from_bytes(response[-2:], "big")

    def sw(self, apdu: str | bytes) -> int:
        return self.send(apdu)[1]

    def power_cycle(self, how: str = "reset") -> None:
        self._power_cycle(how)


@pytest.fixture(scope="session")
def bridge(pcsc_stack, vpcd_slot, make_card):
    b = VpcdBridge(pcsc_stack.host, pcsc_stack.vpcd_port(vpcd_slot)).start()
    b.insert(make_card("valid"))
    assert b.wait_connected(5), "could not connect to vpcd"
    yield b
    b.stop()


@pytest.fixture(scope="session")
def pcsc_session(request, bridge, pcsc_stack, vpcd_slot):
    client = PcscClient(pcsc_stack.reader_name(vpcd_slot))
    yield client
    client.close()


def _direct(card: MyNumberCard) -> CardClient:
    transport = InProcessTransport(card)
    transport.connect()

    def cycle(how: str) -> None:
        if how == "unpower":
            card.power_off()
            card.power_on()
        else:
            card.reset()
    return CardClient("direct", card, transport, cycle)


@pytest.fixture(params=["direct", pytest.param("pcscd", marks=pytest.mark.pcscd)])
def card_client(request, make_card):
    """A fresh `valid` card behind the transport of the parameter; `@pytest.mark.card_profile(NAME)` picks
    another profile."""
    marker = request.node.get_closest_marker("card_profile")
    name = marker.args[0] if marker else "valid"
    card = make_card(name)
    if request.param == "direct":
        return _direct(card)
    bridge = request.getfixturevalue("bridge")
    session = request.getfixturevalue("pcsc_session")
    with bridge._lock:
        bridge.card = card  # hot swap: pcscd keeps its session; the fresh card starts powered off
    card.power_on()
    return CardClient("pcscd", card, session, session.reconnect)


def pytest_configure(config):
    config.addinivalue_line("markers", "card_profile(name): card profile for the card_client fixture")
