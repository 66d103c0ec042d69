"""The registration pages (利用者情報の登録): terms, category, user information, confirmation, completion. The
order of the steps is the model's (models/registration.py); these routes parse the form and render."""

from __future__ import annotations

from flask import Blueprint, g, redirect, request, url_for

from ..models.registration import next_step, reach_step, require_step
from ..models.rules import CATEGORIES, RELATIONSHIPS, PortalError
from .common import generation, go, page, portal, shown_error

INFO_FIELDS = ("residence_card_number", "email", "email_confirm", "applicant_name", "applicant_birth_date",
               "applicant_residence_card_number", "relationship", "applicant_cannot_apply")


def need_reg(step: str) -> dict:
    return require_step(generation(), g.sess.get("reg"), step, g.session_expired)


def advance(reg: dict, done: str):
    """``done`` is finished: the next step may be opened, and the browser goes there."""
    step = next_step(generation(), done)
    g.sess["reg"] = reach_step(generation(), reg, step)
    return go(step)


def terms():
    if generation() == "rasens" and not g.sess.get("reg"):
        g.sess["reg"] = {"max": 0}
    need_reg("terms")
    return page("terms.html", title="利用規約")


def terms_post():
    reg = need_reg("terms")
    if request.form.get("agree") != "1":
        raise PortalError("terms_required")
    return advance(reg, "terms")


def category():
    reg = need_reg("category")
    return page("category.html", title="利用者区分の選択", categories=CATEGORIES, selected=reg.get("category"))


def category_post():
    reg = need_reg("category")
    cat = request.form.get("category", "")
    if cat not in CATEGORIES:
        raise PortalError("choice_required", field="利用者区分")
    reg["category"] = cat
    return advance(reg, "category")


def info_page(reg: dict, values: dict, status: int = 200, error=None):
    return page("userinfo.html", status, title="利用者情報の入力", reg=reg, ident=reg["sign"]["identity"],
                values=values, categories=CATEGORIES, relationships=RELATIONSHIPS, error=error)


def info():
    reg = need_reg("info")
    return info_page(reg, reg.get("form", {}))


def info_post():
    reg = need_reg("info")
    values = {k: request.form.get(k, "")[:200] for k in INFO_FIELDS}
    try:
        reg["info"] = portal().validate_user_info(reg, request.form)
    except PortalError as e:
        msg = shown_error(e, "info", {"reason": e.reason} if e.reason else {})
        return info_page(reg, values, msg.status, msg)
    reg["form"] = values
    return advance(reg, "info")


def confirm():
    reg = need_reg("confirm")
    return page("confirm.html", title="登録内容の確認", reg=reg, ident=reg["sign"]["identity"], info=reg["info"],
                categories=CATEGORIES, relationships=RELATIONSHIPS)


def confirm_post():
    reg = need_reg("confirm")
    if "back" in request.form:
        return redirect(url_for(f"{generation()}.info"), code=303)
    done = portal().complete_registration(generation(), reg)
    g.sess.pop("reg", None)
    g.sess["completed"] = {"name": done["name"]}
    return go("complete")


def complete():
    done = g.sess.get("completed")
    if not done:
        raise PortalError("session_timeout" if g.session_expired else "bad_transition")
    return page("complete.html", title="登録完了", name=done["name"])


def register(bp: Blueprint, gen: str) -> None:
    for rule, view, methods in (
            ("/register/terms", terms, ["GET"]), ("/register/terms", terms_post, ["POST"]),
            ("/register/category", category, ["GET"]), ("/register/category", category_post, ["POST"]),
            ("/register/info", info, ["GET"]), ("/register/info", info_post, ["POST"]),
            ("/register/confirm", confirm, ["GET"]), ("/register/confirm", confirm_post, ["POST"]),
            ("/register/complete", complete, ["GET"])):
        bp.add_url_rule(rule, view_func=view, methods=methods)
