"""Registration (利用者情報登録): terms, category, two card reads, user information, completion, password."""

from pytest_bdd import given, parsers, then, when

from screenplay.actor import Actor
from screenplay.questions.page import (
    NoSelfServiceEmailChange,
    TheClientError,
    ThePage,
    ThePasswordRefused,
    ThePortalMessage,
    TheSiteUnreachable,
)
from screenplay.questions.records import NoRegistration, TheRegistration
from screenplay.tasks.registration import (
    DEFAULT_EMAIL,
    HaveAResidenceRecord,
    HaveRegistered,
    OpenThePasswordLink,
    RefuseTheTerms,
    Register,
    RegisterAsFarAsTheUserInformation,
    RegisterWithCertificateCopiesOnly,
    SetAPassword,
    SubmitTheUserInformation,
    TryABadPassword,
)

REGISTRATION_FIELDS = {"user category": "category", "e-mail address": "email"}


@when(parsers.re(r'she registers as "(?P<category>[^"]+)" with the e-mail address "(?P<email>[^"]+)"'))
def registers(applicant: Actor, category, email):
    applicant.attempts_to(Register(category, email))


@when(parsers.re(r'she registers as "(?P<category>[^"]+)" with the residence card number "(?P<number>[^"]+)"'))
def registers_with_card_number(applicant: Actor, category, number):
    applicant.attempts_to(Register(category, residence_card_number=number))


@when(parsers.parse('she registers as "{category}" for the child "{child}" with the e-mail address "{email}"'))
def registers_for_child(applicant: Actor, category, child, email):
    applicant.attempts_to(Register(category, email, applicant_profile=child))


@when(parsers.parse('she starts the registration as "{category}"'))
def starts_registration(applicant: Actor, category):
    applicant.attempts_to(Register(category))


@when(parsers.parse('she registers again with the e-mail address "{email}"'))
def registers_again(applicant: Actor, email):
    applicant.attempts_to(Register("外国人本人", email))


@given(parsers.parse('she has registered with the e-mail address "{email}"'))
def has_registered(applicant: Actor, email):
    applicant.attempts_to(HaveRegistered(email))


@given("she has registered and set her password")
def has_registered_and_set_password(applicant: Actor):
    applicant.attempts_to(HaveRegistered(DEFAULT_EMAIL, set_password=True))


@given(parsers.parse('her status of residence is "{status}"'))
def status_of_residence(applicant: Actor, status):
    applicant.attempts_to(HaveAResidenceRecord(status=status))


@given(parsers.parse("the period of stay she was granted is {months:d} months"))
def period_of_stay_months(applicant: Actor, months):
    applicant.attempts_to(HaveAResidenceRecord(months=months))


@then(parsers.parse('the portal says the status "{status}" cannot use the system'))
def status_excluded(applicant: Actor, status):
    applicant.should_see(ThePortalMessage("status_excluded", {"status": status}))


@then(parsers.parse("the portal says a period of stay of {months:d} months cannot use the system"))
def short_stay_excluded(applicant: Actor, months):
    applicant.should_see(ThePortalMessage("short_stay_excluded", {"months": str(months)}))


@when("someone registers with copies of her certificates but without her card")
def registers_with_copies(applicant: Actor):
    applicant.attempts_to(RegisterWithCertificateCopiesOnly())


@then("the registration is accepted")
@then("the registration is complete and shows her name")
def registration_complete(applicant: Actor):
    applicant.should_see(ThePage("complete"))


@then("the portal refuses the residence card number")
def refuses_card_number(applicant: Actor):
    applicant.should_see(ThePortalMessage("card_number_format"))


# A well-formed number (past the format check) that ISA's registry has no entry for: WZBAM303E.
@then("the portal says the agency has no record of the residence card number")
def unknown_card_number(applicant: Actor):
    applicant.should_see(ThePortalMessage("resident_not_found"))


@then("nothing is registered")
def nothing_registered(applicant: Actor):
    applicant.should_see(NoRegistration())


@then("the portal says her residence card number is already in use")
def card_number_in_use(applicant: Actor):
    applicant.should_see(ThePortalMessage("card_number_in_use"))


@then("the portal says she is already registered")
def already_registered(applicant: Actor):
    applicant.should_see(ThePortalMessage("person_already_registered"))


# Under 15 there is no signature certificate on the card, so the JPKI client stops before the portal's under-15
# rule can answer: what she meets is the client's message (the rule has its own unit test).
@then("the portal says she cannot register herself")
def cannot_register_herself(applicant: Actor):
    applicant.should_see(TheClientError("JPKI_CERT_ABSENT", {"kind": "sign"}))


@then("there is no self-service way to change the e-mail address")
def no_self_service(applicant: Actor):
    applicant.should_see(NoSelfServiceEmailChange())


@when("she opens the password link in the mail")
def opens_password_link(applicant: Actor):
    applicant.attempts_to(OpenThePasswordLink())


@when("she sets a valid password")
@when("she sets a new valid password")
def sets_valid_password(applicant: Actor):
    applicant.attempts_to(SetAPassword())


@when(parsers.parse("she tries a password that {flaw}"))
def tries_bad_password(applicant: Actor, flaw):
    applicant.attempts_to(TryABadPassword(flaw))


@then("the portal refuses the password")
def refuses_password(applicant: Actor):
    applicant.should_see(ThePasswordRefused())


@then("the portal says the link has expired")
def link_expired(applicant: Actor):
    applicant.should_see(ThePortalMessage("link_expired"))


@then("the portal says the link has already been used")
def link_used(applicant: Actor):
    applicant.should_see(ThePortalMessage("link_used"))


@then("the portal does not recognise her new card")
def new_card_not_recognised(applicant: Actor):
    applicant.should_see(ThePortalMessage("login_unregistered"))


@then("the browser cannot reach the site")
def cannot_reach(applicant: Actor):
    applicant.should_see(TheSiteUnreachable())


@when("she refuses the terms of use")
def refuses_terms(applicant: Actor):
    applicant.attempts_to(RefuseTheTerms())


@when(parsers.parse('she registers with the e-mail address "{email}" confirmed as "{confirmation}"'))
def registers_with_confirmation(applicant: Actor, email, confirmation):
    applicant.attempts_to(Register("外国人本人", email, email_confirmation=confirmation))


@when(parsers.parse('she registers as "{category}" for the applicant "{profile}"'))
def registers_for_applicant(applicant: Actor, category, profile):
    applicant.attempts_to(Register(category, applicant_profile=profile))


@when(parsers.parse('she registers as "{category}" as far as the user information'))
def registers_as_far_as_info(applicant: Actor, category):
    applicant.attempts_to(RegisterAsFarAsTheUserInformation(category))


@when(parsers.parse('she submits her user information with the e-mail address "{email}"'))
def submits_user_info(applicant: Actor, email):
    applicant.attempts_to(SubmitTheUserInformation(email))


@then("she is asked to confirm her user information")
def asked_to_confirm(applicant: Actor):
    applicant.should_see(ThePage("confirm"))


@then(parsers.parse('her registration has the {field} "{value}"'))
def registration_has(applicant: Actor, field, value):
    applicant.should_see(TheRegistration(REGISTRATION_FIELDS[field], value))
