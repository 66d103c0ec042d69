"""The card check (動作確認), PINs, the reader and the city office."""

from pytest_bdd import given, parsers, then, when

from fixtures.screenplay import Applicant

PIN_KINDS = {"user-authentication PIN": "auth", "signature password": "sign"}


@given("she will type a wrong user-authentication PIN")
def will_type_wrong_pin(applicant: Applicant):
    applicant.will_mistype("auth")


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
