"""Who the applicant is, on which PC, against which portal, and the passing of time."""

from pytest_bdd import given, parsers, then, when

from screenplay.actor import Actor
from screenplay.questions.page import AnErrorWithoutAdvice, TheClientError, ThePortalMessage, TheTopPage
from screenplay.tasks.outside_the_page import ThePortalStopsForMaintenance, Wait
from screenplay.tasks.preparation import OpenTheTopPage
from screenplay.tasks.setting import BeAbroad, HoldTheCard, MeetThePortalGeneration, TakeTheCardOut, UseThePC


@given(parsers.parse('a resident with the "{profile}" My Number card'), target_fixture="applicant")
def a_resident_with_card(world, profile) -> Actor:
    return Actor.named("Amira").who_can(*world.abilities()).attempts_to(HoldTheCard(profile))


@given(parsers.parse('her PC is "{pc}"'))
def her_pc_is(applicant: Actor, pc):
    applicant.attempts_to(UseThePC(pc))


@given(parsers.parse('the portal is the "{generation}" generation'))
def the_portal_generation(applicant: Actor, generation):
    applicant.attempts_to(MeetThePortalGeneration(generation))


@given("the card is not in the reader")
def card_not_in_reader(applicant: Actor):
    applicant.attempts_to(TakeTheCardOut())


@when(parsers.re(r"(?P<count>\d+) (?P<unit>minute|hour|day)s? pass(?:es)?"))
def time_passes(applicant: Actor, count, unit):
    applicant.attempts_to(Wait(int(count), unit))


@when("she opens the portal's top page")
def opens_top_page(applicant: Actor):
    applicant.attempts_to(OpenTheTopPage())


@then("she is on the portal's top page")
def on_top_page(applicant: Actor):
    applicant.should_see(TheTopPage())


@then(parsers.parse('the portal shows "{text}"'))
def portal_shows(applicant: Actor, text):
    applicant.should_see(ThePortalMessage.shown_as(text))


@then(parsers.parse('the JPKI client reports "{code}"'))
def client_reports(applicant: Actor, code):
    applicant.should_see(TheClientError(code))


@then("the message does not say what to do")
def message_says_nothing(applicant: Actor):
    applicant.should_see(AnErrorWithoutAdvice())


@given("she is abroad")
def she_is_abroad(applicant: Actor):
    applicant.attempts_to(BeAbroad())


@when(parsers.parse("the portal stops for maintenance without notice for {hours:d} hours"))
def maintenance(applicant: Actor, hours):
    applicant.attempts_to(ThePortalStopsForMaintenance(hours))


@then(parsers.re(r'the portal shows the message "(?P<key>[a-z_0-9]+)"$'))
def portal_shows_message(applicant: Actor, key):
    applicant.should_see(ThePortalMessage(key))


@then(parsers.parse('the portal shows the message "{key}" about "{field}"'))
def portal_shows_message_about(applicant: Actor, key, field):
    applicant.should_see(ThePortalMessage(key, {"field": field}))
