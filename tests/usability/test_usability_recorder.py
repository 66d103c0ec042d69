"""ScenarioRecorder: counts, totals, deduplication, secrets, and clear errors for bad input."""

import json

import pytest

from usability.recorder import ScenarioRecorder


def rec(tags=(), secrets=frozenset()):
    return ScenarioRecorder("reg.feature::Register", "Register", "reg.feature", "registration", tags, secrets=secrets)


def test_counts_and_totals():
    r = rec()
    r.step("Given the agency page")
    r.step("When I register")
    r.page_view("http://127.0.0.1:8000/a", "A")
    r.page_view("http://127.0.0.1:8000/b", "B")
    r.page_view("http://127.0.0.1:8000/a", "A")
    r.action("click", "entry button")
    r.action("fill", "e-mail", keystrokes=20)
    r.action("fill", "card number", keystrokes=12)
    r.action("select", "category")
    r.action("check", "terms")
    r.action("pin", "signature password", keystrokes=6)
    r.wait(3600, "mail latency")
    r.wait(1800, "mail latency")
    r.wait(5 * 86400, "outage")
    t = r.finish("passed")["totals"]
    assert t["steps"] == 2
    assert t["page_views"] == 3 and t["unique_pages"] == 2
    assert (t["actions"], t["clicks"], t["fields_filled"], t["selections"], t["pin_entries"]) == (6, 2, 2, 1, 1)
    assert t["keystrokes"] == 38
    assert t["wait_seconds"] == 5400 + 5 * 86400
    assert t["waits_by_reason"] == {"mail_latency": 5400.0, "outage": 432000.0}
    # M P BB | M P BB H 20K | M H P BB H 12K | M H P BB P BB | M P BB | M H 6K K
    expected = 2.65 + (2.65 + 0.4 + 4.0) + (2.65 + 0.8 + 2.4) + (1.35 + 0.4 + 2.6) + 2.65 + (1.35 + 0.4 + 1.4)
    assert t["klm_seconds"] == pytest.approx(expected)


def test_result_is_json_able_and_urls_lose_port_and_query_values():
    r = rec()
    r.page_view("http://127.0.0.1:43123/rasens-u/confirm?token=abc123&lang=ja", "Confirm")
    out = r.finish("passed")
    json.dumps(out)
    assert out["page_views"][0]["url"] == "/rasens-u/confirm?token=*&lang=*"


def test_errors_get_verdicts_and_are_kept_once_per_page_view():
    r = rec()
    r.page_view("http://127.0.0.1:1/check", "Check")
    r.error(None, "WZBAM255E : マイナンバーカードの認証に失敗しました", "", "portal")
    r.error(None, "WZBAM255E : マイナンバーカードの認証に失敗しました", "", "portal")  # same view: once
    r.page_view("http://127.0.0.1:1/check", "Check")
    r.error("EW000J0200", "EW000J0200", "http://127.0.0.1:1/check", "client")
    out = r.finish("passed")
    assert [e["code"] for e in out["errors"]] == ["WZBAM255E", "EW000J0200"]
    assert out["errors"][0]["page"] == "/check"
    assert out["totals"]["errors_by_grade"] == {"good": 0, "fair": 0, "poor": 2}
    assert out["totals"]["bare_errors"] == 1


def test_bad_source_kind_and_typed_values_are_refused():
    r = rec()
    with pytest.raises(ValueError, match="source"):
        r.error(None, "x", "", "server")
    with pytest.raises(TypeError, match="never the typed value"):
        r.action("fill", "password", keystrokes="hunter22")
    with pytest.raises(ValueError, match="unknown prerequisite kind"):
        r.prerequisite("sacrifice", "a goat")


def test_prerequisites_dead_ends_links_and_a11y():
    r = rec()
    r.page_view("http://127.0.0.1:1/register", "Register")
    r.prerequisite("install", "JPKI client")
    r.prerequisite("extension", "Edge/Chrome extension")
    r.prerequisite("city-office", "renew signature certificate")
    r.prerequisite("phone_call", "regional bureau changes the e-mail")
    r.prerequisite("locale", "Japanese system locale", category="software")
    r.dead_end("residence card number already in use", "no self-service", "phone_call")
    r.link("http://127.0.0.1:1/ok", 200)
    r.link("http://127.0.0.1:1/gone", 404)
    r.link("http://127.0.0.1:1/down", None, "net::ERR_CONNECTION_REFUSED")
    r.link("http://127.0.0.1:1/down", None, "net::ERR_CONNECTION_REFUSED")  # the browser's retry: once
    v = {"rule": "image-alt", "impact": "critical", "nodes": 1, "targets": ["img"], "help": "alt"}
    r.a11y("http://127.0.0.1:1/register", [v])
    r.a11y("http://127.0.0.1:1/register", [v])  # same fingerprint twice: once
    t = r.finish("passed")["totals"]
    assert t["prerequisites_by_category"] == {"software": 3, "hardware": 0, "in_person": 1, "phone": 1, "post": 0}
    assert t["offline_prerequisites"] == 2
    assert t["dead_ends"] == 1
    assert t["broken_links"] == 2
    assert t["a11y_by_impact"]["critical"] == 1 and t["a11y_violations"] == 1


def test_secrets_and_personal_data_are_masked_everywhere():
    r = rec(secrets={"SECRETPW1", "Yamada Taro"})
    r.step("When I type SECRETPW1 as the password")
    r.page_view("http://127.0.0.1:1/x", "Welcome Yamada Taro")
    r.error(None, "my number 1234 5678 9012 and card AB12345678CD for a@b.example", "", "portal")
    r.action("click", "button for SECRETPW1")
    out = json.dumps(r.finish("passed"), ensure_ascii=False)
    for leaked in ("SECRETPW1", "Yamada Taro", "1234 5678 9012", "AB12345678CD", "a@b.example"):
        assert leaked not in out
    assert "****" in out


def test_known_defect_status_from_outcome_or_step():
    assert rec(["known_defect"]).finish("passed")["known_defect"]["present"] is True
    assert rec(["known-defect"]).finish("failed")["known_defect"]["present"] is False
    assert rec().finish("passed")["known_defect"] is None
    r = rec(["known_defect"])
    r.known_defect(False, "the mail arrived")
    assert r.finish("passed")["known_defect"] == {"present": False, "note": "the mail arrived"}


def test_finish_closes_the_recorder():
    r = rec()
    r.finish("passed")
    with pytest.raises(RuntimeError, match="already finished"):
        r.step("late step")


def test_activity_counts_actions_and_page_views_so_far():
    """The reporting plugin tells a UI step from a step without browser action by two readings of this."""
    r = rec()
    assert r.activity() == (0, 0)
    r.page_view("http://127.0.0.1:8000/a", "A")
    r.action("click", "entry button")
    r.action("fill", "e-mail", keystrokes=20)
    r.wait(60, "mail")  # not something the person does in the browser
    assert r.activity() == (2, 1)
