"""The checklist, the entry point and the PC set-up."""

from pytest_bdd import parsers, then, when

from screenplay.actor import Actor
from screenplay.questions.card import TheChecklistMet
from screenplay.questions.page import TheDeviceIsNotSupported, TheEntryButtonNearTheEnd
from screenplay.tasks.preparation import FollowTheEntryButton, GoThroughTheChecklist, OpenTheAgencyPage


@when("she goes through the preparation checklist")
def goes_through_checklist(applicant: Actor):
    applicant.attempts_to(GoThroughTheChecklist())


@then("every checklist item is met:")
def every_item_met(applicant: Actor, datatable):
    applicant.should_see(TheChecklistMet(tuple(row[0] for row in datatable[1:])))


@when("she opens the agency's online procedures page")
def opens_agency_page(applicant: Actor):
    applicant.attempts_to(OpenTheAgencyPage())


@then(parsers.parse('the entry button "{text}" is in the last part of the page'))
def entry_button_near_end(applicant: Actor, text):
    applicant.should_see(TheEntryButtonNearTheEnd(text))


@when("she follows the entry button")
def follows_entry_button(applicant: Actor):
    applicant.attempts_to(FollowTheEntryButton())


@then("the portal says the device is not supported")
def device_not_supported(applicant: Actor):
    applicant.should_see(TheDeviceIsNotSupported())


@when(parsers.parse("she opens the agency's online procedures page in {language}"))
def opens_agency_page_in(applicant: Actor, language):
    applicant.attempts_to(OpenTheAgencyPage(language))


@when(parsers.parse('she follows the link "{text}"'))
def follows_link(applicant: Actor, text):
    applicant.attempts_to(FollowTheEntryButton(text))
