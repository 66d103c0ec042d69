"""What the applicant can do, and through what: each ability is one channel of the journey.

- `BrowseThePortal`: Chromium with the JPKI bridge, through the page objects (`screenplay.pages`).
- `UseTheCard`: her My Number card in the reader, her PINs, the city office that changes what the card holds.
- `ReadMail`: her mailbox at the simulated SMTP server.
- `ControlTheSimulation`: what the story changes around her (the portal's clock and faults, the agency's records,
  the bureau's manual work) and the journey's cost record (`usability.recorder.ScenarioRecorder`).

Why abilities over one scenario world: the world sets itself up on the first action (Given steps only describe),
so an ability asks for its part at the moment it is used, never when the actor is cast.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from screenplay.pages import PortalUI

if TYPE_CHECKING:
    from portal_mock.admin_client import PortalAdmin
    from screenplay.actor import Actor
    from screenplay.scenario import Scenario
    from usability.recorder import ScenarioRecorder
    from virtual_card.card import MyNumberCard
    from virtual_card.profiles import CardProfile
    from wiring.card_slot import CardSlot


class BrowseThePortal:
    """The browser at the portal (created on first use: that is when the scenario's world starts)."""

    def __init__(self, world: Scenario) -> None:
        self._world = world
        self._ui: PortalUI | None = None

    @property
    def ui(self) -> PortalUI:
        if self._ui is None:
            w = self._world.ready()
            self._ui = PortalUI(w.tracked, w.services.portal_url, w.generation_name)
        return self._ui


class UseTheCard:
    """Her card, the reader it sits in, the PINs she will type, and the offices that change the card."""

    def __init__(self, world: Scenario) -> None:
        self._world = world

    @property
    def world(self) -> Scenario:
        """The scenario world, started: the card exists from the first action on."""
        return self._world.ready()

    @property
    def slot(self) -> CardSlot:
        return self._world.services.card_slot

    @property
    def card(self) -> MyNumberCard:
        return self.world.card

    def profile(self, name: str | None = None) -> CardProfile:
        """A card profile as this run loads it (sentinel secrets planted when asked), by default her own."""
        return self._world.load(name or self._world.profile_name)

    def will_type(self, kind: str, value: str) -> None:
        self._world.pin_overrides[kind] = value

    def take_out_before_the_journey(self) -> None:
        self._world.card_in_reader = False
        if self._world.started:
            self.slot.remove()


class ReadMail:
    """Her mailbox: what the portal and the bureau sent to an address."""

    def __init__(self, world: Scenario) -> None:
        self._world = world

    def mails_to(self, email: str) -> list[dict]:
        return self._world.ready().services.admin.mailbox(email)

    @property
    def portal_url(self) -> str:
        """Links in a mail that point here are the portal's (others are not followed)."""
        return self._world.services.portal_url


class ControlTheSimulation:
    """The story around her: the portal's clock, outages and settings, the agency's records, the bureau's manual
    work, the PC she uses; and the record of what the journey cost her."""

    def __init__(self, world: Scenario) -> None:
        self._world = world

    @property
    def world(self) -> Scenario:
        """The scenario world, started (the portal reset to the scenario's generation and clock)."""
        return self._world.ready()

    @property
    def portal(self) -> PortalAdmin:
        return self._world.ready().services.admin

    @property
    def recorder(self) -> ScenarioRecorder:
        return self._world.recorder

    @property
    def generation(self) -> str:
        return self._world.generation_name

    @property
    def clock_start(self) -> dt.datetime:
        return self._world.clock_start

    def keep_secret(self, *values: str | None) -> None:
        """Values she typed or was given (passwords): scrubbed from every report."""
        self._world.secrets.update(v for v in values if v)

    def describe(self, **setting: object) -> None:
        """A Given step's fact about the scenario (card profile, PC, generation, abroad), applied when it starts."""
        for name, value in setting.items():
            if not hasattr(self._world, name):
                raise AttributeError(f"a scenario has no setting {name!r} (see screenplay.scenario.Scenario)")
            setattr(self._world, name, value)

    def plan_host_fault(self, behaviour: str) -> None:
        self._world.plan_host_fault(behaviour)

    def running_host_pids(self) -> list[int]:
        return self._world.running_host_pids()


# ---------------------------------------------------------------- how tasks and questions reach an ability


def browser(actor: Actor) -> PortalUI:
    return actor.ability_to(BrowseThePortal).ui


def her_card(actor: Actor) -> UseTheCard:
    return actor.ability_to(UseTheCard)


def mailbox(actor: Actor) -> ReadMail:
    return actor.ability_to(ReadMail)


def simulation(actor: Actor) -> ControlTheSimulation:
    return actor.ability_to(ControlTheSimulation)
