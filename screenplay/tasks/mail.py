"""Checking the mailbox the way a person does, and reading what a mail gives her (認証ID, a link)."""

from __future__ import annotations

import re
from collections.abc import Callable

from screenplay.abilities import mailbox, simulation
from screenplay.actor import Actor

LINK = re.compile(r"https?://[^\s<>\"')]+")
AUTH_ID = re.compile(r"認証ID\s*[:：]\s*([0-9A-Za-z]+)")
PATIENCE_MINUTES = 120
LOOK_EVERY_MINUTES = 5


def await_mail(actor: Actor, email: str, matches: Callable[[dict], object]) -> list[dict]:
    """Look now, then again every few minutes, for a while. The waiting is simulated time and counts in the
    usability report."""
    waited = 0
    while True:
        found = [m for m in mailbox(actor).mails_to(email) if matches(m)]
        if found or waited >= PATIENCE_MINUTES:
            if waited:
                simulation(actor).recorder.wait(waited * 60, "mail")
            return found
        simulation(actor).portal.advance(LOOK_EVERY_MINUTES * 60)
        waited += LOOK_EVERY_MINUTES


def read_mail(actor: Actor, mail: dict) -> None:
    """She takes from the mail what the journey needs next: her 認証ID, the portal's link."""
    body = mail.get("body", "")
    found = AUTH_ID.search(body)
    if found:
        actor.remember(auth_id=found.group(1))
    links = [u for u in LINK.findall(body) if u.startswith(mailbox(actor).portal_url)]
    if links:
        actor.remember(link=links[0])


def subjects(actor: Actor, email: str) -> list:
    """What the mailbox holds, for a failure message."""
    return [m.get("subject") for m in mailbox(actor).mails_to(email)]
