"""What the portal stored and logged (through its control API): registrations, refused certificates."""

from __future__ import annotations

from dataclasses import dataclass

from screenplay.abilities import simulation
from screenplay.actor import Actor


@dataclass(frozen=True)
class TheRegistration:
    """The one stored registration has ``field`` = ``value``."""

    field: str
    value: str

    def verified_by(self, actor: Actor) -> None:
        registrations = simulation(actor).portal.registrations()
        assert len(registrations) == 1, f"{len(registrations)} registrations stored"
        got = registrations[0][self.field]
        assert got == self.value, f"{self.field}: {got!r}, expected {self.value!r}"


class NoRegistration:
    def verified_by(self, actor: Actor) -> None:
        assert simulation(actor).portal.registrations() == [], "a registration was stored"


@dataclass(frozen=True)
class TheCertificateRefused:
    """Why the portal refused the last certificate, from its own log (the page shows only WZBAM255E)."""

    reason: str

    def verified_by(self, actor: Actor) -> None:
        failed = [e for e in simulation(actor).portal.events() if e["kind"] == "verify_failed"]
        assert failed, "the portal refused no certificate"
        assert failed[-1]["detail"]["reason"] == self.reason, f"refused because {failed[-1]['detail']['reason']!r}"
