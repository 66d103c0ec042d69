"""APDU builders: the exact bytes OpenSC sends (jpki-card.md §5, §12), and PIN masking for logs."""

import hashlib

import pytest

from jpki_client import apdu


def test_select_jpki_ap_is_opensc_form():
    assert apdu.select_df().hex().upper() == "00A4040C0AD392F000260100000001"


def test_select_ef_read_binary_and_query():
    assert apdu.select_ef(0x000A).hex().upper() == "00A4020C02000A"
    assert apdu.read_binary(0, 4).hex().upper() == "00B0000004"
    assert apdu.read_binary(0x100, 256).hex().upper() == "00B0010000"
    assert apdu.verify_query().hex().upper() == "00200080"  # case 1: no Lc, no Le


def test_verify_sends_ascii_as_given_without_padding():
    assert apdu.verify(b"abc123").hex().upper() == "0020008006616263313233"
    with pytest.raises(ValueError):
        apdu.verify(b"")
    with pytest.raises(ValueError):
        apdu.verify(b"1" * 17)


def test_compute_signature_over_sha256_digest_info():
    info = apdu.sha256_digest_info(b"challenge")
    assert len(info) == 51 and info.endswith(hashlib.sha256(b"challenge").digest())
    command = apdu.compute_signature(info)
    assert command[:5] == bytes.fromhex("802A008033") and command[5:-1] == info and command[-1] == 0


def test_der_total_length_like_opensc():
    assert apdu.der_total_length(bytes.fromhex("30820621")) == 0x0621 + 4
    assert apdu.der_total_length(bytes.fromhex("3081F0")) == 0xF0 + 3
    with pytest.raises(ValueError):
        apdu.der_total_length(bytes.fromhex("FFFF0000"))


def test_mask_hides_pin_bytes_only_for_verify_and_change():
    assert apdu.mask(apdu.verify(b"1234")) == "00 20 00 80 04 ** ** ** **"
    assert apdu.mask(bytes.fromhex("0024018004") + b"9876") == "00 24 01 80 04 ** ** ** **"
    assert apdu.mask(apdu.select_ef(0x18)) == "00 A4 02 0C 02 00 18"


def test_response_parse():
    r = apdu.Response.parse(bytes.fromhex("AABB9000"))
    assert r.ok and r.data == b"\xaa\xbb"
    r = apdu.Response.parse(bytes.fromhex("63C2"))
    assert (r.sw1, r.sw2, r.ok) == (0x63, 0xC2, False)
    with pytest.raises(ValueError):
        apdu.Response.parse(b"\x90")
