"""`CardRegistry`: one card per card identity for the life of a process (`card serve`, the harness).

Why: a real card keeps its retry counters for its whole life — taking it out of the reader, putting it back or
putting another card in between changes nothing (iam-jpki: counting continues 「前回間違えた回数から」, see
/work/shared/reference/public-facts.md). Building a fresh card from the profile on every insert would hand a
person their tries back for free. Only the city office resets a counter (`MyNumberCard.city_office_reset`).

The identity is the profile name: a profile describes one physical card. A renewed card is another profile
(`renewal_of`), hence another card with its own counters, as at the real counter.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from .card import MyNumberCard


class CardRegistry:
    """Builds a card the first time its identity is asked for, then always returns that same card."""

    def __init__(self, build: Callable[[str], MyNumberCard]):
        self._build = build
        self._cards: dict[str, MyNumberCard] = {}
        self._lock = threading.Lock()

    def __call__(self, identity: str) -> MyNumberCard:
        with self._lock:
            card = self._cards.get(identity)
            if card is None:
                card = self._cards[identity] = self._build(identity)
            return card

    def known(self) -> list[str]:
        with self._lock:
            return sorted(self._cards)
