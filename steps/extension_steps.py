"""The extension bridge: what the native host will do, and what the page and the process list show."""

from pytest_bdd import given, parsers, then

from fixtures.extension_browser import plan_host_fault, portal_message, running_host_pids
from fixtures.screenplay import Applicant


@given(parsers.parse("the JPKI client will {behaviour}"))
def host_will(applicant: Applicant, behaviour):
    plan_host_fault(applicant.world, behaviour)


@then("the portal says the extension is missing")
def says_extension_missing(applicant: Applicant):
    _page_says(applicant, "extension_missing")


@then("the portal says the JPKI client did not answer")
def says_no_answer(applicant: Applicant):
    _page_says(applicant, "extension_timeout")


def _page_says(applicant: Applicant, key: str) -> None:
    shown = applicant.world.page.locator("#errorArea")
    assert shown.is_visible(), "the page shows no message"
    assert shown.inner_text().strip() == portal_message(key)


@then("the JPKI client answered from its own process")
def host_process_ran(applicant: Applicant):
    pids = running_host_pids(applicant.world)
    assert len(pids) == 1, f"expected one native host process for this browser, found {pids}"
