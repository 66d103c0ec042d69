"""An OCSP responder (RFC 6960, HTTP POST) for the test JPKI CAs, served by the portal simulation on loopback.

Why here: the real portal asks J-LIS's OCSP responders whether a signature certificate still stands (the sign
certificate's authorityInformationAccess names one, jpki-card.md §13). The simulation has no J-LIS, so the same
process serves a responder for the test CA: a delegated responder certificate and key exported next to the CA
certificates by the test PKI (`<kind>-ocsp.der`, `<kind>-ocsp-key.der`), the CA's current revocation list as its
database, and the portal's simulated clock for thisUpdate. Without the responder files it answers
`unauthorized`, and the verifier falls back to the CRL. The route is responses/ocsp.py.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509 import ocsp

#: How long an answer stays fresh. Not published for JPKI (unverified); one day, like our CRLs.
RESPONSE_VALIDITY = timedelta(days=1)


def _read(path: Path):
    try:
        return path.read_bytes()
    except OSError:
        return None


def respond(trust_dir: Path, kind: str, request_der: bytes, now) -> bytes:
    """The DER OCSP response for one request, at `now` (the portal's clock)."""
    unauthorized = ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED)
    try:
        req = ocsp.load_der_ocsp_request(request_der)
    except ValueError:
        return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.MALFORMED_REQUEST).public_bytes(
            serialization.Encoding.DER)
    files = [_read(trust_dir / name) for name in (f"{kind}-ca.der", f"{kind}-ocsp.der", f"{kind}-ocsp-key.der",
                                                  f"{kind}.crl")]
    if kind not in ("auth", "sign") or None in files[:3]:
        return unauthorized.public_bytes(serialization.Encoding.DER)
    ca = x509.load_der_x509_certificate(files[0])
    responder = x509.load_der_x509_certificate(files[1])
    key = serialization.load_der_private_key(files[2], password=None)
    if req.issuer_key_hash != ocsp.OCSPRequestBuilder().add_certificate(responder, ca, req.hash_algorithm).build() \
            .issuer_key_hash:
        return unauthorized.public_bytes(serialization.Encoding.DER)  # not our CA
    entry = x509.load_der_x509_crl(files[3]).get_revoked_certificate_by_serial_number(req.serial_number) \
        if files[3] else None
    status, revoked_at, reason = ocsp.OCSPCertStatus.GOOD, None, None
    if entry is not None and entry.revocation_date_utc <= now:
        status, revoked_at = ocsp.OCSPCertStatus.REVOKED, entry.revocation_date_utc
        try:
            reason = entry.extensions.get_extension_for_class(x509.CRLReason).value.reason
        except x509.ExtensionNotFound:
            reason = None
    builder = ocsp.OCSPResponseBuilder().add_response_by_hash(
        issuer_name_hash=req.issuer_name_hash, issuer_key_hash=req.issuer_key_hash, serial_number=req.serial_number,
        algorithm=req.hash_algorithm, cert_status=status, this_update=now, next_update=now + RESPONSE_VALIDITY,
        revocation_time=revoked_at, revocation_reason=reason,
    ).responder_id(ocsp.OCSPResponderEncoding.HASH, responder).certificates([responder])
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)
