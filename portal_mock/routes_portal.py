"""Thin routes of the portal itself, one blueprint per generation (``ras`` under /WC01/WCAAS010, ``rasens``
under /rasens-u).  All behaviour lives in backend.Portal."""

from __future__ import annotations

import json

from flask import Blueprint, current_app, g, redirect, render_template, request, url_for

from .backend import PREFIX, new_challenge
from .rules import CATEGORIES, RELATIONSHIPS, PortalError

STEPS = {
    "ras": ["terms", "category", "info", "confirm"],
    "rasens": ["terms", "category", "card_sign", "card_auth", "info", "confirm"],
}
USER_KINDS = {"1": "外国人本人・その他", "2": "所属機関等の職員・弁護士・行政書士等"}


def make_blueprint(gen: str) -> Blueprint:
    bp = Blueprint(gen, __name__, url_prefix=PREFIX[gen])
    steps = STEPS[gen]

    def portal():
        return current_app.extensions["portal"]

    def page(template: str, status: int = 200, **ctx):
        ctx.setdefault("title", "")
        return render_template(template, gen=gen, prefix=PREFIX[gen], csrf=g.sess["csrf"],
                               sender=portal().settings.senders[gen],
                               ext_timeout=float(portal().setting("extension_timeout_seconds")),
                               msgs=_client_messages(), **ctx), status

    def challenge() -> str | None:
        if not portal().pop_required(gen):
            g.sess.pop("challenge", None)
            return None
        g.sess["challenge"] = new_challenge()
        return g.sess["challenge"]

    def take_challenge() -> str | None:
        return g.sess.pop("challenge", None)

    def need_reg(step: str) -> dict:
        reg = g.sess.get("reg")
        if not reg:
            raise PortalError("session_timeout" if g.session_expired else "bad_transition",
                              reason=f"no registration in progress at {step}")
        if steps.index(step) > reg.get("max", 0):
            raise PortalError("bad_transition", reason=f"{step} before {steps[reg.get('max', 0)]}")
        return reg

    def advance(reg: dict, step: str):
        idx = steps.index(step)
        reg["max"] = max(reg.get("max", 0), idx)
        g.sess["reg"] = reg
        return redirect(url_for(f"{gen}.{ENDPOINT_OF[step]}"), code=303)

    def need_login(stage: str = "in") -> dict:
        login = g.sess.get("login")
        if not login or (stage == "in" and login.get("stage") != "in"):
            raise PortalError("session_timeout" if g.session_expired else "login_required")
        reg = portal().registration(login["reg_id"])
        if not reg:
            raise PortalError("login_required")
        return reg

    # -- top page -------------------------------------------------------------------------------------------
    @bp.get("/")
    def top():
        return page(f"top_{gen}.html", title="トップページ", challenge=challenge(), user_kinds=USER_KINDS)

    if gen == "ras":
        @bp.get("/ras")
        def top_alias():
            return top()

        @bp.post("/ras")
        def top_post():
            form = request.form
            kind = form.get("usrKbn", "")
            if kind == "2":
                raise PortalError("org_not_supported")
            if kind != "1":
                raise PortalError("choice_required", field="利用者の種別")
            chal = take_challenge()
            if "clickTurkKjnBtn" in form:
                if not form.get("hdnSignCert") or not form.get("hdnUsrCert"):
                    raise PortalError("card_missing")
                sign = portal().verify_card(gen, "sign", form.get("hdnSignCert"), chal, form.get("hdnSignSig"), "top")
                auth = portal().verify_card(gen, "auth", form.get("hdnUsrCert"), chal, form.get("hdnUsrSig"), "top")
                g.sess.pop("login", None)
                return advance({"sign": sign, "auth": auth, "max": 0}, "terms")
            if "clickLogInKjnBtn" in form:
                if not form.get("hdnUsrCert"):
                    raise PortalError("card_missing")
                reg = portal().login_certificate(gen, form.get("hdnUsrCert"), chal, form.get("hdnUsrSig"), "top")
                g.sess.pop("reg", None)
                g.sess["login"] = {"reg_id": reg["id"], "stage": "password"}
                g.sid = portal().session_rotate(g.sid)
                return redirect(url_for(f"{gen}.login_password"), code=303)
            raise PortalError("bad_request", reason="no button")

    # -- operation check (動作確認) ----------------------------------------------------------------------------
    @bp.get("/check")
    def check():
        return page("check.html", title="動作確認", challenge=challenge())

    @bp.post("/check")
    def check_post():
        form = request.form
        chal = take_challenge()
        if not form.get("hdnSignCert") or not form.get("hdnUsrCert"):
            raise PortalError("card_missing")
        portal().verify_card(gen, "sign", form.get("hdnSignCert"), chal, form.get("hdnSignSig"), "check")
        portal().verify_card(gen, "auth", form.get("hdnUsrCert"), chal, form.get("hdnUsrSig"), "check")
        return page("check_ok.html", title="動作確認")

    # -- registration -----------------------------------------------------------------------------------------
    @bp.get("/register/terms")
    def terms():
        if gen == "rasens" and not g.sess.get("reg"):
            g.sess["reg"] = {"max": 0}
        need_reg("terms")
        return page("terms.html", title="利用規約")

    @bp.post("/register/terms")
    def terms_post():
        reg = need_reg("terms")
        if request.form.get("agree") != "1":
            raise PortalError("terms_required")
        return advance(reg, "category")

    @bp.get("/register/category")
    def category():
        reg = need_reg("category")
        return page("category.html", title="利用者区分の選択", categories=CATEGORIES, selected=reg.get("category"))

    @bp.post("/register/category")
    def category_post():
        reg = need_reg("category")
        cat = request.form.get("category", "")
        if cat not in CATEGORIES:
            raise PortalError("choice_required", field="利用者区分")
        reg["category"] = cat
        return advance(reg, "card_sign" if gen == "rasens" else "info")

    if gen == "rasens":
        @bp.get("/register/card/sign")
        def card_sign():
            need_reg("card_sign")
            return page("cardread.html", title="マイナンバーカードの読み取り（署名用電子証明書）", mode="sign",
                        challenge=challenge(), step_no=1)

        @bp.post("/register/card/sign")
        def card_sign_post():
            reg = need_reg("card_sign")
            if not request.form.get("hdnSignCert"):
                raise PortalError("card_missing")
            reg["sign"] = portal().verify_card(gen, "sign", request.form.get("hdnSignCert"), take_challenge(),
                                               request.form.get("hdnSignSig"), "card_sign")
            return advance(reg, "card_auth")

        @bp.get("/register/card/auth")
        def card_auth():
            need_reg("card_auth")
            return page("cardread.html", title="マイナンバーカードの読み取り（利用者証明用電子証明書）", mode="auth",
                        challenge=challenge(), step_no=2)

        @bp.post("/register/card/auth")
        def card_auth_post():
            reg = need_reg("card_auth")
            if not request.form.get("hdnUsrCert"):
                raise PortalError("card_missing")
            reg["auth"] = portal().verify_card(gen, "auth", request.form.get("hdnUsrCert"), take_challenge(),
                                               request.form.get("hdnUsrSig"), "card_auth")
            return advance(reg, "info")

    def info_page(reg: dict, values: dict, status: int = 200, error=None):
        return page("userinfo.html", status, title="利用者情報の入力", reg=reg, ident=reg["sign"]["identity"],
                    values=values, categories=CATEGORIES, relationships=RELATIONSHIPS, error=error)

    @bp.get("/register/info")
    def info():
        reg = need_reg("info")
        return info_page(reg, reg.get("form", {}))

    @bp.post("/register/info")
    def info_post():
        reg = need_reg("info")
        fields = ("residence_card_number", "email", "email_confirm", "applicant_name", "applicant_birth_date",
                  "applicant_residence_card_number", "relationship", "applicant_cannot_apply")
        values = {k: request.form.get(k, "")[:200] for k in fields}
        try:
            reg["info"] = portal().validate_user_info(reg, request.form)
        except PortalError as e:
            msg = portal().messages.get(e.key, **e.fmt)
            portal().log_event("error_shown", "info", msg.status, msg.code, msg.text, gen,
                               {"reason": e.reason} if e.reason else {})
            g.event_logged = True
            return info_page(reg, values, msg.status, msg)
        reg["form"] = values
        return advance(reg, "confirm")

    @bp.get("/register/confirm")
    def confirm():
        reg = need_reg("confirm")
        return page("confirm.html", title="登録内容の確認", reg=reg, ident=reg["sign"]["identity"], info=reg["info"],
                    categories=CATEGORIES, relationships=RELATIONSHIPS)

    @bp.post("/register/confirm")
    def confirm_post():
        reg = need_reg("confirm")
        if "back" in request.form:
            return redirect(url_for(f"{gen}.info"), code=303)
        done = portal().complete_registration(gen, reg)
        g.sess.pop("reg", None)
        g.sess["completed"] = {"name": done["name"]}
        return redirect(url_for(f"{gen}.complete"), code=303)

    @bp.get("/register/complete")
    def complete():
        done = g.sess.get("completed")
        if not done:
            raise PortalError("session_timeout" if g.session_expired else "bad_transition")
        return page("complete.html", title="登録完了", name=done["name"])

    # -- password (link from the mail) ---------------------------------------------------------------------
    @bp.get("/password")
    def password():
        token = request.args.get("token", "")
        portal().check_token(token)
        return page("password.html", title="パスワードの設定", token=token, en=request.args.get("lang") == "en")

    @bp.post("/password")
    def password_post():
        token = request.form.get("token", "")
        try:
            portal().set_password(token, request.form.get("password"), request.form.get("password_confirm"))
        except PortalError as e:
            if e.key.startswith("link_"):
                raise
            msg = portal().messages.get(e.key, **e.fmt)
            portal().log_event("error_shown", "password", msg.status, msg.code, msg.text, gen)
            g.event_logged = True
            return page("password.html", msg.status, title="パスワードの設定", token=token, error=msg, en=False)
        return page("password_done.html", title="パスワード設定完了")

    @bp.get("/password/forgot")
    def forgot():
        return page("forgot.html", title="パスワードを忘れた場合", values={})

    @bp.post("/password/forgot")
    def forgot_post():
        values = {k: request.form.get(k, "")[:200] for k in ("auth_id", "email")}
        try:
            portal().request_reset(request.form.get("auth_id"), request.form.get("email"))
        except PortalError as e:
            msg = portal().messages.get(e.key, **e.fmt)
            portal().log_event("error_shown", "forgot", msg.status, msg.code, msg.text, gen)
            g.event_logged = True
            return page("forgot.html", msg.status, title="パスワードを忘れた場合", values=values, error=msg)
        return page("forgot_sent.html", title="パスワード再設定メールの送信")

    # -- login -------------------------------------------------------------------------------------------------
    @bp.get("/login")
    def login():
        if gen == "ras":
            return redirect(url_for("ras.top"), code=303)
        return page("login_rasens.html", title="ログイン", challenge=challenge())

    @bp.post("/login")
    def login_post():
        if not request.form.get("hdnUsrCert"):
            raise PortalError("card_missing")
        reg = portal().login_certificate(gen, request.form.get("hdnUsrCert"), take_challenge(),
                                         request.form.get("hdnUsrSig"), "login")
        g.sess.pop("reg", None)
        g.sess["login"] = {"reg_id": reg["id"], "stage": "password"}
        g.sid = portal().session_rotate(g.sid)
        return redirect(url_for(f"{gen}.login_password"), code=303)

    @bp.get("/login/password")
    def login_password():
        need_login("password")
        return page("login_password.html", title="パスワードの入力")

    @bp.post("/login/password")
    def login_password_post():
        reg = need_login("password")
        try:
            portal().login_password(reg["id"], request.form.get("password"))
        except PortalError as e:
            msg = portal().messages.get(e.key, **e.fmt)
            portal().log_event("error_shown", "login_password", msg.status, msg.code, msg.text, gen)
            g.event_logged = True
            return page("login_password.html", msg.status, title="パスワードの入力", error=msg)
        g.sess["login"]["stage"] = "in"
        g.sid = portal().session_rotate(g.sid)
        return redirect(url_for(f"{gen}.menu"), code=303)

    @bp.get("/menu")
    def menu():
        reg = need_login()
        m = portal().menu(reg)
        blocked = None
        if m["blocked"]:
            kw = {"status": m["status_of_residence"] or ""}
            blocked = portal().messages.get(m["blocked"], **kw)
            portal().log_event("error_shown", "menu", 200, blocked.code, blocked.text, gen)
        return page("menu.html", title="マイページ" if gen == "rasens" else "メニュー", reg=reg, menu=m,
                    blocked=blocked, drafts=portal().drafts(reg["id"]) if gen == "rasens" else [])

    if gen == "rasens":
        @bp.get("/mypage")
        def mypage():
            return menu()

        @bp.get("/status")
        def status():
            reg = need_login()
            return page("status.html", title="申請状況確認", drafts=portal().drafts(reg["id"]))

        @bp.get("/offer/offerRSS_gotoOffer")
        def offer():
            reg = need_login()
            m = portal().menu(reg)
            proc = request.args.get("procedure", "")
            if proc not in (m.get("available_keys") or []):
                raise PortalError("bad_request", reason="procedure not available")
            return page("offer.html", title="申請内容の入力", procedure=proc, menu=m, saved=False)

        @bp.post("/offer/offerRSS_gotoOffer")
        def offer_post():
            reg = need_login()
            m = portal().menu(reg)
            proc = request.form.get("procedure", "")
            if proc not in (m.get("available_keys") or []):
                raise PortalError("bad_request", reason="procedure not available")
            memo = request.form.get("memo", "")
            if len(memo) > 2000:
                raise PortalError("too_long", field="申請内容", max="2000")
            portal().save_draft(reg["id"], proc, {"memo_length": len(memo)})
            return page("offer.html", title="申請内容の入力", procedure=proc, menu=m, saved=True)

    # -- 利用者情報 (after login): the person changes her e-mail address herself ------------------------------
    @bp.get("/userinfo")
    def userinfo():
        reg = need_login()
        return page("account.html", title="利用者情報", reg=reg, values={})

    @bp.post("/userinfo")
    def userinfo_post():
        reg = need_login()
        values = {k: request.form.get(k, "")[:200] for k in ("email", "email_confirm")}
        try:
            reg = portal().change_email_self(reg["id"], request.form.get("email"), request.form.get("email_confirm"),
                                             request.form.get("password"))
        except PortalError as e:
            msg = portal().messages.get(e.key, **e.fmt)
            portal().log_event("error_shown", "userinfo", msg.status, msg.code, msg.text, gen)
            g.event_logged = True
            return page("account.html", msg.status, title="利用者情報", reg=reg, values=values, error=msg)
        return page("account.html", title="利用者情報", reg=reg, values={},
                    done=portal().messages.get("userinfo_email_changed"))

    @bp.post("/logout")
    def logout():
        g.sess.pop("login", None)
        g.sess.pop("reg", None)
        return page("logout.html", title="ログアウト")

    @bp.post("/client-event")
    def client_event():
        """Errors the page itself showed (extension missing, client error EW...), for the events log."""
        sent = request.headers.get("X-CSRF-Token", "")
        if not sent or sent != g.sess.get("csrf"):
            raise PortalError("csrf")
        try:
            data = json.loads(request.get_data(as_text=True) or "{}")
        except ValueError:
            raise PortalError("bad_request") from None
        if not isinstance(data, dict):
            raise PortalError("bad_request")
        code = str(data.get("code") or "")[:40] or None
        text = str(data.get("text") or "")[:300] or None
        where = str(data.get("page") or "")[:60] or None
        portal().log_event("error_shown", where, 200, code, text, gen, {"source": "page"})
        g.event_logged = True
        return {"ok": True}

    return bp


ENDPOINT_OF = {"terms": "terms", "category": "category", "card_sign": "card_sign", "card_auth": "card_auth",
               "info": "info", "confirm": "confirm"}


def _client_messages() -> dict:
    m = current_app.extensions["portal"].messages
    return {k: m.get(k).display for k in ("extension_missing", "extension_timeout", "card_cancelled",
                                          "client_error_title")} | {
        "choose_kind": m.get("choice_required", field="利用者の種別").display}
