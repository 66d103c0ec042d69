"""An independent client accepts the card: OpenSC's jpki driver (Debian's opensc 0.23) through pcscd+vpcd."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

pytestmark = [pytest.mark.pcscd, pytest.mark.opensc]
MODULE = "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so"


def run(*args, check=True, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(args), capture_output=True, text=True, timeout=60, **kw)
    if check:
        assert proc.returncode == 0, f"{args[0]} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture
def opensc(request, bridge, make_card, pcsc_stack, vpcd_slot):
    """A fresh card of the requested profile in our reader; yields (card, OpenSC reader index)."""
    request.getfixturevalue("pcsc_session")  # an open PC/SC session: the hot swap below stays invisible to pcscd
    if not shutil.which("opensc-tool"):
        pytest.fail("environment problem: OpenSC is not installed (Debian packages opensc, opensc-pkcs11)")
    name = getattr(request, "param", "valid")
    card = make_card(name)
    with bridge._lock:
        bridge.card = card
    reader = pcsc_stack.reader_name(vpcd_slot)
    listing = run("opensc-tool", "-l").stdout
    index = next(line.split()[0] for line in listing.splitlines() if line.rstrip().endswith(reader))
    return card, index


def _pubkey(der: bytes):
    return x509.load_der_x509_certificate(der).public_key()


@pytest.mark.parametrize("opensc", ["valid", "atr-new-contact"], indirect=True)
def test_opensc_detects_jpki(opensc):
    card, index = opensc
    out = run("opensc-tool", "-r", index, "-n").stdout
    assert out.strip().splitlines()[-1] == "jpki"


def test_list_pins_with_tries(opensc):
    _, index = opensc
    out = run("pkcs15-tool", "-r", index, "--list-pins").stdout
    blocks = out.split("PIN [")
    auth = next(b for b in blocks if b.startswith("User Authentication PIN"))
    sign = next(b for b in blocks if b.startswith("Digital Signature PIN"))
    assert re.search(r"Tries left\s*:\s*3", auth) and re.search(r"Tries left\s*:\s*5", sign)


def test_read_sign_certificate_only_with_password(opensc, tmp_path):
    card, index = opensc
    refused = run("pkcs15-tool", "-r", index, "--read-certificate", "02", check=False)
    assert refused.returncode != 0 or "BEGIN CERTIFICATE" not in refused.stdout
    out = tmp_path / "sign.pem"
    run("pkcs15-tool", "-r", index, "--read-certificate", "02", "--auth-id", "02", "--verify-pin",
        "--pin", "ABC123", "-o", str(out))
    cert = x509.load_pem_x509_certificate(out.read_bytes())
    assert cert.public_bytes(serialization.Encoding.DER) == card.credentials.sign_cert
    auth = tmp_path / "auth.pem"
    run("pkcs15-tool", "-r", index, "--read-certificate", "01", "-o", str(auth))
    assert x509.load_pem_x509_certificate(auth.read_bytes()).public_bytes(
        serialization.Encoding.DER) == card.credentials.auth_cert


@pytest.mark.parametrize("key,pin", [("01", "1234"), ("02", "ABC123")])
def test_pkcs15_crypt_sign(opensc, tmp_path, key, pin):
    card, index = opensc
    message = b"portal challenge " + key.encode()
    digest_file, sig_file = tmp_path / "digest", tmp_path / "sig"
    digest_file.write_bytes(hashlib.sha256(message).digest())
    run("pkcs15-crypt", "-r", index, "--sign", "--key", key, "--pkcs1", "--sha-256", "--pin", pin,
        "-i", str(digest_file), "-o", str(sig_file))
    der = card.credentials.auth_cert if key == "01" else card.credentials.sign_cert
    _pubkey(der).verify(sig_file.read_bytes(), hashlib.sha256(message).digest(), padding.PKCS1v15(),
                        Prehashed(hashes.SHA256()))


def _pkcs11_slot(reader: str, label: str) -> str:
    out = run("pkcs11-tool", "--module", MODULE, "-L").stdout
    for block in re.split(r"\n(?=Slot )", out):
        if reader in block.splitlines()[0] and re.search(rf"token label\s*:\s*{re.escape(label)}", block):
            return re.search(r"\((0x[0-9a-fA-F]+)\)", block.splitlines()[0]).group(1)
    raise AssertionError(f"no PKCS#11 slot for {reader} / {label}:\n{out}")


@pytest.mark.parametrize("label,pin,key_id", [("JPKI (User Authentication PIN)", "1234", "01"),
                                              ("JPKI (Digital Signature PIN)", "ABC123", "02")])
def test_pkcs11_tool_sign(opensc, tmp_path, pcsc_stack, vpcd_slot, label, pin, key_id):
    card, _ = opensc
    slot = _pkcs11_slot(pcsc_stack.reader_name(vpcd_slot), label)
    message = tmp_path / "msg"
    message.write_bytes(b"sign me through PKCS#11 " + key_id.encode())
    sig = tmp_path / "sig"
    run("pkcs11-tool", "--module", MODULE, "--slot", slot, "--login", "--pin", pin, "--sign", "--id", key_id,
        "-m", "SHA256-RSA-PKCS", "-i", str(message), "-o", str(sig))
    der = card.credentials.auth_cert if key_id == "01" else card.credentials.sign_cert
    _pubkey(der).verify(sig.read_bytes(), message.read_bytes(), padding.PKCS1v15(), hashes.SHA256())
