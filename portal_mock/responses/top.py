"""The top page and logging in (card, then password), logging out, and the page's own error reports. The old
generation (ras) starts both registration and login from its top page; the new one (rasens) has a login page."""

from __future__ import annotations

import json

from flask import Blueprint, g, redirect, request, url_for

from ..models import login as logins
from ..models.registration import reach_step
from ..models.rules import PortalError
from .common import challenge, generation, go, need_login, page, portal, shown_error, start_login, take_challenge

USER_KINDS = {"1": "外国人本人・その他", "2": "所属機関等の職員・弁護士・行政書士等"}


def top():
    return page(f"top_{generation()}.html", title="トップページ", challenge=challenge(), user_kinds=USER_KINDS)


def top_alias():
    return top()


def top_post():
    """ras: the top page's form chooses the kind of user and either registers (both certificates) or logs in."""
    form = request.form
    kind = form.get("usrKbn", "")
    if kind == "2":
        raise PortalError("org_not_supported")
    if kind != "1":
        raise PortalError("choice_required", field="利用者の種別")
    chal = take_challenge()
    if "clickTurkKjnBtn" in form:
        sign, auth = portal().verify_pair("ras", form, chal, "top")
        g.sess.pop("login", None)
        g.sess["reg"] = reach_step("ras", {"sign": sign, "auth": auth, "max": 0}, "terms")
        return go("terms")
    if "clickLogInKjnBtn" in form:
        if not form.get("hdnUsrCert"):
            raise PortalError("card_missing")
        return start_login(portal().login_certificate("ras", form.get("hdnUsrCert"), chal, form.get("hdnUsrSig"),
                                                      "top"))
    raise PortalError("bad_request", reason="no button")


def login():
    if generation() == "ras":
        return redirect(url_for("ras.top"), code=303)
    return page("login_rasens.html", title="ログイン", challenge=challenge())


def login_post():
    if not request.form.get("hdnUsrCert"):
        raise PortalError("card_missing")
    return start_login(portal().login_certificate(generation(), request.form.get("hdnUsrCert"), take_challenge(),
                                                  request.form.get("hdnUsrSig"), "login"))


def login_password():
    need_login("password")
    return page("login_password.html", title="パスワードの入力")


def login_password_post():
    reg = need_login("password")
    try:
        portal().login_password(reg["id"], request.form.get("password"))
    except PortalError as e:
        msg = shown_error(e, "login_password")
        return page("login_password.html", msg.status, title="パスワードの入力", error=msg)
    logins.password_accepted(g.sess)
    g.sid = portal().session_rotate(g.sid)
    return go("menu")


def logout():
    logins.logout(g.sess)
    return page("logout.html", title="ログアウト")


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
    portal().log_event("error_shown", where, 200, code, text, generation(), {"source": "page"})
    g.event_logged = True
    return {"ok": True}


def register(bp: Blueprint, gen: str) -> None:
    bp.add_url_rule("/", view_func=top, methods=["GET"])
    if gen == "ras":
        bp.add_url_rule("/ras", view_func=top_alias, methods=["GET"])
        bp.add_url_rule("/ras", view_func=top_post, methods=["POST"])
    bp.add_url_rule("/login", view_func=login, methods=["GET"])
    bp.add_url_rule("/login", view_func=login_post, methods=["POST"])
    bp.add_url_rule("/login/password", view_func=login_password, methods=["GET"])
    bp.add_url_rule("/login/password", view_func=login_password_post, methods=["POST"])
    bp.add_url_rule("/logout", view_func=logout, methods=["POST"])
    bp.add_url_rule("/client-event", view_func=client_event, methods=["POST"])
