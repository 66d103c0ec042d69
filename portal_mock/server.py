"""PortalServer: the Flask app on 127.0.0.1 (free port, threaded werkzeug server in a daemon thread) plus the
loopback SMTP server, sharing one simulated clock and one store."""

from __future__ import annotations

import logging
import socket
import struct
import threading

from werkzeug.serving import WSGIRequestHandler, make_server

from .app import create_app
from .models.portal import Portal
from .models.urls import is_agency
from .settings import PortalSettings
from .smtp import SmtpServer, SmtpTransport

log = logging.getLogger("portal_mock")


class _Handler(WSGIRequestHandler):
    """Drops the connection (TCP reset) for the agency's pages during a simulated outage, so the browser
    says it cannot reach the site, while other sites on the same server still answer.  Logs no URLs (links
    carry tokens)."""

    portal: Portal

    def run_wsgi(self) -> None:
        path = self.path.split("?", 1)[0]
        portal = self.server.portal  # type: ignore[attr-defined]
        if not path.startswith("/__admin") and is_agency(path) and portal.active_fault("outage"):
            portal.log_event("outage_drop", path, None, None, None, None, {"path": path})
            self.close_connection = True
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.rfile.close()
                self.wfile.close()
                self.connection.close()
            except OSError:
                pass
            raise ConnectionAbortedError("simulated outage")
        super().run_wsgi()

    def log_request(self, code="-", size="-") -> None:  # no request lines (tokens in URLs)
        return

    def log(self, type: str, message: str, *args) -> None:
        if type == "error":
            log.warning("portal http error: %s", message % args if args else message)


class PortalServer:
    def __init__(self, settings: PortalSettings, port: int = 0) -> None:
        self.settings = settings
        self.port = port
        self.portal: Portal | None = None
        self.app = None
        self.smtp: SmtpServer | None = None
        self._httpd = None
        self._thread: threading.Thread | None = None
        self.base_url: str | None = None

    def start(self) -> str:
        self.portal = Portal(self.settings)
        self.smtp = SmtpServer(self.portal.mailbox, self.settings.smtp_port)
        smtp_port = self.smtp.start()
        self.portal.transport = SmtpTransport(smtp_port)
        self.app = create_app(self.portal)
        self._httpd = make_server("127.0.0.1", self.port, self.app, threaded=True, request_handler=_Handler)
        self._httpd.portal = self.portal  # type: ignore[attr-defined]
        self._httpd.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self._httpd.server_port}"
        self.settings.base_url = self.base_url
        self.portal.store.put_setting("base_url", self.base_url)
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="portal-mock-http", daemon=True)
        self._thread.start()
        return self.base_url

    @property
    def smtp_port(self) -> int | None:
        return self.smtp.port if self.smtp else None

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        if self.smtp is not None:
            self.smtp.stop()
            self.smtp = None
        if self.portal is not None:
            self.portal.store.close()

    def __enter__(self) -> PortalServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
