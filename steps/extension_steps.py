"""The extension bridge: what the native host will do, and what the page and the process list show."""

from pytest_bdd import given, parsers, then

from screenplay.actor import Actor
from screenplay.questions.card import OneHostProcess
from screenplay.questions.page import ThePortalMessage
from screenplay.tasks.outside_the_page import TheClientWill


@given(parsers.parse("the JPKI client will {behaviour}"))
def host_will(applicant: Actor, behaviour):
    applicant.attempts_to(TheClientWill(behaviour))


@then("the portal says the extension is missing")
def says_extension_missing(applicant: Actor):
    applicant.should_see(ThePortalMessage("extension_missing"))


@then("the portal says the JPKI client did not answer")
def says_no_answer(applicant: Actor):
    applicant.should_see(ThePortalMessage("extension_timeout"))


@then("the JPKI client answered from its own process")
def host_process_ran(applicant: Actor):
    applicant.should_see(OneHostProcess())
