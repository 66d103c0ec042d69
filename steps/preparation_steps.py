"""The checklist, the entry point and the PC set-up."""

from pytest_bdd import parsers, then, when

from fixtures.screenplay import Applicant


@when("she goes through the preparation checklist")
def goes_through_checklist(applicant: Applicant):
    applicant.goes_through_checklist()


@then("every checklist item is met:")
def every_item_met(applicant: Applicant, datatable):
    applicant.should_meet_checklist([row[0] for row in datatable[1:]])


@when("she opens the agency's online procedures page")
def opens_agency_page(applicant: Applicant):
    applicant.opens_agency_page()


@then(parsers.parse('the entry button "{text}" is in the last part of the page'))
def entry_button_near_end(applicant: Applicant, text):
    applicant.should_find_entry_button_near_the_end(text)


@when("she follows the entry button")
def follows_entry_button(applicant: Applicant):
    applicant.follows_entry_button()


@then("the portal says the device is not supported")
def device_not_supported(applicant: Applicant):
    applicant.should_see_device_not_supported()


@when(parsers.parse("she opens the agency's online procedures page in {language}"))
def opens_agency_page_in(applicant: Applicant, language):
    applicant.opens_agency_page_in(language)


@when(parsers.parse('she follows the link "{text}"'))
def follows_link(applicant: Applicant, text):
    applicant.follows_entry_button(text)
