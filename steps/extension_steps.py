"""The extension bridge: what the native host will do, and what the page and the process list show."""

from pytest_bdd import given, parsers, then

from fixtures.extension_browser import plan_host_fault, running_host_pids
from fixtures.screenplay import Applicant


@given(parsers.parse("the JPKI client will {behaviour}"))
def host_will(applicant: Applicant, behaviour):
    plan_host_fault(applicant.world, behaviour)


@then("the portal says the extension is missing")
def says_extension_missing(applicant: Applicant):
    applicant.ui.expect_message("extension_missing")


@then("the portal says the JPKI client did not answer")
def says_no_answer(applicant: Applicant):
    applicant.ui.expect_message("extension_timeout")


@then("the JPKI client answered from its own process")
def host_process_ran(applicant: Applicant):
    pids = running_host_pids(applicant.world)
    assert len(pids) == 1, f"expected one native host process for this browser, found {pids}"
