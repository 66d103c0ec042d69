"""The card check (動作確認), PINs, the reader and the city office."""

from pytest_bdd import given, parsers, then, when

from screenplay.actor import Actor
from screenplay.questions.card import TheCardTimeCounted, TheTriesLeft
from screenplay.questions.page import TheClientError, TheOperationCheckFailed, ThePage
from screenplay.questions.records import TheCertificateRefused
from screenplay.tasks.card import (
    AnswerAtTheSpeedOfARealCard,
    GetANewSignatureCertificate,
    GetARenewedCard,
    HaveTheCardValidityExtended,
    HaveThePinResetAtTheCityOffice,
    MoveHouse,
    PullTheCardOutWhileItSigns,
    RunTheOperationCheck,
    WillMistype,
    WillPullTheCardOutDuringTheSignature,
    WillTypeTheSignaturePasswordInLowerCase,
)
from screenplay.tasks.outside_the_page import ThePortalWaitsForTheClient

PIN_KINDS = {"user-authentication PIN": "auth", "signature password": "sign"}


@given("she will type a wrong user-authentication PIN")
def will_type_wrong_pin(applicant: Actor):
    applicant.attempts_to(WillMistype("auth"))


@given("she will type a wrong signature password")
def will_type_wrong_sign_password(applicant: Actor):
    applicant.attempts_to(WillMistype("sign"))


@given("she will type her signature password in lower case")
def will_type_lower_case(applicant: Actor):
    applicant.attempts_to(WillTypeTheSignaturePasswordInLowerCase())


@given("the card will be pulled out during the signature")
def card_pulled_out(applicant: Actor):
    applicant.attempts_to(WillPullTheCardOutDuringTheSignature())


@when("she runs the operation check")
def runs_operation_check(applicant: Actor):
    applicant.attempts_to(RunTheOperationCheck())


@then("the operation check succeeds")
def check_succeeds(applicant: Actor):
    applicant.should_see(ThePage("check_ok"))


@then(parsers.parse('the operation check fails because "{reason}"'))
def check_fails_because(applicant: Actor, reason):
    applicant.should_see(TheOperationCheckFailed(reason))


@then(parsers.parse("the JPKI client says the PIN is wrong with {tries:d} tries left"))
@then(parsers.parse("the JPKI client says the password is wrong with {tries:d} tries left"))
def client_says_wrong_pin(applicant: Actor, tries):
    applicant.should_see(TheClientError("JPKI_PIN_INCORRECT", {"tries_left": tries}))


@then("the JPKI client says the PIN is blocked")
def client_says_blocked(applicant: Actor):
    applicant.should_see(TheClientError("JPKI_PIN_BLOCKED"))


@then(parsers.parse("her {pin_kind} has {tries:d} tries left"))
def tries_left(applicant: Actor, pin_kind, tries):
    applicant.should_see(TheTriesLeft(PIN_KINDS[pin_kind], tries))


@when("she has the PIN reset at the city office")
def city_office_reset(applicant: Actor):
    applicant.attempts_to(HaveThePinResetAtTheCityOffice("auth"))


@when("she moves house and her signature certificate is revoked")
def moves_house(applicant: Actor):
    applicant.attempts_to(MoveHouse())


@when(parsers.parse('her card is renewed as "{profile}"'))
def card_renewed(applicant: Actor, profile):
    applicant.attempts_to(GetARenewedCard(profile))


# -- timing (virtual_card/latency.py) ---------------------------------------------------------------------------
# These steps come after the portal generation step: they need the scenario's card, which exists from then on.

@given("her card answers at the speed of a real card")
def card_at_real_speed(applicant: Actor):
    applicant.attempts_to(AnswerAtTheSpeedOfARealCard())


@given(parsers.parse("the portal waits at most {seconds:d} second for the JPKI client"))
@given(parsers.parse("the portal waits at most {seconds:d} seconds for the JPKI client"))
def portal_extension_timeout(applicant: Actor, seconds):
    applicant.attempts_to(ThePortalWaitsForTheClient(seconds))


@given("she will pull the card out while it is computing the signature")
def pulls_card_while_signing(applicant: Actor):
    applicant.attempts_to(PullTheCardOutWhileItSigns())


@then("the time the card took counts as system response time")
def card_time_is_system_response(applicant: Actor):
    applicant.should_see(TheCardTimeCounted())


@when("she has a new signature certificate issued at the city office")
def new_signature_certificate(applicant: Actor):
    applicant.attempts_to(GetANewSignatureCertificate())


@when("she has her card's validity extended at the city office")
def card_validity_extended(applicant: Actor):
    applicant.attempts_to(HaveTheCardValidityExtended())


@then(parsers.parse('the portal refused her certificate because it was "{reason}"'))
def refused_because(applicant: Actor, reason):
    applicant.should_see(TheCertificateRefused(reason))
