"""Registration (利用者情報登録): terms, category, two card reads, user information, completion, password."""

from pytest_bdd import given, parsers, then, when

from fixtures.screenplay import Applicant


@when(parsers.re(r'she registers as "(?P<category>[^"]+)" with the e-mail address "(?P<email>[^"]+)"'))
def registers(applicant: Applicant, category, email):
    applicant.registers(category=category, email=email)


@when(parsers.re(r'she registers as "(?P<category>[^"]+)" with the residence card number "(?P<number>[^"]+)"'))
def registers_with_card_number(applicant: Applicant, category, number):
    applicant.registers(category=category, email="amira@example.co.jp", residence_card_number=number)


@when(parsers.parse('she registers as "{category}" for the child "{child}" with the e-mail address "{email}"'))
def registers_for_child(applicant: Applicant, category, child, email):
    applicant.registers(category=category, email=email, applicant_profile=child)


@when(parsers.parse('she starts the registration as "{category}"'))
def starts_registration(applicant: Applicant, category):
    applicant.registers(category=category, email="amira@example.co.jp")


@when(parsers.parse('she registers again with the e-mail address "{email}"'))
def registers_again(applicant: Applicant, email):
    applicant.registers(category="外国人本人", email=email)


@given(parsers.parse('she has registered with the e-mail address "{email}"'))
def has_registered(applicant: Applicant, email):
    applicant.has_registered(email)


@given("she has registered and set her password")
def has_registered_and_set_password(applicant: Applicant):
    applicant.has_registered("amira@example.co.jp", set_password=True)


@given(parsers.parse('her status of residence is "{status}"'))
def status_of_residence(applicant: Applicant, status):
    applicant.has_residence_record(status=status)


@given(parsers.parse("the period of stay she was granted is {months:d} months"))
def period_of_stay_months(applicant: Applicant, months):
    applicant.has_residence_record(months=months)


@then(parsers.parse('the portal says the status "{status}" cannot use the system'))
def status_excluded(applicant: Applicant, status):
    applicant.should_be_told_the_status_is_excluded(status)


@then(parsers.parse("the portal says a period of stay of {months:d} months cannot use the system"))
def short_stay_excluded(applicant: Applicant, months):
    applicant.should_be_told_the_period_of_stay_is_too_short(months)


@when("someone registers with copies of her certificates but without her card")
def registers_with_copies(applicant: Applicant):
    applicant.registers_with_certificate_copies_only()


@then("the registration is accepted")
@then("the registration is complete and shows her name")
def registration_complete(applicant: Applicant):
    applicant.should_see_registration_complete()


@then("the portal refuses the residence card number")
def refuses_card_number(applicant: Applicant):
    applicant.should_see_card_number_refused()


@then("the portal says the agency has no record of the residence card number")
def unknown_card_number(applicant: Applicant):
    applicant.should_be_told_the_residence_card_is_unknown()


@then("nothing is registered")
def nothing_registered(applicant: Applicant):
    applicant.should_have_no_registration()


@then("the portal says her residence card number is already in use")
def card_number_in_use(applicant: Applicant):
    applicant.should_be_told_the_card_number_is_in_use()


@then("the portal says she is already registered")
def already_registered(applicant: Applicant):
    applicant.should_be_told_she_is_already_registered()


@then("the portal says she cannot register herself")
def cannot_register_herself(applicant: Applicant):
    applicant.should_be_told_she_cannot_register_herself()


@then("there is no self-service way to change the e-mail address")
def no_self_service(applicant: Applicant):
    applicant.should_find_no_self_service_way_to_change_the_email()


@when("she opens the password link in the mail")
def opens_password_link(applicant: Applicant):
    applicant.opens_the_password_link()


@when("she sets a valid password")
@when("she sets a new valid password")
def sets_valid_password(applicant: Applicant):
    applicant.sets_a_password()


@when(parsers.parse("she tries a password that {flaw}"))
def tries_bad_password(applicant: Applicant, flaw):
    applicant.tries_a_bad_password(flaw)


@then("the portal refuses the password")
def refuses_password(applicant: Applicant):
    applicant.should_see_password_refused()


@then("the portal says the link has expired")
def link_expired(applicant: Applicant):
    applicant.should_be_told_the_link_expired()


@then("the portal says the link has already been used")
def link_used(applicant: Applicant):
    applicant.should_be_told_the_link_was_used()


@then("the portal does not recognise her new card")
def new_card_not_recognised(applicant: Applicant):
    applicant.should_not_be_recognised()


@then("the browser cannot reach the site")
def cannot_reach(applicant: Applicant):
    applicant.should_not_reach_the_site()


@when("she refuses the terms of use")
def refuses_terms(applicant: Applicant):
    applicant.refuses_the_terms()


@when(parsers.parse('she registers with the e-mail address "{email}" confirmed as "{confirmation}"'))
def registers_with_confirmation(applicant: Applicant, email, confirmation):
    applicant.registers(category="外国人本人", email=email, email_confirmation=confirmation)


@when(parsers.parse('she registers as "{category}" for the applicant "{profile}"'))
def registers_for_applicant(applicant: Applicant, category, profile):
    applicant.registers(category=category, email="amira@example.co.jp", applicant_profile=profile)


@when(parsers.parse('she registers as "{category}" as far as the user information'))
def registers_as_far_as_info(applicant: Applicant, category):
    applicant.registers_as_far_as_the_user_information(category)


@when(parsers.parse('she submits her user information with the e-mail address "{email}"'))
def submits_user_info(applicant: Applicant, email):
    applicant.submits_her_user_information(email)


@then("she is asked to confirm her user information")
def asked_to_confirm(applicant: Applicant):
    applicant.should_see_the_confirmation()


@then(parsers.parse('her registration has the {field} "{value}"'))
def registration_has(applicant: Applicant, field, value):
    applicant.should_have_registered({"user category": "category", "e-mail address": "email"}[field], value)
