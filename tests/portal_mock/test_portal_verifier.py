"""The portal's certificate verifier against the project's one test PKI (virtual_card.pki.TestPKI), with the
certificates J-LIS never issues (rogue CA, no subjectAltName, other policy or key) made by tests.portal_mock.cards."""

from __future__ import annotations

import base64
import os
import time
from datetime import timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from portal_mock.models.clock import SimClock
from portal_mock.models.verifier import VerificationError, Verifier, decode_b64_der, san_identity
from tests.portal_mock import cards
from tests.portal_mock.cards import b64

NOW = "2025-06-02T10:00:00+09:00"


class Bench:
    """TestPKI, the trust files it publishes for the verifier, the portal's clock and the verifier."""

    def __init__(self, trust_dir):
        self.pki = cards.story_pki()
        self.trust_dir = trust_dir
        self.clock = SimClock(NOW)
        self.verifier = Verifier(trust_dir, self.clock, lambda: 24)
        self.issued = 0
        self.publish()

    def publish(self, at=None) -> None:
        """CAs, CRLs and OCSP responders as of `at` (the clock by default); a CRL lists revocations dated by then."""
        self.pki.export_trust(self.trust_dir, at or self.clock.now())

    def card(self, **person):
        self.issued += 1
        return cards.issue(self.pki, self.issued, self.clock.now(), **person)

    def revoke(self, card, when, publish_at=None) -> None:
        self.pki.revoke("sign", cards.serial(card.sign_cert), when)
        self.publish(publish_at)


@pytest.fixture
def pki(tmp_path):
    return Bench(tmp_path / "trust")


def reason(fn) -> str:
    with pytest.raises(VerificationError) as e:
        fn()
    return e.value.reason


def test_good_card_and_identity(pki):
    card = pki.card()
    info = pki.verifier.verify(b64(card.sign_cert), "sign")
    assert info.identity == {"name": "ヤマダ タロウ YAMADA TARO", "sex": "1", "birth_date": "1990-01-15",
                             "address": "東京都千代田区霞が関1-1-1"}
    assert pki.verifier.verify(b64(card.auth_cert), "auth").identity == {}


def test_wrong_ca_kind_rogue_and_garbage(pki):
    card = pki.card()
    assert "issuer" in reason(lambda: pki.verifier.verify(b64(card.sign_cert), "auth"))
    rogue_ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)  # same CA name, another key
    rogue = cards.resign(pki.pki, card.sign_cert, "sign", ca_key=rogue_ca_key)
    assert "chain" in reason(lambda: pki.verifier.verify(b64(rogue), "sign"))
    assert "Base64" in reason(lambda: pki.verifier.verify("@@@", "sign"))
    assert "DER" in reason(lambda: pki.verifier.verify(base64.b64encode(b"hello").decode(), "sign"))
    pem = "-----BEGIN CERTIFICATE-----\n" + b64(card.sign_cert) + "\n-----END CERTIFICATE-----"
    assert "PEM" in reason(lambda: pki.verifier.verify(pem, "sign"))
    assert "missing" in reason(lambda: pki.verifier.verify("", "sign"))
    assert "oversize" in reason(lambda: decode_b64_der("A" * 20000))


def test_validity_at_the_portal_clock(pki):
    card = pki.card(issued=pki.clock.now() - timedelta(days=100), days=200)
    pki.verifier.verify(b64(card.auth_cert), "auth")
    pki.clock.advance(days=101)
    pki.publish()
    assert "expired" in reason(lambda: pki.verifier.verify(b64(card.auth_cert), "auth"))
    future = pki.card(issued=pki.clock.now() + timedelta(days=1))
    assert "not yet valid" in reason(lambda: pki.verifier.verify(b64(future.auth_cert), "auth"))


def test_min_age_24h(pki):
    card = pki.card(issued=pki.clock.now() - timedelta(hours=23))
    assert "24 hours" in reason(lambda: pki.verifier.verify(b64(card.sign_cert), "sign"))
    pki.clock.advance(hours=1, seconds=1)
    pki.verifier.verify(b64(card.sign_cert), "sign")


def test_crl_reread_when_it_changes(pki):
    card = pki.card()
    pki.verifier.verify(b64(card.sign_cert), "sign")
    time.sleep(0.01)
    pki.revoke(card, pki.clock.now() - timedelta(hours=1))
    os.utime(pki.trust_dir / "sign.crl", ns=(time.time_ns(), time.time_ns() + 1_000_000))
    assert "revoked" in reason(lambda: pki.verifier.verify(b64(card.sign_cert), "sign"))
    pki.verifier.verify(b64(card.auth_cert), "auth")  # the auth certificate is untouched


def test_revocation_in_the_future_of_the_clock_not_yet_effective(pki):
    card = pki.card()
    later = pki.clock.now() + timedelta(days=2)
    pki.revoke(card, later, publish_at=later)  # a CRL that already lists it, dated two days ahead of the clock
    pki.verifier.verify(b64(card.sign_cert), "sign")
    pki.clock.advance(days=3)
    assert "revoked" in reason(lambda: pki.verifier.verify(b64(card.sign_cert), "sign"))


def test_missing_crl_and_missing_trust(pki, tmp_path):
    card = pki.card()
    (pki.trust_dir / "auth.crl").unlink()
    assert "CRL" in reason(lambda: pki.verifier.verify(b64(card.auth_cert), "auth"))
    v = Verifier(None, pki.clock, lambda: 24)
    assert "trust" in reason(lambda: v.verify(b64(card.auth_cert), "auth"))


def test_proof_of_possession(pki):
    card = pki.card()
    chal_b64 = base64.b64encode(os.urandom(32)).decode()
    chal = base64.b64decode(chal_b64)
    good = cards.answer(card.auth_key, chal_b64)
    pki.verifier.verify(b64(card.auth_cert), "auth", chal, good, require_pop=True)
    assert "missing" in reason(lambda: pki.verifier.verify(b64(card.auth_cert), "auth", chal, None, require_pop=True))
    assert "does not verify" in reason(
        lambda: pki.verifier.verify(b64(card.auth_cert), "auth", b"other", good, require_pop=True))
    other = pki.card()
    assert "does not verify" in reason(
        lambda: pki.verifier.verify(b64(other.auth_cert), "auth", chal, good, require_pop=True))
    # without the requirement a certificate alone passes (the old system's weakness)
    pki.verifier.verify(b64(card.auth_cert), "auth")


def test_sign_cert_without_san_refused(pki):
    card = pki.card()
    bare = cards.resign(pki.pki, card.sign_cert, "sign", san=None)
    assert "otherNames" in reason(lambda: pki.verifier.verify(b64(bare), "sign"))
    assert san_identity(x509.load_der_x509_certificate(card.auth_cert)) == {}


# --- issue 11: policy, key types, CRL freshness, OCSP ----------------------------------------------------------

def test_signature_certificate_policy_is_the_test_environment_one(pki):
    card = pki.card()
    production = cards.resign(pki.pki, card.sign_cert, "sign", policy="1.2.392.200149.8.5.1.1.20")
    assert reason(lambda: pki.verifier.verify(b64(production), "sign")) == \
        "certificate policy is not the JPKI sign policy 1.2.392.200149.8.5.1.0.20"
    pki.verifier.verify(b64(cards.resign(pki.pki, card.sign_cert, "sign")), "sign")


@pytest.mark.parametrize("make_key", [
    lambda: ec.generate_private_key(ec.SECP256R1()),
    lambda: rsa.generate_private_key(65537, 1024),
], ids=["ec-p256", "rsa-1024"])
def test_key_types_jpki_never_issues_are_refused(pki, make_key):
    card = pki.card()
    other = cards.resign(pki.pki, card.sign_cert, "sign", public_key=make_key().public_key())
    assert reason(lambda: pki.verifier.verify(b64(other), "sign")) == \
        "key type JPKI never issues (JPKI certificates carry RSA-2048 keys)"


def test_crl_past_its_next_update_is_not_used(pki):
    card = pki.card()
    pki.verifier.verify(b64(card.auth_cert), "auth")
    pki.clock.advance(days=2)  # TestPKI's CRLs are good for a day
    assert reason(lambda: pki.verifier.verify(b64(card.auth_cert), "auth")) == \
        "CRL out of date: its nextUpdate has passed at the portal's clock"


@pytest.fixture
def ocsp_server(pki):
    """The portal's OCSP route on a real loopback HTTP server, answering with the responder each TestPKI CA
    delegated (export_trust writes it into the trust directory)."""
    import threading

    from flask import Flask
    from werkzeug.serving import make_server

    from portal_mock.responses.ocsp import make_blueprint

    portal = type("P", (), {"settings": type("S", (), {"trust_dir": str(pki.trust_dir)})(), "clock": pki.clock})()
    app = Flask(__name__)
    app.register_blueprint(make_blueprint(portal))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    pki.verifier = Verifier(pki.trust_dir, pki.clock, lambda: 24, lambda: base)
    yield base
    server.shutdown()


@pytest.mark.usefixtures("ocsp_server")
def test_ocsp_answers_where_the_crl_is_stale(pki):
    card = pki.card()
    pki.clock.advance(days=2)
    pki.verifier.verify(b64(card.auth_cert), "auth")  # the CRL is past nextUpdate; the responder's answer is fresh


@pytest.mark.usefixtures("ocsp_server")
def test_ocsp_reports_a_revoked_certificate(pki):
    card = pki.card()
    pki.verifier.verify(b64(card.sign_cert), "sign")
    pki.revoke(card, pki.clock.now() - timedelta(hours=1))  # TestPKI's reason: a move (affiliationChanged)
    assert reason(lambda: pki.verifier.verify(b64(card.sign_cert), "sign")) == \
        "revoked (OCSP, reason affiliation_changed)"


@pytest.mark.usefixtures("ocsp_server")
def test_ocsp_answer_from_a_responder_the_ca_did_not_delegate_is_refused(pki):
    from cryptography.hazmat.primitives import hashes, serialization

    rogue_key = rsa.generate_private_key(65537, 2048)
    cert = x509.load_der_x509_certificate((pki.trust_dir / "auth-ocsp.der").read_bytes())
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    rogue = (x509.CertificateBuilder().subject_name(cert.subject).issuer_name(cert.issuer)
             .public_key(rogue_key.public_key()).serial_number(3).not_valid_before(cert.not_valid_before_utc)
             .not_valid_after(cert.not_valid_after_utc).add_extension(eku, True)
             .sign(rogue_key, hashes.SHA256()))
    (pki.trust_dir / "auth-ocsp.der").write_bytes(rogue.public_bytes(serialization.Encoding.DER))
    (pki.trust_dir / "auth-ocsp-key.der").write_bytes(rogue_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    card = pki.card()
    assert reason(lambda: pki.verifier.verify(b64(card.auth_cert), "auth")) == "OCSP responder not delegated by the CA"
