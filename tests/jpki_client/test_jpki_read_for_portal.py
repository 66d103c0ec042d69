"""read_for_portal: what the extension answers a page, without a browser (both transports)."""

from __future__ import annotations

import base64
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from jpki_client.bridge import read_for_portal
from jpki_client.pin import StaticPinProvider

pytestmark = pytest.mark.pcscd

CHALLENGE = b"portal-challenge-0123456789"
B64 = base64.b64encode(CHALLENGE).decode()


def pins(access):
    return StaticPinProvider.from_profile(access.card.profile)


def check_signature(response: dict, message: bytes) -> x509.Certificate:
    cert = x509.load_der_x509_certificate(base64.b64decode(response["certificate"]))
    cert.public_key().verify(base64.b64decode(response["signature"]), message, padding.PKCS1v15(), hashes.SHA256())
    return cert


@pytest.mark.parametrize(("mode", "pin_kind", "digits"), [("sign", "sign", 6), ("auth", "auth", 4)])
def test_mode_reads_the_right_certificate_and_signs_the_challenge(card_access, mode, pin_kind, digits):
    access = card_access("valid")
    events: list[dict] = []
    provider = pins(access)
    with access.client() as client:
        response = read_for_portal(client, mode, B64, provider, events.append)
    assert response["result"] == "0"
    expected = access.card.credentials.sign_cert if mode == "sign" else access.card.credentials.auth_cert
    assert base64.b64decode(response["certificate"]) == expected
    assert "\n" not in response["certificate"] and "BEGIN" not in response["certificate"]
    check_signature(response, CHALLENGE)
    # the signature certificate is behind the password, the user-authentication certificate is not
    order = ["pin_dialog", "card_read", "sign"] if mode == "sign" else ["card_read", "pin_dialog", "sign"]
    assert [e["kind"] for e in events] == order
    assert events[order.index("pin_dialog")] == {"kind": "pin_dialog", "pin_kind": pin_kind, "digits": digits}
    assert provider.asked == [pin_kind]


def test_auth_without_challenge_still_asks_the_pin_but_signs_nothing(card_access):
    access = card_access("valid")
    events: list[dict] = []
    with access.client() as client:
        response = read_for_portal(client, "auth", None, pins(access), events.append)
    assert response["result"] == "0" and "signature" not in response
    assert [e["kind"] for e in events] == ["card_read", "pin_dialog"]


def test_cancel_is_result_9_and_sends_no_verify(card_access):
    access = card_access("valid")
    events: list[dict] = []
    with access.client() as client:
        response = read_for_portal(client, "sign", B64, pins(access).cancelling("sign"), events.append)
    assert response == {"result": "9"}
    assert events[-1]["kind"] == "cancelled"
    assert not [e for e in access.card.apdu_log if e["command"].replace(" ", "").startswith("0020008")
                and e["command"].replace(" ", "") != "00200080"]


def test_wrong_password_is_an_error_with_tries_left(card_access):
    access = card_access("valid")
    events: list[dict] = []
    wrong = pins(access).with_override("sign", "WRONG9")
    with access.client() as client:
        response = read_for_portal(client, "sign", B64, wrong, events.append)
    assert response["result"] == "E" and response["errorCode"] == "JPKI_PIN_INCORRECT"
    assert response["triesLeft"] == 4 and "4" in response["errorMessage"]
    assert events[-1] == {"kind": "error", "code": "JPKI_PIN_INCORRECT", "message": response["errorMessage"],
                          "tries_left": 4}


def test_blocked_pin_and_read_only_client_and_bad_request(card_access):
    access = card_access("auth-pin-blocked")
    with access.client() as client:
        assert read_for_portal(client, "auth", B64, pins(access))["errorCode"] == "JPKI_PIN_BLOCKED"
    with access.client(allow_pin=False) as client:
        assert read_for_portal(client, "sign", B64, pins(access))["errorCode"] == "JPKI_READ_ONLY"
        assert read_for_portal(client, "auth", "***not base64***", pins(access))["errorCode"] == "JPKI_BAD_REQUEST"
        assert read_for_portal(client, "login", None, pins(access))["errorCode"] == "JPKI_BAD_REQUEST"


def test_no_pin_in_response_or_events(card_access):
    access = card_access("valid", sign_password="LEAKCHECK99", auth_pin="8642")
    events: list[dict] = []
    with access.client() as client:
        responses = [read_for_portal(client, mode, B64, pins(access), events.append) for mode in ("sign", "auth")]
    text = json.dumps([responses, events])
    assert "LEAKCHECK99" not in text and '"8642"' not in text
