"""Registration (利用者情報登録) and the password: in the browser, or arranged through the control API."""

from __future__ import annotations

import base64
import secrets as _secrets
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from screenplay.abilities import browser, mailbox, simulation
from screenplay.actor import Actor
from screenplay.questions.mail import TheAuthIdMail
from screenplay.tasks.mail import LINK, await_mail, read_mail, subjects
from virtual_card.dates import resolve_date

DEFAULT_EMAIL = "amira@example.co.jp"
# What each flaw of the When step types: the password and its confirmation. {auth_id} and {good} are filled in.
BAD_PASSWORDS = {
    "is too short": ("Ab1#", "Ab1#"),
    "has no symbol": ("Abcdefgh1234", "Abcdefgh1234"),
    "contains her 認証ID": ("Ab#{auth_id}9", "Ab#{auth_id}9"),
    "does not match its confirmation": ("{good}", "{good}x"),
}


def new_password() -> str:
    """A fresh password that passes the portal's rules (letters, digits, a symbol, no 認証ID)."""
    return f"Rs{_secrets.token_hex(4)}#7q"


def remember_password(actor: Actor, password: str | None) -> None:
    """Her new password, and the one it replaced; both are secrets no report may show."""
    old = actor.recall("password")
    actor.remember(password=password, old_password=old)
    simulation(actor).keep_secret(password, old)


@dataclass(frozen=True)
class HaveAResidenceRecord:
    """Her entry in the agency's registry (what the portal checks her residence card number against), with a
    different status of residence or the length of the period of stay granted."""

    status: str | None = None
    months: int | None = None

    def perform_as(self, actor: Actor) -> None:
        sim = simulation(actor)
        w = sim.world
        person = w.profile.person
        sim.portal.seed_resident(
            residence_card_number=person.residence_card_number,
            status_of_residence=self.status or person.status_of_residence,
            period_of_stay_until=resolve_date(person.period_of_stay_until, w.clock_start).isoformat(),
            birth_date=w.birth_date(w.profile).isoformat(), period_of_stay_months=self.months)


@dataclass(frozen=True)
class Register:
    """Goes as far as the portal lets her; the Then steps say whether that was far enough."""

    category: str
    email: str = DEFAULT_EMAIL
    residence_card_number: str | None = None
    applicant_profile: str | None = None  # registering for someone else (a child): that person's card profile
    email_confirmation: str | None = None

    def perform_as(self, actor: Actor) -> None:
        sim = simulation(actor)
        number = self.residence_card_number or sim.world.profile.person.residence_card_number
        applicant = None
        if self.applicant_profile:
            w = sim.world
            child = w.load(self.applicant_profile)
            w.seed_resident(child)
            w.remember_secrets(child)
            applicant = (child, w.birth_date(child))
        actor.remember(email=self.email)
        browser(actor).register(category=self.category, residence_card_number=number, email=self.email,
                                applicant=applicant, stop_at_refusal=True, email_confirmation=self.email_confirmation)


class RefuseTheTerms:
    def perform_as(self, actor: Actor) -> None:
        ui = browser(actor)
        ui.start_registration(stop_at_refusal=False)
        ui.refuse_terms()


@dataclass(frozen=True)
class RegisterAsFarAsTheUserInformation:
    category: str

    def perform_as(self, actor: Actor) -> None:
        ui = browser(actor)
        ui.start_registration(stop_at_refusal=False)
        ui.choose_category(self.category, stop_at_refusal=False)


@dataclass(frozen=True)
class SubmitTheUserInformation:
    email: str

    def perform_as(self, actor: Actor) -> None:
        actor.remember(email=self.email)
        ui = browser(actor)
        ui.submit_user_info(simulation(actor).world.profile.person.residence_card_number, self.email, self.email)


class RegisterWithCertificateCopiesOnly:
    """What the public userscripts did: certificate copies in the hidden fields, no card, no signature."""

    def perform_as(self, actor: Actor) -> None:
        w = simulation(actor).world
        browser(actor).register_with_certificates(w.credentials.sign_cert, w.credentials.auth_cert,
                                                  w.profile.person.residence_card_number, DEFAULT_EMAIL)


@dataclass(frozen=True)
class HaveRegistered:
    """Arranged through the portal's control API, not the browser: these scenarios are about what comes after
    registration, so what they cost (in the usability report and in run time) is what comes after. The portal's
    rules still apply — certificates verified, one registration per person, the password rules — and the mail with
    the 認証ID and the link arrives as usual. Registering in the browser has its own scenarios."""

    email: str
    set_password: bool = False

    def perform_as(self, actor: Actor) -> None:
        sim = simulation(actor)
        w = sim.world
        actor.remember(email=self.email)
        sim.portal.arrange_registration(
            generation=w.generation_name, sign_cert=base64.b64encode(w.credentials.sign_cert).decode(),
            auth_cert=base64.b64encode(w.credentials.auth_cert).decode(),
            residence_card_number=w.profile.person.residence_card_number, email=self.email)
        actor.should_see(TheAuthIdMail(self.email))
        if self.set_password:
            token = parse_qs(urlsplit(actor.recall("link")).query)["token"][0]
            password = new_password()
            sim.portal.set_password(token, password)
            remember_password(actor, password)


class OpenThePasswordLink:
    """She reads her mail first (as a person does): the newest mail at her address with a portal link. No earlier
    step has to have fetched it."""

    def perform_as(self, actor: Actor) -> None:
        email = actor.recall("email")
        assert email, "she has given the portal no e-mail address yet"
        base = mailbox(actor).portal_url
        mails = await_mail(actor, email, lambda m: any(u.startswith(base) for u in LINK.findall(m.get("body", ""))))
        assert mails, f"no mail with a portal link at {email}: {subjects(actor, email)}"
        read_mail(actor, mails[-1])
        browser(actor).open_link(actor.recall("link"))


class SetAPassword:
    def perform_as(self, actor: Actor) -> None:
        password = new_password()
        ui = browser(actor)
        ui.set_password(password, password)
        ui.expect_password_set()
        remember_password(actor, password)


@dataclass(frozen=True)
class TryABadPassword:
    """A password that breaks one rule (`flaw`, as the When step words it)."""

    flaw: str

    def perform_as(self, actor: Actor) -> None:
        fill = {"auth_id": actor.recall("auth_id", ""), "good": new_password()}
        password, confirmation = (typed.format(**fill) for typed in BAD_PASSWORDS[self.flaw])
        actor.remember(password_flaw=self.flaw, password=None)
        simulation(actor).keep_secret(password, confirmation)
        browser(actor).set_password(password, confirmation)
