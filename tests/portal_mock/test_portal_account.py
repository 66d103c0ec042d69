"""The 利用者情報 screen, the bureau's 認証ID answer, access from abroad and the English agency page, both
generations: the rules, the mails, and bad input answered with a 4xx that leaves the store as it was."""

from __future__ import annotations

from portal_mock.app import CLIENT_LOCATION_HEADER


def _logged_in(env, email="taro@example.co.jp"):
    env.seed()
    card = env.card()
    assert env.register(card, email=email).status == 200
    env.advance(minutes=2)
    env.set_password(email)
    menu = env.login(card)
    assert menu.status == 200 and "利用者情報（メールアドレスの変更）" in menu.text, menu.text
    return env.browser.get(env.prefix + "/userinfo")


def _email(env) -> str:
    return env.admin("GET", "registrations")[1]["registrations"][0]["email"]


def test_userinfo_needs_login(env):
    page = env.browser.get(env.prefix + "/userinfo")
    assert page.status == 401 and "WZBAM903E" in page.text


def test_userinfo_changes_the_email_and_mails_the_new_address(env):
    page = _logged_in(env)
    assert page.status == 200 and 'id="currentEmail">taro@example.co.jp<' in page.text
    done = env.browser.post(env.prefix + "/userinfo", {"email": "taro@yahoo.co.jp", "email_confirm": "taro@yahoo.co.jp",
                                                      "password": "Passw0rd!x"}, csrf_from=page)
    assert done.status == 200 and "メールアドレスを変更しました。" in done.text
    assert _email(env) == "taro@yahoo.co.jp"
    env.advance(minutes=2)
    assert [m["kind"] for m in env.mails("taro@yahoo.co.jp")] == ["email_changed"]


def test_userinfo_refuses_a_wrong_password_or_a_mismatch_and_keeps_the_email(env):
    page = _logged_in(env)
    for form, code, status in (
        ({"email": "a@yahoo.co.jp", "email_confirm": "a@yahoo.co.jp", "password": "wrong"}, "WZBAM204E", 401),
        ({"email": "a@yahoo.co.jp", "email_confirm": "b@yahoo.co.jp", "password": "Passw0rd!x"}, "WZBAM107E", 400),
        ({"email": "x" * 70 + "@a.jp", "email_confirm": "x" * 70 + "@a.jp", "password": "Passw0rd!x"}, "WZBAM106E", 400),
        ({}, "WZBAM101E", 400),
    ):
        answer = env.browser.post(env.prefix + "/userinfo", form, csrf_from=page)
        assert answer.status == status and code in answer.text, (form, answer.status)
        assert _email(env) == "taro@example.co.jp"


def test_the_bureau_mails_a_forgotten_auth_id_after_its_delay(make_env):
    env = make_env("rasens", bureau_auth_id_delay_seconds=3600)
    env.seed()
    assert env.register(env.card(), email="taro@example.co.jp").status == 200
    code, body = env.admin("POST", "bureau/auth-id-inquiry", {"residence_card_number": "AB12345678CD"})
    assert code == 202, body
    env.advance(minutes=59)
    assert [m["kind"] for m in env.mails("taro@example.co.jp")] == ["registered"]
    env.advance(minutes=2)
    notice = env.mails("taro@example.co.jp")[-1]
    auth_id = env.admin("GET", "registrations")[1]["registrations"][0]["auth_id"]
    assert notice["kind"] == "auth_id_notice" and f"認証ID：{auth_id}" in notice["body"]


def test_the_auth_id_inquiry_refuses_bad_input(env):
    for body, status in (({}, 400), ({"residence_card_number": 5}, 400), ({"residence_card_number": "ab"}, 400),
                         ({"residence_card_number": "ZZ99999999ZZ"}, 404)):
        code, answer = env.admin("POST", "bureau/auth-id-inquiry", body)
        assert code == status and answer["field"] == "residence_card_number", (body, code, answer)
    assert env.admin("GET", "mails")[1]["mails"] == []


def test_access_from_abroad_is_refused_by_the_portal_not_by_the_agency_page(make_env):
    for gen in ("ras", "rasens"):
        env = make_env(gen)
        abroad = {"headers": {CLIENT_LOCATION_HEADER: "abroad", "User-Agent": env.browser.ua}}
        r = env.browser.client.get(env.prefix + "/", **abroad)
        assert r.status_code == 403 and "海外からのアクセスは制限しているため" in r.get_data(as_text=True)
        assert env.browser.client.get("/isa/applications/online/onlineshinsei.html", **abroad).status_code == 200
        code, _ = env.admin("PUT", "settings", {"overseas_access_blocked": False})
        assert code == 200
        assert env.browser.client.get(env.prefix + "/", **abroad).status_code == 200


def test_the_english_agency_page_publishes_the_same_entry(env):
    page = env.browser.get("/isa/applications/online/onlineshinsei.html?hl=en")
    assert page.status == 200
    assert f'href="{env.prefix}/">Click here to use the Online Residence Application System.</a>' in page.text
