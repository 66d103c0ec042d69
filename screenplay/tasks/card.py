"""The card: the PINs she will type, the operation check (動作確認), the reader, and the city office."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from cryptography import x509

from screenplay.abilities import browser, her_card, simulation
from screenplay.actor import Actor
from virtual_card.card import MyNumberCard

WRONG = {"auth": "0000", "sign": "WRONG0"}
COMPUTE_DIGITAL_SIGNATURE = 0x2A  # the INS byte of PSO: COMPUTE DIGITAL SIGNATURE


@dataclass(frozen=True)
class WillMistype:
    """A wrong PIN at the client's dialog (never, by chance, the right one)."""

    kind: str

    def perform_as(self, actor: Actor) -> None:
        card = her_card(actor)
        right = card.profile().pins.get(self.kind).value
        wrong = WRONG[self.kind]
        card.will_type(self.kind, wrong if wrong != right else wrong[::-1].replace("0", "9"))


class WillTypeTheSignaturePasswordInLowerCase:
    def perform_as(self, actor: Actor) -> None:
        card = her_card(actor)
        card.will_type("sign", card.profile().pins.sign.value.lower())


class WillPullTheCardOutDuringTheSignature:
    def perform_as(self, actor: Actor) -> None:
        actor.remember(pull_out=True)


class RunTheOperationCheck:
    def perform_as(self, actor: Actor) -> None:
        ui = browser(actor)
        if actor.forget("pull_out"):
            her_card(actor).slot.pull_out_during_signature()
        ui.run_operation_check()


class AnswerAtTheSpeedOfARealCard:
    """Realistic latency for this scenario's card only; its modelled time becomes KLM's R the way it does for a
    card made slow by the run (the card slot tells the scenario's recorder: fixtures/world_fixture.py)."""

    def perform_as(self, actor: Actor) -> None:
        her_card(actor).card.set_latency("realistic")


class PullTheCardOutWhileItSigns:
    """She takes the card away while the page says it is reading (the card is busy with COMPUTE DIGITAL
    SIGNATURE at realistic speed): the card loses its contacts and never answers."""

    def perform_as(self, actor: Actor) -> None:
        card = her_card(actor)
        signing_card, slot = card.card, card.slot

        def on_start(command: bytes) -> None:
            if len(command) > 1 and command[1] == COMPUTE_DIGITAL_SIGNATURE:
                signing_card.command_started.remove(on_start)
                threading.Thread(target=slot.remove, name="person-pulls-card", daemon=True).start()

        signing_card.command_started.append(on_start)


@dataclass(frozen=True)
class HaveThePinResetAtTheCityOffice:
    kind: str

    def perform_as(self, actor: Actor) -> None:
        simulation(actor).recorder.prerequisite("office_visit", "city office My Number counter resets the PIN")
        her_card(actor).card.city_office_reset(self.kind)


class MoveHouse:
    """Her signature certificate is revoked (it carries the old address)."""

    def perform_as(self, actor: Actor) -> None:
        w = her_card(actor).world
        serial = x509.load_der_x509_certificate(w.credentials.sign_cert).serial_number
        w.pki.revoke("sign", serial, w.clock_start)
        w.pki.export_trust(w.services.trust_dir, w.clock_start)


class GetANewSignatureCertificate:
    """The city office writes a new signature certificate onto her card, dated at the story's now."""

    def perform_as(self, actor: Actor) -> None:
        w = her_card(actor).world
        simulation(actor).recorder.prerequisite("office_visit", "city office: a new signature certificate")
        now = w.now()
        w.credentials = w.pki.reissue(w.profile, w.credentials, "sign", now)
        w.card = MyNumberCard(w.profile, w.credentials)
        w.services.card_slot.swap(w.card)
        w.pki.export_trust(w.services.trust_dir, now)


class HaveTheCardValidityExtended:
    """After a new period of stay the city office extends the card's validity; its certificates are revoked
    (public-facts.md: city.unzen.nagasaki.jp/kiji0035600, unverified here)."""

    def perform_as(self, actor: Actor) -> None:
        w = her_card(actor).world
        simulation(actor).recorder.prerequisite("office_visit", "city office: the card's validity extended")
        now = w.now()
        for kind, der in (("auth", w.credentials.auth_cert), ("sign", w.credentials.sign_cert)):
            # the revocation reason J-LIS records for an extension is not published: unspecified
            w.pki.revoke(kind, x509.load_der_x509_certificate(der).serial_number, now, x509.ReasonFlags.unspecified)
        w.pki.export_trust(w.services.trust_dir, now)


@dataclass(frozen=True)
class GetARenewedCard:
    """A new card (another profile) from the city office, in the reader in place of the old one."""

    profile: str

    def perform_as(self, actor: Actor) -> None:
        w = her_card(actor).world
        simulation(actor).recorder.prerequisite("office_visit", "card renewed at the city office")
        w.profile, w.credentials, w.card = w.issue_card(self.profile)
        w.seed_resident(w.profile)
        w.services.card_slot.swap(w.card)
