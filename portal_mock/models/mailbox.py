"""Mail: the person's mailbox in the store and the delivery rules per recipient domain (deliver / delay in
simulated time / drop). The wire (a real SMTP server on loopback standing for the mail provider) is
portal_mock/smtp.py; without a socket, DirectTransport hands a message straight to the mailbox."""

from __future__ import annotations

import email
import email.policy
import fnmatch
import re
import uuid
from datetime import datetime, timedelta
from email.message import EmailMessage

from .clock import parse_time

ACTIONS = ("deliver", "delay", "drop")
URL_RE = re.compile(r"https?://[^\s<>\"']+")


class RuleError(ValueError):
    pass


def validate_rules(rules) -> list[dict]:
    if not isinstance(rules, list):
        raise RuleError("rules: expected a list of {domain, action, delay_seconds}")
    out = []
    for i, r in enumerate(rules):
        if not isinstance(r, dict):
            raise RuleError(f"rules[{i}]: expected an object")
        domain = r.get("domain")
        if not isinstance(domain, str) or not domain or len(domain) > 253 or " " in domain:
            raise RuleError(f"rules[{i}].domain: expected a domain or pattern like '*.jp'")
        action = r.get("action", "deliver")
        if action not in ACTIONS:
            raise RuleError(f"rules[{i}].action: expected one of {ACTIONS}")
        delay = r.get("delay_seconds", 0)
        if isinstance(delay, bool) or not isinstance(delay, int | float) or delay < 0:
            raise RuleError(f"rules[{i}].delay_seconds: expected a number >= 0")
        out.append({"domain": domain.lower(), "action": action, "delay_seconds": delay})
    return out


def match_rule(rules: list[dict], recipient: str) -> dict:
    domain = recipient.rsplit("@", 1)[-1].lower()
    for r in rules:
        pat = r["domain"]
        if pat == domain or (any(c in pat for c in "*?[") and fnmatch.fnmatchcase(domain, pat)):
            return r
    return {"domain": "*", "action": "deliver", "delay_seconds": 0}


def mail_status(row: dict, now: datetime) -> str:
    if row["action"] == "drop":
        return "dropped"
    return "delivered" if parse_time(row["deliver_at"]) <= now else "delayed"


def mail_view(row: dict, now: datetime) -> dict:
    return {
        "id": row["id"],
        "message_id": row["message_id"],
        "from": row["sender"],
        "to": row["recipient"],
        "subject": row["subject"],
        "body": row["body"],
        "kind": row["kind"],
        "sent_at": row["sent_at"],
        "deliver_at": row["deliver_at"],
        "status": mail_status(row, now),
        "links": URL_RE.findall(row["body"]),
    }


class Mailbox:
    """The provider side: accepts a message for recipients and files it by the rules at the simulated time."""

    def __init__(self, store, clock, rules_fn) -> None:
        self.store = store
        self.clock = clock
        self.rules_fn = rules_fn

    def accept(self, sender: str, recipients: list[str], raw: bytes) -> None:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        sent_header = msg.get("X-Sim-Sent-At")
        sent_at = parse_time(str(sent_header)) if sent_header else self.clock.now()
        extra = float(msg.get("X-Sim-Extra-Delay", 0) or 0)
        body_part = msg.get_body(preferencelist=("plain",))
        body = body_part.get_content() if body_part else ""
        for rcpt in recipients:
            rule = match_rule(self.rules_fn(), rcpt)
            delay = float(rule.get("delay_seconds") or 0) + extra
            self.store.insert(
                "mails",
                {
                    "message_id": str(msg.get("Message-ID", "")),
                    "sender": sender,
                    "recipient": rcpt.lower(),
                    "subject": str(msg.get("Subject", "")),
                    "body": body,
                    "kind": str(msg.get("X-Sim-Kind", "")),
                    "sent_at": sent_at.isoformat(),
                    "deliver_at": (sent_at + timedelta(seconds=delay)).isoformat(),
                    "action": "drop" if rule["action"] == "drop" else "deliver",
                },
            )


class DirectTransport:
    """For the Flask test client without a socket: hand the message straight to the mailbox."""

    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    def send(self, msg: EmailMessage) -> None:
        self.mailbox.accept(str(msg["From"]), [str(msg["To"])], msg.as_bytes())


def build_message(sender: str, recipient: str, subject: str, body: str, kind: str, sent_at: datetime,
                  extra_delay: float = 0) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@{sender.split('@')[-1]}>"
    msg["X-Sim-Sent-At"] = sent_at.isoformat()
    msg["X-Sim-Kind"] = kind
    if extra_delay:
        msg["X-Sim-Extra-Delay"] = str(extra_delay)
    msg.set_content(body, charset="utf-8")
    return msg
