"""Who she is, on which PC, against which portal: Given steps only describe; the first action makes it real."""

from __future__ import annotations

from dataclasses import dataclass

from screenplay.abilities import her_card, simulation
from screenplay.actor import Actor


@dataclass(frozen=True)
class HoldTheCard:
    """Her My Number card is this card profile (virtual_card/profiles.py)."""

    profile: str

    def perform_as(self, actor: Actor) -> None:
        simulation(actor).describe(profile_name=self.profile)


@dataclass(frozen=True)
class UseThePC:
    """The PC profile she uses (jpki_client/environments.py)."""

    pc: str

    def perform_as(self, actor: Actor) -> None:
        simulation(actor).describe(environment_name=self.pc)


@dataclass(frozen=True)
class MeetThePortalGeneration:
    generation: str

    def perform_as(self, actor: Actor) -> None:
        simulation(actor).describe(generation=self.generation)


class BeAbroad:
    """She reaches the portal from an overseas address."""

    def perform_as(self, actor: Actor) -> None:
        simulation(actor).describe(abroad=True)


class TakeTheCardOut:
    def perform_as(self, actor: Actor) -> None:
        her_card(actor).take_out_before_the_journey()
