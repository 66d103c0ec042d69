"""`ras-e2e doctor` against the virtual card in each card profile: the right finding and advice."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from jpki_client.client import JpkiClient
from realcard import doctor
from realcard.guards import GuardedPinProvider, GuardedTransport, PinConsent, RealCardSession
from tests.real_card.vcard import Slot, make_card, profile_names

READY = {"code": "AUTH_CERT_VALID", "exit": 0, "advice": None}
#: profile -> the finding the doctor must print, its exit status, and words its advice must contain (ja, en)
EXPECTED = {
    "valid": READY, "engineer": READY, "permanent-resident": READY, "student": READY,
    "atr-contactless": READY, "atr-new-contact": READY, "atr-old-contact": READY,
    "auth-pin-blocked": {"code": "AUTH_PIN_BLOCKED", "exit": 1, "advice": ("市区町村", "city office")},
    "card-expired-end-of-stay": {"code": "AUTH_CERT_EXPIRED", "exit": 1, "advice": ("市区町村", "renew")},
    "certs-issued-under-24h": {"code": "AUTH_CERT_TOO_NEW", "exit": 1, "advice": ("24時間", "24 hours")},
    "child-under-16": {"code": "SIGN_CERT_ABSENT", "exit": 1, "advice": ("法定代理人", "legal representative")},
    "no-sign-cert-under-15": {"code": "SIGN_CERT_ABSENT", "exit": 1, "advice": ("法定代理人", "legal representative")},
    "juki-card": {"code": "JUKI_CARD", "exit": 1, "advice": ("マイナンバーカード", "My Number card")},
    "not-a-my-number-card": {"code": "NOT_JPKI", "exit": 1, "advice": ("マイナンバーカード", "My Number card")},
    "renewed-card": {"code": "AUTH_CERT_RECENT", "exit": 0, "advice": ("再度の利用申出", "registering again")},
    "sign-cert-expired": {"code": "SIGN_CERT_UNCHECKED", "exit": 0, "advice": None},
    "sign-cert-revoked-after-move": {"code": "SIGN_CERT_REVOCATION", "exit": 0, "advice": ("再発行", "re-issued")},
    "sign-password-one-try-left": {"code": "SIGN_PIN_LAST_TRY", "exit": 0, "advice": ("英大文字", "CAPITAL")},
    "stay-ends-tomorrow": {"code": "AUTH_CERT_EXPIRING", "exit": 0, "advice": ("市区町村", "city office")},
}


def test_every_profile_has_an_expectation():
    assert sorted(EXPECTED) == profile_names(), "a card profile was added or removed: say what the doctor must find"


def check(findings: list[dict], exit_code: int, profile: str) -> None:
    want = EXPECTED[profile]
    codes = [f["code"] for f in findings]
    assert want["code"] in codes, f"{profile}: {want['code']} not in {codes}"
    assert exit_code == want["exit"], f"{profile}: exit {exit_code}, findings {codes}"
    finding = next(f for f in findings if f["code"] == want["code"])
    assert finding["ja"] and finding["en"]
    if want["advice"]:
        ja, en = want["advice"]
        assert ja in finding["advice_ja"] and en in finding["advice_en"], finding
    if want["exit"] == 0:
        assert not [f for f in findings if f["severity"] == "blocking"], codes
    assert "MAIL" in codes or exit_code is not None


@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_doctor_direct(profile):
    from virtual_card.transport import InProcessTransport

    card = make_card(profile)
    client = JpkiClient(GuardedTransport(InProcessTransport(card), PinConsent()), allow_pin=False)
    findings = [f.to_dict() for f in doctor.run_checks(client, dt.datetime.now(dt.UTC))]
    findings.append(doctor.mail_advice().to_dict())
    code = 1 if any(f["severity"] == "blocking" for f in findings) else 0
    check(findings, code, profile)
    assert not [e for e in card.apdu_log if e["command"].replace(" ", "")[2:4] == "20"
                and len(e["command"].replace(" ", "")) > 8], "the doctor sent a PIN without --allow-pin"


@pytest.fixture(scope="module")
def doctor_slot(pcsc_stack):
    import os

    try:
        slot = Slot(pcsc_stack, int(os.environ.get("RAS_E2E_VPCD_SLOT", "4")))
    except RuntimeError as exc:
        pytest.fail(f"environment problem: {exc}", pytrace=False)
    yield slot
    slot.stop()


@pytest.mark.pcscd
@pytest.mark.parametrize("profile", sorted(EXPECTED))
def test_doctor_command_through_pcscd(profile, doctor_slot, capsys):
    try:
        reader = doctor_slot.insert(make_card(profile))
    except RuntimeError as exc:
        pytest.fail(f"environment problem: {exc}", pytrace=False)
    code = doctor.main(["--reader", reader, "--json", "--no-environment"])
    out = json.loads(capsys.readouterr().out)
    assert out["exit_code"] == code
    check(out["findings"], code, profile)


def test_sign_certificate_dates_with_allow_pin(monkeypatch):
    """With --allow-pin (test card, env password) the expired signature certificate is found."""
    from virtual_card.transport import InProcessTransport

    card = make_card("sign-cert-expired")
    monkeypatch.setenv("RAS_E2E_TEST_PIN_SIGN", "MEIRIN2020")
    consent = PinConsent(allow_pin=True, test_card=True)
    transport = GuardedTransport(InProcessTransport(card), consent)
    session = RealCardSession(JpkiClient(transport, allow_pin=True), GuardedPinProvider(consent))
    findings = doctor.run_checks(JpkiClient(transport, allow_pin=False), pin_session=session)
    codes = {f.code: f for f in findings}
    assert "SIGN_CERT_EXPIRED" in codes and codes["SIGN_CERT_EXPIRED"].blocking
    assert "市区町村" in codes["SIGN_CERT_EXPIRED"].advice_ja
    assert card.pin_tries("sign") == 5


def test_one_try_left_is_not_spent_by_the_doctor(monkeypatch):
    from virtual_card.transport import InProcessTransport

    card = make_card("sign-password-one-try-left")
    consent = PinConsent(allow_pin=True, prompt=lambda p: pytest.fail("asked for a PIN with 1 try left"))
    transport = GuardedTransport(InProcessTransport(card), consent)
    session = RealCardSession(JpkiClient(transport, allow_pin=True), GuardedPinProvider(consent))
    codes = [f.code for f in doctor.run_checks(JpkiClient(transport, allow_pin=False), pin_session=session)]
    assert "SIGN_CERT_NOT_READ" in codes and "SIGN_PIN_LAST_TRY" in codes
    assert card.pin_tries("sign") == 1


def test_environment_checks(tmp_path):
    linux = doctor.environment_checks("Linux")
    assert [f.code for f in linux] == ["ENV_UNCHECKED"] and "Linux" in linux[0].en
    mac = {f.code for f in doctor.environment_checks("Darwin", home=tmp_path)}
    assert {"EXTENSION_MISSING"} <= mac
    ext = tmp_path / "AppData/Local/Google/Chrome/User Data/Default/Extensions" / doctor.EXTENSION_ID
    ext.mkdir(parents=True)
    client = tmp_path / "PF" / "JPKI"
    client.mkdir(parents=True)
    win = {f.code for f in doctor.environment_checks(
        "Windows", home=tmp_path, env={"LOCALAPPDATA": str(tmp_path / "AppData/Local"), "ProgramFiles": str(tmp_path / "PF")})}
    assert win == {"JPKI_CLIENT", "EXTENSION"}
    win_missing = {f.code for f in doctor.environment_checks("Windows", home=tmp_path / "x", env={})}
    assert {"JPKI_CLIENT_MISSING", "EXTENSION_MISSING"} <= win_missing


def test_text_output_is_bilingual(capsys, monkeypatch):
    monkeypatch.setattr("realcard.guards.list_readers", lambda: [("A", True), ("B", False)])
    code = doctor.main(["--no-environment"])
    out = capsys.readouterr().out
    assert code == 3
    assert "'A'" in out and "'B'" in out
    assert "リーダ" in out and "reader" in out.lower() and "Verdict" in out and "判定" in out


def _signature_by_another_process(reader: str, select_ap: bool) -> int:
    """What any local process could do next: connect and ask the signature key for a signature, no VERIFY."""
    import hashlib

    from smartcard.System import readers

    digest_info = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(b"x").digest()
    connection = next(r for r in readers() if str(r) == reader).createConnection()
    connection.connect()
    try:
        if select_ap:
            connection.transmit(list(bytes.fromhex("00A4040C0AD392F000260100000001")))
        _, sw1, sw2 = connection.transmit(list(bytes.fromhex("802A009A33") + digest_info + b"\x00"))  # key by SFI
        return sw1 << 8 | sw2
    finally:
        connection.disconnect()
        connection.release()


@pytest.mark.pcscd
def test_doctor_allow_pin_leaves_the_card_unverified(doctor_slot, capsys, monkeypatch):
    """After ``doctor --allow-pin`` verified the signature password, no other process may sign without it: the
    card is reset when the doctor lets go (SCARD_RESET_CARD), so no application is even selected."""
    reader = doctor_slot.insert(make_card("valid"))
    monkeypatch.setenv("RAS_E2E_TEST_PIN_SIGN", "ABC123")
    doctor.main(["--reader", reader, "--json", "--no-environment", "--allow-pin", "--test-card"])
    codes = [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert "SIGN_CERT_VALID" in codes, f"the doctor did not verify the password: nothing was tested ({codes})"
    assert f"{_signature_by_another_process(reader, select_ap=False):04X}" == "6A82"  # reset: no AP selected
    assert f"{_signature_by_another_process(reader, select_ap=True):04X}" == "6982"  # security status not satisfied
