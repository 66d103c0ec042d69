"""Route tests through the Flask test client, both generations: the journey, the traps, the faults."""

from __future__ import annotations

import json
from datetime import timedelta

from portal_mock.app import COOKIE
from tests.portal_mock import cards


def test_agency_page_entry_button_near_end_leads_to_active_generation(env):
    page = env.browser.get("/isa/applications/online/onlineshinsei.html")
    assert page.status == 200
    label = "在留申請オンラインシステムのご利用はこちらから。"
    assert label in page.text
    assert page.text.index(label) > len(page.text) * 0.8  # near the end
    assert f'href="{env.prefix}/"' in page.text


def test_generation_by_clock_and_override(make_env):
    e = make_env("ras")
    assert e.admin("GET", "clock")[1]["generation"] == "ras"
    e.admin("PUT", "clock", {"now": "2026-01-05T08:59:59+09:00"})
    assert e.admin("GET", "clock")[1]["generation"] == "ras"
    e.admin("PUT", "clock", {"now": "2026-01-05T09:00:00+09:00"})
    assert e.admin("GET", "clock")[1]["generation"] == "rasens"
    assert 'href="/rasens-u/"' in e.browser.get("/isa/applications/online/onlineshinsei.html").text
    e.admin("POST", "reset", {"generation": "ras", "clock": "2026-03-01T09:00:00+09:00"})
    assert e.admin("GET", "clock")[1]["generation"] == "ras"


def test_full_journey_register_mail_password_login_menu_logout(env):
    env.seed()
    card = env.card()
    done = env.register(card, email="taro@example.co.jp")
    assert done.status == 200, done.text
    assert "ヤマダ タロウ YAMADA TARO 様の利用者情報の登録が完了しました。" in done.text
    # the 認証ID is only in the mail
    regs = env.admin("GET", "registrations")[1]["registrations"]
    assert len(regs) == 1 and regs[0]["auth_id"] not in done.text
    assert env.mails("taro@example.co.jp") == []  # *.jp is delivered after a small delay
    env.advance(minutes=2)
    mail = env.mails("taro@example.co.jp")[0]
    sender = {"ras": "noreply@ras-immi.moj.go.jp", "rasens": "info@rasens-immi.moj.go.jp"}[env.gen]
    assert mail["from"] == sender
    if env.gen == "rasens":
        assert mail["subject"].startswith("【入管庁】")
    assert regs[0]["auth_id"] in mail["body"] and "認証ID" in mail["body"]
    assert mail["links"][0].startswith("http://localhost" + env.prefix + "/password?token=")
    done = env.set_password("taro@example.co.jp")
    assert "パスワードの設定が完了しました。" in done.text
    menu = env.login(card)
    assert menu.status == 200, menu.text
    assert ("マイページ" if env.gen == "rasens" else "メニュー") in menu.text
    assert "在留期間更新許可申請" in menu.text
    assert "永住許可申請" in menu.text.split("オンラインで申請できない手続")[1]
    out = env.browser.post(env.prefix + "/logout", {}, csrf_from=menu)
    assert "ログアウトしました。" in out.text
    assert env.browser.get(env.prefix + "/menu").status == 401


def test_wrong_password_and_password_screen_rules(env):
    env.seed()
    card = env.card()
    env.register(card)
    env.advance(minutes=2)
    page = env.browser.get(env.link("taro@example.co.jp"))
    for bad, key in [("short1!", "WZBAM201E"), ("NoDigits!!", "WZBAM201E"), ("NoSymbol12", "WZBAM201E"),
                     ("全角パスワード1!", "WZBAM201E")]:
        r = env.browser.post(env.prefix + "/password", {"token": page.field("token"), "password": bad,
                                                        "password_confirm": bad}, csrf_from=page)
        assert r.status == 400 and key in r.text
    auth_id = env.admin("GET", "registrations")[1]["registrations"][0]["auth_id"]
    pw = f"x1!{auth_id.lower()}"
    r = env.browser.post(env.prefix + "/password", {"token": page.field("token"), "password": pw,
                                                    "password_confirm": pw}, csrf_from=page)
    assert r.status == 400 and "WZBAM202E" in r.text
    r = env.browser.post(env.prefix + "/password", {"token": page.field("token"), "password": "Passw0rd!x",
                                                    "password_confirm": "Passw0rd!y"}, csrf_from=page)
    assert r.status == 400 and "WZBAM203E" in r.text
    assert env.set_password("taro@example.co.jp").status == 200
    r = env.login(card, password="passw0rd!x")  # case-sensitive
    assert r.status == 401 and "WZBAM204E" in r.text


def test_bad_certificate_shows_bare_wzbam255e_and_reason_only_in_events(env):
    env.seed()
    card = env.card(issued=env.now - timedelta(hours=3))  # younger than 24 h
    page = env.to_info(card) if env.gen == "rasens" else env.start_registration(card)
    assert page.status == 401
    assert "WZBAM255E : マイナンバーカードの認証に失敗しました" in page.text
    assert "24" not in page.text.split("WZBAM255E")[1][:200]
    failed = env.events("verify_failed")
    assert failed and "less than 24" in failed[-1]["detail"]["reason"]
    shown = [e for e in env.events("error_shown") if e["code"] == "WZBAM255E"]
    assert shown and shown[-1]["text"] == "マイナンバーカードの認証に失敗しました"


def test_cert_age_setting_and_waiting_a_day(env):
    env.seed()
    card = env.card(issued=env.now - timedelta(hours=3))
    env.advance(hours=20)
    assert env.register(card).status == 401
    env.advance(hours=2)
    assert env.register(card).status == 200


def test_revoked_signature_certificate_blocks_registration_not_login(env):
    env.seed()
    card = env.card()
    env.register(card)
    env.advance(minutes=2)
    env.set_password("taro@example.co.jp")
    env.pki.revoke("sign", cards.serial(card.sign_cert), env.now)  # moved house: sign cert revoked
    env.publish_trust()
    # operation check fails with the bare code
    check = env.browser.get(env.prefix + "/check")
    r = env.browser.post(env.prefix + "/check", env.read_cards(check, card), csrf_from=check)
    assert r.status == 401 and "WZBAM255E" in r.text
    assert "revoked" in env.events("verify_failed")[-1]["detail"]["reason"]
    assert env.login(card).status == 200  # login needs only the auth certificate


def test_operation_check_ok(env):
    card = env.card()
    check = env.browser.get(env.prefix + "/check")
    r = env.browser.post(env.prefix + "/check", env.read_cards(check, card), csrf_from=check)
    assert r.status == 200 and "動作確認が完了しました" in r.text


def test_second_registration_refused_and_renewed_card_cannot_login_or_register(env):
    env.seed()
    env.seed(number="CD87654321EF")
    card = env.card()
    assert env.register(card).status == 200
    other = env.new_browser()
    again = env.register(card, email="other@example.co.jp", b=other)
    assert again.status == 409 and "この在留カード番号は既に使用されています。" in again.text
    renewed = env.card()  # same person, new certificates (and a new residence card)
    r = env.login(renewed, b=env.new_browser())
    assert r.status == 401 and "WZBAM256E" in r.text
    r = env.register(renewed, number="CD87654321EF", email="new@example.co.jp", b=env.new_browser())
    assert r.status == 409 and "既に利用者情報が登録されています。" in r.text
    assert len(env.admin("GET", "registrations")[1]["registrations"]) == 1


def test_free_mail_dropped_silently_and_bureau_changes_address(env):
    env.seed()
    card = env.card()
    done = env.register(card, email="taro@gmail.com")
    assert done.status == 200  # no error shown
    env.advance(days=3)
    assert env.mails("taro@gmail.com") == []
    mails = env.admin("GET", "mails")[1]["mails"]
    assert [m["status"] for m in mails] == ["dropped"]
    # the phone call
    code, job = env.admin("POST", "bureau/change-email", {"residence_card_number": "AB12345678CD",
                                                          "email": "taro@nifty.com"})
    assert code == 202
    env.advance(minutes=50)
    assert env.mails("taro@nifty.com") == []
    env.advance(minutes=15)
    subjects = [m["subject"] for m in env.mails("taro@nifty.com")]
    assert any("メールアドレス変更完了" in s for s in subjects)
    assert any("パスワード再設定について" in s for s in subjects)
    assert env.set_password("taro@nifty.com", kind="password_reset").status == 200
    menu = env.login(card)
    assert menu.status == 200 and "様" in menu.text


def test_outage_only_agency_pages_and_link_after_five_days(env):
    env.seed()
    card = env.card()
    env.register(card, email="taro@nifty.com")
    env.advance(minutes=2)
    code, fault = env.admin("POST", "faults", {"kind": "outage", "duration_seconds": 5 * 86400})
    assert code == 201
    link = env.link("taro@nifty.com")
    for path in (link, "/isa/applications/online/onlineshinsei.html", env.prefix + "/"):
        r = env.browser.client.get(path)
        assert r.status_code == 503 and r.headers["X-Simulated-Outage"] == "connection-reset"
    assert env.browser.get("/elsewhere/").status == 200
    env.admin("PUT", "settings", {"link_ttl_hours": 24 * 7})
    env.advance(days=5)
    assert env.browser.get(link).status == 200


def test_maintenance_and_slow_faults(env, monkeypatch):
    code, _ = env.admin("POST", "faults", {"kind": "maintenance", "duration_seconds": 3600})
    assert code == 201
    r = env.browser.get(env.prefix + "/")
    assert r.status == 503 and "メンテナンス" in r.text
    assert env.browser.get("/isa/applications/online/onlineshinsei.html").status == 200
    env.advance(hours=1)
    assert env.browser.get(env.prefix + "/").status == 200
    env.admin("DELETE", "faults")
    code, _ = env.admin("POST", "faults", {"kind": "slow", "duration_seconds": 60, "delay_ms": 300})
    # The delays the portal applies, recorded (not timed: a wall-clock bound fails on a loaded machine).
    import portal_mock.app as app_module

    slept = []
    real_time = app_module.time
    monkeypatch.setattr(app_module, "time", type("Time", (), {"sleep": staticmethod(slept.append),
                                                              "__getattr__": lambda self, n: getattr(real_time, n)})())
    assert env.browser.get(env.prefix + "/").status == 200
    assert slept == [0.3]
    env.advance(seconds=61)
    assert env.browser.get(env.prefix + "/").status == 200
    assert slept == [0.3]  # the fault is over: no delay


def test_smartphone_gets_unsupported_page(env):
    phone = env.new_browser(user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")
    r = phone.get(env.prefix + "/")
    assert r.status == 403 and "ご利用の端末には対応していません" in r.text
    env.admin("PUT", "settings", {"smartphone_supported": {env.gen: True}})
    assert phone.get(env.prefix + "/").status == 200


def test_session_times_out_on_sim_clock(env):
    env.seed()
    card = env.card()
    info = env.to_info(card)
    env.advance(minutes=61)
    r = env.browser.post(env.prefix + "/register/info", {"residence_card_number": "AB12345678CD",
                                                        "email": "a@example.co.jp", "email_confirm": "a@example.co.jp"},
                         csrf_from=info)
    assert r.status == 401 and "タイムアウト" in r.text
    assert env.admin("GET", "registrations")[1]["registrations"] == []


def test_link_expiry_and_replay(env):
    env.seed()
    card = env.card()
    env.register(card)
    env.advance(minutes=2)
    link = env.link("taro@example.co.jp")
    assert env.set_password("taro@example.co.jp").status == 200
    r = env.browser.get(link)
    assert r.status == 410 and "このURLは既に使用されています。" in r.text
    # a reset link that expires
    top = env.browser.get(env.prefix + "/password/forgot")
    auth_id = env.admin("GET", "registrations")[1]["registrations"][0]["auth_id"]
    sent = env.browser.post(env.prefix + "/password/forgot", {"auth_id": auth_id, "email": "taro@example.co.jp"},
                            csrf_from=top)
    assert sent.status == 200 and "送信しました" in sent.text
    ttl = env.admin("GET", "settings")[1]["link_ttl_hours"]
    env.advance(hours=ttl - 1)
    assert env.browser.get(env.link("taro@example.co.jp", "password_reset")).status == 200, "expired too early"
    env.advance(hours=2)
    r = env.browser.get(env.link("taro@example.co.jp", "password_reset"))
    assert r.status == 410 and "URLの有効期限が切れています" in r.text
    assert env.browser.get(env.prefix + "/password?token=nonsense").status == 404


def test_forgot_password_unknown_user(env):
    top = env.browser.get(env.prefix + "/password/forgot")
    r = env.browser.post(env.prefix + "/password/forgot", {"auth_id": "A123456789", "email": "x@example.co.jp"},
                         csrf_from=top)
    assert r.status == 400 and "認証ID又はメールアドレスが正しくありません。" in r.text
    assert env.admin("GET", "mails")[1]["mails"] == []


def test_password_expiry_reminders_and_reset(env):
    env.admin("PUT", "generation", {"generation": env.gen})  # a year later ras would have been replaced
    env.seed(until="2030-01-01")
    card = env.card(days=3650)
    env.register(card)
    env.advance(minutes=2)
    env.set_password("taro@example.co.jp")
    env.advance(days=334)
    assert [m for m in env.mails("taro@example.co.jp") if m["kind"] == "password_expiry"] == []
    env.advance(days=2)  # 30 days before expiry has passed
    reminders = [m for m in env.mails("taro@example.co.jp") if m["kind"] == "password_expiry"]
    assert len(reminders) == 1 and "30日" in reminders[0]["subject"] + reminders[0]["body"]
    env.advance(days=30)  # past expiry: the 7-day one came too
    reminders = [m for m in env.mails("taro@example.co.jp") if m["kind"] == "password_expiry"]
    assert len(reminders) == 2
    r = env.login(card)
    assert r.status == 401 and "パスワードの有効期限が切れています" in r.text
    top = env.browser.get(env.prefix + "/password/forgot")
    auth_id = env.admin("GET", "registrations")[1]["registrations"][0]["auth_id"]
    env.browser.post(env.prefix + "/password/forgot", {"auth_id": auth_id, "email": "taro@example.co.jp"},
                     csrf_from=top)
    env.advance(minutes=2)
    assert env.set_password("taro@example.co.jp", password="N3w-Passw0rd", kind="password_reset").status == 200
    assert env.login(card, password="N3w-Passw0rd").status == 200


def test_eligibility_rules_at_registration(env):
    env.seed(number="AA00000001AA", status="短期滞在")
    card = env.card()
    r = env.register(card, number="AA00000001AA")
    assert r.status == 403 and "短期滞在" in r.text
    r = env.register(env.card(birth="20150101"), number="AA00000002AA", b=env.new_browser())
    assert r.status == 403 and "15歳未満" in r.text
    r = env.register(env.card(), number="ZZ99999999ZZ", b=env.new_browser())  # not in the registry
    assert r.status == 400 and "在留カード情報を確認できません" in r.text
    env.seed(number="AA00000003AA", birth="1980-01-01")
    r = env.register(env.card(), number="AA00000003AA", b=env.new_browser())
    assert r.status == 400 and "一致しません" in r.text


def test_relative_only_for_applicants_under_16_and_legal_representative(env):
    card = env.card(name="オヤ ハナコ OYA HANAKO", birth="19800303")
    extra = {"applicant_name": "コ タロウ", "applicant_birth_date": "2005-01-01", "relationship": "child"}
    r = env.register(card, number="", email="oya@example.co.jp", category="relative", **extra)
    assert r.status == 403 and "16歳未満" in r.text
    b = env.new_browser()
    extra["applicant_birth_date"] = "2015-05-05"
    r = env.register(card, number="", email="oya@example.co.jp", category="relative", b=b, **extra)
    assert r.status == 200 and "登録が完了しました" in r.text
    card2 = env.card(name="ダイリ ジロウ DAIRI JIRO", birth="19700707")
    extra["applicant_birth_date"] = "1990-01-01"
    r = env.register(card2, number="", email="dairi@example.co.jp", category="legal_representative",
                     b=env.new_browser(), **extra)
    assert r.status == 200
    regs = env.admin("GET", "registrations")[1]["registrations"]
    assert {r["category"] for r in regs} == {"relative", "legal_representative"}


def test_permanent_resident_gets_nothing_and_last_day_blocked(env):
    """永住者 is not among the statuses that may apply online (001351658.pdf); 永住許可 is not offered online."""
    env.seed(status="永住者", until=None)
    card = env.card()
    env.register(card)
    env.advance(minutes=2)
    env.set_password("taro@example.co.jp")
    menu = env.login(card)
    assert 'id="noProcedures"' in menu.text and 'id="procedures"' not in menu.text
    env.admin("POST", "residents", {"residence_card_number": "AB12345678CD", "birth_date": "1990-01-15",
                                    "status_of_residence": "留学",
                                    "period_of_stay_until": env.now.date().isoformat()})
    menu = env.browser.get(env.prefix + "/menu")
    assert "満了日当日" in menu.text and 'id="noProcedures"' in menu.text


def test_rasens_save_part_way_and_status(make_env):
    e = make_env("rasens")
    e.seed()
    card = e.card()
    e.register(card)
    e.advance(minutes=2)
    e.set_password("taro@example.co.jp")
    menu = e.login(card)
    assert "申請状況確認" in menu.text
    st = e.browser.get("/rasens-u/status")
    assert "申請はありません。" in st.text
    offer = e.browser.get("/rasens-u/offer/offerRSS_gotoOffer?procedure=extend")
    saved = e.browser.post("/rasens-u/offer/offerRSS_gotoOffer", {"procedure": "extend", "memo": "途中"},
                           csrf_from=offer)
    assert "一時保存しました" in saved.text
    assert "一時保存中" in e.browser.get("/rasens-u/status").text


def test_proof_of_possession_per_generation(make_env):
    ras = make_env("ras")
    assert ras.admin("GET", "settings")[1]["proof_of_possession"] == {"ras": False, "rasens": True}
    top = ras.browser.get("/WC01/WCAAS010/")
    assert top.field("challenge") is None  # the old system asked for certificates alone
    ras.seed()
    card = ras.card()
    ras.register(card)
    ras.advance(minutes=2)
    ras.set_password("taro@example.co.jp")
    # certificates alone (no signature) log in: the weakness the old system had
    r = ras.browser.post("/WC01/WCAAS010/ras", {"usrKbn": "1", "clickLogInKjnBtn": "1", "hdnUsrCert": cards.b64(card.auth_cert)},
                         csrf_from=ras.browser.get("/WC01/WCAAS010/"))
    assert "パスワードの入力" in r.text
    rasens = make_env("rasens")
    rasens.seed()
    card = rasens.card()
    rasens.register(card)
    rasens.advance(minutes=2)
    rasens.set_password("taro@example.co.jp")
    lp = rasens.browser.get("/rasens-u/login")
    assert lp.field("challenge")
    r = rasens.browser.post("/rasens-u/login", {"hdnUsrCert": cards.b64(card.auth_cert)}, csrf_from=lp)
    assert r.status == 401 and "WZBAM255E" in r.text
    assert "proof of possession missing" in rasens.events("verify_failed")[-1]["detail"]["reason"]
    lp = rasens.browser.get("/rasens-u/login")
    wrong = cards.answer(card.auth_key, lp.field("challenge"))
    lp2 = rasens.browser.get("/rasens-u/login")  # a new challenge: the old signature is a replay
    r = rasens.browser.post("/rasens-u/login", {"hdnUsrCert": cards.b64(card.auth_cert), "hdnUsrSig": wrong}, csrf_from=lp2)
    assert r.status == 401
    assert rasens.login(card).status == 200


def test_ras_top_page_dom_facts(make_env):
    e = make_env("ras")
    top = e.browser.get("/WC01/WCAAS010/")
    for fact in ('id="WCAAS010Dto"', 'name="clickLogInKjnBtn"', 'name="clickTurkKjnBtn"', 'id="hdnSignCert"',
                 'id="hdnUsrCert"', "外国人本人・その他", "portal.js"):
        assert fact in top.text
    js = e.browser.get("/static/portal.js").text
    for fact in ("jpki-extension-is-installed", "jpkiRequest", "jpkiResponse", "mode"):
        assert fact in js


def test_cookie_flags_and_no_personal_data_in_events(env):
    env.seed()
    card = env.card()
    env.register(card)
    r = env.browser.client.get(env.prefix + "/")
    cookie = r.headers["Set-Cookie"]
    assert cookie.startswith(COOKIE[env.gen] + "=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    env.advance(minutes=2)
    env.set_password("taro@example.co.jp")
    dump = json.dumps(env.events(), ensure_ascii=False)
    for secret in ("Passw0rd!x", "YAMADA", "taro@example.co.jp", "AB12345678CD", "1990-01-15"):
        assert secret not in dump


def test_an_arranged_registration_obeys_the_portal_rules(env):
    """The control API's shortcut for scenarios about what comes after registration: same rules, same mail."""
    env.seed()
    card = env.card()
    arrange = {"generation": env.gen, "sign_cert": cards.b64(card.sign_cert), "auth_cert": cards.b64(card.auth_cert),
               "residence_card_number": "AB12345678CD", "email": "taro@example.co.jp"}
    code, body = env.admin("POST", "registrations", arrange)
    assert code == 201 and body["auth_id"], body
    env.advance(minutes=2)
    assert [m["kind"] for m in env.mails("taro@example.co.jp")] == ["registered"]
    # one registration per person, through the shortcut too
    code, body = env.admin("POST", "registrations", {**arrange, "email": "other@example.co.jp"})
    assert code == 400 and body["key"] in ("card_number_in_use", "person_already_registered"), body
    # a certificate the portal cannot verify is refused as at the card-read page
    code, body = env.admin("POST", "registrations", {**arrange, "sign_cert": cards.b64(card.auth_cert)})
    assert code == 400 and body["key"] == "cert_auth_failed", body
    # the password, by the password rules and the mailed link's token
    token = env.link("taro@example.co.jp").split("token=")[1]
    code, body = env.admin("POST", "password", {"token": token, "password": "short"})
    assert code == 400, body
    code, _ = env.admin("POST", "password", {"token": token, "password": "Passw0rd!x"})
    assert code == 200
    menu = env.login(card)
    assert menu.status == 200 and "様" in menu.text
