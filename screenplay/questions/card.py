"""What her card, the checklist and the journey's record say about the card."""

from __future__ import annotations

from dataclasses import dataclass

from screenplay.abilities import her_card, simulation
from screenplay.actor import Actor


@dataclass(frozen=True)
class TheChecklistMet:
    items: tuple[str, ...]

    def verified_by(self, actor: Actor) -> None:
        checklist = actor.recall("checklist")
        unmet = [i for i in self.items if not checklist.get(i)]
        assert not unmet, f"checklist items not met: {unmet}"


@dataclass(frozen=True)
class TriesLeft:
    """How many tries her PIN (``auth``) or signature password (``sign``) has left, read without spending one."""

    kind: str

    def answered_by(self, actor: Actor) -> int:
        with her_card(actor).slot.client(allow_pin=False) as client:
            return client.pin_status()[self.kind]


@dataclass(frozen=True)
class TheTriesLeft:
    kind: str
    tries: int

    def verified_by(self, actor: Actor) -> None:
        left = actor.asks(TriesLeft(self.kind))
        assert left == self.tries, f"{self.kind}: {left} tries left, expected {self.tries}"


class TheCardTimeCounted:
    """The time the card took counts as system response time (KLM's R)."""

    def verified_by(self, actor: Actor) -> None:
        assert simulation(actor).recorder.system_responses > 0, \
            "no system response time (KLM R) was recorded for the card"


class OneHostProcess:
    """The JPKI client answered from its own process (the extension bridge's native host)."""

    def verified_by(self, actor: Actor) -> None:
        pids = simulation(actor).running_host_pids()
        assert len(pids) == 1, f"expected one native host process for this browser, found {pids}"
