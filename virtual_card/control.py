"""Loopback-only HTTP control API for a served card: insert/remove/swap, faults, city-office reset, APDU log.

Why stdlib http.server: the card serve process must start in milliseconds and carry no web framework; JSON over a
handful of routes is all a scenario step or a person at a desk needs. Any client that is not on loopback gets 403,
whatever address the server was bound to; so does a request that names another Host (DNS rebinding) or comes from a
web page of another origin (CSRF), and a body must say it is JSON (a page can post ``text/plain`` without asking).
Every field is checked before the card or bridge sees it: a NaN or an infinite delay once stopped the bridge.

Routes (JSON bodies):
  GET    /status                      slot, profile, inserted, faults, APDU count
  POST   /insert   {"profile"?}       insert the current (or named) profile's card
  POST   /remove
  POST   /swap     {"profile"}        that profile's card (one card per profile for the life of `card serve`)
  POST   /faults   {"delay_ms"?, "drop_after"?, "status_word"? (hex), "ins"? (hex)}
  DELETE /faults
  POST   /city-office/reset {"pin": "auth"|"sign"|"support"}   tries back to max (no PIN in the request)
  GET    /apdu-log                    masked entries
  DELETE /apdu-log
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from ras_common.finite_json import first_non_finite
from ras_common.loopback import NotThisMachine, check_host_and_origin, is_loopback_address

from .card import MyNumberCard
from .profiles import ProfileError
from .vpcd import VpcdBridge

CardFactory = Callable[[str], MyNumberCard]


class CardController:
    """The operations behind the routes, usable without HTTP (fixtures call these directly)."""

    def __init__(self, bridge: VpcdBridge, factory: CardFactory, profile: str):
        self.bridge = bridge
        self.factory = factory
        self.profile = profile
        self.card: MyNumberCard | None = None

    def status(self) -> dict:
        return {"port": self.bridge.port, "profile": self.profile, "inserted": self.bridge.card is not None,
                "connected": self.bridge.connected.is_set(), "faults": self.bridge.faults,
                "apdus": self.bridge.apdus}

    def insert(self, profile: str | None = None) -> dict:
        if profile:
            self.profile = profile
        self.card = self.factory(self.profile)
        self.bridge.insert(self.card)
        return self.status()

    def remove(self) -> dict:
        self.bridge.remove()
        return self.status()

    def swap(self, profile: str) -> dict:
        self.profile = profile
        self.card = self.factory(profile)
        self.bridge.swap(self.card)
        return self.status()

    def set_faults(self, body: dict) -> dict:
        if "delay_ms" in body:
            self.bridge.fault_delay(float(body["delay_ms"]))
        if "drop_after" in body:
            self.bridge.fault_drop_after(int(body["drop_after"]))
        if "status_word" in body:
            sw = body["status_word"]
            ins = body.get("ins")
            self.bridge.fault_status_word(None if sw is None else int(str(sw), 16),
                                          None if ins is None else int(str(ins), 16))
        return self.status()

    def clear_faults(self) -> dict:
        self.bridge.clear_faults()
        return self.status()

    def city_office_reset(self, pin: str) -> dict:
        if self.card is None:
            raise LookupError("no card inserted")
        self.card.city_office_reset(pin)
        return {"pin": pin, "tries_left": self.card.pin_tries(pin)}

    def apdu_log(self) -> list[dict]:
        return self.card.apdu_log if self.card else []

    def clear_apdu_log(self) -> dict:
        if self.card:
            self.card.clear_apdu_log()
        return {"cleared": True}


class BadRequest(ValueError):
    def __init__(self, field: str, message: str, status: int = 400):
        super().__init__(message)
        self.field, self.status = field, status


MAX_DELAY_MS = 30_000
MAX_DROP_AFTER = 1_000_000
PIN_KINDS = ("auth", "sign", "support")


def _hex(body: dict, name: str, digits: int) -> None:
    value = body.get(name)
    if value is None:
        return
    if not isinstance(value, str) or len(value) != digits or any(c not in "0123456789abcdefABCDEF" for c in value):
        raise BadRequest(name, f"{name}: expected {digits} hex digits, e.g. {'6A82' if digits == 4 else 'B0'}")


def _check_fields(path: str, body: dict) -> None:
    """Every field a route reads, checked before the card or the bridge sees it."""
    for name in ("profile",) if path in ("/insert", "/swap") else ():
        value = body.get(name)
        if (value is not None or path == "/swap") and (not isinstance(value, str) or not 0 < len(value) <= 100):
            raise BadRequest(name, f"{name}: expected a card profile name (a string)")
    if path == "/city-office/reset" and body.get("pin") not in PIN_KINDS:
        raise BadRequest("pin", f"pin: expected one of {', '.join(PIN_KINDS)}")
    if path != "/faults":
        return
    delay = body.get("delay_ms", 0)
    if isinstance(delay, bool) or not isinstance(delay, int | float) or not 0 <= delay <= MAX_DELAY_MS:
        raise BadRequest("delay_ms", f"delay_ms: expected a number from 0 to {MAX_DELAY_MS}")
    drop = body.get("drop_after", 0)
    if isinstance(drop, bool) or not isinstance(drop, int) or not 0 <= drop <= MAX_DROP_AFTER:
        raise BadRequest("drop_after", f"drop_after: expected a whole number from 0 to {MAX_DROP_AFTER}")
    _hex(body, "status_word", 4)
    _hex(body, "ins", 2)


class _Handler(BaseHTTPRequestHandler):
    controller: CardController  # set on the subclass made per server

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - silence per-request logs
        return

    def _reply(self, status: int, payload: object) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> dict:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise BadRequest("Content-Length", "Content-Length: expected a number of bytes") from None
        if not length:
            return {}
        if not 0 < length <= 1_000_000:
            raise BadRequest("Content-Length", "Content-Length: a body of at most 1 MB")
        mimetype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if mimetype != "application/json":
            raise BadRequest("Content-Type", "Content-Type: expected application/json for a request body "
                                             f"(got {mimetype or 'none'!r})", 415)
        try:
            data = json.loads(self.rfile.read(length))
        except (ValueError, RecursionError):
            raise BadRequest("body", "body: expected a JSON object") from None
        if not isinstance(data, dict):
            raise BadRequest("body", "body: expected a JSON object")
        bad = first_non_finite(data)
        if bad:
            raise BadRequest(bad, f"{bad}: expected a finite number (not NaN or Infinity)")
        return data

    def _check_origin(self) -> None:
        """The Host asked for and the page that sent the request (Origin) must both be this machine."""
        try:
            check_host_and_origin(self.headers.get("Host") or "", self.headers.get("Origin"), "card control API")
        except NotThisMachine as e:
            raise BadRequest(e.field, str(e), 403) from None

    def _route(self, method: str) -> None:
        if not is_loopback_address(self.client_address[0]):
            self._reply(403, {"error": "the card control API answers loopback clients only"})
            return
        c = self.controller
        path = self.path.split("?")[0].rstrip("/") or "/"
        routes = {
            ("GET", "/status"): lambda b: c.status(),
            ("POST", "/insert"): lambda b: c.insert(b.get("profile")),
            ("POST", "/remove"): lambda b: c.remove(),
            ("POST", "/swap"): lambda b: c.swap(b["profile"]),
            ("POST", "/faults"): c.set_faults,
            ("DELETE", "/faults"): lambda b: c.clear_faults(),
            ("POST", "/city-office/reset"): lambda b: c.city_office_reset(b["pin"]),
            ("GET", "/apdu-log"): lambda b: c.apdu_log(),
            ("DELETE", "/apdu-log"): lambda b: c.clear_apdu_log(),
        }
        handler = routes.get((method, path))
        if handler is None:
            self._reply(404, {"error": f"no route {method} {path}", "routes": [f"{m} {p}" for m, p in routes]})
            return
        try:
            self._check_origin()
            body = self._body()
            _check_fields(path, body)
            self._reply(200, handler(body))
        except BadRequest as exc:
            self._reply(exc.status, {"error": str(exc), "field": exc.field})
        except ProfileError as exc:
            self._reply(400, {"error": str(exc)})
        except KeyError as exc:
            self._reply(400, {"error": f"missing or unknown field: {exc.args[0]}"})
        except (ValueError, LookupError) as exc:
            self._reply(400, {"error": str(exc)})

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        self._route("GET")

    def do_POST(self) -> None:  # noqa: N802
        self._route("POST")

    def do_DELETE(self) -> None:  # noqa: N802
        self._route("DELETE")


class ControlServer:
    """Serves a CardController on 127.0.0.1 (port 0 = any free port) in a daemon thread."""

    def __init__(self, controller: CardController, host: str = "127.0.0.1", port: int = 0):
        handler = type("BoundHandler", (_Handler,), {"controller": controller})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> str:
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="card-control", daemon=True)
        self._thread.start()
        return self.url

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        if self._thread:
            self._thread.join(timeout=5)
