"""What arrived in her mailbox. A check that finds the mail also reads it (as a person does)."""

from __future__ import annotations

from dataclasses import dataclass

from screenplay.abilities import mailbox, simulation
from screenplay.actor import Actor
from screenplay.pages import mail_subject
from screenplay.tasks.mail import AUTH_ID, await_mail, read_mail, subjects


@dataclass(frozen=True)
class NoMailAt:
    email: str

    def verified_by(self, actor: Actor) -> None:
        mails = mailbox(actor).mails_to(self.email)
        assert mails == [], f"expected no mail at {self.email}, got {[m.get('subject') for m in mails]}"


@dataclass(frozen=True)
class TheMail:
    """The mail whose whole subject is the one messages.yaml gives it (the feature quotes a fragment)."""

    email: str
    subject: str

    def verified_by(self, actor: Actor) -> None:
        exact = mail_subject(self.subject, simulation(actor).generation)
        mails = await_mail(actor, self.email, lambda m: exact.match(m.get("subject", "")))
        assert mails, f"no mail {exact.pattern!r} at {self.email}; mailbox: {subjects(actor, self.email)}"
        read_mail(actor, mails[-1])


@dataclass(frozen=True)
class MailsAbout:
    """How many mails with this subject are in the mailbox now (no waiting)."""

    email: str
    subject: str
    count: int

    def verified_by(self, actor: Actor) -> None:
        exact = mail_subject(self.subject, simulation(actor).generation)
        mails = [m for m in mailbox(actor).mails_to(self.email) if exact.match(m.get("subject", ""))]
        assert len(mails) == self.count, (f"expected {self.count} mails {exact.pattern!r} at {self.email}, "
                                          f"got {len(mails)}")


@dataclass(frozen=True)
class TheAuthIdMail:
    email: str

    def verified_by(self, actor: Actor) -> None:
        mails = await_mail(actor, self.email, lambda m: AUTH_ID.search(m.get("body", "")))
        assert mails, f"no mail carrying a 認証ID at {self.email}: {subjects(actor, self.email)}"
        read_mail(actor, mails[-1])


@dataclass(frozen=True)
class TheMailFrom:
    email: str
    sender: str
    prefix: str

    def verified_by(self, actor: Actor) -> None:
        mails = await_mail(actor, self.email, lambda m: True)
        assert mails, f"no mail at {self.email}"
        assert self.sender in mails[-1].get("from", ""), mails[-1].get("from")
        assert mails[-1].get("subject", "").startswith(self.prefix), mails[-1].get("subject")
