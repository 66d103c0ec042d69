"""JpkiClient against the real virtual card, through pcscd + vpcd and in-process (both modes per test)."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from jpki_client import apdu
from jpki_client.errors import (
    JpkiCertificateAbsent,
    JpkiClientError,
    JpkiNotJpkiCardError,
    JpkiPinBlocked,
    JpkiPinFormatError,
    JpkiPinIncorrect,
    JpkiReadOnlyError,
)
from jpki_client.pin import StaticPinProvider

pytestmark = pytest.mark.pcscd


def pins(access):
    return StaticPinProvider.from_profile(access.card.profile)


def verify_signature(cert_der: bytes, signature: bytes, message: bytes) -> None:
    cert = x509.load_der_x509_certificate(cert_der)
    cert.public_key().verify(signature, message, padding.PKCS1v15(), hashes.SHA256())


def card_commands(card) -> list[str]:
    return [e["command"].replace(" ", "") for e in card.apdu_log]


def test_reads_all_four_certificates_and_they_chain(card_access):
    access = card_access("valid")
    creds = access.card.credentials
    with access.client() as client:
        auth = client.read_certificate("auth")
        auth_ca = client.read_certificate("auth_ca")
        sign_ca = client.read_certificate("sign_ca")
        sign = client.read_certificate("sign", pins(access))
    assert (auth, sign, auth_ca, sign_ca) == (creds.auth_cert, creds.sign_cert, creds.auth_ca_cert, creds.sign_ca_cert)
    for leaf, ca in ((auth, auth_ca), (sign, sign_ca)):
        leaf_cert, ca_cert = x509.load_der_x509_certificate(leaf), x509.load_der_x509_certificate(ca)
        assert leaf_cert.issuer == ca_cert.subject
        ca_cert.public_key().verify(leaf_cert.signature, leaf_cert.tbs_certificate_bytes, padding.PKCS1v15(),
                                    leaf_cert.signature_hash_algorithm)


def test_certificate_read_is_opensc_shaped(card_access):
    """SELECT, a 4-byte header read, then 256-byte chunks from offset 0 and an exact last chunk (jpki-card.md §8)."""
    access = card_access("valid")
    with access.client() as client:
        start = len(client.apdu_log)
        der = client.read_certificate("auth")
        sent = [line.split(" -> ")[0] for line in client.apdu_log[start:]]
    expected = ["00 A4 02 0C 02 00 0A", "00 B0 00 00 04"]
    for offset in range(0, len(der), 256):
        le = min(256, len(der) - offset)
        expected.append(f"00 B0 {offset >> 8:02X} {offset & 0xFF:02X} {le & 0xFF:02X}")
    assert sent == expected
    assert len(der) % 256 != 0  # the last chunk really was a short, exact one


@pytest.mark.parametrize("kind", ["auth", "sign"])
def test_sign_verifies_with_the_certificate_key(card_access, kind):
    access = card_access("valid")
    message = b"portal challenge \x00\x01\x02"
    with access.client() as client:
        cert = client.read_certificate(kind, pins(access))
        signature = client.sign(kind, message, pins(access))
    assert len(signature) == 256
    verify_signature(cert, signature, message)
    with pytest.raises(Exception):  # noqa: B017 - cryptography's InvalidSignature
        verify_signature(cert, signature, message + b"!")
    assert any(c.startswith("802A0080333031300D060960864801650304020105000420") for c in card_commands(access.card))


def test_sign_password_verified_once_for_read_and_sign(card_access):
    access = card_access("valid")
    provider = pins(access)
    with access.client() as client:
        client.read_certificate("sign", provider)
        client.sign("sign", b"m", provider)
    assert provider.asked == ["sign"]


def test_read_only_status_operations(card_access):
    access = card_access("valid")
    with access.client(allow_pin=False) as client:
        assert client.pin_status() == {"auth": 3, "sign": 5}
        token = client.token_type()
        assert (token.label, token.kind, token.is_my_number_card) == ("JPKIAPICCTOKEN2", "my_number_card", True)
        assert client.certificate_availability() == {"sign": True, "auth": True}


def test_wrong_pin_reports_tries_left_and_right_pin_restores(card_access):
    access = card_access("valid")
    wrong = pins(access).with_override("auth", "9999")
    with access.client() as client:
        with pytest.raises(JpkiPinIncorrect) as info:
            client.sign("auth", b"m", wrong)
        assert (info.value.kind, info.value.tries_left) == ("auth", 2)
        assert "2" in info.value.message and info.value.code == "JPKI_PIN_INCORRECT"
        assert client.pin_status()["auth"] == 2
        client.sign("auth", b"m", pins(access))
        assert client.pin_status()["auth"] == 3
    assert access.card.pin_tries("auth") == 3


def test_pin_blocks_after_three_and_stays_blocked(card_access):
    access = card_access("valid")
    wrong = pins(access).with_override("auth", "0000")
    with access.client() as client:
        for expected in (2, 1):
            with pytest.raises(JpkiPinIncorrect) as info:
                client.verify_pin("auth", wrong)
            assert info.value.tries_left == expected
        with pytest.raises(JpkiPinBlocked):  # the exhausting try (63C0)
            client.verify_pin("auth", wrong)
        with pytest.raises(JpkiPinBlocked):  # even the right PIN now (6984)
            client.verify_pin("auth", pins(access))
        assert client.pin_status() == {"auth": 0, "sign": 5}
    assert access.card.pin_tries("auth") == 0


def test_blocked_profile_and_one_try_left_profile(card_access):
    access = card_access("auth-pin-blocked")
    with access.client() as client:
        assert client.pin_status()["auth"] == 0
        with pytest.raises(JpkiPinBlocked) as info:
            client.sign("auth", b"m", pins(access))
        assert info.value.code == "JPKI_PIN_BLOCKED" and "市区町村" in info.value.message


def test_lower_case_sign_password_is_upper_cased_by_the_client_as_jlis_documents(card_access):
    """J-LIS password page (settings.UPPER_CASE_SIGN_PASSWORD): the client converts lower case to upper case
    for the signature password only; the card still compares bytes."""
    access = card_access("valid")
    typed = access.card.profile.pins.sign.value.lower()
    assert typed != access.card.profile.pins.sign.value
    with access.client() as client:
        cert = client.read_certificate("sign", pins(access).with_override("sign", typed))
        assert cert[:1] == b"\x30"
    assert access.card.pin_tries("sign") == 5


def test_what_if_client_without_upper_casing_spends_a_try(card_access):
    access = card_access("valid")
    typed = access.card.profile.pins.sign.value.lower()
    with access.client(upper_case_sign_password=False) as client:
        with pytest.raises(JpkiPinIncorrect) as info:
            client.read_certificate("sign", pins(access).with_override("sign", typed))
        assert info.value.tries_left == 4
    assert access.card.pin_tries("sign") == 4


def test_the_card_itself_compares_bytes(card_access):
    """The conversion is the client's: a raw lower-case VERIFY still fails on the card, as on a real one."""
    access = card_access("valid")
    card = access.card
    card.power_on()
    assert card.transmit(bytes.fromhex("00A4040C0AD392F000260100000001"))[-2:] == b"\x90\x00"
    assert card.transmit(bytes.fromhex("00A4020C02001B"))[-2:] == b"\x90\x00"
    lower = card.profile.pins.sign.value.lower().encode()
    assert card.transmit(bytes([0, 0x20, 0, 0x80, len(lower)]) + lower)[-2:] == b"\x63\xc4"


def test_read_only_mode_sends_no_verify_and_no_signature(card_access):
    access = card_access("valid")
    provider = pins(access)
    with access.client(allow_pin=False) as client:
        client.read_certificate("auth")
        client.pin_status()
        for operation in (lambda: client.read_certificate("sign", provider), lambda: client.sign("auth", b"m", provider),
                          lambda: client.sign("sign", b"m", provider), lambda: client.verify_pin("auth", provider)):
            with pytest.raises(JpkiReadOnlyError) as info:
                operation()
            assert info.value.code == "JPKI_READ_ONLY"
    commands = card_commands(access.card)
    assert "00200080" in commands  # the counter queries were sent …
    assert not [c for c in commands if c.startswith("0020") and c != "00200080"]  # … but never a VERIFY with data
    assert not [c for c in commands if c.startswith("802A")]
    assert provider.asked == []
    assert access.card.pin_tries("auth") == 3 and access.card.pin_tries("sign") == 5


def test_pins_that_cannot_be_a_verify_are_refused_before_sending(card_access):
    access = card_access("valid")
    with access.client() as client:
        for bad in ("", "１２３４", "1" * 17):
            with pytest.raises(JpkiPinFormatError):
                client.verify_pin("auth", pins(access).with_override("auth", bad))
    assert not [c for c in card_commands(access.card) if c.startswith("0020")]
    assert access.card.pin_tries("auth") == 3


def test_close_clears_the_security_state(card_access):
    """After the client closes, the next session cannot sign without the PIN (the AP was re-selected)."""
    access = card_access("valid")
    with access.client() as client:
        client.sign("sign", b"m", pins(access))
    transport = access.transport()
    transport.connect()
    try:
        transport.transmit(bytes.fromhex("00A4020C02001A"))
        raw = transport.transmit(apdu.compute_signature(apdu.sha256_digest_info(b"m")))
    finally:
        transport.disconnect()
    # 6982 = security status not satisfied; through pcscd the card may also have been powered down in between
    # (6986: the AP is no longer selected) — either way no signature without the PIN
    assert raw[-2:] in (bytes.fromhex("6982"), bytes.fromhex("6986"))
    if access.mode == "direct":
        assert raw[-2:] == bytes.fromhex("6982")


def test_child_card_without_sign_certificate_asks_no_password(card_access):
    access = card_access("no-sign-cert-under-15")
    provider = pins(access)
    with access.client() as client:
        assert client.certificate_availability() == {"sign": False, "auth": True}
        with pytest.raises(JpkiCertificateAbsent) as info:
            client.read_certificate("sign", provider)
        assert "署名用電子証明書" in info.value.message
        assert client.read_certificate("auth")
    assert provider.asked == []


def test_old_juki_card_token_type(card_access):
    access = card_access("juki-card")
    with access.client(allow_pin=False) as client:
        token = client.token_type()
    assert (token.label, token.kind, token.is_my_number_card) == ("JPKIAPICCTOKEN", "juki_card", False)


def test_card_without_jpki(card_access):
    access = card_access("not-a-my-number-card")
    with pytest.raises(JpkiNotJpkiCardError) as info:
        access.client().pin_status()
    assert info.value.code == "JPKI_NOT_JPKI_CARD"


def test_no_pin_in_the_client_log(card_access):
    secret = "QWERTY7788"
    access = card_access("valid", sign_password=secret)
    with access.client() as client:
        client.sign("sign", b"m", pins(access))
        with pytest.raises(JpkiPinIncorrect):
            client.verify_pin("auth", pins(access).with_override("auth", "7788"))
    log = "\n".join(client.apdu_log)
    assert "00 20 00 80 0A ** ** ** ** ** ** ** ** ** **" in log
    for needle in (secret, secret.encode().hex(" ").upper(), secret.encode().hex().upper(), "37 37 38 38"):
        assert needle not in log


# -- failures of the reader / card ------------------------------------------------------------------------------

def test_in_process_transport_failure_is_ew104j1502(make_card):
    """Same mapping when the transport raises an OSError (in-process or socket transports)."""
    from jpki_client.client import JpkiClient
    from virtual_card.transport import InProcessTransport

    card = make_card("valid")

    class Pulled(InProcessTransport):
        def transmit(self, apdu: bytes) -> bytes:
            if apdu[:2] == b"\x80\x2a":
                raise ConnectionResetError("card pulled out")
            return super().transmit(apdu)

    with pytest.raises(JpkiClientError) as info:
        JpkiClient(Pulled(card)).sign("auth", b"m", StaticPinProvider.from_profile(card.profile))
    assert info.value.code == "EW104J1502"

