"""Who the applicant is, on which PC, against which portal, and the passing of time."""

from pytest_bdd import given, parsers, then, when

from fixtures.screenplay import Applicant


@given(parsers.parse('a resident with the "{profile}" My Number card'), target_fixture="applicant")
def a_resident_with_card(world, profile) -> Applicant:
    return Applicant.with_card(world, profile)


@given(parsers.parse('her PC is "{pc}"'))
def her_pc_is(applicant: Applicant, pc):
    applicant.uses_pc(pc)


@given(parsers.parse('the portal is the "{generation}" generation'))
def the_portal_generation(applicant: Applicant, generation):
    applicant.world.generation = generation


@given("the card is not in the reader")
def card_not_in_reader(applicant: Applicant):
    applicant.takes_the_card_out()


@when(parsers.re(r"(?P<count>\d+) (?P<unit>minute|hour|day)s? pass(?:es)?"))
def time_passes(applicant: Applicant, count, unit):
    applicant.waits(int(count), unit)


@when("she opens the portal's top page")
def opens_top_page(applicant: Applicant):
    applicant.opens_top_page()


@then("she is on the portal's top page")
def on_top_page(applicant: Applicant):
    applicant.should_see_top_page()


@then(parsers.parse('the portal shows "{text}"'))
def portal_shows(applicant: Applicant, text):
    applicant.should_see_message(text)


@then(parsers.parse('the JPKI client reports "{code}"'))
def client_reports(applicant: Applicant, code):
    applicant.should_see_client_error(code)


@then("the message does not say what to do")
def message_says_nothing(applicant: Applicant):
    applicant.should_have_met_an_error_without_advice()


@given("she is abroad")
def she_is_abroad(applicant: Applicant):
    applicant.is_abroad()


@when(parsers.parse("the portal stops for maintenance without notice for {hours:d} hours"))
def maintenance(applicant: Applicant, hours):
    applicant.finds_the_portal_in_maintenance_for(hours)


@then(parsers.re(r'the portal shows the message "(?P<key>[a-z_0-9]+)"$'))
def portal_shows_message(applicant: Applicant, key):
    applicant.should_see_portal_message(key)


@then(parsers.parse('the portal shows the message "{key}" about "{field}"'))
def portal_shows_message_about(applicant: Applicant, key, field):
    applicant.should_see_portal_message(key, field=field)
