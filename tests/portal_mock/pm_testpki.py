"""A tiny JPKI-like test PKI for the portal tests (independent of virtual_card): an auth CA and a sign CA,
card certificates with the signature certificate's subjectAltName otherNames, and CRLs."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

OID_NAME = "1.2.392.200149.8.5.5.1"
OID_SEX = "1.2.392.200149.8.5.5.3"
OID_BIRTH = "1.2.392.200149.8.5.5.4"
OID_ADDRESS = "1.2.392.200149.8.5.5.5"
#: JPKI test-environment policies (the portal verifier checks them; sources in portal_mock/models/verifier.py).
POLICIES = {"sign": "1.2.392.200149.8.5.1.0.20", "auth": "1.2.392.200149.8.5.1.3.30"}

_KEYS: list = []


def _key():
    # RSA key generation is slow; reuse a small pool (tests need distinct certificates, not distinct keys)
    if len(_KEYS) < 4:
        _KEYS.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
        return _KEYS[-1]
    _key.i = (getattr(_key, "i", 0) + 1) % len(_KEYS)
    return _KEYS[_key.i]


def utf8(text: str) -> bytes:
    raw = text.encode("utf-8")
    assert len(raw) < 128
    return bytes([0x0C, len(raw)]) + raw


@dataclass
class Card:
    auth_der: bytes
    sign_der: bytes
    auth_key: object
    sign_key: object
    auth_serial: int
    sign_serial: int

    @property
    def auth_b64(self) -> str:
        return base64.b64encode(self.auth_der).decode()

    @property
    def sign_b64(self) -> str:
        return base64.b64encode(self.sign_der).decode()

    def sign_challenge(self, kind: str, challenge_b64: str) -> str:
        key = self.auth_key if kind == "auth" else self.sign_key
        sig = key.sign(base64.b64decode(challenge_b64), padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(sig).decode()


class TestPKI:
    __test__ = False

    def __init__(self, trust_dir: Path, now: datetime) -> None:
        self.trust_dir = Path(trust_dir)
        self.trust_dir.mkdir(parents=True, exist_ok=True)
        self.now = now
        self.cas = {}
        self.revoked: dict[str, list[tuple[int, datetime]]] = {"auth": [], "sign": []}
        for kind, cn in (("auth", "JPKI-TEST Auth CA"), ("sign", "JPKI-TEST Sign CA")):
            key = _key()
            name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                              x509.NameAttribute(NameOID.ORGANIZATION_NAME, "JPKI-TEST"),
                              x509.NameAttribute(NameOID.COMMON_NAME, cn)])
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                    .serial_number(x509.random_serial_number())
                    .not_valid_before(now - timedelta(days=3650)).not_valid_after(now + timedelta(days=3650))
                    .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                    .sign(key, hashes.SHA256()))
            self.cas[kind] = (cert, key)
        self.write_trust()

    def write_trust(self) -> None:
        for kind, (cert, key) in self.cas.items():
            (self.trust_dir / f"{kind}-ca.der").write_bytes(cert.public_bytes(serialization.Encoding.DER))
            b = (x509.CertificateRevocationListBuilder().issuer_name(cert.subject)
                 .last_update(self.now - timedelta(days=1)).next_update(self.now + timedelta(days=3650)))
            for serial, at in self.revoked[kind]:
                b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial)
                                              .revocation_date(at).build())
            (self.trust_dir / f"{kind}.crl").write_bytes(b.sign(key, hashes.SHA256()).public_bytes(
                serialization.Encoding.DER))

    def revoke(self, kind: str, serial: int, at: datetime) -> None:
        self.revoked[kind].append((serial, at))
        self.write_trust()

    def _issue(self, kind: str, issued: datetime, days: int, san: list | None, ca_kind: str | None = None,
               ca_override=None):
        ca_cert, ca_key = ca_override or self.cas[ca_kind or kind]
        key = _key()
        b = (x509.CertificateBuilder()
             .subject_name(x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                                      x509.NameAttribute(NameOID.COMMON_NAME, f"test-{kind}-{x509.random_serial_number() % 10**8}")]))
             .issuer_name(ca_cert.subject).public_key(key.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(issued).not_valid_after(issued + timedelta(days=days))
             .add_extension(x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(POLICIES[kind]), None)]),
                            critical=True))
        if san:
            b = b.add_extension(x509.SubjectAlternativeName(san), critical=False)
        cert = b.sign(ca_key, hashes.SHA256())
        return cert, key

    def issue_card(self, name: str = "ヤマダ タロウ YAMADA TARO", birth: str = "19900115", sex: str = "1",
                   address: str = "東京都千代田区霞が関1-1-1", issued: datetime | None = None, days: int = 1800,
                   sign_san: bool = True, rogue: bool = False) -> Card:
        issued = issued or (self.now - timedelta(days=400))
        san = [x509.OtherName(x509.ObjectIdentifier(OID_NAME), utf8(name)),
               x509.OtherName(x509.ObjectIdentifier(OID_SEX), utf8(sex)),
               x509.OtherName(x509.ObjectIdentifier(OID_BIRTH), utf8("4" + birth)),
               x509.OtherName(x509.ObjectIdentifier(OID_ADDRESS), utf8(address))] if sign_san else None
        override = None
        if rogue:  # same subject name as the real CA, different key
            fake_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            override = (self.cas["sign"][0], fake_key)
        sign_cert, sign_key = self._issue("sign", issued, days, san, ca_override=override)
        auth_cert, auth_key = self._issue("auth", issued, days, None)
        return Card(auth_cert.public_bytes(serialization.Encoding.DER), sign_cert.public_bytes(
            serialization.Encoding.DER), auth_key, sign_key, auth_cert.serial_number, sign_cert.serial_number)
