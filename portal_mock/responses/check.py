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


#: The two card reads of a registration (rasens): the registration step, the page title, the form fields the page
#: fills (the certificate and the signature over the challenge) and the step number shown.
CARD_READS = {
    "sign": ("card_sign", "マイナンバーカードの読み取り（署名用電子証明書）", "hdnSignCert", "hdnSignSig", 1),
    "auth": ("card_auth", "マイナンバーカードの読み取り（利用者証明用電子証明書）", "hdnUsrCert", "hdnUsrSig", 2),
}


def _card_read_page(kind: str):
    step, title, _cert, _sig, step_no = CARD_READS[kind]
    need_reg(step)
    return page("cardread.html", title=title, mode=kind, challenge=challenge(), step_no=step_no)


def _card_read_post(kind: str):
    step, _title, cert, sig, _step_no = CARD_READS[kind]
    reg = need_reg(step)
    if not request.form.get(cert):
        raise PortalError("card_missing")
    reg[kind] = portal().verify_card(generation(), kind, request.form.get(cert), take_challenge(),
                                     request.form.get(sig), step)
    return advance(reg, step)


# One view function per route: the endpoint names (card_sign, card_auth_post …) are what events and reports name.
def card_sign():
    return _card_read_page("sign")


def card_sign_post():
    return _card_read_post("sign")


def card_auth():
    return _card_read_page("auth")


def card_auth_post():
    return _card_read_post("auth")


def register(bp: Blueprint, gen: str) -> None:
    bp.add_url_rule("/check", view_func=check, methods=["GET"])
    bp.add_url_rule("/check", view_func=check_post, methods=["POST"])
    if gen == "rasens":
        bp.add_url_rule("/register/card/sign", view_func=card_sign, methods=["GET"])
        bp.add_url_rule("/register/card/sign", view_func=card_sign_post, methods=["POST"])
        bp.add_url_rule("/register/card/auth", view_func=card_auth, methods=["GET"])
        bp.add_url_rule("/register/card/auth", view_func=card_auth_post, methods=["POST"])
