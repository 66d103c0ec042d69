"""Where the card differed from real cards (issue 11), one test per difference; each failed on the old card.

Sources per test: soltia48/myna-card (https://github.com/soltia48/myna-card, `src/card.rs`, `src/ap/text.rs`,
`src/ap/common.rs`), nm004/myna_browser_extension (`src/_internal/card.py`), J-LIS
(https://www2.jpki.go.jp/procedure/password.html), all read 2026-11-27. docs/CARD.md has the whole table.
"""

from __future__ import annotations

import struct

import pytest

from virtual_card import applets as ap
from virtual_card.profiles import DEFAULT_DIRECTORY, ProfileError, load_profile
from virtual_card.registry import CardRegistry

AID_JPKI = "D392F000260100000001"
AID_SUPPORT = "D3921000310001010408"
AID_COMMON = "D3921000310001010100"
SELECT_JPKI = f"00A4040C0A{AID_JPKI}"
SELECT_SUPPORT = f"00A4040C0A{AID_SUPPORT}"
SELECT_COMMON = f"00A4040C0A{AID_COMMON}"


def _attributes(card) -> bytes:
    return ap.attributes_ef(card.profile, card.credentials)


# --- 2. EF 0002's DF21 offsets count from the start of the file -------------------------------------------------

def _tlv_at(raw: bytes, pos: int) -> tuple[bytes, bytes]:
    """(tag, value) of the 2-byte-tag, short-length BER object at `pos`."""
    length = raw[pos + 2]
    return raw[pos : pos + 2], raw[pos + 3 : pos + 3 + length]


def parse_myna_card_rule(raw: bytes) -> list[bytes]:
    """myna-card `Attributes::parse`: each DF21 entry is the file offset of a field's tag, checked, not trusted."""
    header = 3 if raw[2] < 0x80 else 3 + (raw[2] & 0x7F)
    assert raw[:2] == b"\xff\x20" and raw[header : header + 3] == b"\xdf\x21\x08"
    offsets = struct.unpack(">4H", raw[header + 3 : header + 11])
    fields = [_tlv_at(raw, o) for o in offsets]
    assert [tag for tag, _ in fields] == [b"\xdf\x22", b"\xdf\x23", b"\xdf\x24", b"\xdf\x25"]
    return [value for _, value in fields]


def parse_nm004_rule(raw: bytes) -> list[bytes]:
    """nm004's host: read 1 byte at file offset 2 (the FF20 length), then that many bytes from offset 3; the i-th
    field's value starts at r[2i+4] of that value and its length byte sits just before it."""
    r = raw[3 : 3 + raw[2]]
    values = []
    for i in range(4):
        o = r[2 * i + 4]
        values.append(r[o : o + r[o - 1]])
    return values


def parse_sequential_rule(raw: bytes) -> list[bytes]:
    """jpki/myna (Go `TextAttrs`): walk the TLVs inside FF20 in order, ignoring the table."""
    pos, out = 3, {}
    while pos < len(raw) and raw[pos] not in (0x00, 0xFF):
        tag, value = _tlv_at(raw, pos)
        out[tag] = value
        pos += 3 + len(value)
    return [out[bytes([0xDF, t])] for t in (0x22, 0x23, 0x24, 0x25)]


@pytest.mark.parametrize("rule", [parse_myna_card_rule, parse_nm004_rule, parse_sequential_rule])
@pytest.mark.parametrize("profile", ["valid", "permanent-resident"])
def test_attributes_parse_with_every_public_layout_rule(make_card, rule, profile):
    card = make_card(profile)
    raw = _attributes(card)
    assert raw[2] < 0x80, "a real card's FF20 length is one byte (myna-card dump: 65)"
    expected = [card.profile.holder.name.encode(), card.profile.holder.address.encode(),
                card.credentials.birth_date.strftime("%Y%m%d").encode(), ap.SEX_ISO5218[card.profile.holder.sex]]
    assert rule(raw) == expected


def test_first_offset_is_000e_as_in_the_real_dump(make_card):
    raw = _attributes(make_card("valid"))
    assert raw[3:7] == bytes.fromhex("DF210800") and raw[7] == 0x0E


# --- 7. status words a real card gives ---------------------------------------------------------------------------

@pytest.mark.parametrize("state", ["cold", "jpki", "support", "common"])
def test_select_3f00_by_file_id_is_6a82_in_every_state(card_client, state):
    c = card_client
    if state != "cold":
        assert c.sw({"jpki": SELECT_JPKI, "support": SELECT_SUPPORT, "common": SELECT_COMMON}[state]) == 0x9000
    assert c.sw("00A4000C023F00") == 0x6A82
    assert c.sw("00A40000023F00") == 0x6A82


def test_internal_authenticate_on_a_jpki_key_is_6982(card_client):
    c = card_client
    c.sw(SELECT_JPKI)
    assert c.sw("0088009708" + "11" * 8 + "00") == 0x6982
    assert c.sw("002000980431323334") == 0x9000  # even with the PIN verified
    assert c.sw("0088009708" + "11" * 8 + "00") == 0x6982


@pytest.mark.parametrize("apdu", ["00CA004500", "00CADF3005", "00CA00F000"])
def test_get_data_for_an_absent_object_is_6a88(card_client, apdu):
    assert card_client.sw(apdu) == 0x6A88


# --- 8. the signature password mixes letters and digits ----------------------------------------------------------

@pytest.mark.parametrize("new", ["ABCDEF", "123456"])
def test_change_reference_data_refuses_a_password_without_both_letters_and_digits(card_client, new):
    c = card_client
    c.sw(SELECT_JPKI)
    assert c.sw("0020009B06414243313233") == 0x9000  # ABC123
    assert c.sw(f"0024019B{len(new):02X}{new.encode().hex()}") == 0x6A80
    assert c.sw("0024019B0741424344454631") == 0x9000  # ABCDEF1


def test_profile_with_a_letters_only_password_names_field_and_rule(tmp_path):
    text = (DEFAULT_DIRECTORY / "valid.yaml").read_text(encoding="utf-8")
    path = tmp_path / "letters.yaml"
    path.write_text(text.replace('name: valid', 'name: letters').replace('"ABC123"', '"ABCDEF"'), encoding="utf-8")
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    line = next(line for line in str(err.value).splitlines() if ": pins.sign.value:" in line)
    assert "混在" in line and "ABCDEF" not in line


# --- 3. counters persist for the card's life ---------------------------------------------------------------------

class _Bridge:
    """What CardController needs of a vpcd bridge, without pcscd (the real bridge is tested in test_vpcd.py)."""

    port, faults, apdus = 0, {}, 0

    def __init__(self):
        self.card = None
        self.connected = type("E", (), {"is_set": staticmethod(lambda: True)})()

    def insert(self, card, wait: float = 0):
        self.card = card

    def swap(self, card):
        self.card = card

    def remove(self):
        self.card = None


def _spend_a_try(card) -> None:
    card.power_on()
    card.transmit(bytes.fromhex(SELECT_JPKI))
    assert card.transmit(bytes.fromhex("002000980430303030"))[-2:] == b"\x63\xc2"


def test_reinsert_and_swap_back_keep_the_counters(make_card):
    from virtual_card.control import CardController

    controller = CardController(_Bridge(), CardRegistry(make_card), "valid")
    controller.insert()
    _spend_a_try(controller.card)
    controller.remove()
    controller.insert()
    assert controller.card.pin_tries("auth") == 2
    controller.swap("student")
    controller.swap("valid")
    assert controller.card.pin_tries("auth") == 2
    controller.city_office_reset("auth")
    controller.remove()
    controller.insert()
    assert controller.card.pin_tries("auth") == 3


def test_card_serve_uses_the_registry():
    import inspect

    from virtual_card import cli

    assert "CardRegistry(" in inspect.getsource(cli.serve)


# --- 6. the 共通カードAP and the support AP's other files --------------------------------------------------------

def test_common_ap_card_info_record_as_jpki_myna_reads_it(card_client):
    c = card_client
    assert c.sw(SELECT_COMMON) == 0x9000
    record, sw = c.send("00B2010C00")
    assert sw == 0x9000 and record[:2] == b"\x01\x1c" and len(record) == 30 and record[2:].isdigit()
    card = c.card
    assert record[17:22].decode() == card.profile.holder.municipality_code
    assert record[22:].decode() == card.credentials.card_expires.strftime("%Y%m%d")
    assert c.sw("00B2020C00") == 0x6A83


def test_support_ap_files_and_collation_numbers(card_client):
    c = card_client
    card = c.card
    assert c.sw(SELECT_SUPPORT) == 0x9000
    basic, sw = c.send("00B0850000")  # EF 0005 is free: FF40 { DF41, DF42 } + 128 bytes
    assert sw == 0x9000 and basic[:2] == b"\xff\x40" and len(basic) == 3 + 7 + 19 + 128
    assert c.send("00B0880000") == (b"\xff" * 16, 0x9000)
    for sfi in ("83", "86", "87", "81", "82"):
        assert c.sw(f"00B0{sfi}0000") == 0x6982, sfi
    assert c.sw("00200092") == 0x63C0 and c.sw("002000920431323334") == 0x6984  # EF 0012 blocked
    a = ap.collation_a(card.profile).encode()
    assert c.sw(f"00200094{len(a):02X}{a.hex()}") == 0x9000  # 照合番号A opens 0001, not 0002
    assert c.send("00B0810011")[0][3:15] == a and c.sw("00B0820000") == 0x6982
    c.sw(SELECT_SUPPORT)
    b = ap.collation_b(card.profile, card.credentials).encode()
    assert len(b) == 14
    assert c.sw(f"00200095{len(b):02X}{b.hex()}") == 0x9000  # 照合番号B opens 0002, not 0001
    assert c.sw("00B0820000") == 0x9000 and c.sw("00B0810011") == 0x6982
    assert c.sw("00B0830000") == 0x9000


# --- 9. revocation detail: reasonCode through the portal's OCSP responder ----------------------------------------

def test_a_move_reaches_the_relying_party_as_affiliation_changed(tmp_path, pki):
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.x509 import ocsp

    from portal_mock.models.ocsp import respond

    now = dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC)
    creds = pki.issue_card(load_profile("valid"), now)
    cert = x509.load_der_x509_certificate(creds.sign_cert)
    ca = x509.load_der_x509_certificate(creds.sign_ca_cert)
    pki.revoke("sign", cert.serial_number, now - dt.timedelta(hours=1))
    try:
        pki.export_trust(tmp_path, now)
    finally:
        pki.forget_revocations()
    request = ocsp.OCSPRequestBuilder().add_certificate(cert, ca, hashes.SHA256()).build()
    answer = ocsp.load_der_ocsp_response(respond(tmp_path, "sign", request.public_bytes(serialization.Encoding.DER),
                                                 now + dt.timedelta(days=30)))
    assert answer.certificate_status == ocsp.OCSPCertStatus.REVOKED
    assert answer.revocation_reason == x509.ReasonFlags.affiliation_changed
