"""The actor's view of one scenario's world: what the abilities and tasks use of it, and nothing else.

A Protocol, not the world itself: the world is put together by the pytest layer (fixtures/world.py), which sits
above this room; the Screenplay names what it needs and the world provides it (structurally, no import upwards).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from jpki_client.environments import Environment
    from portal_mock.admin_client import PortalAdmin
    from usability.recorder import ScenarioRecorder
    from usability.tracking import TrackedPage
    from virtual_card.card import MyNumberCard
    from virtual_card.pki import CardCredentials, TestPKI
    from virtual_card.profiles import CardProfile
    from wiring.card_slot import CardSlot


class ScenarioServices(Protocol):
    """The session's parts a scenario uses: the portal (its URL, trust store, control API) and the card slot."""

    portal_url: str
    trust_dir: Path
    admin: PortalAdmin
    card_slot: CardSlot


class Scenario(Protocol):
    """One scenario's world. Given steps set the descriptions; ``ready()`` makes them real on the first action and
    fills in the rest (profile, credentials, card, environment, the tracked page)."""

    services: ScenarioServices
    recorder: ScenarioRecorder
    secrets: set[str]
    # what Given steps describe
    profile_name: str
    environment_name: str
    generation: str | None
    card_in_reader: bool
    abroad: bool
    pin_overrides: dict[str, str]
    # what ready() sets up
    started: bool
    profile: CardProfile
    credentials: CardCredentials
    card: MyNumberCard
    environment: Environment
    tracked: TrackedPage

    @property
    def pki(self) -> TestPKI: ...

    @property
    def clock_start(self) -> dt.datetime: ...

    @property
    def generation_name(self) -> str: ...

    def ready(self) -> Scenario: ...

    def now(self) -> dt.datetime: ...

    def load(self, name: str) -> CardProfile: ...

    def issue_card(self, profile_name: str) -> tuple[CardProfile, CardCredentials, MyNumberCard]: ...

    def seed_resident(self, profile: CardProfile) -> None: ...

    def birth_date(self, profile: CardProfile) -> dt.date: ...

    def remember_secrets(self, profile: CardProfile) -> None: ...

    def plan_host_fault(self, behaviour: str) -> None: ...

    def running_host_pids(self) -> list[int]: ...
