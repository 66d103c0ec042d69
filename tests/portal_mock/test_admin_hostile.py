"""Hostile input to the control API never breaks the simulation (issue 10, item 5).

Why: the control API is reachable by anything on the machine — and, without Host/Origin checks, by any web page
the person's browser opens (CSRF, DNS rebinding). ``NaN`` used to be stored as a setting or added to the clock,
and then every later request answered 500 until restart, ``/__admin/reset`` included.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

AGENCY = "/isa/applications/online/onlineshinsei.html"
PAGES = (AGENCY, "/WC01/WCAAS010/", "/rasens-u/login")


def raw(client, method, path, text, content_type="application/json", **headers):
    return client.open("/__admin/" + path, method=method, data=text, content_type=content_type, headers=headers)


def assert_portal_serves(env):
    for page in PAGES:
        status = env.browser.client.get(page).status_code
        assert status == 200, (page, status)
    assert env.browser.client.post("/__admin/reset", json={}).status_code == 200


@pytest.mark.parametrize("method, path, text, field", [
    ("PUT", "settings", '{"password_valid_days": NaN}', "password_valid_days"),
    ("PUT", "settings", '{"link_ttl_hours": Infinity}', "link_ttl_hours"),
    ("PUT", "settings", '{"session_timeout_minutes": -Infinity}', "session_timeout_minutes"),
    ("PUT", "settings", '{"password_valid_days": 1e300}', "password_valid_days"),
    ("PUT", "settings", '{"cert_min_age_hours": 1e9}', "cert_min_age_hours"),
    ("POST", "clock/advance", '{"seconds": NaN}', "seconds"),
    ("POST", "clock/advance", '{"days": Infinity}', "days"),
    ("POST", "clock/advance", '{"days": 1e9}', "days"),
    ("POST", "faults", '{"kind": "outage", "duration_seconds": NaN}', "duration_seconds"),
    ("POST", "faults", '{"kind": "slow", "duration_seconds": 60, "delay_ms": NaN}', "delay_ms"),
    ("PUT", "clock", '{"now": "9999-12-31T23:59:59+09:00"}', "now"),
    ("POST", "reset", '{"clock": "0001-01-01T00:00:00+09:00"}', "clock"),
])
def test_non_finite_and_out_of_range_numbers_are_refused_naming_the_field(make_env, method, path, text, field):
    env = make_env("rasens")
    before = env.portal.store.dump()
    r = raw(env.browser.client, method, path, text)
    assert (r.status_code, r.get_json()["field"]) == (400, field), r.get_data(as_text=True)
    assert env.portal.store.dump() == before
    assert_portal_serves(env)


def test_a_body_that_is_not_declared_json_is_refused(make_env):
    """A page cannot send ``application/json`` cross-origin without a preflight; ``text/plain`` it can (CSRF)."""
    env = make_env("rasens")
    before = env.portal.store.dump()
    r = raw(env.browser.client, "PUT", "generation", '{"generation": "ras"}', content_type="text/plain")
    assert (r.status_code, r.get_json()) == (415, {
        "error": "Content-Type: expected application/json for a request body (got 'text/plain')",
        "field": "Content-Type"})
    assert env.portal.store.dump() == before
    assert env.browser.client.post("/__admin/reset").status_code == 200  # no body: nothing to declare


@pytest.mark.parametrize("headers, field", [
    ({"Host": "rebound.example.com"}, "Host"),
    ({"Host": "127.0.0.1.nip.io"}, "Host"),
    ({"Origin": "http://evil.example"}, "Origin"),
    ({"Origin": "http://localhost:9"}, "Origin"),
    ({"Origin": "null"}, "Origin"),
])
def test_a_foreign_host_or_origin_is_refused(make_env, headers, field):
    """DNS rebinding arrives with a foreign Host; a cross-site page with a foreign Origin."""
    env = make_env("rasens")
    before = env.portal.store.dump()
    r = env.browser.client.put("/__admin/generation", json={"generation": "ras"}, headers=headers)
    assert (r.status_code, r.get_json()["field"]) == (403, field), r.get_data(as_text=True)
    assert env.portal.store.dump() == before


@pytest.mark.parametrize("headers", [{}, {"Host": "127.0.0.1:8080", "Origin": "http://127.0.0.1:8080"},
                                     {"Host": "[::1]:8080"}, {"Host": "localhost"}])
def test_loopback_hosts_and_same_origin_are_served(make_env, headers):
    env = make_env("rasens")
    r = env.browser.client.put("/__admin/generation", json={"generation": "ras"}, headers=headers)
    assert (r.status_code, r.get_json()) == (200, {"generation": "ras"})


# What each route reads: random values must land where they are read to find anything.
RESIDENT = ["residence_card_number", "birth_date", "status_of_residence", "period_of_stay_until", "name"]
FIELDS = {
    "reset": ["generation", "clock"],
    "clock": ["now"],
    "clock/advance": ["seconds", "minutes", "hours", "days"],
    "generation": ["generation"],
    "faults": ["kind", "from", "until", "duration_seconds", "delay_ms"],
    "mail-rules": ["rules", "domain", "action", "delay_seconds"],
    "settings": ["proof_of_possession", "cert_min_age_hours", "session_timeout_minutes", "link_ttl_hours",
                 "password_valid_days", "bureau_change_delay_seconds", "bureau_mail_delay_seconds",
                 "smartphone_supported", "accept_unknown_residents", "extension_timeout_seconds",
                 "permanent_residence_online", "bureau_auth_id_delay_seconds", "overseas_access_blocked"],
    "bureau/change-email": ["email", "auth_id", "residence_card_number", "old_email"],
    "bureau/auth-id-inquiry": ["residence_card_number"],
    "residents": ["residents", *RESIDENT],
    "registrations": ["generation", "sign_cert", "auth_cert", "residence_card_number", "email"],
    "password": ["token", "password"],
}
AWKWARD = st.sampled_from([float("nan"), float("inf"), float("-inf"), 1e308, -1.0, 0, 2**63, 0.5, 1e9])
SCALARS = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=30)
           | st.sampled_from(["2026-01-05T09:00:00+09:00", "9999-12-31T00:00:00", "ras", "rasens", "outage", "slow",
                              "deliver", "drop", "*", "a@b.jp", "AB12345678CD", "1990-01-01"]))


def bodies(path: str):
    keys = st.sampled_from(FIELDS[path]) | st.text(max_size=8)
    json_values = st.recursive(AWKWARD | SCALARS, lambda children: st.lists(children, max_size=3)
                               | st.dictionaries(keys, children, max_size=3), max_leaves=8)
    return st.dictionaries(st.sampled_from(FIELDS[path]), AWKWARD | SCALARS | json_values, min_size=1,
                           max_size=3) | json_values


def test_every_route_that_takes_a_body_is_fuzzed(tmp_path):
    from tests.portal_mock.harness import Env

    env = Env("rasens", tmp_path)
    routes = {rule.rule.removeprefix("/__admin/") for rule in env.app.url_map.iter_rules()
              if rule.rule.startswith("/__admin/") and rule.methods & {"POST", "PUT"}}
    env.close()
    assert routes == set(FIELDS), "a control route was added or removed: say which fields it reads"


@pytest.fixture(scope="module")
def fuzz_env(tmp_path_factory):
    from tests.portal_mock.harness import Env

    env = Env("rasens", tmp_path_factory.mktemp("fuzz"))
    yield env
    env.close()


ROUTES = [("POST", "reset"), ("PUT", "clock"), ("POST", "clock/advance"), ("PUT", "generation"),
          ("POST", "faults"), ("PUT", "mail-rules"), ("PUT", "settings"), ("POST", "bureau/change-email"),
          ("POST", "residents"), ("POST", "registrations"), ("POST", "password")]


@pytest.mark.parametrize("method, path", ROUTES, ids=[p for _, p in ROUTES])
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_json_at_every_admin_endpoint_never_breaks_the_portal(fuzz_env, method, path, data):
    body = data.draw(bodies(path), label="body")
    before = fuzz_env.portal.store.dump()
    text = json.dumps(body, allow_nan=True)
    r = fuzz_env.browser.client.open("/__admin/" + path, method=method, data=text, content_type="application/json")
    assert r.status_code < 500, (method, path, text, r.get_data(as_text=True))
    if r.status_code >= 400:
        assert fuzz_env.portal.store.dump() == before, (method, path, text)
    assert_portal_serves(fuzz_env)
