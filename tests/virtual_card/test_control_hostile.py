"""Hostile input to the card's control API never breaks the card or its bridge (issue 10, item 5).

Why: ``{"delay_ms": Infinity}`` was stored and then slept on by the bridge thread (the card stopped answering), a
list where a number belongs dropped the connection without an answer, and any web page could post ``text/plain``
JSON to it (CSRF) or reach it under a rebound name (DNS rebinding).
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.request

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from virtual_card.control import CardController, ControlServer
from virtual_card.vpcd import VpcdBridge

CLEAR = {"delay_ms": 0.0, "drop_after": None, "status_word": None, "ins": None}


@pytest.fixture
def control(make_card):
    bridge = VpcdBridge("127.0.0.1", 1)  # never started: the routes work without pcscd
    controller = CardController(bridge, lambda name: make_card(name), "valid")
    server = ControlServer(controller)
    url = server.start()
    yield url, controller
    server.stop()


def send(url, method, path, text=None, content_type="application/json", **headers):
    data = None if text is None else text.encode()
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={**({"Content-Type": content_type} if content_type else {}), **headers})
    try:
        with urllib.request.urlopen(req, timeout=10) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.mark.parametrize("path, text, field", [
    ("/faults", '{"delay_ms": NaN}', "delay_ms"),
    ("/faults", '{"delay_ms": Infinity}', "delay_ms"),
    ("/faults", '{"delay_ms": 1e300}', "delay_ms"),
    ("/faults", '{"delay_ms": []}', "delay_ms"),
    ("/faults", '{"drop_after": Infinity}', "drop_after"),
    ("/faults", '{"drop_after": 2.5}', "drop_after"),
    ("/faults", '{"drop_after": true}', "drop_after"),
    ("/faults", '{"status_word": "FFFFFF"}', "status_word"),
    ("/faults", '{"status_word": 36864}', "status_word"),
    ("/faults", '{"status_word": "6A82", "ins": "1FF"}', "ins"),
    ("/insert", '{"profile": 5}', "profile"),
    ("/swap", '{"profile": ["valid"]}', "profile"),
    ("/city-office/reset", '{"pin": {"x": 1}}', "pin"),
])
def test_bad_values_are_refused_naming_the_field_and_change_nothing(control, path, text, field):
    url, controller = control
    status, body = send(url, "POST", path, text)
    assert (status, body.get("field")) == (400, field), body
    assert controller.bridge.faults == CLEAR
    assert send(url, "GET", "/status")[0] == 200


def test_a_body_that_is_not_declared_json_is_refused(control):
    url, controller = control
    assert send(url, "POST", "/faults", '{"delay_ms": 5}', content_type="text/plain") == (415, {
        "error": "Content-Type: expected application/json for a request body (got 'text/plain')",
        "field": "Content-Type"})
    assert controller.bridge.faults == CLEAR


@pytest.mark.parametrize("headers, field", [({"Host": "rebound.example.com"}, "Host"),
                                            ({"Origin": "http://evil.example"}, "Origin"),
                                            ({"Origin": "null"}, "Origin")])
def test_a_foreign_host_or_origin_is_refused(control, headers, field):
    url, controller = control
    status, body = send(url, "POST", "/faults", '{"delay_ms": 5}', **headers)
    assert (status, body["field"]) == (403, field), body
    assert controller.bridge.faults == CLEAR


def test_loopback_host_and_same_origin_are_served(control):
    url, controller = control
    assert send(url, "POST", "/faults", '{"delay_ms": 5}', Origin=url)[0] == 200
    assert controller.bridge.faults["delay_ms"] == 5


VALUES = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=12)
          | st.sampled_from([float("nan"), float("inf"), 1e308, "6A82", "FFFF", "B0", "auth", "valid", "student"])
          | st.lists(st.integers(), max_size=2))
FIELDS = {"/faults": ["delay_ms", "drop_after", "status_word", "ins"], "/insert": ["profile"], "/swap": ["profile"],
          "/city-office/reset": ["pin"]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_json_never_breaks_the_control_api(control, data):
    url, controller = control
    path = data.draw(st.sampled_from(sorted(FIELDS)), label="path")
    body = data.draw(st.dictionaries(st.sampled_from(FIELDS[path]), VALUES, max_size=4) | VALUES, label="body")
    before = controller.bridge.faults
    status, answer = send(url, "POST", path, json.dumps(body, allow_nan=True))
    assert status in (200, 400), (status, answer)
    if status == 400:
        assert controller.bridge.faults == before
    faults = controller.bridge.faults
    assert math.isfinite(faults["delay_ms"]) and 0 <= faults["delay_ms"] <= 30_000, faults
    assert faults["status_word"] is None or len(faults["status_word"]) == 4, faults
    assert faults["ins"] is None or len(faults["ins"]) == 2, faults
    assert send(url, "GET", "/status")[0] == 200
