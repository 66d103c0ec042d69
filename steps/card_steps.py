"""The card check (動作確認), PINs, the reader and the city office."""

import threading

from pytest_bdd import given, parsers, then, when

from fixtures.screenplay import Applicant

PIN_KINDS = {"user-authentication PIN": "auth", "signature password": "sign"}


@given("she will type a wrong user-authentication PIN")
def will_type_wrong_pin(applicant: Applicant):
    applicant.will_mistype("auth")


@given("she will type a wrong signature password")
def will_type_wrong_sign_password(applicant: Applicant):
    applicant.will_mistype("sign")


@given("she will type her signature password in lower case")
def will_type_lower_case(applicant: Applicant):
    applicant.will_type_sign_password_in_lower_case()


@given("the card will be pulled out during the signature")
def card_pulled_out(applicant: Applicant):
    applicant.will_pull_the_card_out_during_the_signature()


@when("she runs the operation check")
def runs_operation_check(applicant: Applicant):
    applicant.runs_the_operation_check()


@then("the operation check succeeds")
def check_succeeds(applicant: Applicant):
    applicant.should_pass_the_operation_check()


@then(parsers.parse('the operation check fails because "{reason}"'))
def check_fails_because(applicant: Applicant, reason):
    applicant.should_fail_the_operation_check_because(reason)


@then(parsers.parse("the JPKI client says the PIN is wrong with {tries:d} tries left"))
@then(parsers.parse("the JPKI client says the password is wrong with {tries:d} tries left"))
def client_says_wrong_pin(applicant: Applicant, tries):
    applicant.should_be_told_the_pin_is_wrong(tries)


@then("the JPKI client says the PIN is blocked")
def client_says_blocked(applicant: Applicant):
    applicant.should_be_told_the_pin_is_blocked()


@then(parsers.parse("her {pin_kind} has {tries:d} tries left"))
def tries_left(applicant: Applicant, pin_kind, tries):
    applicant.should_have_tries_left(PIN_KINDS[pin_kind], tries)


@when("she has the PIN reset at the city office")
def city_office_reset(applicant: Applicant):
    applicant.visits_the_city_office_to_reset("auth")


@when("she moves house and her signature certificate is revoked")
def moves_house(applicant: Applicant):
    applicant.moves_house()


@when(parsers.parse('her card is renewed as "{profile}"'))
def card_renewed(applicant: Applicant, profile):
    applicant.gets_a_renewed_card(profile)


# -- timing (virtual_card/latency.py) ---------------------------------------------------------------------------
# These steps come after the portal generation step: they need the scenario's card, which exists from then on.

@given("her card answers at the speed of a real card")
def card_at_real_speed(applicant: Applicant):
    """Realistic latency for this scenario's card only; its real elapsed time becomes KLM's R."""
    card = applicant.world.ready().card
    card.set_latency("realistic")
    card.latency_listeners.append(lambda seconds: applicant.recorder.system_response(seconds, "card"))


@given(parsers.parse("the portal waits at most {seconds:d} second for the JPKI client"))
@given(parsers.parse("the portal waits at most {seconds:d} seconds for the JPKI client"))
def portal_extension_timeout(applicant: Applicant, seconds):
    applicant.world.ready().services.admin.settings(extension_timeout_seconds=seconds)  # after the reset in ready()


@given("she will pull the card out while it is computing the signature")
def pulls_card_while_signing(applicant: Applicant):
    """The person takes the card away while the page says it is reading (the card is busy with COMPUTE DIGITAL
    SIGNATURE at realistic speed): the card loses its contacts and never answers."""
    world = applicant.world.ready()
    slot = world.services.card_slot

    def on_start(command: bytes) -> None:
        if len(command) > 1 and command[1] == 0x2A:
            world.card.command_started.remove(on_start)
            threading.Thread(target=slot.remove, name="person-pulls-card", daemon=True).start()

    world.card.command_started.append(on_start)


@then("the time the card took counts as system response time")
def card_time_is_system_response(applicant: Applicant):
    assert applicant.recorder.system_responses > 0, "no system response time (KLM R) was recorded for the card"


@when("she has a new signature certificate issued at the city office")
def new_signature_certificate(applicant: Applicant):
    applicant.gets_a_new_signature_certificate()


@when("she has her card's validity extended at the city office")
def card_validity_extended(applicant: Applicant):
    applicant.has_the_card_validity_extended()


@then(parsers.parse('the portal refused her certificate because it was "{reason}"'))
def refused_because(applicant: Applicant, reason):
    applicant.should_have_been_refused_because(reason)
