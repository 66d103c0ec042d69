"""A scenario that fails on purpose where the page shows the holder's name (tests/test_secrets.py runs it).

Not named test_*.py: `pytest tests` must not collect a failure that is planted. Playwright's failed expectation
quotes the page's accessibility tree, so the failure text carries her name unless the harness scrubs it.
"""

from pathlib import Path

from playwright.sync_api import expect
from pytest_bdd import parsers, scenarios, then

from screenplay.abilities import browser

scenarios(str(Path(__file__).with_name("planted_failure.feature")))


@then(parsers.parse('the page is expected to say "{text}"'))
def page_is_expected_to_say(applicant, text):
    expect(browser(applicant).page.get_by_text(text)).to_be_visible(timeout=1000)
