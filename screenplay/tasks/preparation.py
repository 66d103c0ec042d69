"""Before the portal: the agency's page, its entry button, the top page, and the checklist."""

from __future__ import annotations

from dataclasses import dataclass

from screenplay.abilities import browser, her_card
from screenplay.actor import Actor


class OpenTheTopPage:
    def perform_as(self, actor: Actor) -> None:
        browser(actor).open_top()


@dataclass(frozen=True)
class OpenTheAgencyPage:
    """The agency's online procedures page, in Japanese unless a language is given."""

    language: str | None = None

    def perform_as(self, actor: Actor) -> None:
        if self.language is None:
            browser(actor).open_agency_page()
        else:
            browser(actor).open_agency_page_in(self.language)


@dataclass(frozen=True)
class FollowTheEntryButton:
    """The link into the portal (by default the entry button's own text)."""

    text: str | None = None

    def perform_as(self, actor: Actor) -> None:
        browser(actor).follow_entry_button(*([self.text] if self.text else []))


class GoThroughTheChecklist:
    """What a careful person checks before the portal: the card through the client, and the PC."""

    def perform_as(self, actor: Actor) -> None:
        card = her_card(actor)
        w = card.world
        env = w.environment
        with card.slot.client(allow_pin=False) as client:
            availability = client.certificate_availability()
            token = client.token_type()
            auth_cert = client.read_certificate("auth")
        actor.remember(checklist={
            "My Number card": token.is_my_number_card,
            "signature certificate": bool(availability.get("sign")),
            "user-authentication certificate": bool(availability.get("auth")) and len(auth_cert) > 0,
            "residence card": bool(w.profile.person.residence_card_number),
            "a PC, not a smartphone": env.os in ("windows", "macos"),
            "card reader": bool(env.reader),
            "JPKI client (browser version)": env.client == "browser",
            "browser extension": bool(env.extension),
        })
