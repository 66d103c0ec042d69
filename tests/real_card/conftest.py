"""The real-card path pointed at the virtual card: through pcscd + vpcd as if it were a real reader ("pcsc"),
and in-process ("direct") so the guards are also shown where pcscd is unavailable."""

from __future__ import annotations

import os

import pytest

from tests.real_card.vcard import Slot, make_card


def _base_slot() -> int:
    return int(os.environ.get("RAS_E2E_VPCD_SLOT", "4"))


@pytest.fixture(scope="session")
def real_slots(pcsc_stack):
    """Two vpcd slots (RAS_E2E_VPCD_SLOT and the next one) with long-lived bridges."""
    base = _base_slot()
    slots = []
    try:
        slots = [Slot(pcsc_stack, base), Slot(pcsc_stack, base + 1)]
    except RuntimeError as exc:
        for s in slots:
            s.stop()
        pytest.fail(f"environment problem: {exc}", pytrace=False)
    yield slots
    for s in slots:
        s.stop()


class CardHere:
    """A card and a way to reach it: ``transport()`` gives a fresh transport (PC/SC or in-process)."""

    def __init__(self, mode: str, card, reader: str | None):
        self.mode, self.card, self.reader = mode, card, reader

    def transport(self):
        if self.mode == "pcsc":
            from jpki_client.transport import PcscTransport

            return PcscTransport(self.reader)
        from virtual_card.transport import InProcessTransport

        return InProcessTransport(self.card)


@pytest.fixture(params=["pcsc", "direct"])
def card_here(request):
    """``card_here(profile, **secrets)`` -> CardHere in both modes."""

    def put(profile: str = "valid", **secrets) -> CardHere:
        card = make_card(profile, **secrets)
        if request.param == "direct":
            return CardHere("direct", card, None)
        slots = request.getfixturevalue("real_slots")
        try:
            reader = slots[0].insert(card)
        except RuntimeError as exc:
            pytest.fail(f"environment problem: {exc}", pytrace=False)
        return CardHere("pcsc", card, reader)

    return put
