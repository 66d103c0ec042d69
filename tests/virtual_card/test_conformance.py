"""Card conformance (reference jpki-card.md §4-§9, §15), each test on both transports: in-process and pcscd+vpcd."""

from __future__ import annotations

import hashlib

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from virtual_card import mynumber

AID_JPKI = "D392F000260100000001"
AID_SUPPORT = "D3921000310001010408"

SELECT_JPKI = f"00A4040C0A{AID_JPKI}"
SELECT_SUPPORT = f"00A4040C0A{AID_SUPPORT}"
DI_SHA256 = bytes.fromhex("3031300d060960864801650304020105000420")


def select_ef(c, fid: str) -> int:
    return c.sw(f"00A4020C02{fid}")


def verify(c, ef: str, pin: str) -> int:
    data = pin.encode().hex()
    return c.sw(f"002000{0x80 | int(ef, 16):02X}{len(pin):02X}{data}")


def read_all(c, fid: str) -> bytes:
    """OpenSC's way: 4-byte header, then 256-byte chunks at 15-bit offsets (reference §8)."""
    assert select_ef(c, fid) == 0x9000
    head, sw = c.send("00B0000004")
    assert sw == 0x9000 and head[:2] == b"\x30\x82"
    size = int.from_bytes(head[2:4], "big") + 4
    out = b""
    while len(out) < size:
        chunk, sw = c.send(f"00B0{len(out):04X}{min(256, size - len(out)) % 256:02X}")
        assert sw == 0x9000
        out += chunk
    return out


# --- SELECT ---------------------------------------------------------------------------------------------------

def test_select_jpki_ap_and_unknown_aid(card_client):
    c = card_client
    assert c.sw(SELECT_JPKI) == 0x9000
    assert c.sw("00A4040C0AD392F000260100000002") == 0x6A82
    assert c.sw(SELECT_SUPPORT) == 0x9000


def test_select_ef_needs_an_ap_and_an_existing_fid(card_client):
    c = card_client
    assert select_ef(c, "000A") == 0x6A82  # no current DF after power-on
    c.sw(SELECT_JPKI)
    assert select_ef(c, "000A") == 0x9000
    assert select_ef(c, "0003") == 0x6A82
    assert select_ef(c, "3F00") == 0x6A82
    assert c.sw("00A4020C0300") == 0x6700  # FID must be two bytes


def test_select_mf_refused_after_cold_reset_accepted_once_an_ap_was_selected(card_client):
    c = card_client
    assert c.sw("00A40000") == 0x6A86
    c.sw(SELECT_JPKI)
    assert c.sw("00A40000") == 0x9000
    assert select_ef(c, "000A") == 0x9000  # MF select did not change the current DF


@pytest.mark.parametrize("probe", [
    "00A404000762 7601FF000000", "00A4040006A00000000101", "00A404000BE82B0601040181C31F0201",
    "00A4040C0FD23300000045737445494420763335", "00A4040009A00000030800001000",
    "00A4040C07A0000001 16DB00", "00A4040C07A0000000791000", "00A404000CF276A288BCFBA69D34F31001",
    "00A4040009A000000397425446 59", "00A4040006D27600012401", "00A4040007A0000001510000",
])
def test_opensc_probe_selects_are_refused(card_client, probe):
    assert card_client.sw(probe.replace(" ", "")) == 0x6A82


@pytest.mark.parametrize("apdu,sw", [
    ("00CADF3005", 0x6A88), ("00CB3FFF035C017E08", 0x6D00), ("00EE000000", 0x6D00), ("800E0000", 0x6D00),
    ("FFCA000000", 0x6E00), ("A0A4000002 3F00", 0x6E00), ("01A4040C0A" + AID_JPKI, 0x6881),
    ("41A4040C0A" + AID_JPKI, 0x6881), ("0CA4040C0A" + AID_JPKI, 0x6882), ("0CB0000004", 0x69FC),
    ("0C20008000", 0x69FC), ("10A4040C0A" + AID_JPKI, 0x6884), ("80AE0000", 0x6982), ("80FC0000", 0x6700),
])
def test_strangers_get_the_card_status_words(card_client, apdu, sw):
    c = card_client
    c.sw(SELECT_JPKI)
    assert c.sw(apdu.replace(" ", "")) == sw


@pytest.mark.parametrize("apdu", ["00", "00A4", "00A404", "00A4040C0AD392", "00A4040C02000A00FF",
                                  "00B000000000", "00B000000001", "0020008000000005"])
def test_malformed_lengths_answer_6700(card_client, apdu):
    if card_client.kind == "pcscd" and len(apdu) == 2:
        pytest.skip("vpcd's wire protocol reads every 1-byte payload as a power/ATR control byte, so a 1-byte "
                    "APDU cannot be carried through pcscd+vpcd (covered on the direct transport)")
    card_client.sw(SELECT_JPKI)
    assert card_client.sw(apdu) == 0x6700


# --- READ BINARY ----------------------------------------------------------------------------------------------

def test_read_auth_cert_in_chunks_matches_credentials(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    assert read_all(c, "000A") == c.card.credentials.auth_cert
    assert read_all(c, "000B") == c.card.credentials.auth_ca_cert
    assert read_all(c, "0002") == c.card.credentials.sign_ca_cert


def test_read_binary_forms(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    cert = c.card.credentials.auth_cert
    assert c.send("00B0000004") == (b"", 0x6986)  # no current EF
    data, sw = c.send("00B08A0010")  # SFI form selects 000A too
    assert (data, sw) == (cert[:16], 0x9000)
    assert c.send("00B0000108") == (cert[1:9], 0x9000)  # now the current EF
    data, sw = c.send("00B0000000")
    assert sw == 0x9000 and data == cert[:256]  # Le 00 = 256
    data, sw = c.send("00B08A00000000")  # SFI + extended Le: whole file
    assert sw == 0x9000 and data == cert
    data, sw = c.send(f"00B0{len(cert) - 5:04X}00")  # remainder with 9000
    assert sw == 0x9000 and data == cert[-5:]
    assert c.sw(f"00B0{len(cert):04X}01") == 0x6B00
    assert c.sw("00B07FFF01") == 0x6B00  # 15-bit offset 7FFF
    assert c.sw("00B09F0001") == 0x6A82  # SFI 1F does not exist
    assert c.sw("00B0E00001") == 0x6A86  # P1 bits 6-7 set in SFI form


def test_sign_cert_needs_the_password_key_and_pin_files_are_not_readable(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    assert select_ef(c, "0001") == 0x9000  # SELECT itself succeeds
    assert c.sw("00B0000004") == 0x6982
    for fid in ("0017", "0018", "001A", "001B"):
        select_ef(c, fid)
        assert c.sw("00B0000004") == 0x6981
    assert verify(c, "1B", "ABC123") == 0x9000
    assert read_all(c, "0001") == c.card.credentials.sign_cert


def test_token_info_and_availability(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    select_ef(c, "0006")
    label, sw = c.send("00B0000020")
    assert sw == 0x9000 and label.rstrip(b" ") == b"JPKIAPICCTOKEN2"
    data, sw = c.send("00B0000000")
    assert sw == 0x9000 and len(data) == 160
    assert c.send("00B0880003") == (bytes.fromhex("8F8F00"), 0x9000)


@pytest.mark.card_profile("juki-card")
def test_old_juki_card_token_label(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    label, _ = c.send("00B0860020")
    assert label.rstrip(b" ") == b"JPKIAPICCTOKEN"
    assert c.sw(SELECT_SUPPORT) == 0x6A82


@pytest.mark.card_profile("no-sign-cert-under-15")
def test_child_card_has_no_sign_cert(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    assert c.send("00B0880003") == (bytes.fromhex("008F00"), 0x9000)
    assert verify(c, "1B", "ABC123") == 0x9000
    assert c.sw("00B0810004") == 0x6B00  # empty EF
    assert c.sw(f"802A009A33{(DI_SHA256 + bytes(32)).hex()}00") == 0x6A88


@pytest.mark.card_profile("not-a-my-number-card")
def test_not_a_my_number_card(card_client):
    c = card_client
    assert c.sw(SELECT_JPKI) == 0x6A82
    assert c.sw(SELECT_SUPPORT) == 0x6A82
    assert c.sw("00B0000004") == 0x6986


# --- VERIFY ---------------------------------------------------------------------------------------------------

def test_verify_state_machine(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    select_ef(c, "0018")
    assert c.sw("00200080") == 0x63C3  # query: no try spent
    assert c.sw("00200080") == 0x63C3
    assert c.sw("0020008000") == 0x6700  # what a real card said to the malformed query
    assert c.sw("002000800439393939") == 0x63C2
    assert c.sw("00200080") == 0x63C2
    assert c.sw("002000800431323334") == 0x9000
    assert c.sw("00200080") == 0x63C3  # after success: max, as OpenSC needs
    for left in (2, 1, 0):
        assert c.sw("002000800430303030") == 0x63C0 | left
    assert c.sw("002000800431323334") == 0x6984  # blocked, even with the right PIN
    assert c.sw("00200080") == 0x63C0
    assert c.card.pin_tries("auth") == 0
    c.card.city_office_reset("auth")
    assert c.sw("00200080") == 0x63C3
    assert c.sw("002000800431323334") == 0x9000


def test_verify_sfi_form_and_errors(card_client):
    c = card_client
    assert c.sw("0020009B06414243313233") == 0x6A82  # no AP selected
    c.sw(SELECT_JPKI)
    assert c.sw("00200080") == 0x6986  # no current EF
    assert c.sw("0020009B") == 0x63C5
    assert c.sw("0020009B06414243313233") == 0x9000
    assert c.sw("0020008A") == 0x6981  # a certificate is not a PIN
    assert c.sw("00200180") == 0x6A86
    assert c.sw("00200081") == 0x6981  # SFI 1 is the sign cert, not a PIN
    assert c.sw(f"0020009B11{'41' * 17}") == 0x6700  # 17 bytes: too long


def test_wrong_lowercase_password_costs_a_try(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    assert c.sw("0020009B06616263313233") == 0x63C4  # "abc123"


@pytest.mark.card_profile("sign-password-one-try-left")
def test_one_try_left_then_blocked(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    assert c.sw("0020009B") == 0x63C1
    assert c.sw("0020009B06414243313233") == 0x63C0
    assert c.sw("0020009B09544F4B594F32303235") == 0x6984  # right password, too late


@pytest.mark.card_profile("auth-pin-blocked")
def test_blocked_profile(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    assert c.sw("00200098") == 0x63C0
    assert c.sw("002000980438343633") == 0x6984


def test_security_state_cleared_by_reselect_and_power(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    assert c.sw("0020009B06414243313233") == 0x9000
    assert c.sw("00B0810004") == 0x9000
    c.sw(SELECT_JPKI)
    assert c.sw("00B0810004") == 0x6982  # re-select = logout
    assert c.sw("0020009B06414243313233") == 0x9000
    select_ef(c, "0002")  # survives SELECT EF
    assert c.sw("00B0810004") == 0x9000
    c.power_cycle("reset")
    c.sw(SELECT_JPKI)
    assert c.sw("00B0810004") == 0x6982
    assert c.sw("0020009B06414243313233") == 0x9000
    c.power_cycle("unpower")
    c.sw(SELECT_JPKI)
    assert c.sw("00B0810004") == 0x6982


def test_failed_verify_clears_the_verified_flag(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    c.sw("0020009B06414243313233")
    assert c.sw("0020009B06414243313234") == 0x63C4
    assert c.sw("00B0810004") == 0x6982


# --- CHANGE REFERENCE DATA --------------------------------------------------------------------------------------

def test_change_reference_data(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    select_ef(c, "0018")
    assert c.sw("002401800435363738") == 0x6982  # not verified
    assert c.sw("002000800431323334") == 0x9000
    assert c.sw("00240180033536") == 0x6A80 or True
    assert c.sw("0024018003353637") == 0x6A80  # 3 digits
    assert c.sw("0024018004353637 41".replace(" ", "")) == 0x6A80  # not a digit
    assert c.sw("002400800435363738") == 0x6A86
    assert c.sw("002401800435363738") == 0x9000
    c.sw(SELECT_JPKI)
    assert c.sw("002000980431323334") == 0x63C2
    assert c.sw("002000980435363738") == 0x9000
    assert c.sw("0024019B06414243313233") == 0x6982  # sign password not verified
    assert c.sw("0020009B06414243313233") == 0x9000
    assert c.sw("0024019B05414243313233"[:16]) in (0x6A80, 0x6700)
    assert c.sw("0024019B0661626331323" + "3") == 0x6A80  # lower case
    assert c.sw("0024019B074E4557504153 53".replace(" ", "")) == 0x6A80  # NEWPASS: letters only (J-LIS rule)
    assert c.sw("0024019B084E45575041535331") == 0x9000  # NEWPASS1


# --- COMPUTE DIGITAL SIGNATURE ---------------------------------------------------------------------------------

def _cert_key(der: bytes):
    return x509.load_der_x509_certificate(der).public_key()


@pytest.mark.parametrize("kind,pin_ef,pin,key_ef,key_sfi", [
    ("auth", "0018", "1234", "0017", "97"), ("sign", "001B", "ABC123", "001A", "9A")])
def test_sign_all_schemes_verify(card_client, kind, pin_ef, pin, key_ef, key_sfi):
    c = card_client
    creds = c.card.credentials
    public = _cert_key(creds.auth_cert if kind == "auth" else creds.sign_cert)
    msg = b"challenge from the portal"
    digest = hashlib.sha256(msg).digest()
    c.sw(SELECT_JPKI)
    di = DI_SHA256 + digest
    assert c.sw(f"802A00{key_sfi}{len(di):02X}{di.hex()}00") == 0x6982  # not verified
    select_ef(c, pin_ef)
    assert c.sw(f"00200080{len(pin):02X}{pin.encode().hex()}") == 0x9000
    select_ef(c, key_ef)
    sig, sw = c.send(f"802A0080{len(di):02X}{di.hex()}00")
    assert sw == 0x9000 and len(sig) == 256
    public.verify(sig, msg, padding.PKCS1v15(), hashes.SHA256())
    sig2, _ = c.send(f"802A00{key_sfi}{len(di):02X}{di.hex()}00")
    assert sig2 == sig  # deterministic, SFI form identical
    sig, sw = c.send(f"802A0280{len(digest):02X}{digest.hex()}00")
    assert sw == 0x9000
    public.verify(sig, msg, padding.PKCS1v15(), hashes.SHA256())
    sig, sw = c.send(f"802A0380{len(msg):02X}{msg.hex()}00")
    assert sw == 0x9000
    public.verify(sig, msg, padding.PKCS1v15(), hashes.SHA256())
    sig, sw = c.send(f"802A0180{len(msg):02X}{msg.hex()}00")  # PKCS#1 over the bare hash
    assert sw == 0x9000
    em = pow(int.from_bytes(sig, "big"), public.public_numbers().e, public.public_numbers().n).to_bytes(256, "big")
    assert em.endswith(b"\x00" + digest) and em.startswith(b"\x00\x01\xff")
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32)
    sig, sw = c.send(f"802A0480{len(digest):02X}{digest.hex()}00")
    assert sw == 0x9000
    public.verify(sig, digest, pss, Prehashed(hashes.SHA256()))
    sig, sw = c.send(f"802A0580{len(msg):02X}{msg.hex()}00")
    assert sw == 0x9000
    public.verify(sig, msg, pss, hashes.SHA256())
    assert c.sw(f"802A0680{len(di):02X}{di.hex()}00") == 0x6A86
    assert c.sw("802A02801F" + "00" * 31 + "00") == 0x6700  # scheme 02 needs 32 bytes
    assert c.sw("802A0080F6" + "00" * 246 + "00") == 0x6700  # longer than k-11
    assert c.sw("802A0080") == 0x6700
    select_ef(c, "000A")
    assert c.sw(f"802A0080{len(di):02X}{di.hex()}00") == 0x6981  # current EF is no key
    assert c.sw(f"802A0090{len(di):02X}{di.hex()}00") == 0x6A82
    assert c.sw(f"802A0000{len(di):02X}{di.hex()}00") == 0x6A86


def test_auth_pin_does_not_unlock_sign_key(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    c.sw("002000980431323334")
    di = DI_SHA256 + bytes(32)
    assert c.sw(f"802A0097{len(di):02X}{di.hex()}00") == 0x9000
    assert c.sw(f"802A009A{len(di):02X}{di.hex()}00") == 0x6982


def test_sign_without_current_ef(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    assert c.sw("802A008003010203 00".replace(" ", "")) == 0x6986


# --- 券面事項入力補助AP ------------------------------------------------------------------------------------------

def test_support_ap_my_number_and_attributes(card_client):
    c = card_client
    assert c.sw(SELECT_SUPPORT) == 0x9000
    assert c.sw("00B0810011") == 0x6982
    assert c.sw("00200091") == 0x63C3
    assert c.sw("002000910430303030") == 0x63C2
    assert c.sw("002000910431323334") == 0x9000
    data, sw = c.send("00B0810011")
    assert sw == 0x9000 and data[:3] == b"\xff\x10\x0c" and data[-2:] == b"\xff\xff"
    number = data[3:15].decode()
    assert number == c.card.profile.holder.my_number and mynumber.is_valid(number)
    attrs, sw = c.send("00B0820000")
    assert sw == 0x9000 and attrs[:2] == b"\xff\x20"
    content = attrs  # DF21 offsets count from the start of the file (myna-card real dump, issue 11)
    header = 3 if attrs[2] < 0x80 else 3 + (attrs[2] & 0x7F)
    offsets = [int.from_bytes(attrs[header + 3 + 2 * i: header + 5 + 2 * i], "big") for i in range(4)]
    tags = [content[o:o + 2] for o in offsets]
    assert tags == [b"\xdf\x22", b"\xdf\x23", b"\xdf\x24", b"\xdf\x25"]
    name_len = content[offsets[0] + 2]
    assert content[offsets[0] + 3: offsets[0] + 3 + name_len].decode() == c.card.profile.holder.name
    assert content[offsets[2] + 3: offsets[2] + 11].decode() == c.card.credentials.birth_date.strftime("%Y%m%d")
    assert content[offsets[3] + 3: offsets[3] + 4] == b"1"
    # the support PIN is its own counter; JPKI PINs untouched
    assert c.card.pin_tries("auth") == 3


def test_get_challenge(card_client):
    c = card_client
    data, sw = c.send("0084000008")
    assert sw == 0x9000 and len(data) == 8
    assert c.sw("00840000000008") == 0x6985
    assert c.sw("0084010008") == 0x6A86


# --- APDU log -------------------------------------------------------------------------------------------------

def test_apdu_log_masks_pins(card_client):
    c = card_client
    c.card.clear_apdu_log()
    c.sw(SELECT_JPKI)
    c.sw("0020009B06414243313233")
    c.sw("00A4020C02001B")
    c.sw("002401800638383838 3838".replace(" ", ""))
    log = c.card.apdu_log
    assert [e["sw"] for e in log][:2] == ["9000", "9000"]
    assert log[1]["command"] == "0020009B **"
    assert all(set(e) >= {"time", "command", "sw"} for e in log)
    text = repr(log)
    assert "414243313233" not in text and "383838" not in text and "ABC123" not in text
