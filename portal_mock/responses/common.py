"""What every portal page's route shares: the portal model, the page frame, the card-read challenge, errors shown
on the form, the login guard. A route's generation is the blueprint it was reached by (``request.blueprint``:
each generation's blueprint is named after it, see responses/__init__.py)."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, url_for

from ..models import challenge as challenges
from ..models import login as logins
from ..models.messages import Message
from ..models.portal import Portal
from ..models.rules import PortalError
from ..models.urls import PREFIX


def portal() -> Portal:
    return current_app.extensions["portal"]


def generation() -> str:
    return request.blueprint


def page(template: str, status: int = 200, **ctx):
    """A portal page in the generation's frame (its prefix, CSRF token, sender, the page script's messages)."""
    gen = generation()
    ctx.setdefault("title", "")
    return render_template(template, gen=gen, prefix=PREFIX[gen], csrf=g.sess["csrf"],
                           sender=portal().settings.senders[gen],
                           ext_timeout=float(portal().setting("extension_timeout_seconds")),
                           msgs=client_messages(), **ctx), status


def go(endpoint: str):
    """303 to another page of the same generation (POST-redirect-GET)."""
    return redirect(url_for(f"{generation()}.{endpoint}"), code=303)


def challenge() -> str | None:
    return challenges.issue(g.sess, portal().pop_required(generation()))


def take_challenge() -> str | None:
    return challenges.take(g.sess)


def shown_error(e: PortalError, where: str, detail: dict | None = None) -> Message:
    """The message for an error shown on the form itself (not an error page), logged as shown."""
    msg = portal().messages.get(e.key, **e.fmt)
    portal().log_event("error_shown", where, msg.status, msg.code, msg.text, generation(), detail)
    g.event_logged = True
    return msg


def need_login(stage: str = "in") -> dict:
    """The logged-in person's registration (``stage`` "password": only the card was read so far)."""
    reg = portal().registration(logins.logged_in_id(g.sess, stage, g.session_expired))
    if not reg:
        raise PortalError("login_required")
    return reg


def start_login(reg: dict):
    """The card identified ``reg``: ask the password next, under a new session id (session fixation)."""
    logins.start_login(g.sess, reg["id"])
    g.sid = portal().session_rotate(g.sid)
    return go("login_password")


def client_messages() -> dict:
    m = portal().messages
    return {k: m.get(k).display for k in ("extension_missing", "extension_timeout", "card_cancelled",
                                          "client_error_title")} | {
        "choose_kind": m.get("choice_required", field="利用者の種別").display}
