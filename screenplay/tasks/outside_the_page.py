"""What happens away from the page: time passing, outages, the bureau's manual work, the portal's settings."""

from __future__ import annotations

from dataclasses import dataclass

from screenplay.abilities import simulation
from screenplay.actor import Actor

UNIT_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}


@dataclass(frozen=True)
class Wait:
    """Simulated time passes; it counts in the usability report as waiting for what she last waited for."""

    count: int
    unit: str
    reason: str = "waiting for the portal or its mail"

    def perform_as(self, actor: Actor) -> None:
        seconds = self.count * UNIT_SECONDS[self.unit]
        sim = simulation(actor)
        sim.portal.advance(seconds)
        sim.recorder.wait(seconds, actor.recall("waiting_for", self.reason))


@dataclass(frozen=True)
class TheAgencySitesGoDown:
    days: int

    def perform_as(self, actor: Actor) -> None:
        simulation(actor).portal.fault(kind="outage", duration_seconds=self.days * 86400)
        actor.remember(waiting_for="outage")


@dataclass(frozen=True)
class ThePortalStopsForMaintenance:
    """The 利用規約 allow stopping the system for maintenance without notice to the users."""

    hours: int

    def perform_as(self, actor: Actor) -> None:
        simulation(actor).portal.fault(kind="maintenance", duration_seconds=self.hours * 3600)
        actor.remember(waiting_for="maintenance")


@dataclass(frozen=True)
class CallTheBureauToChangeTheEmail:
    """No self-service change of the address: a phone call, and the bureau changes it by hand."""

    email: str

    def perform_as(self, actor: Actor) -> None:
        sim = simulation(actor)
        sim.recorder.prerequisite("phone_call", "regional immigration bureau changes the e-mail address by hand")
        sim.recorder.dead_end("registration refused, mail never came", "no self-service change of e-mail",
                              "phone call to the bureau")
        actor.remember(waiting_for="mail")
        sim.portal.change_email(residence_card_number=sim.world.profile.person.residence_card_number,
                                email=self.email)
        actor.remember(email=self.email)


class FileTheAuthIdInquiry:
    """別記第15号様式 at (or by post to) the regional bureau; the answer comes by mail."""

    def perform_as(self, actor: Actor) -> None:
        sim = simulation(actor)
        sim.recorder.prerequisite("office_visit", "regional immigration bureau: 認証ID確認申出書 (別記第15号様式)")
        actor.remember(waiting_for="mail")
        sim.portal.auth_id_inquiry(sim.world.profile.person.residence_card_number)


@dataclass(frozen=True)
class ThePortalWaitsForTheClient:
    """How long the page waits for the JPKI client (after the reset the world's start makes)."""

    seconds: int

    def perform_as(self, actor: Actor) -> None:
        simulation(actor).portal.settings(extension_timeout_seconds=self.seconds)


@dataclass(frozen=True)
class TheClientWill:
    """What the native host will do wrong (steps/extension_steps.py; wiring.extension_browser.HOST_FAULTS)."""

    behaviour: str

    def perform_as(self, actor: Actor) -> None:
        simulation(actor).plan_host_fault(self.behaviour)
