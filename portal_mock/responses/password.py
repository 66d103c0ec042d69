"""The password pages: setting a password by the mailed link, and asking for a reset (パスワードを忘れた場合)."""

from __future__ import annotations

from flask import Blueprint, request

from ..models.rules import PortalError
from .common import page, portal, shown_error


def password():
    token = request.args.get("token", "")
    portal().check_token(token)
    return page("password.html", title="パスワードの設定", token=token, en=request.args.get("lang") == "en")


def password_post():
    token = request.form.get("token", "")
    try:
        portal().set_password(token, request.form.get("password"), request.form.get("password_confirm"))
    except PortalError as e:
        if e.key.startswith("link_"):
            raise
        msg = shown_error(e, "password")
        return page("password.html", msg.status, title="パスワードの設定", token=token, error=msg, en=False)
    return page("password_done.html", title="パスワード設定完了")


def forgot():
    return page("forgot.html", title="パスワードを忘れた場合", values={})


def forgot_post():
    values = {k: request.form.get(k, "")[:200] for k in ("auth_id", "email")}
    try:
        portal().request_reset(request.form.get("auth_id"), request.form.get("email"))
    except PortalError as e:
        msg = shown_error(e, "forgot")
        return page("forgot.html", msg.status, title="パスワードを忘れた場合", values=values, error=msg)
    return page("forgot_sent.html", title="パスワード再設定メールの送信")


def register(bp: Blueprint, gen: str) -> None:
    bp.add_url_rule("/password", view_func=password, methods=["GET"])
    bp.add_url_rule("/password", view_func=password_post, methods=["POST"])
    bp.add_url_rule("/password/forgot", view_func=forgot, methods=["GET"])
    bp.add_url_rule("/password/forgot", view_func=forgot_post, methods=["POST"])
