"""The Flask app: thin routes over ``backend.Portal``; sessions, CSRF, faults, error pages."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import time

from flask import Flask, Response, before_render_template, g, render_template, request
from werkzeug.exceptions import HTTPException

from .backend import PREFIX, Portal
from .rules import PortalError
from .settings import PortalSettings

AGENCY_PREFIXES = ("/isa/", "/WC01/", "/rasens-u/")  # the agency's hosts (all unreachable in an outage)
PORTAL_PREFIXES = {"/WC01/": "ras", "/rasens-u/": "rasens"}
COOKIE = {"ras": "JSESSIONID", "rasens": "RASENS_SESSION"}
# Where the request comes from, as the portal's IP geolocation would see it. A loopback server cannot see an
# overseas address, so the harness's browser says it in this header when the person is abroad (value "abroad").
CLIENT_LOCATION_HEADER = "X-Ras-E2e-Client-Location"
SLOW_REQUEST_SECONDS = 2.0  # a page slower than this is logged: a scenario that times out then says why
log = logging.getLogger("portal_mock")
STATUS_KEYS = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "bad_request"}


def generation_of(path: str) -> str | None:
    for prefix, gen in PORTAL_PREFIXES.items():
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return gen
    return None


def is_agency(path: str) -> bool:
    return any(path.startswith(p) or path == p.rstrip("/") for p in AGENCY_PREFIXES)


def create_app(settings_or_portal: PortalSettings | Portal) -> Flask:
    portal = settings_or_portal if isinstance(settings_or_portal, Portal) else Portal(settings_or_portal)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.config["MAX_FORM_MEMORY_SIZE"] = 64 * 1024
    app.extensions["portal"] = portal
    app.portal = portal  # type: ignore[attr-defined]
    app.jinja_env.globals["PREFIX"] = PREFIX

    ua_re = re.compile(portal.settings.smartphone_ua_pattern)

    def _page_identity(sender, template, context, **extra) -> None:
        """Every page says which page it is (<body data-page="...">, the template's name): a test checks the page
        by its identity, not by a phrase that another page might also carry."""
        context.setdefault("page_id", (template.name or "").removesuffix(".html"))

    before_render_template.connect(_page_identity, app, weak=False)

    @app.before_request
    def _before():
        g.started = time.monotonic()
        g.gen = generation_of(request.path)
        g.sid = None
        if request.path.startswith("/__admin"):
            return None
        portal.process_due()
        if is_agency(request.path) and portal.active_fault("outage"):
            # the real server drops the connection (server.py); the test client sees this marker
            return Response("", status=503, headers={"X-Simulated-Outage": "connection-reset"})
        slow = portal.active_fault("slow") if is_agency(request.path) else None
        if slow:
            time.sleep(min(float(slow.get("delay_ms") or 0), 30_000) / 1000)
        if g.gen is None:
            return None
        if request.headers.get(CLIENT_LOCATION_HEADER) == "abroad" and portal.setting("overseas_access_blocked"):
            return render_message("overseas_access", page="overseas_access", template="maintenance.html")
        if portal.active_fault("maintenance"):
            return render_message("maintenance", page="maintenance", template="maintenance.html")
        ua = request.headers.get("User-Agent", "")
        if ua_re.search(ua) and not portal.setting("smartphone_supported").get(g.gen, False):
            return render_message("smartphone", page="unsupported_device", template="unsupported.html")
        sid, data, expired = portal.session_load(request.cookies.get(COOKIE[g.gen]))
        g.sid, g.sess, g.session_expired = sid, data, expired
        if not g.sess.get("csrf"):
            g.sess["csrf"] = secrets.token_urlsafe(24)
        if request.method == "POST" and request.endpoint != f"{g.gen}.client_event":
            sent = request.form.get("_csrf", "")
            if expired:
                raise PortalError("session_timeout")
            if not sent or not hmac.compare_digest(sent, g.sess["csrf"]):
                raise PortalError("csrf", reason="missing or wrong CSRF token")
        return None

    @app.after_request
    def _after(resp: Response):
        if request.path.startswith("/__admin") or request.path.startswith("/static/"):
            return resp
        gen = getattr(g, "gen", None)
        if gen and getattr(g, "sid", None):
            portal.session_save(g.sid, g.sess)
            resp.set_cookie(COOKIE[gen], g.sid, httponly=True, samesite="Lax", path=PREFIX[gen])
        if not getattr(g, "event_logged", False):
            portal.log_event("page_view", request.endpoint or request.path, resp.status_code, None, None, gen,
                             {"path": request.path, "method": request.method})
        elapsed = time.monotonic() - g.get("started", time.monotonic())
        if elapsed > SLOW_REQUEST_SECONDS and not portal.active_fault("slow"):
            log.warning("slow page: %s %s took %.1f s", request.method, request.path, elapsed)  # no query: tokens
        resp.headers.setdefault("Cache-Control", "no-store")
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("X-Frame-Options", "DENY")
        return resp

    def render_message(key: str, page: str | None = None, template: str = "message.html", status: int | None = None,
                       reason: str | None = None, **fmt):
        msg = portal.messages.get(key, **fmt)
        st = status or msg.status
        portal.log_event("error_shown", page or request.endpoint or request.path, st, msg.code, msg.text,
                         getattr(g, "gen", None), {"path": request.path, "reason": reason} if reason else
                         {"path": request.path})
        g.event_logged = True
        return render_template(template, msg=msg, gen=getattr(g, "gen", None), title=_title(key)), st

    app.render_message = render_message  # type: ignore[attr-defined]

    @app.errorhandler(PortalError)
    def _portal_error(e: PortalError):
        return render_message(e.key, reason=e.reason, **e.fmt)

    @app.errorhandler(HTTPException)
    def _http_error(e: HTTPException):
        if request.path.startswith("/__admin"):
            return {"error": e.name, "status": e.code}, e.code
        key = STATUS_KEYS.get(e.code or 400, "bad_request")
        return render_message(key, status=e.code)

    @app.errorhandler(Exception)
    def _unexpected(e: Exception):
        # logged (class only, no data), shown without details
        app.logger.error("unexpected %s on %s %s", type(e).__name__, request.method, request.path)
        portal.log_event("internal_error", request.endpoint or request.path, 500, None, None,
                         getattr(g, "gen", None), {"exception": type(e).__name__})
        if request.path.startswith("/__admin"):
            return {"error": "internal error", "exception": type(e).__name__}, 500
        return render_message("system_error", status=500)

    from .routes_admin import bp as admin_bp
    from .routes_agency import bp as agency_bp
    from .routes_portal import make_blueprint

    app.register_blueprint(agency_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(make_blueprint("ras"))
    app.register_blueprint(make_blueprint("rasens"))
    from .ocsp import make_blueprint as make_ocsp_blueprint

    app.register_blueprint(make_ocsp_blueprint(portal))
    return app


def _title(key: str) -> str:
    return {"maintenance": "メンテナンス中", "smartphone": "ご利用環境について",
            "overseas_access": "ご利用いただけません"}.get(key, "エラー")
