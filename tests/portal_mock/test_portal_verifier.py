from __future__ import annotations

import base64
import os
import time
from datetime import timedelta

import pytest
from cryptography import x509

from portal_mock.models.clock import SimClock
from portal_mock.models.verifier import VerificationError, Verifier, decode_b64_der, san_identity
from tests.portal_mock.pm_testpki import TestPKI

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


# --- issue 11: policy, key types, CRL freshness, OCSP ----------------------------------------------------------

def _reissue(pki, card_der: bytes, *, policy: str | None = None, key=None) -> str:
    """The same certificate re-signed by its CA with another policy or public key (nothing else changes)."""
    from cryptography.hazmat.primitives import hashes, serialization

    cert = x509.load_der_x509_certificate(card_der)
    ca_cert, ca_key = pki.cas["sign"]
    b = (x509.CertificateBuilder().subject_name(cert.subject).issuer_name(cert.issuer)
         .public_key(key.public_key() if key else cert.public_key()).serial_number(cert.serial_number)
         .not_valid_before(cert.not_valid_before_utc).not_valid_after(cert.not_valid_after_utc))
    for ext in cert.extensions:
        if isinstance(ext.value, x509.CertificatePolicies) and policy is not None:
            ext = x509.Extension(ext.oid, True, x509.CertificatePolicies(
                [x509.PolicyInformation(x509.ObjectIdentifier(policy), None)]))
        b = b.add_extension(ext.value, ext.critical)
    der = b.sign(ca_key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
    return base64.b64encode(der).decode()


def test_signature_certificate_policy_is_the_test_environment_one(pki):
    card = pki.issue_card()
    production = _reissue(pki, card.sign_der, policy="1.2.392.200149.8.5.1.1.20")
    assert reason(lambda: pki.verifier.verify(production, "sign")) == \
        "certificate policy is not the JPKI sign policy 1.2.392.200149.8.5.1.0.20"
    pki.verifier.verify(_reissue(pki, card.sign_der), "sign")


@pytest.mark.parametrize("make_key", [
    lambda: __import__("cryptography.hazmat.primitives.asymmetric.ec", fromlist=["ec"]).generate_private_key(
        __import__("cryptography.hazmat.primitives.asymmetric.ec", fromlist=["ec"]).SECP256R1()),
    lambda: __import__("cryptography.hazmat.primitives.asymmetric.rsa", fromlist=["rsa"]).generate_private_key(
        65537, 1024),
], ids=["ec-p256", "rsa-1024"])
def test_key_types_jpki_never_issues_are_refused(pki, make_key):
    card = pki.issue_card()
    other = _reissue(pki, card.sign_der, key=make_key())
    assert reason(lambda: pki.verifier.verify(other, "sign")) == \
        "key type JPKI never issues (JPKI certificates carry RSA-2048 keys)"


def test_crl_past_its_next_update_is_not_used(pki):
    card = pki.issue_card()
    pki.verifier.verify(card.auth_b64, "auth")
    pki.clock.advance(days=3651)  # pm_testpki's CRLs are good for 3650 days
    card_later = pki.issue_card(issued=pki.clock.now() - timedelta(days=2))
    assert reason(lambda: pki.verifier.verify(card_later.auth_b64, "auth")) == \
        "CRL out of date: its nextUpdate has passed at the portal's clock"


@pytest.fixture
def ocsp_server(pki):
    """The portal's OCSP route on a real loopback HTTP server, with a responder delegated by each test CA."""
    import threading

    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from flask import Flask
    from werkzeug.serving import make_server

    from portal_mock.responses.ocsp import make_blueprint

    key = rsa.generate_private_key(65537, 2048)
    for kind, (ca_cert, ca_key) in pki.cas.items():
        cert = (x509.CertificateBuilder()
                .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{kind} OCSP")]))
                .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(2)
                .not_valid_before(pki.now - timedelta(days=10)).not_valid_after(pki.now + timedelta(days=3650))
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=True)
                .sign(ca_key, hashes.SHA256()))
        (pki.trust_dir / f"{kind}-ocsp.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
        (pki.trust_dir / f"{kind}-ocsp-key.der").write_bytes(key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
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


def test_ocsp_answers_where_the_crl_is_stale(pki, ocsp_server):
    card = pki.issue_card(issued=pki.clock.now() + timedelta(days=3651) - timedelta(days=2), days=30)
    pki.clock.advance(days=3651)
    pki.verifier.verify(card.auth_b64, "auth")  # the CRL is past nextUpdate; the responder's answer is fresh


def test_ocsp_reports_a_revoked_certificate(pki, ocsp_server):
    card = pki.issue_card()
    pki.verifier.verify(card.sign_b64, "sign")
    pki.revoke("sign", card.sign_serial, pki.clock.now() - timedelta(hours=1))
    assert reason(lambda: pki.verifier.verify(card.sign_b64, "sign")) == "revoked (OCSP, reason unspecified)"


def test_ocsp_answer_from_a_responder_the_ca_did_not_delegate_is_refused(pki, ocsp_server):
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    rogue_key = rsa.generate_private_key(65537, 2048)
    cert = x509.load_der_x509_certificate((pki.trust_dir / "auth-ocsp.der").read_bytes())
    rogue = (x509.CertificateBuilder().subject_name(cert.subject).issuer_name(cert.issuer)
             .public_key(rogue_key.public_key()).serial_number(3).not_valid_before(cert.not_valid_before_utc)
             .not_valid_after(cert.not_valid_after_utc).add_extension(cert.extensions[0].value, True)
             .sign(rogue_key, hashes.SHA256()))
    (pki.trust_dir / "auth-ocsp.der").write_bytes(rogue.public_bytes(serialization.Encoding.DER))
    (pki.trust_dir / "auth-ocsp-key.der").write_bytes(rogue_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    card = pki.issue_card()
    assert reason(lambda: pki.verifier.verify(card.auth_b64, "auth")) == "OCSP responder not delegated by the CA"
