from __future__ import annotations

import smtplib
from datetime import timedelta

import pytest

from portal_mock.models.clock import SimClock
from portal_mock.models.mailbox import Mailbox, RuleError, build_message, match_rule, validate_rules
from portal_mock.models.store import Store
from portal_mock.settings import DEFAULT_MAIL_RULES
from portal_mock.smtp import SmtpServer, SmtpTransport


@pytest.fixture
def smtp(tmp_path):
    clock = SimClock("2025-06-02T10:00:00+09:00")
    store = Store(tmp_path / "m.sqlite3")
    rules = list(DEFAULT_MAIL_RULES)
    box = Mailbox(store, clock, lambda: rules)
    server = SmtpServer(box, 0)
    port = server.start()
    yield clock, store, port, rules
    server.stop()
    store.close()


def status_of(store, clock):
    from portal_mock.models.mailbox import mail_view
    return {r["recipient"]: mail_view(r, clock.now())["status"] for r in store.query("SELECT * FROM mails")}


def test_real_smtp_socket_and_default_rules(smtp):
    clock, store, port, _ = smtp
    assert port > 0
    t = SmtpTransport(port)
    for rcpt in ("a@gmail.com", "b@docomo.ne.jp", "c@example.com", "d@hotmail.com", "e@city.example.lg.jp"):
        t.send(build_message("noreply@ras-immi.moj.go.jp", rcpt, "件名", "本文 https://x.example/p?token=1", "t",
                             clock.now()))
    st = status_of(store, clock)
    assert st == {"a@gmail.com": "dropped", "b@docomo.ne.jp": "delayed", "c@example.com": "delivered",
                  "d@hotmail.com": "dropped", "e@city.example.lg.jp": "delayed"}
    clock.advance(seconds=61)
    assert status_of(store, clock)["b@docomo.ne.jp"] == "delivered"
    row = store.one("SELECT * FROM mails WHERE recipient = 'c@example.com'")
    assert row["subject"] == "件名" and "本文" in row["body"] and row["sender"] == "noreply@ras-immi.moj.go.jp"


def test_raw_smtp_conversation(smtp):
    clock, store, port, _ = smtp
    with smtplib.SMTP("127.0.0.1", port) as s:
        s.sendmail("x@y.jp", ["z@example.org"], b"Subject: hi\r\n\r\nbody\r\n")
    assert store.one("SELECT subject FROM mails")["subject"] == "hi"


def test_rules_validation_and_matching():
    rules = validate_rules([{"domain": "*.jp", "action": "delay", "delay_seconds": 7200}])
    assert match_rule(rules, "a@b.co.jp")["delay_seconds"] == 7200
    assert match_rule(rules, "a@b.com")["action"] == "deliver"
    for bad in ([{"domain": ""}], [{"domain": "x", "action": "bounce"}], [{"domain": "x", "delay_seconds": -1}],
                "nope", [1]):
        with pytest.raises(RuleError):
            validate_rules(bad)


def test_delay_in_simulated_time(smtp):
    clock, store, port, rules = smtp
    rules[:] = validate_rules([{"domain": "example.org", "action": "delay", "delay_seconds": 7200}])
    SmtpTransport(port).send(build_message("a@b.jp", "p@example.org", "s", "b", "t", clock.now()))
    clock.advance(hours=1, minutes=59)
    assert status_of(store, clock)["p@example.org"] == "delayed"
    clock.advance(timedelta(minutes=1).total_seconds())
    assert status_of(store, clock)["p@example.org"] == "delivered"
