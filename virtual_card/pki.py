"""A JPKI-TEST certificate hierarchy: the two CAs, end-entity certificates by the §13 profiles, and CRLs.

Why here and not on the card: on a real card nothing changes when a certificate is revoked; revocation lives in
J-LIS's CRL/OCSP. So the card gets certificates and keys from this PKI, and the portal simulation's verifier gets
the CA certificates and CRLs from `export_trust`. RSA-2048 key generation is slow (~0.1 s a key), so keys are
cached on disk by identity (profile name, role, generation): a run never pays twice, and a renewed card (next
generation) gets new keys.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from . import dates
from .profiles import CardProfile, CertSpec, Holder

DEFAULT_CACHE_DIR = Path(".cache/ras-e2e/keys")

OID_NAME = x509.ObjectIdentifier("1.2.392.200149.8.5.5.1")
OID_NAME_FLAGS = x509.ObjectIdentifier("1.2.392.200149.8.5.5.2")
OID_SEX = x509.ObjectIdentifier("1.2.392.200149.8.5.5.3")
OID_BIRTH = x509.ObjectIdentifier("1.2.392.200149.8.5.5.4")
OID_ADDRESS = x509.ObjectIdentifier("1.2.392.200149.8.5.5.5")
OID_ADDRESS_FLAGS = x509.ObjectIdentifier("1.2.392.200149.8.5.5.6")
SAN_ORDER = (OID_NAME, OID_BIRTH, OID_SEX, OID_ADDRESS, OID_NAME_FLAGS, OID_ADDRESS_FLAGS)  # real-card order

POLICY_AUTH = "1.2.392.200149.8.5.1.3.30"
# Signature-certificate policy: production 1.2.392.200149.8.5.1.1.20, J-LIS's test environment
# 1.2.392.200149.8.5.1.0.20 (public CP/CPS excerpts, /work/shared/reference/public-facts.md, read 2026-11-27). Our CA
# is a test CA, so its certificates carry the test-environment value.
POLICY_SIGN = "1.2.392.200149.8.5.1.0.20"
#: Why a certificate leaves the CRL's good side. A move revokes the signature certificate (the address in it is
#: wrong from then on): RFC 5280 `affiliationChanged`, the issue-11 reading of J-LIS practice (unverified).
REASON_MOVE = x509.ReasonFlags.affiliation_changed
CPS_URI = "http://www.jpki.go.jp/cps.html"
OCSP_AUTH = "http://ocspauthnorm.jpki-test.invalid"
OCSP_SIGN = "http://ocspsignnorm.jpki-test.invalid"
OU_AGENCY = "Japan Agency for Local Authority Information Systems"
ROLE_OU = {"auth": "JPKI for user authentication", "sign": "JPKI for digital signature"}
ROLE_OU_JA = {"auth": "公的個人認証サービス利用者証明用", "sign": "公的個人認証サービス署名用"}
CA_NOT_BEFORE = dt.datetime(2015, 1, 1, tzinfo=dt.UTC)
CA_NOT_AFTER = dt.datetime(2049, 12, 31, 14, 59, 59, tzinfo=dt.UTC)
SEX_CODE = {"male": "1", "female": "2", "unknown": "3"}  # JPKI coding, not ISO 5218
ERAS = ((dt.date(2019, 5, 1), "5"), (dt.date(1989, 1, 8), "4"), (dt.date(1926, 12, 25), "3"),
        (dt.date(1912, 7, 30), "2"), (dt.date(1868, 1, 1), "1"))
SIGN_CERT_MIN_AGE = 15


@dataclass(frozen=True)
class CardCredentials:
    """What a card carries, issued for one profile at one reference time."""

    auth_cert: bytes
    sign_cert: bytes | None
    auth_key: rsa.RSAPrivateKey = field(repr=False)
    sign_key: rsa.RSAPrivateKey | None = field(repr=False)
    auth_ca_cert: bytes
    sign_ca_cert: bytes
    reference_time: dt.datetime
    birth_date: dt.date = field(repr=False)
    card_expires: dt.date


@dataclass(frozen=True)
class _Revocation:
    role: str
    serial: int
    when: dt.datetime
    reason: x509.ReasonFlags = REASON_MOVE


def era_date(day: dt.date) -> str:
    """生年月日 as in the signature certificate: era digit then YYYYMMDD."""
    for start, code in ERAS:
        if day >= start:
            return f"{code}{day:%Y%m%d}"
    return f"0{day:%Y%m%d}"


def _utf8_der(text: str) -> bytes:
    raw = text.encode("utf-8")
    n = len(raw)
    if n < 0x80:
        length = bytes([n])
    elif n < 0x100:
        length = bytes([0x81, n])
    else:
        length = bytes([0x82, n >> 8, n & 0xFF])
    return b"\x0c" + length + raw


def _serial(*parts: object) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return (int.from_bytes(digest[:4], "big") & 0x7FFFFFFF) | 0x01000000


def ca_name(role: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "JPKI-TEST"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ROLE_OU[role]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, OU_AGENCY),
    ])


class KeyCache:
    """RSA-2048 keys on disk as unencrypted PKCS#8 (test keys only), written atomically for parallel workers."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._memory: dict[str, rsa.RSAPrivateKey] = {}
        self._lock = threading.Lock()

    def get(self, identity: str) -> rsa.RSAPrivateKey:
        with self._lock:
            if identity in self._memory:
                return self._memory[identity]
            path = self.directory / (hashlib.sha256(identity.encode()).hexdigest()[:24] + ".pem")
            key = None
            if path.is_file():
                try:
                    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
                    if isinstance(loaded, rsa.RSAPrivateKey) and loaded.key_size == 2048:
                        key = loaded
                except (ValueError, TypeError):
                    key = None  # a torn or foreign file: regenerate
            if key is None:
                key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                self.directory.mkdir(parents=True, exist_ok=True)
                pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption())
                fd, tmp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
                with os.fdopen(fd, "wb") as handle:
                    handle.write(pem)
                os.replace(tmp, path)
            self._memory[identity] = key
            return key


class TestPKI:
    """JPKI-TEST auth CA + sign CA. CA certificates are deterministic for a given cached CA key."""

    __test__ = False  # not a pytest test class despite the name

    def __init__(self, cache_dir: Path | str = DEFAULT_CACHE_DIR):
        self.keys = KeyCache(Path(cache_dir))
        self.ca_keys = {role: self.keys.get(f"JPKI-TEST|{role}-ca|1") for role in ("auth", "sign")}
        self.ca_certs = {role: self._make_ca(role) for role in ("auth", "sign")}
        self._revocations: dict[tuple[str, int], _Revocation] = {}
        self._reissues: dict[tuple[str, int, str], int] = {}

    # -- CAs ----------------------------------------------------------------------------------------------
    def _make_ca(self, role: str) -> x509.Certificate:
        key = self.ca_keys[role]
        name = ca_name(role)
        ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
        builder = (
            x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(CA_NOT_BEFORE).not_valid_after(CA_NOT_AFTER)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(ski, critical=False)
        )
        return builder.sign(key, hashes.SHA256())

    def ca_der(self, role: str) -> bytes:
        return self.ca_certs[role].public_bytes(serialization.Encoding.DER)

    # -- end entities -------------------------------------------------------------------------------------
    def issue_card(self, profile: CardProfile, reference_time: dt.datetime | None = None) -> CardCredentials:
        """Certificates and keys for `profile`, with its relative dates resolved against `reference_time`."""
        now = (reference_time or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        birth = dates.resolve_date(profile.holder.birth_date, now)
        card_expires = dates.resolve_date(profile.card_expires, now)
        auth_key = self.keys.get(f"{profile.name}|auth|{profile.generation}")
        auth_cert = self._issue(profile, "auth", auth_key, now, birth, card_expires, cap=None)
        sign_cert = sign_key = None
        spec = profile.certificates.sign
        if spec.status != "absent":
            issued = dates.resolve(spec.issued, now)
            if dates.age_on(birth, issued.astimezone(dates.JST).date()) >= SIGN_CERT_MIN_AGE:
                sign_key = self.keys.get(f"{profile.name}|sign|{profile.generation}")
                sign_cert = self._issue(profile, "sign", sign_key, now, birth, card_expires,
                                        cap=auth_cert.not_valid_after_utc)
        der = serialization.Encoding.DER
        return CardCredentials(
            auth_cert=auth_cert.public_bytes(der),
            sign_cert=sign_cert.public_bytes(der) if sign_cert else None,
            auth_key=auth_key, sign_key=sign_key,
            auth_ca_cert=self.ca_der("auth"), sign_ca_cert=self.ca_der("sign"),
            reference_time=now, birth_date=birth, card_expires=card_expires,
        )

    def reissue(self, profile: CardProfile, credentials: CardCredentials, role: str,
                when: dt.datetime) -> CardCredentials:
        """The same card with a new certificate for `role`, as the city office writes it: a new key pair and a new
        serial, valid from `when`. Why `when` is given: a reissue happens in the story's (simulated) time, days
        after the card was first issued; dating it from the first issue would make the 24-hour rule pass at once."""
        count = self._reissues.get((profile.name, profile.generation, role), 0) + 1
        self._reissues[(profile.name, profile.generation, role)] = count
        key = self.keys.get(f"{profile.name}|{role}|{profile.generation}|reissue{count}")
        now = when.astimezone(dt.UTC).replace(microsecond=0)
        cap = None
        if role == "sign":
            cap = x509.load_der_x509_certificate(credentials.auth_cert).not_valid_after_utc
        cert = self._issue(profile, role, key, now, credentials.birth_date, credentials.card_expires, cap=cap,
                           spec=CertSpec(issued="+0s"), reissue=count)
        der = cert.public_bytes(serialization.Encoding.DER)
        changes = {"sign_cert": der, "sign_key": key} if role == "sign" else {"auth_cert": der, "auth_key": key}
        return dataclasses.replace(credentials, **changes)

    def _validity(self, spec, now: dt.datetime, birth: dt.date, card_expires: dt.date,
                  cap: dt.datetime | None) -> tuple[dt.datetime, dt.datetime]:
        not_before = dates.resolve(spec.issued, now).replace(microsecond=0)
        issued_day = not_before.astimezone(dates.JST).date()
        fifth = dates.nth_birthday_after(birth, issued_day, 5)
        end_day = min(fifth, card_expires)
        not_after = dt.datetime(end_day.year, end_day.month, end_day.day, 14, 59, 59, tzinfo=dt.UTC)
        if cap is not None:
            not_after = min(not_after, cap)
        if spec.expires is not None:
            not_after = dates.resolve(spec.expires, now).replace(microsecond=0)
        if not_after <= not_before:
            not_after = not_before + dt.timedelta(seconds=1)
        return not_before, not_after

    def _issue(self, profile: CardProfile, role: str, key: rsa.RSAPrivateKey, now: dt.datetime, birth: dt.date,
               card_expires: dt.date, cap: dt.datetime | None, spec: CertSpec | None = None,
               reissue: int = 0) -> x509.Certificate:
        spec = spec or getattr(profile.certificates, role)
        not_before, not_after = self._validity(spec, now, birth, card_expires, cap)
        serial = _serial(profile.name, role, profile.generation, *([f"reissue{reissue}"] if reissue else []))
        issuer = ca_name(role)
        ca_key = self.ca_keys[role]
        builder = (
            x509.CertificateBuilder().subject_name(_subject(profile, role, not_before, serial)).issuer_name(issuer)
            .public_key(key.public_key()).serial_number(serial).not_valid_before(not_before)
            .not_valid_after(not_after)
        )
        builder = _add_jpki_extensions(builder, role, profile.holder, issuer, ca_key, key)
        if role == "auth":
            builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        else:
            builder = builder.add_extension(_holder_san(profile.holder, birth), critical=False)
        if spec.status == "revoked" and spec.revoked_at is not None:
            when = dates.resolve(spec.revoked_at, now).replace(microsecond=0)
            self._revocations[(role, serial)] = _Revocation(role, serial, when)
        return builder.sign(ca_key, hashes.SHA256())

    # -- revocation ---------------------------------------------------------------------------------------
    def forget_revocations(self) -> None:
        """Start a new story: a harness reusing one PKI across scenarios must not carry one scenario's move
        (a revoked signature certificate) into the next."""
        self._revocations.clear()

    def revoke(self, role: str, serial: int, when: dt.datetime, reason: x509.ReasonFlags = REASON_MOVE) -> None:
        """Revoke a certificate out of band (e.g. a scenario where the holder moves mid-journey)."""
        self._revocations[(role, serial)] = _Revocation(role, serial, when.astimezone(dt.UTC), reason)

    def crl(self, role: str, now: dt.datetime) -> x509.CertificateRevocationList:
        now = now.astimezone(dt.UTC).replace(microsecond=0)
        key = self.ca_keys[role]
        builder = (
            x509.CertificateRevocationListBuilder().issuer_name(ca_name(role))
            .last_update(now).next_update(now + dt.timedelta(days=1))
            .add_extension(x509.CRLNumber(int(now.timestamp())), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        )
        for rev in sorted(self._revocations.values(), key=lambda r: r.serial):
            if rev.role == role and rev.when <= now:
                entry = (x509.RevokedCertificateBuilder().serial_number(rev.serial).revocation_date(rev.when)
                         .add_extension(x509.CRLReason(rev.reason), critical=False))
                builder = builder.add_revoked_certificate(entry.build())
        return builder.sign(key, hashes.SHA256())

    def ocsp_responder(self, role: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        """A delegated OCSP responder of the CA (RFC 6960 §4.2.2.2: issued by the CA, EKU id-kp-OCSPSigning), so
        the portal simulation can answer OCSP for the test CA on loopback without holding the CA key."""
        key = self.keys.get(f"JPKI-TEST|{role}-ocsp|1")
        name = x509.Name([*ca_name(role), x509.NameAttribute(NameOID.COMMON_NAME, f"JPKI-TEST {role} OCSP")])
        cert = (
            x509.CertificateBuilder().subject_name(name).issuer_name(ca_name(role)).public_key(key.public_key())
            .serial_number(2).not_valid_before(CA_NOT_BEFORE).not_valid_after(CA_NOT_AFTER)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.OCSP_SIGNING]), critical=True)
            .add_extension(x509.OCSPNoCheck(), critical=False)
            .sign(self.ca_keys[role], hashes.SHA256())
        )
        return cert, key

    def export_trust(self, directory: Path | str, now: dt.datetime) -> dict[str, Path]:
        """Write auth-ca.der, sign-ca.der, auth.crl, sign.crl (DER) for the portal's verifier, and each CA's OCSP
        responder certificate and key (`<role>-ocsp.der`, `<role>-ocsp-key.der`) for the portal's OCSP route."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        der = serialization.Encoding.DER
        files = {
            "auth-ca.der": self.ca_der("auth"),
            "sign-ca.der": self.ca_der("sign"),
            "auth.crl": self.crl("auth", now).public_bytes(der),
            "sign.crl": self.crl("sign", now).public_bytes(der),
        }
        for role in ("auth", "sign"):
            cert, key = self.ocsp_responder(role)
            files[f"{role}-ocsp.der"] = cert.public_bytes(der)
            files[f"{role}-ocsp-key.der"] = key.private_bytes(der, serialization.PrivateFormat.PKCS8,
                                                              serialization.NoEncryption())
        paths = {}
        for name, data in files.items():
            path = out / name
            tmp = path.with_suffix(path.suffix + ".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)
            paths[name] = path
        return paths


def _subject(profile: CardProfile, role: str, not_before: dt.datetime, serial: int) -> x509.Name:
    """The authentication certificate names no person (an opaque ID); the signature one names where they live."""
    holder = profile.holder
    if role == "auth":
        opaque = hashlib.sha256(f"{profile.name}|{profile.generation}".encode()).hexdigest().upper()[:14]
        return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
                          x509.NameAttribute(NameOID.COMMON_NAME, f"{opaque}{holder.municipality_code}003A")])
    cn = f"{not_before.astimezone(dates.JST):%Y%m%d%H%M%S}{serial % 100000:05d}A"
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.LOCALITY_NAME, holder.prefecture),
        x509.NameAttribute(NameOID.LOCALITY_NAME, holder.city),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def _crldp_name(role: str, holder: Holder) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "JPKI-TEST"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ROLE_OU[role]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "CRL Distribution Points"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, holder.prefecture),
        x509.NameAttribute(NameOID.COMMON_NAME, f"{holder.city} CRLDP"),
    ])


def _issuer_alt_name(role: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "JP"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "公的個人認証サービス(TEST)"),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ROLE_OU_JA[role]),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "地方公共団体情報システム機構"),
    ])


def _add_jpki_extensions(builder: x509.CertificateBuilder, role: str, holder: Holder, issuer: x509.Name,
                         ca_key: rsa.RSAPrivateKey, key: rsa.RSAPrivateKey) -> x509.CertificateBuilder:
    """The extensions both JPKI certificates carry, in the order real ones list them."""
    policy = POLICY_AUTH if role == "auth" else POLICY_SIGN
    return (
        builder
        .add_extension(x509.KeyUsage(True, role == "sign", False, False, False, False, False, False, False),
                       critical=True)
        .add_extension(x509.CertificatePolicies([x509.PolicyInformation(x509.ObjectIdentifier(policy), [CPS_URI])]),
                       critical=True)
        .add_extension(x509.IssuerAlternativeName([x509.DirectoryName(_issuer_alt_name(role))]), critical=False)
        .add_extension(x509.CRLDistributionPoints([x509.DistributionPoint(
            full_name=[x509.DirectoryName(_crldp_name(role, holder))], relative_name=None, reasons=None,
            crl_issuer=None)]), critical=False)
        .add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.OCSP,
            x509.UniformResourceIdentifier(OCSP_AUTH if role == "auth" else OCSP_SIGN))]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier(
            key_identifier=x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()).digest,
            authority_cert_issuer=[x509.DirectoryName(issuer)], authority_cert_serial_number=1), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _holder_san(holder: Holder, birth: dt.date) -> x509.SubjectAlternativeName:
    """The signature certificate's four facts about the person (name, birth date, sex, address) and their flags."""
    values = {
        OID_NAME: holder.name,
        OID_BIRTH: era_date(birth),
        OID_SEX: SEX_CODE[holder.sex],
        OID_ADDRESS: holder.address,
        OID_NAME_FLAGS: "0" * len(holder.name.replace("\u3000", "")),
        OID_ADDRESS_FLAGS: "0" * len(holder.address),
    }
    return x509.SubjectAlternativeName([x509.OtherName(oid, _utf8_der(values[oid])) for oid in SAN_ORDER])
