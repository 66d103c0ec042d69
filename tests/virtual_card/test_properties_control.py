"""Arbitrary APDUs never break the card; the control API and CLI."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ras_common.loopback import is_loopback_address as _is_loopback
from virtual_card import cli
from virtual_card.control import CardController, ControlServer
from virtual_card.control_client import CardControlClient, CardControlError
from virtual_card.profiles import DEFAULT_DIRECTORY
from virtual_card.vpcd import VpcdBridge

SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")
SW1_OK = {0x90, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F}

apdus = st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from([0x00, 0x80, 0x0C, 0x01, 0xFF, 0x84]), st.integers(0, 255), st.integers(0, 255),
              st.integers(0, 255), st.binary(max_size=270)).map(lambda t: bytes(t[:4]) + t[4]),
    st.tuples(st.sampled_from([0xA4, 0xB0, 0x20, 0x24, 0x2A, 0x84]), st.integers(0, 255), st.integers(0, 255),
              st.binary(max_size=40)).map(lambda t: bytes([0x80 if t[0] == 0x2A else 0x00, t[0], t[1], t[2]]) + t[3]),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sequence=st.lists(apdus, min_size=1, max_size=12))
def test_arbitrary_apdus_never_break_the_card(make_card, sequence):
    card = make_card("valid")
    card.transmit(SELECT_JPKI)
    for apdu in sequence:
        before = {k: card.pin_tries(k) for k in ("auth", "sign", "support")}
        response = card.transmit(apdu)
        assert isinstance(response, bytes) and len(response) >= 2
        assert response[-2] in SW1_OK
        after = {k: card.pin_tries(k) for k in ("auth", "sign", "support")}
        if after != before:
            assert len(apdu) > 1 and apdu[1] == 0x20 and apdu[0] == 0x00  # only VERIFY spends tries
    assert len(card.apdu_log) == len(sequence) + 1


def test_loopback_check():
    assert _is_loopback("127.0.0.1") and _is_loopback("::1")
    assert not _is_loopback("192.168.1.10") and not _is_loopback("garbage")


@pytest.fixture
def control(make_card):
    bridge = VpcdBridge("127.0.0.1", 1)  # never started: the routes work without pcscd
    controller = CardController(bridge, lambda name: make_card(name), "valid")
    server = ControlServer(controller)
    url = server.start()
    yield url, controller
    server.stop()


def test_control_api_routes(control):
    url, controller = control
    assert url.startswith("http://127.0.0.1:")
    client = CardControlClient(url)
    body = client.insert("auth-pin-blocked")
    assert body["inserted"] and body["profile"] == "auth-pin-blocked"
    controller.card.transmit(SELECT_JPKI)
    controller.card.transmit(bytes.fromhex("002000980438343633"))
    assert client.city_office_reset("auth")["tries_left"] == 3
    log = client.apdu_log()
    assert log[-1]["command"] == "00200098 **" and "38343633" not in json.dumps(log)
    body = client.set_faults(delay_ms=5, status_word="6A82", ins="B0")
    assert body["faults"]["delay_ms"] == 5 and body["faults"]["status_word"] == "6A82"
    assert client.clear_faults()["faults"]["status_word"] is None
    assert client.swap("student")["profile"] == "student"
    assert client.status()["apdus"] == controller.bridge.apdus
    assert client.remove()["inserted"] is False
    assert client.clear_apdu_log() == {"cleared": True}


def test_control_client_errors_name_the_problem(control):
    url, _ = control
    client = CardControlClient(url)
    with pytest.raises(CardControlError) as refused:
        client.swap("no-such")
    assert refused.value.status == 400 and "use one of" in refused.value.error
    with pytest.raises(CardControlError) as refused:
        client.set_faults(delay_ms=-1)
    assert (refused.value.status, refused.value.field) == (400, "delay_ms")
    with pytest.raises(CardControlError) as refused:
        CardControlClient(url)._call("GET", "/nowhere")
    assert refused.value.status == 404 and str(refused.value).startswith("GET /nowhere -> 404: no route GET /nowhere")


def test_cli_check_and_profiles(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the shipped profiles come with the package, not from the working directory
    assert cli.main(["check", "valid"]) == 0
    assert cli.main(["check", "nope"]) == 1
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "valid.yaml").write_text((DEFAULT_DIRECTORY / "valid.yaml").read_text(encoding="utf-8"))
    assert cli.main(["check", "valid", "--profiles", "mine"]) == 0  # a user's own directory, given explicitly
    assert "use one of" in capsys.readouterr().err
