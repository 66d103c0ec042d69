"""The proof of possession: a random challenge the page has the card sign, kept in the session until the next
card read uses it (once). A generation that asks no proof gets no challenge."""

from __future__ import annotations

import base64
import binascii
import secrets


def new_challenge() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def issue(sess: dict, required: bool) -> str | None:
    """A fresh challenge for the page to show (kept in the session), or None when the generation asks none."""
    if not required:
        sess.pop("challenge", None)
        return None
    sess["challenge"] = new_challenge()
    return sess["challenge"]


def take(sess: dict) -> str | None:
    """The challenge of the page just read; taken out of the session, so it is worth one read only."""
    return sess.pop("challenge", None)


def challenge_bytes(challenge: str | None) -> bytes | None:
    """The page's challenge is Base64 text; the card signs its bytes."""
    if not challenge:
        return None
    try:
        return base64.b64decode(challenge, validate=True)
    except (binascii.Error, ValueError):
        return None
