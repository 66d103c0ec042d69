"""TrackedPage on a small local site: every metric counted from real browser events."""

import pytest

from usability import a11y
from usability.recorder import ScenarioRecorder
from usability.tracking import TrackedPage

pytestmark = pytest.mark.browser


def recorder():
    return ScenarioRecorder("site::journey", "journey", "site", "registration", ())


def test_actions_page_views_and_klm_on_a_form(site, web_page):
    rec = recorder()
    tp = TrackedPage(web_page, rec)
    tp.goto(site + "/")
    tp.click("#next", label="Register link")
    web_page.wait_for_url("**/form")
    tp.fill("#email", "someone@example.jp", label="e-mail")
    tp.fill("#card", "AB12345678CD", label="residence card number")
    tp.select("#kind", "b", label="kind")
    tp.check("#agree", label="terms")
    tp.click("#submit", label="Next")
    web_page.wait_for_url("**/done**")
    tp.settle()
    out = rec.finish("passed")
    t = out["totals"]
    assert [v["url"] for v in out["page_views"]] == ["/", "/form", "/done?email=*&card=*&kind=*&agree=*"]
    assert [v["title"] for v in out["page_views"]] == ["Start", "Form", "Done"]
    assert (t["actions"], t["clicks"], t["fields_filled"], t["selections"]) == (6, 3, 2, 1)
    assert t["keystrokes"] == len("someone@example.jp") + len("AB12345678CD")
    # click 2.65 | fill 1.35+1.1+.2+.4+18*.2 | fill with H back: 1.35+.4+1.1+.2+.4+12*.2 | select with H back |
    # check 2.65 | click 2.65
    expected = 2.65 + (3.05 + 3.6) + (3.45 + 2.4) + (0.4 + 1.35 + 2 * 1.3) + 2.65 + 2.65
    assert t["klm_seconds"] == pytest.approx(expected)
    assert t["broken_links"] == 0 and out["links"]["checked"] == 3
    # typed values never reach the metrics (the query string is masked, the targets are labels)
    assert "someone@example.jp" not in str(out) and "AB12345678CD" not in str(out)


def test_visible_errors_are_detected_and_judged(site, web_page):
    rec = recorder()
    tp = TrackedPage(web_page, rec)
    tp.goto(site + "/error")
    found = tp.detect_errors()
    tp.detect_errors()  # looking twice at the same page view does not double count
    out = rec.finish("passed")
    assert len(found) == 1 and out["totals"]["errors"] == 1
    err = out["errors"][0]
    assert err["code"] == "WZBAM255E" and err["page"] == "/error" and err["source"] == "portal"
    assert err["verdict"]["grade"] == "poor"


def test_broken_links_and_failed_requests(site, web_page):
    rec = recorder()
    tp = TrackedPage(web_page, rec)
    tp.goto(site + "/broken")  # its image answers 404
    tp.click("#dead", label="old link")  # the link answers 404 too
    web_page.wait_for_url("**/gone")
    try:
        web_page.goto("http://127.0.0.1:9/")  # nothing listens on port 9: a failed request
    except Exception:
        pass
    out = rec.finish("passed")
    broken = {(b["url"], b["status"]) for b in out["links"]["broken"]}
    assert ("/missing.png", 404) in broken
    assert ("/gone", 404) in broken
    assert any(b["status"] is None and b["error"] for b in out["links"]["broken"])
    assert out["totals"]["broken_links"] == 3


def test_axe_finds_missing_label_and_alt(site, web_page):
    rec = recorder()
    tp = TrackedPage(web_page, rec)
    tp.goto(site + "/inaccessible")
    violations = tp.scan_a11y()
    rules = {v["rule"]: v for v in violations}
    assert "image-alt" in rules and "label" in rules
    assert rules["image-alt"]["impact"] == "critical" and rules["image-alt"]["targets"] == ["img"]
    assert rules["label"]["targets"] == ["#nolabel"]
    out = rec.finish("passed")
    assert out["totals"]["a11y_by_impact"]["critical"] >= 2
    assert out["a11y"]["pages_scanned"] == ["/inaccessible"]


def test_accessible_page_has_no_violations_and_auto_scan_runs_once_per_page(site, web_page):
    rec = recorder()
    tp = TrackedPage(web_page, rec, auto_a11y=True)
    tp.goto(site + "/")
    tp.goto(site + "/")
    out = rec.finish("passed")
    assert out["a11y"]["violations"] == []
    assert out["a11y"]["pages_scanned"] == ["/"]


def test_set_content_records_a_page_view(web_page):
    rec = recorder()
    tp = TrackedPage(web_page, rec)
    tp.set_content("<html><head><title>Built</title></head><body><p>x</p></body></html>", url_label="test:built")
    assert rec.finish("passed")["page_views"] == [{"url": "test:built", "title": "Built"}]


def test_ignored_rules_are_an_explicit_commented_list():
    assert isinstance(a11y.IGNORED_RULES, dict)
    for rule, reason in a11y.IGNORED_RULES.items():
        assert reason.strip(), f"ignored axe rule {rule} needs a reason"
