"""Bad input at every form and at the control API: the right message, a 4xx, never a 500, and the store
unchanged (compared row by row, sessions and the events log aside)."""

from __future__ import annotations

import random
import string

import pytest

from tests.portal_mock import cards

FORMS = ["/ras", "/check", "/register/terms", "/register/category", "/register/card/sign", "/register/card/auth",
         "/register/info", "/register/confirm", "/password", "/password/forgot", "/login", "/login/password",
         "/logout", "/offer/offerRSS_gotoOffer"]


def prepared(env):
    env.seed()
    env.seed(number="CD87654321EF", birth="1985-05-05")
    card = env.card()
    env.register(card)
    env.advance(minutes=2)
    link = env.link("taro@example.co.jp")
    env.set_password("taro@example.co.jp")
    env.portal.process_due()
    return card, link


def assert_4xx(resp, code: str | None = None):
    assert 400 <= resp.status < 500, (resp.status, resp.url, resp.text[-600:])
    if code:
        assert code in resp.text, (code, resp.url, resp.text[-600:])


def test_bad_input_everywhere_answers_4xx_and_changes_nothing(env):
    card, used_link = prepared(env)
    before = env.portal.store.dump()
    b, p = env.new_browser(), env.prefix
    _forged_csrf_and_steps_out_of_order(env, b, p)
    new = env.card(name="ベツ ジン BETSU JIN", birth="19850505")
    _bad_certificates(env, b, p, card, new)
    _bad_user_information(env, p, new)
    _bad_links_and_reset_requests(b, p, used_link)
    # 7. unknown pages and methods
    assert_4xx(b.get(p + "/no/such/page"), "WZBAM905E")
    assert_4xx(b.get("/isa/nothing.html"), "WZBAM905E")
    r = env.browser.client.put(p + "/register/info")
    assert r.status_code == 405
    after = env.portal.store.dump()
    assert after == before
    assert not env.events("internal_error")


def _forged_csrf_and_steps_out_of_order(env, b, p) -> None:
    # 1. missing / wrong CSRF at every form
    for path in FORMS:
        if path == "/ras" and env.gen != "ras":
            continue
        assert_4xx(b.post(p + path, {"x": "1"}), "WZBAM901E")
        assert_4xx(b.post(p + path, {"_csrf": "forged"}), "WZBAM901E")
    # 2. steps out of order (a valid CSRF token but no registration in progress)
    top = b.get(p + "/password/forgot")
    for path in ("/register/category", "/register/info", "/register/confirm"):
        assert_4xx(b.post(p + path, {"category": "self"}, csrf_from=top), "WZBAM907E")
    assert_4xx(b.get(p + "/register/confirm"), "WZBAM907E")
    assert_4xx(b.get(p + "/menu"), "WZBAM903E")
    assert_4xx(b.get(p + "/login/password"), "WZBAM903E")


def _bad_certificates(env, b, p, card, new) -> None:
    # 3. certificates: garbage, PEM, oversize, the wrong kind, a stranger's card, card reads missing
    login_path = p + ("/ras" if env.gen == "ras" else "/login")
    base = {"usrKbn": "1", "clickLogInKjnBtn": "1"} if env.gen == "ras" else {}
    top = b.get(p + ("/" if env.gen == "ras" else "/login"))
    for cert in ("!!!notbase64", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", "QUJD",
                 cards.b64(card.sign_cert)):
        assert_4xx(b.post(login_path, {**base, "hdnUsrCert": cert}, csrf_from=top), "WZBAM255E")
        top = b.get(p + ("/" if env.gen == "ras" else "/login"))
    assert_4xx(b.post(login_path, {**base, "hdnUsrCert": ""}, csrf_from=top), "WZBAM110E")
    assert_4xx(b.post(login_path, {**base, "hdnUsrCert": "A" * 70_000}, csrf_from=top))  # oversize body: 413
    top = b.get(p + ("/" if env.gen == "ras" else "/login"))
    r = env.login(new, b=b)  # unknown user (a valid card never registered)
    assert_4xx(r, "WZBAM256E")
    if env.gen == "ras":
        top = b.get(p + "/")
        assert_4xx(b.post(p + "/ras", {"clickLogInKjnBtn": "1"}, csrf_from=top), "WZBAM102E")
        assert_4xx(b.post(p + "/ras", {"usrKbn": "2", "clickLogInKjnBtn": "1"}, csrf_from=top))
        assert_4xx(b.post(p + "/ras", {"usrKbn": "1"}, csrf_from=top), "WZBAM904E")


def _bad_user_information(env, p, new) -> None:
    # 4. user information: wrong formats, oversize, mismatch, duplicates
    b2 = env.new_browser()
    info = env.to_info(new, b=b2)
    assert info.status == 200, info.text[-500:]
    cases = [
        ({"residence_card_number": "cd87654321ef"}, "WZBAM104E"),
        ({"residence_card_number": "ＣＤ87654321EF"}, "WZBAM104E"),
        ({"residence_card_number": ""}, "WZBAM101E"),
        ({"residence_card_number": "X" * 500}, "WZBAM103E"),
        ({"email": "", "email_confirm": ""}, "WZBAM101E"),
        ({"email": "a" * 61 + "@x.jp", "email_confirm": "a" * 61 + "@x.jp"}, "WZBAM106E"),
        ({"email": "ｍａｉｌ@x.jp", "email_confirm": "ｍａｉｌ@x.jp"}, "WZBAM105E"),
        ({"email": "a@x.jp", "email_confirm": "b@x.jp"}, "WZBAM107E"),
        ({"residence_card_number": "AB12345678CD"}, "WZBAM304E"),  # somebody else's number
        ({"residence_card_number": "ZZ00000000ZZ"}, "WZBAM303E"),
    ]
    for override, code in cases:
        data = {"residence_card_number": "CD87654321EF", "email": "b@example.co.jp", "email_confirm": "b@example.co.jp",
                **override}
        assert_4xx(b2.post(p + "/register/info", data, csrf_from=info), code)
    assert_4xx(b2.post(p + "/register/category", {"category": "hacker"}, csrf_from=info), "WZBAM102E")


def _bad_links_and_reset_requests(b, p, used_link) -> None:
    # 5. links: garbage, used, missing; password form with a bad token
    for q in ("", "?token=", "?token=" + "x" * 500, "?token=%00%ff"):
        assert_4xx(b.get(p + "/password" + q), "WZBAM403E")
    assert_4xx(b.get(used_link), "WZBAM402E")
    pw = b.get(p + "/password/forgot")
    assert_4xx(b.post(p + "/password", {"token": "nope", "password": "Passw0rd!x", "password_confirm": "Passw0rd!x"},
                      csrf_from=pw), "WZBAM403E")
    # 6. forgot password: unknown user, bad formats
    for data, code in [({"auth_id": "NOSUCHID1", "email": "taro@example.co.jp"}, "WZBAM207E"),
                       ({"auth_id": "", "email": "taro@example.co.jp"}, "WZBAM101E"),
                       ({"auth_id": "認証", "email": "x@y.jp"}, "WZBAM208E"),
                       ({"auth_id": "A" * 300, "email": "x@y.jp"}, "WZBAM103E"),
                       ({"auth_id": "A1", "email": "x" * 100}, "WZBAM106E")]:
        assert_4xx(b.post(p + "/password/forgot", data, csrf_from=pw), code)


def test_control_api_bad_input_400_naming_the_field(env):
    prepared(env)
    before = env.portal.store.dump()
    c = env.browser.client
    cases = [
        ("POST", "reset", {"generation": "v3"}, "generation"),
        ("POST", "reset", {"clock": "yesterday"}, "clock"),
        ("PUT", "clock", {}, "now"),
        ("PUT", "clock", {"now": 12}, "now"),
        ("POST", "clock/advance", {"seconds": -5}, "seconds"),
        ("POST", "clock/advance", {"hours": "two"}, "hours"),
        ("POST", "clock/advance", {}, "seconds"),
        ("PUT", "generation", {"generation": "x"}, "generation"),
        ("POST", "faults", {"kind": "earthquake"}, "kind"),
        ("POST", "faults", {"kind": "outage"}, "until"),
        ("POST", "faults", {"kind": "outage", "from": "2025-06-03T00:00:00+09:00",
                            "until": "2025-06-02T00:00:00+09:00"}, "until"),
        ("POST", "faults", {"kind": "slow", "duration_seconds": 5}, "delay_ms"),
        ("PUT", "mail-rules", {"rules": "all"}, "rules"),
        ("PUT", "mail-rules", {"rules": [{"domain": "x.jp", "action": "bounce"}]}, "rules[0].action"),
        ("PUT", "settings", {"nope": 1}, "nope"),
        ("PUT", "settings", {"cert_min_age_hours": "soon"}, "cert_min_age_hours"),
        ("PUT", "settings", {"proof_of_possession": {"ras": "yes"}}, "proof_of_possession"),
        ("PUT", "settings", {"accept_unknown_residents": 1}, "accept_unknown_residents"),
        ("PUT", "settings", {"link_ttl_hours": None}, "link_ttl_hours"),
        ("POST", "clock/advance", {"days": 9_000_000_000}, "days"),
        ("POST", "bureau/change-email", {"auth_id": "X", "email": "not-an-address"}, "email"),
        ("POST", "bureau/change-email", {"email": "a@b.jp"}, "auth_id"),
        ("POST", "bureau/change-email", {"residence_card_number": "bad", "email": "a@b.jp"}, "residence_card_number"),
        ("POST", "residents", {"residence_card_number": "bad", "birth_date": "1990-01-01",
                               "status_of_residence": "留学"}, "residence_card_number"),
        ("POST", "residents", {"residence_card_number": "AB00000000AB", "birth_date": "1990/01/01",
                               "status_of_residence": "留学"}, "birth_date"),
        ("POST", "residents", {"residence_card_number": "AB00000000AB", "birth_date": "1990-01-01"},
         "status_of_residence"),
        ("POST", "residents", {"residents": [{"residence_card_number": "AB00000000AB", "birth_date": "1990-01-01",
                                              "status_of_residence": "留学"}, {"residence_card_number": "x"}]},
         "residence_card_number"),
        ("POST", "residents", {"residents": []}, "residents"),
        ("GET", "events?since=abc", None, "since"),
        ("POST", "registrations", {"auth_cert": "x", "residence_card_number": "AB12345678CD", "email": "a@b.jp"},
         "sign_cert"),
        ("POST", "registrations", {"generation": "v3"}, "generation"),
        ("POST", "password", {"password": "Passw0rd!x"}, "token"),
        ("GET", "mailbox/nobody", None, "address"),
        ("DELETE", "faults?id=x", None, "id"),
    ]
    for method, path, body, field in cases:
        r = c.open("/__admin/" + path, method=method, json=body)
        assert r.status_code == 400, (path, body, r.status_code, r.get_data(as_text=True))
        assert r.get_json()["field"] == field, (path, r.get_json())
    r = c.post("/__admin/reset", data="{not json", content_type="application/json")
    assert r.status_code == 400 and r.get_json()["field"] == "body"
    r = c.post("/__admin/bureau/change-email", json={"auth_id": "NOSUCH", "email": "a@b.jp"})
    assert r.status_code == 404
    assert env.portal.store.dump() == before


def test_random_fuzz_never_500(make_env):
    rnd = random.Random(4)
    alphabet = string.printable + "在留カード番号ＡＢ０１\x00\u202e"
    for gen in ("ras", "rasens"):
        e = make_env(gen)
        prepared(e)
        b = e.new_browser()
        top = b.get(e.prefix + "/password/forgot")
        fields = ["usrKbn", "clickTurkKjnBtn", "clickLogInKjnBtn", "hdnSignCert", "hdnUsrCert", "hdnSignSig",
                  "hdnUsrSig", "challenge", "category", "agree", "residence_card_number", "email", "email_confirm",
                  "token", "password", "password_confirm", "auth_id", "procedure", "memo", "applicant_birth_date"]
        for _ in range(150):
            path = e.prefix + rnd.choice(FORMS)
            data = {f: "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 40)))
                    for f in rnd.sample(fields, rnd.randint(0, 6))}
            if rnd.random() < 0.7:
                data["_csrf"] = top.field("_csrf")
            r = b.post(path, data) if rnd.random() < 0.8 else b.get(path + "?token=" + data.get("token", ""))
            assert r.status < 500, (path, data, r.text[-400:])
        for _ in range(60):
            path = rnd.choice(["reset", "clock", "clock/advance", "faults", "mail-rules", "settings", "residents",
                               "bureau/change-email", "generation"])
            body = rnd.choice([None, [], "x", 3, {rnd.choice(["generation", "now", "seconds", "kind", "rules",
                                                              "email", "auth_id", "residents"]):
                                                  rnd.choice([None, -1, "x", [], {}, 1e308, True])}])
            r = e.browser.client.open("/__admin/" + path, method=rnd.choice(["POST", "PUT"]), json=body)
            assert r.status_code < 500, (path, body, r.get_data(as_text=True))
        assert not e.events("internal_error")


@pytest.mark.parametrize("gen", ["ras", "rasens"])
def test_error_handler_turns_a_crash_into_a_plain_page(make_env, gen):
    e = make_env(gen)

    def boom(*a, **k):
        raise RuntimeError("secret detail 1234")

    e.portal.menu = boom
    prepared(e)
    card = e.card(name="クラッシュ CRASH", birth="19800101")
    e.seed(number="EF11111111EF", birth="1980-01-01")
    e.register(card, number="EF11111111EF", email="crash@example.co.jp")
    e.advance(minutes=2)
    e.set_password("crash@example.co.jp")
    r = e.login(card)
    assert r.status == 500 and "WZBAM999E" in r.text and "secret detail" not in r.text
    ev = e.events("internal_error")
    assert ev and ev[-1]["detail"] == {"exception": "RuntimeError"}
