"""Reading the card: the operation check (動作確認, both certificates) and, in the new generation (rasens), the two
card-read pages of a registration (signature certificate, then user certificate)."""

from __future__ import annotations

from flask import Blueprint, request

from ..models.rules import PortalError
from .common import challenge, generation, page, portal, take_challenge
from .registration import advance, need_reg


def check():
    return page("check.html", title="動作確認", challenge=challenge())


def check_post():
    portal().verify_pair(generation(), request.form, take_challenge(), "check")
    return page("check_ok.html", title="動作確認")


def card_sign():
    need_reg("card_sign")
    return page("cardread.html", title="マイナンバーカードの読み取り（署名用電子証明書）", mode="sign",
                challenge=challenge(), step_no=1)


def card_sign_post():
    reg = need_reg("card_sign")
    if not request.form.get("hdnSignCert"):
        raise PortalError("card_missing")
    reg["sign"] = portal().verify_card(generation(), "sign", request.form.get("hdnSignCert"), take_challenge(),
                                       request.form.get("hdnSignSig"), "card_sign")
    return advance(reg, "card_sign")


def card_auth():
    need_reg("card_auth")
    return page("cardread.html", title="マイナンバーカードの読み取り（利用者証明用電子証明書）", mode="auth",
                challenge=challenge(), step_no=2)


def card_auth_post():
    reg = need_reg("card_auth")
    if not request.form.get("hdnUsrCert"):
        raise PortalError("card_missing")
    reg["auth"] = portal().verify_card(generation(), "auth", request.form.get("hdnUsrCert"), take_challenge(),
                                       request.form.get("hdnUsrSig"), "card_auth")
    return advance(reg, "card_auth")


def register(bp: Blueprint, gen: str) -> None:
    bp.add_url_rule("/check", view_func=check, methods=["GET"])
    bp.add_url_rule("/check", view_func=check_post, methods=["POST"])
    if gen == "rasens":
        bp.add_url_rule("/register/card/sign", view_func=card_sign, methods=["GET"])
        bp.add_url_rule("/register/card/sign", view_func=card_sign_post, methods=["POST"])
        bp.add_url_rule("/register/card/auth", view_func=card_auth, methods=["GET"])
        bp.add_url_rule("/register/card/auth", view_func=card_auth_post, methods=["POST"])
