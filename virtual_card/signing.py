"""COMPUTE DIGITAL SIGNATURE schemes (`80 2A`, P1 00-05, reference §5.5).

Why raw RSA for P1 00-03: the card pads whatever bytes it is given with PKCS#1 v1.5 type 1 (a DigestInfo from
most clients, a bare hash for P1 01), which a generic signing API cannot express. The result is deterministic, as
on the real card. P1 04/05 use RSASSA-PSS with a random salt.
"""

from __future__ import annotations

import hashlib

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from .apdu import SW, ApduError

SHA256_DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)


class RawSigner:
    """PKCS#1 v1.5 type-1 padding + RSA with the CRT, over caller-supplied bytes."""

    def __init__(self, key: rsa.RSAPrivateKey):
        self.key = key
        nums = key.private_numbers()
        self.p, self.q = nums.p, nums.q
        self.dp, self.dq, self.qinv = nums.dmp1, nums.dmq1, nums.iqmp
        self.k = (key.key_size + 7) // 8

    def pkcs1(self, data: bytes) -> bytes:
        if len(data) > self.k - 11:
            raise ApduError(SW.WRONG_LENGTH)
        em = b"\x00\x01" + b"\xff" * (self.k - 3 - len(data)) + b"\x00" + data
        m = int.from_bytes(em, "big")
        m1 = pow(m, self.dp, self.p)
        m2 = pow(m, self.dq, self.q)
        h = (self.qinv * (m1 - m2)) % self.p
        return (m2 + h * self.q).to_bytes(self.k, "big")

    def sign(self, scheme: int, data: bytes) -> bytes:
        """Signature for P1 = `scheme`; wrong input length → 6700, unknown scheme → 6A86."""
        if scheme == 0x00:
            if not data:
                raise ApduError(SW.WRONG_LENGTH)
            return self.pkcs1(data)
        if scheme == 0x01:
            return self.pkcs1(hashlib.sha256(data).digest())
        if scheme == 0x02:
            if len(data) != 32:
                raise ApduError(SW.WRONG_LENGTH)
            return self.pkcs1(SHA256_DIGEST_INFO + data)
        if scheme == 0x03:
            return self.pkcs1(SHA256_DIGEST_INFO + hashlib.sha256(data).digest())
        if scheme == 0x04:
            if len(data) != 32:
                raise ApduError(SW.WRONG_LENGTH)
            return self.key.sign(data, _PSS, Prehashed(hashes.SHA256()))
        if scheme == 0x05:
            return self.key.sign(data, _PSS, hashes.SHA256())
        raise ApduError(SW.WRONG_P1P2)
