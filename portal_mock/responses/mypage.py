"""After login: the menu of procedures (マイページ in rasens), the application status, a draft application, and
the 利用者情報 screen where the person changes her e-mail address herself."""

from __future__ import annotations

from flask import Blueprint, request

from ..models.rules import PortalError
from .common import generation, need_login, page, portal, shown_error


def menu():
    reg = need_login()
    m = portal().menu(reg)
    blocked = None
    if m["blocked"]:
        blocked = portal().messages.get(m["blocked"], status=m["status_of_residence"] or "")
        portal().log_event("error_shown", "menu", 200, blocked.code, blocked.text, generation())
    rasens = generation() == "rasens"
    return page("menu.html", title="マイページ" if rasens else "メニュー", reg=reg, menu=m,
                blocked=blocked, drafts=portal().drafts(reg["id"]) if rasens else [])


def mypage():
    return menu()


def status():
    reg = need_login()
    return page("status.html", title="申請状況確認", drafts=portal().drafts(reg["id"]))


def _procedure(menu: dict, proc: str) -> str:
    if proc not in (menu.get("available_keys") or []):
        raise PortalError("bad_request", reason="procedure not available")
    return proc


def offer():
    m = portal().menu(need_login())
    proc = _procedure(m, request.args.get("procedure", ""))
    return page("offer.html", title="申請内容の入力", procedure=proc, menu=m, saved=False)


def offer_post():
    reg = need_login()
    m = portal().menu(reg)
    proc = _procedure(m, request.form.get("procedure", ""))
    memo = request.form.get("memo", "")
    if len(memo) > 2000:
        raise PortalError("too_long", field="申請内容", max="2000")
    portal().save_draft(reg["id"], proc, {"memo_length": len(memo)})
    return page("offer.html", title="申請内容の入力", procedure=proc, menu=m, saved=True)


def userinfo():
    reg = need_login()
    return page("account.html", title="利用者情報", reg=reg, values={})


def userinfo_post():
    reg = need_login()
    values = {k: request.form.get(k, "")[:200] for k in ("email", "email_confirm")}
    try:
        reg = portal().change_email_self(reg["id"], request.form.get("email"), request.form.get("email_confirm"),
                                         request.form.get("password"))
    except PortalError as e:
        msg = shown_error(e, "userinfo")
        return page("account.html", msg.status, title="利用者情報", reg=reg, values=values, error=msg)
    return page("account.html", title="利用者情報", reg=reg, values={},
                done=portal().messages.get("userinfo_email_changed"))


def register(bp: Blueprint, gen: str) -> None:
    bp.add_url_rule("/menu", view_func=menu, methods=["GET"])
    bp.add_url_rule("/userinfo", view_func=userinfo, methods=["GET"])
    bp.add_url_rule("/userinfo", view_func=userinfo_post, methods=["POST"])
    if gen == "rasens":
        bp.add_url_rule("/mypage", view_func=mypage, methods=["GET"])
        bp.add_url_rule("/status", view_func=status, methods=["GET"])
        bp.add_url_rule("/offer/offerRSS_gotoOffer", view_func=offer, methods=["GET"])
        bp.add_url_rule("/offer/offerRSS_gotoOffer", view_func=offer_post, methods=["POST"])
