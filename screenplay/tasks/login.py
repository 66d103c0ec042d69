"""Login with the card and the password, the 利用者情報 screen, logout, and the password reset."""

from __future__ import annotations

from dataclasses import dataclass

from screenplay.abilities import browser, simulation
from screenplay.actor import Actor


@dataclass(frozen=True)
class LogIn:
    """With her card and her password (or a wrong one); `expecting_a_card_failure`: she stops after the card."""

    wrong_password: bool = False
    expecting_a_card_failure: bool = False

    def perform_as(self, actor: Actor) -> None:
        password = actor.recall("password") or ""
        if self.wrong_password:
            password = password + "X"
            simulation(actor).keep_secret(password)
        browser(actor).login(password, stop_after_card=self.expecting_a_card_failure)


class LogOut:
    def perform_as(self, actor: Actor) -> None:
        browser(actor).logout()


@dataclass(frozen=True)
class ChangeTheEmail:
    """On the 利用者情報 screen, reached from the menu after login."""

    email: str

    def perform_as(self, actor: Actor) -> None:
        browser(actor).change_email(self.email, actor.recall("password"))
        actor.remember(email=self.email)


class ForgetTheAuthId:
    def perform_as(self, actor: Actor) -> None:
        actor.forget("auth_id")


@dataclass(frozen=True)
class AskForAPasswordReset:
    """With her 認証ID and e-mail address, unless the step gives others ("" for no 認証ID at all)."""

    email: str | None = None
    auth_id: str | None = None

    def perform_as(self, actor: Actor) -> None:
        auth_id = actor.recall("auth_id") if self.auth_id is None else self.auth_id
        browser(actor).request_password_reset(auth_id, self.email or actor.recall("email"))
