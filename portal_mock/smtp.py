"""The wire of the mail: a real SMTP server on loopback (aiosmtpd) standing for the person's mail provider, and
the portal's outgoing SMTP transport. What arrives goes into the mailbox model (models/mailbox.py)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from .models.mailbox import Mailbox


class _Handler:
    def __init__(self, mailbox: Mailbox) -> None:
        self.mailbox = mailbox

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd API)
        self.mailbox.accept(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class _Controller(Controller):
    def _trigger_server(self):
        # port 0 -> learn the port the OS chose before the base class connects to it
        if self.server is not None and self.port == 0:
            self.port = self.server.sockets[0].getsockname()[1]
        return super()._trigger_server()


class SmtpServer:
    """aiosmtpd on 127.0.0.1; ``port=0`` picks a free port."""

    def __init__(self, mailbox: Mailbox, port: int = 0) -> None:
        # server_hostname: otherwise aiosmtpd asks the resolver for this host's FQDN on every connection, which
        # can stall for seconds on a machine whose DNS does not answer
        self.controller = _Controller(_Handler(mailbox), hostname="127.0.0.1", port=port, server_hostname="localhost")

    def start(self) -> int:
        self.controller.start()
        return self.controller.port

    @property
    def port(self) -> int:
        return self.controller.port

    def stop(self) -> None:
        self.controller.stop()


class SmtpTransport:
    """The portal's outgoing mail: real SMTP to the loopback server."""

    def __init__(self, port: int, host: str = "127.0.0.1") -> None:
        self.host, self.port = host, port

    def send(self, msg: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=10, local_hostname="localhost") as smtp:  # no FQDN lookup
            smtp.send_message(msg)
