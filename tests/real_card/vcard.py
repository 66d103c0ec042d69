"""Put a virtual card from virtual_card/data/cards into a vpcd slot, so the real-card path sees it as a real reader.

A bridge lives as long as the test session (pcscd reconnects to a vpcd port only slowly once it was dropped);
each insertion waits until pcscd itself reports the card present.
"""

from __future__ import annotations

import datetime as dt

from pcsc_stack import wait_reader_state
from virtual_card.card import MyNumberCard
from virtual_card.pki import TestPKI
from virtual_card.profiles import list_profiles, load_profile
from virtual_card.vpcd import VpcdBridge

_PKI: TestPKI | None = None


def pki() -> TestPKI:
    global _PKI
    if _PKI is None:
        _PKI = TestPKI()
    return _PKI


def profile_names() -> list[str]:
    names = list_profiles()
    return sorted(getattr(n, "name", n) for n in names)


def make_card(profile_name: str, now: dt.datetime | None = None, **secrets) -> MyNumberCard:
    profile = load_profile(profile_name)
    if secrets:
        profile = profile.with_secrets(**secrets)
    return MyNumberCard(profile, pki().issue_card(profile, now or dt.datetime.now(dt.UTC)))


class Slot:
    """One vpcd slot with a long-lived bridge."""

    def __init__(self, pcsc_stack, slot: int):
        self.reader = pcsc_stack.reader_name(slot)
        self.port = pcsc_stack.vpcd_port(slot)
        # The bridge connects to vpcd only while a card is in (an empty slot is a closed connection).
        self.bridge = VpcdBridge(pcsc_stack.host, self.port).start()
        self.card: MyNumberCard | None = None

    def insert(self, card: MyNumberCard) -> str:
        self.remove()
        self.bridge.insert(card)
        if not self.bridge.wait_connected(10):
            raise RuntimeError(f"pcscd did not accept the card on vpcd port {self.port}")
        wait_reader_state(self.reader, present=True)
        self.card = card
        return self.reader

    def remove(self) -> None:
        self.bridge.clear_faults()
        if self.card is None:
            return
        self.bridge.remove()
        wait_reader_state(self.reader, present=False)
        self.card = None

    def stop(self) -> None:
        try:
            self.remove()
        finally:
            self.bridge.stop()
