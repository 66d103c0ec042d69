"""The after-step hook reads the page in one round trip (fixtures/reporting.py PAGE_LOOK), and the axe scan injects
and runs in one (usability/a11y.py). Each must read exactly what the separate calls it replaced read, or the
screenshots, the messages recorded and the accessibility findings would drift from the committed baseline."""

from __future__ import annotations

import pytest

from fixtures.reporting import PAGE_LOOK, PAGE_STATE, PAGE_STRUCTURE, VISIBLE_MESSAGES
from fixtures.secrets import MASK_ATTRIBUTE, mark_arguments, mark_secrets_on_page
from usability import a11y
from usability.tracking import DEFAULT_ERROR_SELECTORS

SECRETS = {"QX48271593ZV"}
PAGE = """<!doctype html><html lang="ja"><head><title>Form</title></head><body><main><h1>Form</h1>
<div role="alert">WZBAM255E : 認証に失敗しました <a href="/help">help</a></div>
<p class="error" style="display:none">hidden, not seen</p>
<label for="card">Card</label><input id="card" value="QX48271593ZV"><input id="other" value="x">
<img src="data:,"><input id="nolabel"></main></body></html>"""
SELECTORS = ", ".join(DEFAULT_ERROR_SELECTORS)


@pytest.fixture
def page_with_a_secret(shared_browser):
    context = shared_browser.new_context()
    page = context.new_page()
    page.set_content(PAGE)
    yield page
    context.close()


@pytest.mark.browser
def test_one_look_reads_what_the_four_separate_calls_read(page_with_a_secret):
    page = page_with_a_secret
    separate = [page.evaluate(PAGE_STATE), mark_secrets_on_page(page, SECRETS),
                page.evaluate(VISIBLE_MESSAGES, SELECTORS), page.evaluate(PAGE_STRUCTURE)]
    page.evaluate(f"() => document.querySelectorAll('[{MASK_ATTRIBUTE}]').forEach(e => e.removeAttribute('{MASK_ATTRIBUTE}'))")
    look = page.evaluate(PAGE_LOOK, [SELECTORS, mark_arguments(SECRETS)])
    assert look == separate
    assert look[1] == 1  # the card number's field; the secret-free field is not marked
    assert look[2] == [["WZBAM255E : 認証に失敗しました help", ["/help"]]]
    assert page.locator(f"[{MASK_ATTRIBUTE}]").evaluate_all("els => els.map(e => e.id)") == ["card"]


@pytest.mark.browser
def test_the_one_evaluate_axe_scan_finds_what_the_library_run_finds(page_with_a_secret):
    page = page_with_a_secret
    library = a11y.normalise(a11y._engine().run(page).response["violations"])
    assert [v["rule"] for v in library] == ["image-alt", "label"]  # the page's two faults, so the test can fail
    assert a11y.scan(page) == library
