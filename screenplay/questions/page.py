"""What the page shows her: which page it is, the one message on it, the menu. One exact outcome per check."""

from __future__ import annotations

from dataclasses import dataclass, field

from screenplay.abilities import browser, simulation
from screenplay.actor import Actor
from screenplay.pages import message_key_of

ENTRY_NEAR_THE_END = 0.6  # of the page's height: she has to scroll to find it


@dataclass(frozen=True)
class ThePage:
    """The page by its identity (<body data-page>), e.g. "confirm", "check_ok", "menu", "complete"."""

    page_id: str

    def verified_by(self, actor: Actor) -> None:
        browser(actor).expect_page(self.page_id)


class TheTopPage:
    def verified_by(self, actor: Actor) -> None:
        browser(actor).expect_top_page()


@dataclass(frozen=True)
class ThePortalMessage:
    """The portal's message ``key`` (portal_mock/messages.yaml) with exactly its text."""

    key: str
    fmt: dict[str, str] = field(default_factory=dict)

    @classmethod
    def shown_as(cls, text: str) -> ThePortalMessage:
        """The feature quotes the message as shown; it must be exactly one message of messages.yaml."""
        return cls(message_key_of(text))

    def verified_by(self, actor: Actor) -> None:
        browser(actor).expect_message(self.key, **self.fmt)


@dataclass(frozen=True)
class TheClientError:
    """The JPKI client's error ``code`` as the page shows it (``kind``: the certificate it is about)."""

    code: str
    fields: dict[str, object] = field(default_factory=dict)

    def verified_by(self, actor: Actor) -> None:
        browser(actor).expect_client_error(self.code, **self.fields)


class TheDeviceIsNotSupported:
    def verified_by(self, actor: Actor) -> None:
        ui = browser(actor)
        ui.expect_message("smartphone")
        ui.expect_page("unsupported")


@dataclass(frozen=True)
class TheOperationCheckFailed:
    reason: str

    def verified_by(self, actor: Actor) -> None:
        browser(actor).expect_operation_check_failure(self.reason)


@dataclass(frozen=True)
class TheEntryButtonNearTheEnd:
    """A known defect: the entry button sits in the last part of a long page."""

    text: str

    def verified_by(self, actor: Actor) -> None:
        position = browser(actor).entry_button_position(self.text)
        present = position >= ENTRY_NEAR_THE_END
        simulation(actor).recorder.known_defect(present, f"entry button at {position:.0%} of the page")
        assert present, f"the entry button is at {position:.0%} of the page, not near its end"


class AnErrorWithoutAdvice:
    """A known defect: the message on the page does not say what to do (usability.errors.judge)."""

    def verified_by(self, actor: Actor) -> None:
        from usability.errors import judge

        text = browser(actor).alert_text()
        assert text, "no message on the page"
        says_what_to_do = judge(text, None, ()).as_dict()["what_to_do"]
        simulation(actor).recorder.known_defect(not says_what_to_do, "error without advice")
        assert not says_what_to_do, f"the message now says what to do: {text!r}"


class ThePasswordRefused:
    """The rule the flaw breaks, by its message (the flaw is what the When step typed)."""

    RULE = {"is too short": "password_rules", "has no symbol": "password_rules",
            "contains her 認証ID": "password_contains_id", "does not match its confirmation": "password_mismatch"}

    def verified_by(self, actor: Actor) -> None:
        ui = browser(actor)
        ui.expect_message(self.RULE[actor.recall("password_flaw")])
        ui.expect_page("password")


class NoSelfServiceEmailChange:
    def verified_by(self, actor: Actor) -> None:
        ui = browser(actor)
        ui.open_top()
        assert not ui.has_email_change_without_login(), "the top page now offers an e-mail change"


class TheSiteUnreachable:
    def verified_by(self, actor: Actor) -> None:
        assert browser(actor).last_navigation_failed, "the page opened although the agency's sites are down"


class OfferedProcedures:
    """The procedures the menu offers, in its order."""

    def answered_by(self, actor: Actor) -> list[str]:
        return browser(actor).offered_procedures()


@dataclass(frozen=True)
class TheProceduresOffered:
    """Exactly these procedures, in the menu's order (the order of the agency's table)."""

    procedures: tuple[str, ...]

    def verified_by(self, actor: Actor) -> None:
        offered = actor.asks(OfferedProcedures())
        assert offered == list(self.procedures), f"offered: {offered}; expected exactly: {list(self.procedures)}"


@dataclass(frozen=True)
class TheProcedureNotOffered:
    procedure: str

    def verified_by(self, actor: Actor) -> None:
        offered = actor.asks(OfferedProcedures())
        assert self.procedure not in offered, f"{self.procedure} is offered: {offered}"
