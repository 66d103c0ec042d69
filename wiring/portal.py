"""The portal simulation with its SMTP server, trusting the test PKI: started the same way by the ``portal``
fixture and by ``ras-e2e walk``.

Everything lands in one private directory the caller owns and removes (the SQLite store holds what was typed:
names, residence card numbers): ``portal.sqlite3`` and ``trust/`` (the PKI's CA certificates and CRLs as of the
reference time, which the portal's verifier reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal_mock.server import PortalServer
from portal_mock.settings import PortalSettings
from virtual_card.dates import resolve_date
from virtual_card.pki import TestPKI
from wiring.reference_time import DEFAULT_GENERATION, REFERENCE_TIME


@dataclass
class RunningPortal:
    server: PortalServer
    url: str
    trust_dir: Path

    def stop(self) -> None:
        self.server.stop()


def trust_test_pki(directory: Path, now, pki: TestPKI | None = None) -> None:
    """Make the portal trust the virtual cards' test JPKI CAs as of ``now`` (wired here: portal_mock and
    virtual_card know nothing of each other). ``ras-e2e portal serve`` passes this as its trust provider."""
    (pki or TestPKI()).export_trust(directory, now)


def start_portal(pki: TestPKI, directory: Path, reference: str = DEFAULT_GENERATION,
                 **settings: Any) -> RunningPortal:
    """Start the portal on a free loopback port with its clock at the reference time of generation ``reference``.
    ``settings`` are ``PortalSettings`` fields beyond the wiring (the command line's overrides; ``generation`` to
    fix the generation whatever the clock says)."""
    now = REFERENCE_TIME[reference]
    trust_dir = directory / "trust"
    trust_dir.mkdir()
    trust_test_pki(trust_dir, now, pki)
    server = PortalServer(PortalSettings(db_path=directory / "portal.sqlite3", trust_dir=trust_dir,
                                         clock_start=now.isoformat(), **settings))
    return RunningPortal(server, server.start(), trust_dir)


def resident_of(profile, now) -> dict:
    """The immigration record the portal checks a card's holder against (its control API's ``residents`` body):
    a profile gives ages and periods relative to the portal's clock, resolved here at ``now``."""
    person = profile.person
    return {
        "residence_card_number": person.residence_card_number,
        "status_of_residence": person.status_of_residence,
        "period_of_stay_until": (resolve_date(person.period_of_stay_until, now).isoformat()
                                 if person.period_of_stay_until else None),
        "birth_date": resolve_date(profile.holder.birth_date, now).isoformat(),
    }
