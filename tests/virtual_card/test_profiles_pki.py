"""Profile validation (file + field + fix, never the secret) and the JPKI-TEST PKI (§13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from cryptography import x509

from virtual_card import dates, mynumber
from virtual_card import pki as pki_mod
from virtual_card.profiles import DEFAULT_DIRECTORY, ProfileError, list_profiles, load_profile

REQUIRED = {"valid", "sign-cert-expired", "sign-cert-revoked-after-move", "certs-issued-under-24h",
            "no-sign-cert-under-15", "auth-pin-blocked", "sign-password-one-try-left", "card-expired-end-of-stay",
            "renewed-card", "not-a-my-number-card", "atr-old-contact", "atr-new-contact", "atr-contactless",
            "permanent-resident", "student", "engineer", "child-under-16"}


def test_every_required_profile_exists_and_loads():
    names = set(list_profiles())
    assert REQUIRED <= names
    for name in names:
        profile = load_profile(name)
        assert mynumber.is_valid(profile.holder.my_number)
    assert {load_profile(n).person.status_of_residence for n in ("permanent-resident", "student", "engineer")} \
        == {"永住者", "留学", "技術・人文知識・国際業務"}
    assert any(load_profile(n).pins.auth.value != "1234" for n in names)  # non-default PINs in use


def test_my_number_check_digit():
    assert mynumber.complete("12345678901") == "123456789018"
    assert mynumber.is_valid("000000000000") and not mynumber.is_valid("123456789010")


def _write(tmp_path, mutate) -> Path:
    data = yaml.safe_load((DEFAULT_DIRECTORY / "valid.yaml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "x.yaml"
    data["name"] = "x"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize("mutate,field,secret", [
    (lambda d: d["pins"]["auth"].update(value="987"), "pins.auth.value", "987"),
    (lambda d: d["pins"]["auth"].update(value=1234), "pins.auth.value", None),
    (lambda d: d["pins"]["sign"].update(value="abc123x"), "pins.sign.value", "abc123x"),
    (lambda d: d["pins"]["sign"].update(value="AB1"), "pins.sign.value", "AB1"),
    (lambda d: d["pins"]["sign"].update(tries_left=9), "pins.sign.tries_left", None),
    (lambda d: d["holder"].update(my_number="123456789010"), "holder.my_number", "123456789010"),
    (lambda d: d["holder"].update(sex="m"), "holder.sex", None),
    (lambda d: d["holder"].update(birth_date="yesterday"), "holder.birth_date", None),
    (lambda d: d["person"].update(residence_card_number="QQ777"), "person.residence_card_number", "QQ777"),
    (lambda d: d["certificates"]["sign"].update(status="revoked"), "certificates.sign.revoked_at", None),
    (lambda d: d["certificates"]["sign"].update(status="lost"), "certificates.sign.status", None),
    (lambda d: d.update(atr="zz"), "atr", None),
    (lambda d: d.update(applets=["jpki", "visual"]), "applets", None),
    (lambda d: d.update(colour="red"), "colour", None),
    (lambda d: d["holder"].pop("address"), "holder.address", None),
])
def test_bad_field_names_file_field_and_fix(tmp_path, mutate, field, secret):
    path = _write(tmp_path, mutate)
    with pytest.raises(ProfileError) as err:
        load_profile(path)
    message = str(err.value)
    line = next(line for line in message.splitlines() if f": {field}:" in line)
    assert "x.yaml" in line and "; fix: " in line
    if secret:
        assert secret not in message


def test_unknown_profile_lists_the_known_ones():
    with pytest.raises(ProfileError, match="use one of: .*valid"):
        load_profile("no-such-card")


def test_with_secrets_and_repr_hide_values():
    profile = load_profile("valid").with_secrets(auth_pin="9173", sign_password="SENTINEL42",
                                                           holder_name="センチネル　太郎", address="SENTINEL-ADDRESS",
                                                           residence_card_number="ZZ99999999ZZ")
    assert profile.pins.auth.value == "9173" and profile.person.residence_card_number == "ZZ99999999ZZ"
    text = repr(profile)
    for secret in ("9173", "SENTINEL42", "センチネル", "SENTINEL-ADDRESS", "ZZ99999999ZZ", profile.holder.my_number):
        assert secret not in text


def test_renewed_card_same_person_new_keys(pki):
    old, new = load_profile("valid"), load_profile("renewed-card")
    assert new.generation == old.generation + 1 and new.holder == old.holder
    assert new.person.residence_card_number != old.person.residence_card_number
    now = dt.datetime.now(dt.UTC)
    a, b = pki.issue_card(old, now), pki.issue_card(new, now)
    assert a.auth_key.public_key().public_numbers() != b.auth_key.public_key().public_numbers()
    assert a.sign_key.public_key().public_numbers() != b.sign_key.public_key().public_numbers()


# --- PKI -----------------------------------------------------------------------------------------------------

REF = dt.datetime(2026, 3, 10, 3, 0, tzinfo=dt.UTC)


def test_sign_cert_profile(pki):
    profile = load_profile("valid")
    creds = pki.issue_card(profile, REF)
    cert = x509.load_der_x509_certificate(creds.sign_cert)
    san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    oids = [g.type_id.dotted_string for g in san.value]
    assert oids == ["1.2.392.200149.8.5.5.1", "1.2.392.200149.8.5.5.4", "1.2.392.200149.8.5.5.3",
                    "1.2.392.200149.8.5.5.5", "1.2.392.200149.8.5.5.2", "1.2.392.200149.8.5.5.6"]
    values = [g.value for g in san.value]
    assert values[0][0] == 0x0C and values[0][2:].decode() == profile.holder.name  # UTF8String inside [0]
    assert values[1][2:].decode() == "419920815"  # Heisei era digit + YYYYMMDD
    localities = [a.value for a in cert.subject.get_attributes_for_oid(x509.NameOID.LOCALITY_NAME)]
    assert localities == ["Tokyo-to", "Shinjuku-ku"]
    ku = cert.extensions.get_extension_for_class(x509.KeyUsage)
    assert ku.critical and ku.value.digital_signature and ku.value.content_commitment
    policies = cert.extensions.get_extension_for_class(x509.CertificatePolicies)
    assert policies.critical
    # J-LIS test environment's signature policy (public-facts.md); production is …1.1.20
    assert [p.policy_identifier.dotted_string for p in policies.value] == ["1.2.392.200149.8.5.1.0.20"]
    crldp = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value[0].full_name[0]
    assert isinstance(crldp, x509.DirectoryName)
    assert cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess)
    issuer = x509.load_der_x509_certificate(creds.sign_ca_cert)
    assert cert.issuer == issuer.subject and "O=JPKI-TEST" in issuer.subject.rfc4514_string()
    cert.verify_directly_issued_by(issuer)


def test_auth_cert_has_no_personal_data(pki):
    profile = load_profile("valid")
    cert = x509.load_der_x509_certificate(pki.issue_card(profile, REF).auth_cert)
    assert [a.oid for a in cert.subject] == [x509.NameOID.COUNTRY_NAME, x509.NameOID.COMMON_NAME]
    assert len(cert.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value) == 23
    with pytest.raises(x509.ExtensionNotFound):
        cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    text = cert.public_bytes(pki_mod.serialization.Encoding.DER)
    assert profile.holder.name.encode() not in text and profile.holder.my_number.encode() not in text


def test_validity_to_fifth_birthday_at_1459_59z(pki):
    profile = load_profile("certs-issued-under-24h")  # card_expires +5y, issued -3h
    creds = pki.issue_card(profile, REF)
    cert = x509.load_der_x509_certificate(creds.auth_cert)
    end = cert.not_valid_after_utc
    assert (end.hour, end.minute, end.second) == (14, 59, 59)
    issued_day = (REF - dt.timedelta(hours=3)).astimezone(dates.JST).date()
    assert end.date() == min(dates.nth_birthday_after(dt.date(1992, 8, 15), issued_day, 5), creds.card_expires)
    assert cert.not_valid_before_utc == (REF - dt.timedelta(hours=3))


def test_validity_capped_by_card_expiry_and_expired_profiles(pki):
    creds = pki.issue_card(load_profile("card-expired-end-of-stay"), REF)
    for der in (creds.auth_cert, creds.sign_cert):
        assert x509.load_der_x509_certificate(der).not_valid_after_utc < REF
    creds = pki.issue_card(load_profile("sign-cert-expired"), REF)
    assert x509.load_der_x509_certificate(creds.sign_cert).not_valid_after_utc < REF
    assert x509.load_der_x509_certificate(creds.auth_cert).not_valid_after_utc > REF


def test_fifth_birthday_rule():
    assert dates.nth_birthday_after(dt.date(1990, 5, 2), dt.date(2019, 7, 25), 5) == dt.date(2024, 5, 2)
    assert dates.nth_birthday_after(dt.date(1990, 5, 2), dt.date(2019, 5, 2), 5) == dt.date(2024, 5, 2)  # strictly after
    assert dates.nth_birthday_after(dt.date(1990, 5, 2), dt.date(2019, 5, 1), 5) == dt.date(2023, 5, 2)
    assert dates.nth_birthday_after(dt.date(2000, 2, 29), dt.date(2021, 1, 1), 1) == dt.date(2021, 2, 28)


@pytest.mark.parametrize("name", ["no-sign-cert-under-15", "child-under-16"])
def test_no_sign_cert_for_children(pki, name):
    creds = pki.issue_card(load_profile(name), REF)
    assert creds.sign_cert is None and creds.sign_key is None and creds.auth_cert


def test_crl_holds_the_revoked_serial_only_after_revocation(tmp_path, pki):
    profile = load_profile("sign-cert-revoked-after-move")
    creds = pki.issue_card(profile, REF)
    serial = x509.load_der_x509_certificate(creds.sign_cert).serial_number
    paths = pki.export_trust(tmp_path, REF)
    assert {p.name for p in paths.values()} == {"auth-ca.der", "sign-ca.der", "auth.crl", "sign.crl", "auth-ocsp.der",
                                                "sign-ocsp.der", "auth-ocsp-key.der", "sign-ocsp-key.der"}
    crl = x509.load_der_x509_crl((tmp_path / "sign.crl").read_bytes())
    entry = crl.get_revoked_certificate_by_serial_number(serial)
    assert entry is not None
    # a move revokes the signature certificate: reasonCode affiliationChanged (issue 11)
    assert entry.extensions.get_extension_for_class(x509.CRLReason).value.reason == x509.ReasonFlags.affiliation_changed
    assert crl.is_signature_valid(x509.load_der_x509_certificate((tmp_path / "sign-ca.der").read_bytes()).public_key())
    auth_serial = x509.load_der_x509_certificate(creds.auth_cert).serial_number
    assert x509.load_der_x509_crl((tmp_path / "auth.crl").read_bytes()) \
        .get_revoked_certificate_by_serial_number(auth_serial) is None  # a move does not revoke the auth cert
    before = pki.crl("sign", REF - dt.timedelta(days=30))
    assert before.get_revoked_certificate_by_serial_number(serial) is None


def test_keys_are_cached_on_disk(tmp_path):
    a = pki_mod.TestPKI(tmp_path)
    b = pki_mod.TestPKI(tmp_path)
    assert a.ca_der("auth") == b.ca_der("auth")  # same cached key, deterministic CA certificate
    assert len(list(tmp_path.glob("*.pem"))) == 2
