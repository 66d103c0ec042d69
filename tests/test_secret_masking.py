"""The in-process half of keeping secrets out of reports: failure texts, reports, traces and screenshot pixels.

tests/test_secrets.py proves the whole run leaks nothing; these tests pin down each door on its own, so a
regression says which door opened.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

from fixtures.secrets import (
    MASK_ATTRIBUTE,
    mark_secrets_on_page,
    masked_screenshot,
    scrub_exception,
    scrub_report,
    scrub_text,
    scrub_zip,
)

SECRETS = {"ＳＥＮＴＩＮＥＬ　ＨＯＬＤＥＲＱＸ", "QX48271593ZV", "7391"}


def test_short_values_are_not_treated_as_secrets():
    assert scrub_text("pin 123 and 7391", {"123", "7391"}) == "pin 123 and ****"


def test_a_name_is_masked_as_the_page_shows_it_with_its_spaces_folded():
    assert scrub_text("氏名 ＳＥＮＴＩＮＥＬ ＨＯＬＤＥＲＱＸ 様", SECRETS) == "氏名 **** 様"


def test_an_exception_and_its_cause_are_scrubbed_in_place():
    try:
        try:
            raise ValueError("card QX48271593ZV")
        except ValueError as inner:
            raise AssertionError("Aria snapshot: - definition: QX48271593ZV") from inner
    except AssertionError as exc:
        scrub_exception(exc, SECRETS)
        assert str(exc) == "Aria snapshot: - definition: ****"
        assert str(exc.__cause__) == "card ****"


def test_a_playwright_error_keeps_no_copy_of_the_secret():
    from playwright._impl._errors import Error

    exc = Error("waiting for 7391")
    scrub_exception(exc, SECRETS)
    assert "7391" not in str(exc) and "7391" not in exc.message


def test_a_report_is_scrubbed_in_its_failure_text_and_sections():
    class Report:
        longrepr = "E   AssertionError: name ＳＥＮＴＩＮＥＬ　ＨＯＬＤＥＲＱＸ"
        sections = [("Captured stdout call", "typed 7391")]

    report = Report()
    scrub_report(report, SECRETS)
    assert report.longrepr == "E   AssertionError: name ****"
    assert report.sections == [("Captured stdout call", "typed ****")]


def test_a_trace_loses_its_secrets_and_its_pictures(tmp_path):
    trace = tmp_path / "trace.zip"
    with zipfile.ZipFile(trace, "w") as z:
        z.writestr("trace.trace", '{"value": "QX48271593ZV"}')
        z.writestr("resources/frame.jpeg", b"\xff\xd8 pixels of a name")
    scrub_zip(trace, SECRETS)
    with zipfile.ZipFile(trace) as z:
        assert z.namelist() == ["trace.trace"]
        assert z.read("trace.trace") == b'{"value": "****"}'


PAGE = """<html><body style="margin:0;background:#fff">
<dl><dt>氏名</dt><dd id="name" style="font-size:40px">ＳＥＮＴＩＮＥＬ　ＨＯＬＤＥＲＱＸ</dd>
<dt>メール</dt><dd id="mail" style="font-size:40px">amira@example.co.jp</dd></dl>
<input id="card" style="font-size:40px" value="QX48271593ZV">
<input type="hidden" value="7391">
</body></html>"""


@pytest.fixture
def web_page(shared_browser):
    context = shared_browser.new_context()
    yield context.new_page()
    context.close()


@pytest.mark.browser
def test_a_screenshot_paints_over_exactly_the_elements_that_show_a_secret(web_page):
    web_page.set_content(PAGE)
    assert mark_secrets_on_page(web_page, SECRETS) == 2  # the name and the field; not the mail, not hidden input
    assert sorted(web_page.locator(f"[{MASK_ATTRIBUTE}]").evaluate_all("els => els.map(e => e.id)")) == ["card", "name"]
    image = Image.open(io.BytesIO(masked_screenshot(web_page, SECRETS))).convert("RGB")

    def centre(selector):
        box = web_page.locator(selector).bounding_box()
        return image.getpixel((int(box["x"] + box["width"] / 2), int(box["y"] + box["height"] / 2)))

    magenta = (255, 0, 255)  # Playwright's mask colour
    assert centre("#name") == magenta
    assert centre("#card") == magenta
    assert centre("#mail") != magenta
