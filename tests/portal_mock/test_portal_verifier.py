from __future__ import annotations

import base64
import os
import time
from datetime import timedelta

import pytest
from cryptography import x509
from pm_testpki import TestPKI

from portal_mock.clock import SimClock
from portal_mock.verifier import VerificationError, Verifier, decode_b64_der, san_identity

NOW = "2025-06-02T10:00:00+09:00"


@pytest.fixture
def pki(tmp_path):
    clock = SimClock(NOW)
    p = TestPKI(tmp_path / "trust", clock.now())
    p.clock = clock
    p.verifier = Verifier(tmp_path / "trust", clock, lambda: 24)
    return p


def reason(fn) -> str:
    with pytest.raises(VerificationError) as e:
        fn()
    return e.value.reason


def test_good_card_and_identity(pki):
    card = pki.issue_card()
    info = pki.verifier.verify(card.sign_b64, "sign")
    assert info.identity == {"name": "ヤマダ タロウ YAMADA TARO", "sex": "1", "birth_date": "1990-01-15",
                             "address": "東京都千代田区霞が関1-1-1"}
    assert pki.verifier.verify(card.auth_b64, "auth").identity == {}


def test_wrong_ca_kind_rogue_and_garbage(pki):
    card = pki.issue_card()
    assert "issuer" in reason(lambda: pki.verifier.verify(card.sign_b64, "auth"))
    rogue = pki.issue_card(rogue=True)
    assert "chain" in reason(lambda: pki.verifier.verify(rogue.sign_b64, "sign"))
    assert "Base64" in reason(lambda: pki.verifier.verify("@@@", "sign"))
    assert "DER" in reason(lambda: pki.verifier.verify(base64.b64encode(b"hello").decode(), "sign"))
    pem = "-----BEGIN CERTIFICATE-----\n" + card.sign_b64 + "\n-----END CERTIFICATE-----"
    assert "PEM" in reason(lambda: pki.verifier.verify(pem, "sign"))
    assert "missing" in reason(lambda: pki.verifier.verify("", "sign"))
    assert "oversize" in reason(lambda: decode_b64_der("A" * 20000))


def test_validity_at_the_portal_clock(pki):
    card = pki.issue_card(issued=pki.clock.now() - timedelta(days=100), days=200)
    pki.verifier.verify(card.auth_b64, "auth")
    pki.clock.advance(days=101)
    assert "expired" in reason(lambda: pki.verifier.verify(card.auth_b64, "auth"))
    future = pki.issue_card(issued=pki.clock.now() + timedelta(days=1))
    assert "not yet valid" in reason(lambda: pki.verifier.verify(future.auth_b64, "auth"))


def test_min_age_24h(pki):
    card = pki.issue_card(issued=pki.clock.now() - timedelta(hours=23))
    assert "24 hours" in reason(lambda: pki.verifier.verify(card.sign_b64, "sign"))
    pki.clock.advance(hours=1, seconds=1)
    pki.verifier.verify(card.sign_b64, "sign")


def test_crl_reread_when_it_changes(pki):
    card = pki.issue_card()
    pki.verifier.verify(card.sign_b64, "sign")
    time.sleep(0.01)
    pki.revoke("sign", card.sign_serial, pki.clock.now() - timedelta(hours=1))
    os.utime(pki.trust_dir / "sign.crl", ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert "revoked" in reason(lambda: pki.verifier.verify(card.sign_b64, "sign"))
    pki.verifier.verify(card.auth_b64, "auth")  # the auth certificate is untouched


def test_revocation_in_the_future_of_the_clock_not_yet_effective(pki):
    card = pki.issue_card()
    pki.revoke("sign", card.sign_serial, pki.clock.now() + timedelta(days=2))
    pki.verifier.verify(card.sign_b64, "sign")
    pki.clock.advance(days=3)
    assert "revoked" in reason(lambda: pki.verifier.verify(card.sign_b64, "sign"))


def test_missing_crl_and_missing_trust(pki, tmp_path):
    card = pki.issue_card()
    (pki.trust_dir / "auth.crl").unlink()
    assert "CRL" in reason(lambda: pki.verifier.verify(card.auth_b64, "auth"))
    v = Verifier(None, pki.clock, lambda: 24)
    assert "trust" in reason(lambda: v.verify(card.auth_b64, "auth"))


def test_proof_of_possession(pki):
    card = pki.issue_card()
    chal_b64 = base64.b64encode(os.urandom(32)).decode()
    chal = base64.b64decode(chal_b64)
    good = card.sign_challenge("auth", chal_b64)
    pki.verifier.verify(card.auth_b64, "auth", chal, good, require_pop=True)
    assert "missing" in reason(lambda: pki.verifier.verify(card.auth_b64, "auth", chal, None, require_pop=True))
    assert "does not verify" in reason(
        lambda: pki.verifier.verify(card.auth_b64, "auth", b"other", good, require_pop=True))
    other = pki.issue_card()
    assert "does not verify" in reason(
        lambda: pki.verifier.verify(other.auth_b64, "auth", chal, good, require_pop=True))
    # without the requirement a certificate alone passes (the old system's weakness)
    pki.verifier.verify(card.auth_b64, "auth")


def test_sign_cert_without_san_refused(pki):
    card = pki.issue_card(sign_san=False)
    assert "otherNames" in reason(lambda: pki.verifier.verify(card.sign_b64, "sign"))
    assert san_identity(x509.load_der_x509_certificate(card.auth_der)) == {}
