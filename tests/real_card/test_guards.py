"""Real-card guards, shown against the virtual card as if it were a person's card (issue 7)."""

from __future__ import annotations

import json
import logging

import pytest

from jpki_client.client import JpkiClient
from jpki_client.pin import StaticPinProvider
from realcard.guards import (
    ALLOWED_INS,
    ApduRefused,
    GuardedPinProvider,
    GuardedTransport,
    PinConsent,
    PinNotAllowed,
    PinTriesTooLow,
    ReaderSelectionError,
    RealCardSession,
    WrongPinStop,
    read_only_report,
    select_reader,
)

WRITE_INS = {"24", "D6", "D0", "DC", "E2", "E0", "E4", "0E", "44", "2C", "DA", "DB"}


def commands(card) -> list[str]:
    return [e["command"] for e in card.apdu_log]


def verify_with_data(card) -> list[str]:
    return [c for c in commands(card) if c.replace(" ", "")[2:4] == "20" and len(c.replace(" ", "")) > 8]


def no_writes(card) -> None:
    ins = {c.replace(" ", "")[2:4].upper() for c in commands(card)}
    assert not ins & WRITE_INS, f"write instructions reached the card: {ins & WRITE_INS}"
    assert ins <= {f"{i:02X}" for i in ALLOWED_INS} | {"C0"}, ins


def session(here, consent, prompt=None):
    if prompt is not None:
        consent.prompt = prompt
    transport = GuardedTransport(here.transport(), consent)
    return transport, RealCardSession(JpkiClient(transport, allow_pin=True), GuardedPinProvider(consent))


def test_read_only_checks_spend_no_try_and_write_nothing(card_here):
    here = card_here("valid")
    transport = GuardedTransport(here.transport(), PinConsent())
    report = read_only_report(JpkiClient(transport, allow_pin=False))
    assert report.jpki_ap and report.token_kind == "my_number_card"
    assert report.tries == {"auth": 3, "sign": 5}
    assert report.certs["auth"].present and report.certs["sign"].present
    assert report.certs["auth"].days_left(report.certs["auth"].not_before) > 300
    assert here.card.pin_tries("auth") == 3 and here.card.pin_tries("sign") == 5
    assert verify_with_data(here.card) == []
    no_writes(here.card)


def test_no_verify_without_consent(card_here):
    here = card_here("valid")
    transport = GuardedTransport(here.transport(), PinConsent(allow_pin=False))
    client = JpkiClient(transport, allow_pin=True)  # even a client that would send a PIN is stopped
    with pytest.raises(ApduRefused):
        client.verify_pin("auth", StaticPinProvider({"auth": "1234"}))
    assert verify_with_data(here.card) == []
    assert here.card.pin_tries("auth") == 3
    with pytest.raises(PinNotAllowed):
        GuardedPinProvider(PinConsent(allow_pin=False)).get_pin("auth")


def test_no_verify_with_fewer_than_two_tries(card_here):
    here = card_here("sign-password-one-try-left")
    asked = []
    _, s = session(here, PinConsent(allow_pin=True), prompt=lambda p: asked.append(p) or "TOKYO2025")
    with pytest.raises(PinTriesTooLow):
        s.sign("sign", b"challenge")
    assert asked == [], "the PIN must not even be asked for below 2 tries"
    # the transport is a backstop even for a client that skips the pre-check
    transport = GuardedTransport(here.transport(), PinConsent(allow_pin=True))
    with pytest.raises(PinTriesTooLow):
        JpkiClient(transport, allow_pin=True).verify_pin("sign", StaticPinProvider({"sign": "TOKYO2025"}))
    assert verify_with_data(here.card) == []
    assert here.card.pin_tries("sign") == 1
    no_writes(here.card)


def test_prompt_is_used_and_env_pin_ignored_without_test_card(card_here, monkeypatch):
    here = card_here("valid")
    monkeypatch.setenv("RAS_E2E_TEST_PIN_AUTH", "9999")  # a wrong PIN: must not be used
    asked = []
    consent = PinConsent(allow_pin=True, test_card=False)
    _, s = session(here, consent, prompt=lambda p: asked.append(p) or "1234")
    assert len(s.sign("auth", b"challenge")) == 256
    assert len(asked) == 1 and "PIN" in asked[0]
    assert consent.asked == ["auth:prompt"]
    assert here.card.pin_tries("auth") == 3
    no_writes(here.card)


def test_env_pin_only_for_a_declared_test_card(card_here, monkeypatch):
    here = card_here("valid")
    monkeypatch.setenv("RAS_E2E_TEST_PIN_AUTH", "1234")
    consent = PinConsent(allow_pin=True, test_card=True)
    _, s = session(here, consent, prompt=lambda p: pytest.fail("prompted although a test-card PIN was given"))
    s.verify("auth")
    assert consent.asked == ["auth:env"]


def test_stops_at_the_first_wrong_pin(card_here):
    here = card_here("valid")
    asked = []
    transport, s = session(here, PinConsent(allow_pin=True), prompt=lambda p: asked.append(p) or "0000")
    with pytest.raises(WrongPinStop):
        s.verify("auth")
    assert here.card.pin_tries("auth") == 2  # exactly one try spent
    with pytest.raises(WrongPinStop):
        s.verify("auth")
    with pytest.raises(WrongPinStop):  # and the transport refuses any further VERIFY with data too
        JpkiClient(transport, allow_pin=True).verify_pin("auth", StaticPinProvider({"auth": "1234"}))
    assert len(asked) == 1 and len(verify_with_data(here.card)) == 1
    assert here.card.pin_tries("auth") == 2


@pytest.mark.parametrize("apdu", [
    "00 24 01 80 04 31 32 33 34",  # CHANGE REFERENCE DATA
    "00 D6 00 00 02 00 00",  # UPDATE BINARY
    "00 2C 00 80 00",  # RESET RETRY COUNTER
    "00 E0 00 00 02 00 00",  # CREATE FILE
    "80 32 00 80 04 31 32 33 34",  # JICSAP CHANGE KEY
    "00 84 00 00 08",  # GET CHALLENGE (not on the allowlist)
])
def test_nothing_outside_the_allowlist_reaches_the_card(card_here, apdu):
    here = card_here("valid")
    transport = GuardedTransport(here.transport(), PinConsent(allow_pin=True))
    transport.connect()
    try:
        with pytest.raises(ApduRefused):
            transport.transmit(bytes.fromhex(apdu))
    finally:
        transport.disconnect()
    assert commands(here.card) == [], "a refused APDU must not be sent"
    assert transport.refused and "**" not in " ".join(transport.refused)


def test_compute_signature_needs_consent(card_here):
    here = card_here("valid")
    transport = GuardedTransport(here.transport(), PinConsent(allow_pin=False))
    transport.connect()
    try:
        with pytest.raises(ApduRefused):
            transport.transmit(bytes.fromhex("80 2A 00 80 01 00 00"))
    finally:
        transport.disconnect()
    assert commands(here.card) == []


def test_a_pin_never_reaches_an_artifact(card_here, capsys, caplog, tmp_path):
    sentinel_sign, sentinel_auth = "SNTL7Q2X9K", "8642"
    here = card_here("valid", sign_password=sentinel_sign, auth_pin=sentinel_auth)
    caplog.set_level(logging.DEBUG)
    pins = iter([sentinel_auth, sentinel_sign])
    transport, s = session(here, PinConsent(allow_pin=True), prompt=lambda p: next(pins))
    s.verify("auth")
    s.read_sign_certificate()
    report = read_only_report(JpkiClient(transport, allow_pin=False))
    from realcard.doctor import run_checks

    findings = run_checks(JpkiClient(transport, allow_pin=False))
    dump = json.dumps([f.to_dict() for f in findings], ensure_ascii=False, default=str)
    out = capsys.readouterr()
    artifacts = {
        "stdout": out.out, "stderr": out.err, "log": caplog.text, "doctor json": dump, "report": repr(report),
        "guard log": "\n".join(transport.log + transport.refused), "client log": "\n".join(s.client.apdu_log),
        "card log": json.dumps(here.card.apdu_log), "session": repr(s) + repr(s.pin_provider),
    }
    for name, text in artifacts.items():
        for secret in (sentinel_sign, sentinel_auth):
            assert secret not in text, f"PIN in {name}"
            assert secret.encode().hex() not in text.replace(" ", "").lower(), f"PIN bytes in {name}"


def test_reader_selection_refuses_to_guess():
    readers = [("Virtual PCD 2 00 00", True), ("Virtual PCD 2 00 01", True), ("Other Reader 0", False)]
    with pytest.raises(ReaderSelectionError) as err:
        select_reader(readers, None)
    assert all(name in str(err.value) for name, _ in readers)
    with pytest.raises(ReaderSelectionError) as err:
        select_reader(readers, "Virtual PCD 2")
    assert err.value.readers == ["Virtual PCD 2 00 00", "Virtual PCD 2 00 01"]
    assert select_reader(readers, "Other") == "Other Reader 0"
    assert select_reader([("Only One", False)], None) == "Only One"
    with pytest.raises(ReaderSelectionError):
        select_reader([], None)
