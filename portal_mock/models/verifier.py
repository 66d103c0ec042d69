"""Certificate checks of the simulated portal: chain to the test JPKI CAs, the key type JPKI issues, the
certificate policy, validity at the portal's clock, revocation (OCSP at the test CA's responder when one answers,
else the CRL while it is fresh), minimum age, and proof of possession (signature over the portal's challenge).

Any failure raises ``VerificationError`` whose ``reason`` goes only to the events log; the page shows the bare
WZBAM255E, as the real portal does.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509 import ocsp

OID_NAME = "1.2.392.200149.8.5.5.1"
OID_SEX = "1.2.392.200149.8.5.5.3"
OID_BIRTH = "1.2.392.200149.8.5.5.4"
OID_ADDRESS = "1.2.392.200149.8.5.5.5"
FILES = {"auth": ("auth-ca.der", "auth.crl"), "sign": ("sign-ca.der", "sign.crl")}
MAX_B64 = 16_384
#: The policies a relying party of J-LIS's *test* environment accepts. Signature certificates: test environment
#: 1.2.392.200149.8.5.1.0.20 (production …1.1.20), public CP/CPS excerpts, /work/shared/reference/public-facts.md
#: (read 2026-11-27). User-authentication: 1.2.392.200149.8.5.1.3.30 from a real certificate (jpki-card.md §13);
#: whether the test environment uses another value is unverified.
POLICIES = {"sign": "1.2.392.200149.8.5.1.0.20", "auth": "1.2.392.200149.8.5.1.3.30"}
#: JPKI issues RSA-2048 keys only (jpki-card.md §2, OpenSC `card-jpki.c` advertises RSA-2048 only).
RSA_BITS = 2048
OCSP_TIMEOUT_SECONDS = 5.0


class VerificationError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class CertInfo:
    kind: str
    der: bytes
    sha256: str
    serial: int
    not_before: datetime
    not_after: datetime
    identity: dict = field(default_factory=dict)  # name, birth_date (YYYY-MM-DD), sex, address (sign only)


def decode_b64_der(value: str | None) -> bytes:
    """Base64 DER as the page posts it (no PEM armour).  Raises VerificationError('format')."""
    if not value or len(value) > MAX_B64:
        raise VerificationError("certificate missing or oversize")
    text = value.strip()
    if text.startswith("-----"):
        raise VerificationError("PEM armour where Base64 DER was expected")
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise VerificationError("certificate is not Base64") from None


def _read_tlv(data: bytes) -> tuple[int, bytes]:
    if len(data) < 2:
        raise ValueError("short TLV")
    tag, length, pos = data[0], data[1], 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(data[2 : 2 + n], "big")
        pos = 2 + n
    return tag, data[pos : pos + length]


def _other_name_text(value: bytes) -> str:
    tag, content = _read_tlv(value)
    if tag == 0xA0:  # [0] EXPLICIT still wrapped
        tag, content = _read_tlv(content)
    if tag not in (0x0C, 0x13, 0x16, 0x1E):
        raise ValueError(f"unexpected string tag {tag:#x}")
    if tag == 0x1E:
        return content.decode("utf-16-be")
    return content.decode("utf-8")


def parse_birth_date(text: str) -> str:
    """JPKI birth date 'EYYYYMMDD' (E = era digit) or 'YYYYMMDD' -> 'YYYY-MM-DD'."""
    digits = text.strip()[-8:]
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8])).isoformat()


def san_identity(cert: x509.Certificate) -> dict:
    """The signature certificate's subjectAltName otherNames: name, birth date, sex, address."""
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return {}
    out: dict = {}
    keys = {OID_NAME: "name", OID_SEX: "sex", OID_BIRTH: "birth_date", OID_ADDRESS: "address"}
    for other in san.get_values_for_type(x509.OtherName):
        key = keys.get(other.type_id.dotted_string)
        if not key:
            continue
        try:
            text = _other_name_text(other.value)
            out[key] = parse_birth_date(text) if key == "birth_date" else text
        except (ValueError, UnicodeDecodeError):
            continue
    return out


class Verifier:
    """`ocsp_base_fn` returns the base URL of the OCSP responder (`<base>/ocsp/<kind>`), or None for CRL only."""

    def __init__(self, trust_dir: str | Path | None, clock, min_age_hours_fn,
                 ocsp_base_fn: Callable[[], str | None] | None = None) -> None:
        self.trust_dir = Path(trust_dir) if trust_dir else None
        self.clock = clock
        self._min_age_hours = min_age_hours_fn
        self._ocsp_base = ocsp_base_fn or (lambda: None)
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, object]] = {}

    # trust material, re-read when the files change
    def _load(self, filename: str, loader):
        if self.trust_dir is None:
            raise VerificationError("no trust directory configured")
        path = self.trust_dir / filename
        try:
            mtime = path.stat().st_mtime_ns
        except OSError:
            raise VerificationError(f"trust file missing: {filename}") from None
        with self._lock:
            hit = self._cache.get(filename)
            if hit and hit[0] == mtime:
                return hit[1]
            obj = loader(path.read_bytes())
            self._cache[filename] = (mtime, obj)
            return obj

    def ca(self, kind: str) -> x509.Certificate:
        return self._load(FILES[kind][0], _load_cert)

    def crl(self, kind: str) -> x509.CertificateRevocationList | None:
        try:
            return self._load(FILES[kind][1], x509.load_der_x509_crl)
        except VerificationError:
            return None

    def verify(self, b64: str | None, kind: str, challenge: bytes | None = None, signature_b64: str | None = None,
               require_pop: bool = False) -> CertInfo:
        der = decode_b64_der(b64)
        try:
            cert = x509.load_der_x509_certificate(der)
        except ValueError:
            raise VerificationError("not a DER X.509 certificate") from None
        ca = self.ca(kind)
        if cert.issuer != ca.subject:
            raise VerificationError(f"issuer is not the JPKI {kind} CA")
        try:
            cert.verify_directly_issued_by(ca)
        except (ValueError, TypeError, InvalidSignature):
            raise VerificationError("chain: signature by the CA does not verify") from None
        _check_key_and_policy(cert, kind)
        now = self.clock.now()
        nb, na = cert.not_valid_before_utc, cert.not_valid_after_utc
        if now < nb:
            raise VerificationError("not yet valid at the portal's clock")
        if now > na:
            raise VerificationError("expired at the portal's clock")
        if not self._ocsp_status(cert, ca, kind, now):
            self._crl_status(cert, ca, kind, now)
        min_age = float(self._min_age_hours())
        if min_age and now - nb < timedelta(hours=min_age):
            raise VerificationError(f"issued less than {min_age:g} hours ago")
        if require_pop:
            if not challenge:
                raise VerificationError("no challenge issued")
            if not signature_b64:
                raise VerificationError("proof of possession missing: no signature over the challenge")
            try:
                sig = base64.b64decode(signature_b64, validate=True)
            except (binascii.Error, ValueError):
                raise VerificationError("signature is not Base64") from None
            _verify_signature(cert, sig, challenge)
        info = CertInfo(kind, der, hashlib.sha256(der).hexdigest(), cert.serial_number, nb, na)
        if kind == "sign":
            info.identity = san_identity(cert)
            if not info.identity.get("name") or not info.identity.get("birth_date"):
                raise VerificationError("signature certificate lacks name/birth date otherNames")
        return info


    # -- revocation ------------------------------------------------------------------------------------------
    def _crl_status(self, cert: x509.Certificate, ca: x509.Certificate, kind: str, now: datetime) -> None:
        crl = self.crl(kind)
        if crl is None:
            raise VerificationError(f"CRL for {kind} unavailable")
        if not crl.is_signature_valid(ca.public_key()):
            raise VerificationError("CRL signature invalid")
        if crl.next_update_utc is None or crl.next_update_utc < now:
            raise VerificationError("CRL out of date: its nextUpdate has passed at the portal's clock")
        revoked = crl.get_revoked_certificate_by_serial_number(cert.serial_number)
        if revoked is not None and revoked.revocation_date_utc <= now:
            raise VerificationError("revoked (listed in the CRL)")

    def _ocsp_status(self, cert: x509.Certificate, ca: x509.Certificate, kind: str, now: datetime) -> bool:
        """True when the responder gave a usable answer (and the certificate is good); False to fall back to the
        CRL (no responder, or it declined). A revoked status, or an answer that does not check out, raises."""
        base = self._ocsp_base()
        if not base:
            return False
        req = ocsp.OCSPRequestBuilder().add_certificate(cert, ca, hashes.SHA256()).build()
        http = urllib.request.Request(f"{base.rstrip('/')}/ocsp/{kind}", data=req.public_bytes(Encoding.DER),
                                      headers={"Content-Type": "application/ocsp-request"}, method="POST")
        try:
            with urllib.request.urlopen(http, timeout=OCSP_TIMEOUT_SECONDS) as answer:  # noqa: S310 - loopback
                resp = ocsp.load_der_ocsp_response(answer.read(65536))
        except (urllib.error.URLError, OSError, ValueError):
            return False
        if resp.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL:
            return False
        _check_ocsp_response(resp, req, ca, now)
        if resp.certificate_status == ocsp.OCSPCertStatus.REVOKED:
            reason = resp.revocation_reason.name if resp.revocation_reason else "unspecified"
            raise VerificationError(f"revoked (OCSP, reason {reason})")
        if resp.certificate_status != ocsp.OCSPCertStatus.GOOD:
            raise VerificationError("OCSP status unknown")
        return True


def _check_key_and_policy(cert: x509.Certificate, kind: str) -> None:
    key = cert.public_key()
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size != RSA_BITS:
        raise VerificationError("key type JPKI never issues (JPKI certificates carry RSA-2048 keys)")
    try:
        policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
    except x509.ExtensionNotFound:
        raise VerificationError("no certificatePolicies") from None
    if POLICIES[kind] not in [p.policy_identifier.dotted_string for p in policies]:
        raise VerificationError(f"certificate policy is not the JPKI {kind} policy {POLICIES[kind]}")


def _check_ocsp_response(resp, req, ca: x509.Certificate, now: datetime) -> None:
    """RFC 6960 §3.2: the answer is about our certificate, signed by the CA or a responder it delegated, fresh."""
    if resp.serial_number != req.serial_number or resp.issuer_key_hash != req.issuer_key_hash:
        raise VerificationError("OCSP answer is about another certificate")
    signer = ca
    if resp.certificates:
        signer = resp.certificates[0]
        try:
            signer.verify_directly_issued_by(ca)
            eku = signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except (ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
            raise VerificationError("OCSP responder not delegated by the CA") from None
        if x509.oid.ExtendedKeyUsageOID.OCSP_SIGNING not in eku:
            raise VerificationError("OCSP responder not delegated by the CA")
    try:
        signer.public_key().verify(resp.signature, resp.tbs_response_bytes, padding.PKCS1v15(),
                                   resp.signature_hash_algorithm)
    except InvalidSignature:
        raise VerificationError("OCSP answer signature invalid") from None
    if resp.this_update_utc > now + timedelta(minutes=5) or (resp.next_update_utc and resp.next_update_utc < now):
        raise VerificationError("OCSP answer not current at the portal's clock")


def _verify_signature(cert: x509.Certificate, sig: bytes, message: bytes) -> None:
    key = cert.public_key()
    try:
        if not isinstance(key, rsa.RSAPublicKey):
            raise VerificationError("unsupported key type")
        key.verify(sig, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise VerificationError("proof of possession: signature over the challenge does not verify") from None


def _load_cert(data: bytes) -> x509.Certificate:
    try:
        return x509.load_der_x509_certificate(data)
    except ValueError:
        return x509.load_pem_x509_certificate(data)
