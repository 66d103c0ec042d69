"""Card certificates for the portal tests, from the project's one test PKI (`virtual_card.pki.TestPKI`).

Why not a PKI of the portal tests' own: two test PKIs drift apart (CA names, extensions, policies), and then the
portal is tested against certificates the card never carries. The portal tests need a few things a card profile
cannot say — a person given by name and birth date, any validity window, and certificates J-LIS never issues (a
rogue CA, no subjectAltName, a child's signature certificate, another policy or key). The first two become a
`CardProfile`; the last are `resign`ed copies of a TestPKI certificate, signed with TestPKI's own CA key (or, for
a rogue, another key under the same CA name).
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import functools
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from virtual_card.pki import OID_BIRTH, CardCredentials, TestPKI, era_date
from virtual_card.profiles import CardProfile, Certificates, CertSpec, load_profile

#: The keys are cached on disk by identity (profile name, role), so a run after the first generates none.
KEY_CACHE = Path(__file__).resolve().parents[2] / ".cache" / "ras-e2e" / "keys"
NAME = "ヤマダ タロウ YAMADA TARO"
BIRTH = "19900115"  # YYYYMMDD, as the residents the tests seed (1990-01-15)
ADDRESS = "東京都千代田区霞が関1-1-1"
ISSUED_DAYS_AGO = 400
VALID_DAYS = 1800
ADULT_BIRTH = "1990-01-15"


@functools.cache
def _shared_pki() -> TestPKI:
    return TestPKI(KEY_CACHE)


def story_pki() -> TestPKI:
    """The one TestPKI of this test process, with no revocation from an earlier test. Why shared: a new TestPKI
    re-reads every key from disk (about 0.1 s a portal, several portals a test); a shared one keeps them in memory.
    Its only state a test changes is revocations, which start empty here, so run one revoking story at a time."""
    pki = _shared_pki()
    pki.forget_revocations()
    return pki


def profile(number: int, now: dt.datetime, name: str = NAME, birth: str = BIRTH, issued: dt.datetime | None = None,
            days: int = VALID_DAYS) -> CardProfile:
    """Card `number` of a test (each its own keys and serials, so a renewed card is a new card): `valid.yaml` with
    the person and both certificates' validity window given here."""
    issued = (issued or now - dt.timedelta(days=ISSUED_DAYS_AGO)).astimezone(dt.UTC).replace(microsecond=0)
    expires = issued + dt.timedelta(days=days)
    spec = CertSpec(issued=issued.isoformat(), expires=expires.isoformat())
    base = load_profile("valid")
    holder = dataclasses.replace(base.holder, name=name, birth_date=f"{birth[:4]}-{birth[4:6]}-{birth[6:]}",
                                 sex="male", address=ADDRESS)
    return dataclasses.replace(base, name=f"portal-test-card-{number}", holder=holder,
                               certificates=Certificates(auth=spec, sign=spec),
                               card_expires=expires.date().isoformat())


def issue(pki: TestPKI, number: int, now: dt.datetime, **person) -> CardCredentials:
    """A card for `profile(number, now, **person)`. JPKI gives no signature certificate to a child under 15, but the
    portal must still refuse one (its rule reads the certificate's birth date): such a card gets an adult's
    certificate re-signed with the child's birth date."""
    wanted = profile(number, now, **person)
    creds = pki.issue_card(wanted, now)
    if creds.sign_cert is not None:
        return creds
    adult = dataclasses.replace(wanted, holder=dataclasses.replace(wanted.holder, birth_date=ADULT_BIRTH))
    creds = pki.issue_card(adult, now)
    birth = dt.date.fromisoformat(wanted.holder.birth_date)
    return dataclasses.replace(creds, birth_date=birth, sign_cert=resign(pki, creds.sign_cert, "sign",
                                                                         birth=era_date(birth)))


def serial(der: bytes) -> int:
    return x509.load_der_x509_certificate(der).serial_number


def b64(der: bytes) -> str:
    """A certificate as the page's hidden field carries it."""
    return base64.b64encode(der).decode()


def answer(key, challenge_b64: str) -> str:
    """The card's signature over the portal's challenge (RSASSA-PKCS1-v1_5, SHA-256), Base64."""
    return base64.b64encode(key.sign(base64.b64decode(challenge_b64), padding.PKCS1v15(), hashes.SHA256())).decode()


_KEEP = object()


def resign(pki: TestPKI, der: bytes, role: str, *, san=_KEEP, birth: str | None = None, policy: str | None = None,
           public_key=None, ca_key=None) -> bytes:
    """`der` with one thing changed, signed by `role`'s CA (or by `ca_key` under the CA's name): the
    subjectAltName (`san=None` drops it), the SAN birth date (`birth`, era form), the policy, or the public key."""
    cert = x509.load_der_x509_certificate(der)
    builder = (x509.CertificateBuilder().subject_name(cert.subject).issuer_name(cert.issuer)
               .public_key(public_key or cert.public_key()).serial_number(cert.serial_number)
               .not_valid_before(cert.not_valid_before_utc).not_valid_after(cert.not_valid_after_utc))
    for ext in cert.extensions:
        value = ext.value
        if isinstance(value, x509.SubjectAlternativeName):
            if san is None:
                continue
            if birth is not None:
                value = x509.SubjectAlternativeName([
                    x509.OtherName(OID_BIRTH, _utf8(birth)) if getattr(n, "type_id", None) == OID_BIRTH else n
                    for n in value])
        if isinstance(value, x509.CertificatePolicies) and policy is not None:
            value = x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy), None)])
        if isinstance(value, x509.SubjectKeyIdentifier) and public_key is not None:
            value = x509.SubjectKeyIdentifier.from_public_key(public_key)
        builder = builder.add_extension(value, ext.critical)
    signed = builder.sign(ca_key or pki.ca_keys[role], hashes.SHA256())
    return signed.public_bytes(serialization.Encoding.DER)


def _utf8(text: str) -> bytes:
    raw = text.encode("utf-8")
    assert len(raw) < 0x80, "short values only"
    return b"\x0c" + bytes([len(raw)]) + raw
