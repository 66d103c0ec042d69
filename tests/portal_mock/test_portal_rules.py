from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from portal_mock.models import rules
from portal_mock.models.clock import JST, SimClock
from portal_mock.models.rules import PortalError


@pytest.mark.parametrize("value,ok", [("AB12345678CD", True), ("ab12345678cd", False), ("AB1234567CD", False),
                                      ("ＡＢ12345678CD", False), ("AB12345678CD ", True), ("", False)])
def test_card_number(value, ok):
    if ok:
        assert rules.validate_card_number(value) == value.strip()
    else:
        with pytest.raises(PortalError):
            rules.validate_card_number(value)


@pytest.mark.parametrize("email,confirm,key", [
    ("a@example.jp", "a@example.jp", None), ("a@example.jp", "b@example.jp", "email_mismatch"),
    ("x" * 50 + "@example.jp", "x" * 50 + "@example.jp", "email_too_long"), ("ａ@example.jp", "ａ@example.jp", "email_format"),
    ("no-at", "no-at", "email_format"), ("", "", "required")])
def test_email(email, confirm, key):
    if key is None:
        assert rules.validate_email(email, confirm) == email
    else:
        with pytest.raises(PortalError) as e:
            rules.validate_email(email, confirm)
        assert e.value.key == key


@pytest.mark.parametrize("pw,key", [("Passw0rd!", None), ("Pa0!" * 8, None), ("Pa0!" * 8 + "x", "password_rules"),
                                    ("Pa0!xx", "password_rules"), ("Password!", "password_rules"),
                                    ("Passw0rdx", "password_rules"), ("Passw0rd~", "password_rules"),
                                    ("xAB1234567!", "password_contains_id")])
def test_password(pw, key):
    if key is None:
        assert rules.validate_password(pw, pw, "AB1234567")
    else:
        with pytest.raises(PortalError) as e:
            rules.validate_password(pw, pw, "AB1234567")
        assert e.value.key == key


def test_age_and_eligibility():
    today = date(2025, 6, 2)
    assert rules.age_on(date(2010, 6, 2), today) == 15 and rules.age_on(date(2010, 6, 3), today) == 14
    res = rules.Resident("AB12345678CD", date(1990, 1, 1), "留学", date(2026, 1, 1))
    rules.check_registrant(rules.Registrant("A", date(1990, 1, 1), "self", res), today)
    with pytest.raises(PortalError) as e:
        rules.check_registrant(rules.Registrant("A", date(2011, 1, 1), "self", res), today)
    assert e.value.key == "under_15"
    for status in ("外交", "公用", "短期滞在", "特定活動（出国準備期間）"):
        with pytest.raises(PortalError) as e:
            rules.check_registrant(rules.Registrant("A", date(1990, 1, 1), "self",
                                                    rules.Resident("X", date(1990, 1, 1), status)), today)
        assert e.value.key == "status_excluded"
    with pytest.raises(PortalError):
        rules.check_registrant(rules.Registrant("P", date(1980, 1, 1), "relative", applicant_birth_date=date(2009, 1, 1)), today)
    rules.check_registrant(rules.Registrant("P", date(1980, 1, 1), "relative", applicant_birth_date=date(2010, 1, 1)), today)
    rules.check_registrant(rules.Registrant("P", date(1980, 1, 1), "relative", applicant_birth_date=date(2000, 1, 1),
                                            applicant_cannot_apply=True), today)
    rules.check_registrant(rules.Registrant("P", date(1980, 1, 1), "legal_representative",
                                            applicant_birth_date=date(2000, 1, 1)), today)


def test_procedures():
    today = date(2025, 6, 2)
    pr = rules.procedures_for("self", "永住者", None, today)
    assert pr["available"] == [] and "永住許可申請" in pr["not_available"]
    assert rules.procedures_for("self", "留学", today, today)["blocked"] == "last_day"


# 「利用者ごとの申請可能な手続」 (moj.go.jp/isa/content/001369137.pdf), row by row, columns in the PDF's order:
# 認定 変更 更新 取得 就労資格証明書 資格外活動 再入国.  ○ = offered; × = not; △ = offered under its note.
TABLE = {
    "self": "○○○○○○○",
    "legal_representative": "○○○○○○○",
    "relative": "△△△△××△",
}


@pytest.mark.parametrize("category", sorted(TABLE))
def test_procedures_follow_the_agency_table(category):
    """The relative's △ for a certificate of eligibility is 注2 (family statuses): a 家族滞在 applicant gets it."""
    offered = rules.procedures_for(category, "家族滞在", date(2026, 1, 1), date(2025, 6, 2))["available"]
    expected = [name for name, mark in zip(rules.PROCEDURES.values(), TABLE[category], strict=True) if mark != "×"]
    assert offered == expected


def test_note_2_limits_a_relatives_certificate_of_eligibility_to_family_statuses():
    today, until = date(2025, 6, 2), date(2026, 1, 1)
    assert "在留資格認定証明書交付申請" not in rules.procedures_for("relative", "技術・人文知識・国際業務", until,
                                                                    today)["available"]
    assert "在留資格認定証明書交付申請" in rules.procedures_for("relative", "留学", until, today)["available"]


@pytest.mark.parametrize("status", ["外交", "公用", "短期滞在", "特定活動（出国準備期間）"])
def test_excluded_statuses_get_nothing(status):
    menu = rules.procedures_for("self", status, date(2026, 1, 1), date(2025, 6, 2))
    assert menu["available"] == [] and menu["blocked"] == "status_excluded"


@pytest.mark.parametrize(("months", "refused"), [(3, True), (1, True), (4, False), (None, False)])
def test_a_period_of_stay_of_three_months_or_less_excludes_the_person(months, refused):
    res = rules.Resident("AB12345678CD", date(1990, 1, 1), "技能", date(2026, 1, 1), period_of_stay_months=months)
    registrant = rules.Registrant("A", date(1990, 1, 1), "self", res)
    if refused:
        with pytest.raises(PortalError) as e:
            rules.check_registrant(registrant, date(2025, 6, 2))
        assert e.value.key == "short_stay_excluded"
    else:
        rules.check_registrant(registrant, date(2025, 6, 2))


def test_permanent_residence_online_is_announced_but_off_by_default():
    today, until = date(2025, 6, 2), date(2026, 1, 1)
    assert "永住許可申請" in rules.procedures_for("self", "技能", until, today)["not_available"]
    on = rules.procedures_for("self", "技能", until, today, permanent_online=True)
    assert "永住許可申請" in on["available"] and "永住許可申請" not in on["not_available"]
    assert "永住許可申請" not in rules.procedures_for("relative", "留学", until, today, permanent_online=True)["available"]


def test_identity_auth_id_password_hash_and_expiry():
    assert rules.identity_key("Yamada  Taro", "1990-01-01") == rules.identity_key("YAMADA TARO", "1990-01-01")
    assert rules.identity_key("A", "1990-01-01") != rules.identity_key("A", "1990-01-02")
    aid = rules.new_auth_id()
    assert len(aid) == 10 and aid.isalnum() and aid.isupper() or aid[1:].isdigit()
    h = rules.hash_password("Passw0rd!")
    assert rules.check_password("Passw0rd!", h) and not rules.check_password("passw0rd!", h)
    t0 = datetime(2025, 1, 1, tzinfo=JST)
    assert not rules.password_expired(t0, t0 + timedelta(days=364), 365)
    assert rules.password_expired(t0, t0 + timedelta(days=365), 365)
    due = rules.reminders_due(t0, t0 + timedelta(days=400), 365, (30, 7), [])
    assert [d for d, _ in due] == [30, 7] and due[0][1] == t0 + timedelta(days=335)
    assert rules.reminders_due(t0, t0 + timedelta(days=400), 365, (30, 7), [30]) == [(7, t0 + timedelta(days=358))]


def test_sim_clock():
    c = SimClock("2025-06-02T10:00:00+09:00")
    seen = []
    c.add_listener(seen.append)
    assert c.now() == c.now()  # frozen
    c.advance(days=5, hours=1)
    assert c.now_jst().isoformat() == "2025-06-07T11:00:00+09:00" and len(seen) == 1
    with pytest.raises(ValueError):
        c.advance(-1)
    c.set("2026-01-05T09:00:00")  # naive = JST
    assert c.now_jst().hour == 9
    running = SimClock("2025-01-01T00:00:00+09:00", rate=3600.0)
    import time
    time.sleep(0.01)
    assert running.now() > datetime(2025, 1, 1, 0, 0, 30, tzinfo=JST)


def test_messages_yaml_complete():
    from portal_mock.models.messages import Messages
    m = Messages()
    assert m.get("cert_auth_failed").display == "WZBAM255E : マイナンバーカードの認証に失敗しました"
    assert m.get("cert_auth_failed").verified
    import yaml

    from portal_mock.models.messages import DEFAULT_PATH
    raw = yaml.safe_load(DEFAULT_PATH.read_text(encoding="utf-8"))["messages"]
    assert all("verified" in v and "status" in v for v in raw.values())
    assert sum(1 for v in raw.values() if v["verified"]) <= 2  # almost everything is a documented guess
    assert m.subject("registered", "rasens").startswith("【入管庁】")
