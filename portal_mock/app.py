"""The Flask app: the thin routes of portal_mock.responses over the model (``models.portal.Portal``), and what
every request passes through — the simulated faults, the request gate (abroad, maintenance, smartphone), server-side
sessions and CSRF, the events log and the error pages."""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import time

from flask import Flask, Response, before_render_template, current_app, g, render_template, request
from werkzeug.exceptions import HTTPException

from .models.portal import Portal
from .models.rules import PortalError
from .models.urls import PREFIX, generation_of, is_agency
from .settings import PortalSettings

COOKIE = {"ras": "JSESSIONID", "rasens": "RASENS_SESSION"}
# Where the request comes from, as the portal's IP geolocation would see it. A loopback server cannot see an
# overseas address, so the harness's browser says it in this header when the person is abroad (value "abroad").
CLIENT_LOCATION_HEADER = "X-Ras-E2e-Client-Location"
SLOW_REQUEST_SECONDS = 2.0  # a page slower than this is logged: a scenario that times out then says why
log = logging.getLogger("portal_mock")
STATUS_KEYS = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 413: "bad_request"}


def create_app(settings_or_portal: PortalSettings | Portal) -> Flask:
    portal = settings_or_portal if isinstance(settings_or_portal, Portal) else Portal(settings_or_portal)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024
    app.config["MAX_FORM_MEMORY_SIZE"] = 64 * 1024
    app.extensions["portal"] = portal
    app.portal = portal  # type: ignore[attr-defined]
    app.jinja_env.globals["PREFIX"] = PREFIX
    before_render_template.connect(_page_identity, app, weak=False)
    ua_re = re.compile(portal.settings.smartphone_ua_pattern)
    app.before_request(lambda: _before(portal, ua_re))
    app.after_request(lambda resp: _after(portal, resp))
    app.register_error_handler(PortalError, _portal_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    _register_blueprints(app, portal)
    return app


def _register_blueprints(app: Flask, portal: Portal) -> None:
    from .responses import make_blueprint
    from .responses.admin import bp as admin_bp
    from .responses.agency import bp as agency_bp
    from .responses.ocsp import make_blueprint as make_ocsp_blueprint

    app.register_blueprint(agency_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(make_blueprint("ras"))
    app.register_blueprint(make_blueprint("rasens"))
    app.register_blueprint(make_ocsp_blueprint(portal))


def _page_identity(sender, template, context, **extra) -> None:
    """Every page says which page it is (<body data-page="...">, the template's name): a test checks the page
    by its identity, not by a phrase that another page might also carry."""
    context.setdefault("page_id", (template.name or "").removesuffix(".html"))


def _before(portal: Portal, ua_re: re.Pattern):
    """Faults first (the agency's sites are down or slow), then, for the portal's pages, the gate and the session."""
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
    return _gate(portal, ua_re) or _load_session(portal)


def _gate(portal: Portal, ua_re: re.Pattern):
    """The pages a person is shown instead of the portal: abroad, maintenance, an unsupported smartphone."""
    if request.headers.get(CLIENT_LOCATION_HEADER) == "abroad" and portal.setting("overseas_access_blocked"):
        return render_message("overseas_access", page="overseas_access", template="maintenance.html")
    if portal.active_fault("maintenance"):
        return render_message("maintenance", page="maintenance", template="maintenance.html")
    ua = request.headers.get("User-Agent", "")
    if ua_re.search(ua) and not portal.setting("smartphone_supported").get(g.gen, False):
        return render_message("smartphone", page="unsupported_device", template="unsupported.html")
    return None


def _load_session(portal: Portal) -> None:
    """The server-side session of the cookie (or a new one), and the CSRF check of every form post."""
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


def _after(portal: Portal, resp: Response) -> Response:
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
    """A message page (an error, maintenance, ...), logged as shown."""
    portal: Portal = current_app.extensions["portal"]
    msg = portal.messages.get(key, **fmt)
    st = status or msg.status
    portal.log_event("error_shown", page or request.endpoint or request.path, st, msg.code, msg.text,
                     getattr(g, "gen", None), {"path": request.path, "reason": reason} if reason else
                     {"path": request.path})
    g.event_logged = True
    return render_template(template, msg=msg, gen=getattr(g, "gen", None), title=_title(key)), st


def _portal_error(e: PortalError):
    return render_message(e.key, reason=e.reason, **e.fmt)


def _http_error(e: HTTPException):
    if request.path.startswith("/__admin"):
        return {"error": e.name, "status": e.code}, e.code
    key = STATUS_KEYS.get(e.code or 400, "bad_request")
    return render_message(key, status=e.code)


def _unexpected(e: Exception):
    # logged (class only, no data), shown without details
    current_app.logger.error("unexpected %s on %s %s", type(e).__name__, request.method, request.path)
    current_app.extensions["portal"].log_event("internal_error", request.endpoint or request.path, 500, None, None,
                                               getattr(g, "gen", None), {"exception": type(e).__name__})
    if request.path.startswith("/__admin"):
        return {"error": "internal error", "exception": type(e).__name__}, 500
    return render_message("system_error", status=500)


def _title(key: str) -> str:
    return {"maintenance": "メンテナンス中", "smartphone": "ご利用環境について",
            "overseas_access": "ご利用いただけません"}.get(key, "エラー")
