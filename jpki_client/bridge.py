"""The browser bridge: what the JPKI extension + browser-version client do for a page, inside Playwright.

Why this shape: Japanese government extensions talk to pages through DOM CustomEvents carrying JSON strings and
hidden-input presence markers (reference/anchors.md §2.2), so a page written for the real extension works with this
stand-in unchanged.  The page dispatches ``jpkiRequest`` on ``document`` with ``detail`` = JSON string
``{"id", "mode": "sign"|"auth", "challenge": base64?}``; the injected script calls the exposed binding
``__rasE2eJpkiHost(detail)``; Python opens the card through ``client_factory()``, asks ``pin_provider`` (never the
page) for the password or PIN, and the script dispatches ``jpkiResponse`` with ``detail`` = JSON string
``{"id", "result": "0", "certificate": base64 DER, "signature"?: base64}``, or ``{"id", "result": "E", "errorCode",
"errorMessage", "errorMessageEn", "triesLeft"?}``, or ``{"id", "result": "9"}`` when the person cancels.

The PC profile decides what exists at all: no extension → nothing is injected (the page sees no marker and no
answer); the standalone client only → markers of the extension but every request fails (``JPKI_CLIENT_NOT_RUNNING``,
wording unverified); no reader → ``EW000J0200``.

``on_event(dict)`` receives one dict per thing a person would notice — ``{"kind": "pin_dialog", "pin_kind",
"digits"}`` (never the PIN), ``{"kind": "card_read", "certificate"}``, ``{"kind": "sign", "key"}``,
``{"kind": "error", "code", "message"}``, ``{"kind": "cancelled", "pin_kind"}`` — so the harness can count
keystrokes and errors.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import settings
from .client import JpkiClient
from .environments import Environment
from .errors import JpkiClientError, JpkiClientNotRunning, JpkiNoCardError, JpkiPinIncorrect
from .pin import PinEntryCancelled, PinProvider

logger = logging.getLogger("jpki_client.bridge")

BINDING_NAME = "__rasE2eJpkiHost"
MODES = {"sign": ("sign", "sign"), "auth": ("auth", "auth")}  # mode -> (certificate, key)

EventSink = Callable[[dict], None]


class _CountingPinProvider:
    """Wraps the real provider to report each PIN dialog (digits typed, never the digits themselves)."""

    def __init__(self, inner: PinProvider, emit: EventSink):
        self._inner = inner
        self._emit = emit

    def get_pin(self, kind: str) -> str:
        try:
            value = self._inner.get_pin(kind)
        except PinEntryCancelled:
            self._emit({"kind": "pin_dialog", "pin_kind": kind, "digits": 0, "cancelled": True})
            raise
        self._emit({"kind": "pin_dialog", "pin_kind": kind, "digits": len(value)})
        return value


def _error(exc: JpkiClientError) -> dict:
    out = {"result": "E", "errorCode": exc.code, "errorMessage": exc.message, "errorMessageEn": exc.message_en}
    tries = getattr(exc, "tries_left", None)
    if tries is not None:
        out["triesLeft"] = tries
    return out


def _decode_challenge(challenge: bytes | str | None) -> bytes | None:
    if challenge is None or challenge == "":
        return None
    if isinstance(challenge, bytes | bytearray):
        return bytes(challenge)
    try:
        return base64.b64decode(challenge, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("challenge is not base64") from None


def _noop(_event: dict) -> None:
    return None


def read_for_portal(client: JpkiClient, mode: str, challenge: bytes | str | None, pin_provider: PinProvider,
                    on_event: EventSink | None = None) -> dict:
    """Do what the extension does for one page request; always returns a response dict (without ``id``).

    ``mode: sign`` reads the signature certificate (password) and signs ``challenge`` with the signature key under
    the same verification; ``mode: auth`` reads the user-authentication certificate and signs with the auth key
    (PIN).  Without a challenge, ``auth`` still verifies the PIN (``settings.ASK_AUTH_PIN_WITHOUT_CHALLENGE``).
    """
    emit = on_event or _noop
    if mode not in MODES:
        return _report(emit, {"result": "E", "errorCode": "JPKI_BAD_REQUEST",
                              "errorMessage": f"mode must be one of {sorted(MODES)}", "errorMessageEn": "bad mode"})
    try:
        data = _decode_challenge(challenge)
    except ValueError as exc:
        return _report(emit, {"result": "E", "errorCode": "JPKI_BAD_REQUEST", "errorMessage": str(exc),
                              "errorMessageEn": str(exc)})
    cert_kind, key_kind = MODES[mode]
    provider = _CountingPinProvider(pin_provider, emit)
    try:
        certificate = client.read_certificate(cert_kind, provider)
        emit({"kind": "card_read", "certificate": cert_kind})
        response = {"result": "0", "certificate": base64.b64encode(certificate).decode("ascii")}
        if data is not None:
            signature = client.sign(key_kind, data, provider)
            emit({"kind": "sign", "key": key_kind})
            response["signature"] = base64.b64encode(signature).decode("ascii")
        elif mode == "auth" and settings.ASK_AUTH_PIN_WITHOUT_CHALLENGE:
            client.verify_pin("auth", provider)
        return response
    except PinEntryCancelled as exc:
        emit({"kind": "cancelled", "pin_kind": str(exc.args[0]) if exc.args else None})
        return {"result": "9"}
    except JpkiPinIncorrect as exc:
        return _report(emit, _error(exc))
    except JpkiClientError as exc:
        return _report(emit, _error(exc))


def _report(emit: EventSink, response: dict) -> dict:
    event = {"kind": "error", "code": response["errorCode"], "message": response.get("errorMessage", "")}
    if "triesLeft" in response:
        event["tries_left"] = response["triesLeft"]
    emit(event)
    return response


@dataclass
class BridgeHandle:
    """What ``install`` did, and what happened since (for assertions and the report)."""

    environment: Environment
    installed: bool
    events: list[dict] = field(default_factory=list)
    requests: int = 0
    internal_errors: list[BaseException] = field(default_factory=list)


def _script(environment: Environment, extension_version: str) -> str:
    config = {
        "extensionVersion": extension_version,
        "clientInstalled": environment.browser_client_installed,
        "clientVersion": environment.client_version or "",
    }
    here = Path(__file__).parent
    source = (here / "bridge.js").read_text(encoding="utf-8")
    protocol = (here / "extension" / "page_protocol.js").read_text(encoding="utf-8")
    return (source.replace("__RAS_E2E_PAGE_PROTOCOL__", protocol)
            .replace("__RAS_E2E_JPKI_CONFIG__", json.dumps(config, ensure_ascii=False)))


def install(context, client_factory: Callable[[], JpkiClient], pin_provider: PinProvider, environment: Environment,
            on_event: EventSink | None = None) -> BridgeHandle:
    """Install the stand-in extension into a Playwright ``BrowserContext`` (or ``Page``), per the PC profile.

    ``client_factory()`` returns a connected ``JpkiClient`` for each request (and is closed afterwards, which
    clears the card's PIN state).  Call before opening pages: init scripts apply to documents loaded afterwards.
    """
    silent = environment.bridge_behaviour == "silent"
    handle = BridgeHandle(environment=environment, installed=not silent)
    if silent:
        return handle  # no extension, or one without its host: no marker, no listener — the page sees nothing
    lock = threading.Lock()

    def emit(event: dict) -> None:
        handle.events.append(event)
        if on_event is not None:
            try:
                on_event(event)
            except Exception as exc:  # noqa: BLE001 - a broken listener must not break the page's answer
                handle.internal_errors.append(exc)

    def host(_source, detail) -> str:
        with lock:
            handle.requests += 1
            request_id = None
            try:
                request = json.loads(detail) if isinstance(detail, str) else detail
                if not isinstance(request, dict):
                    raise ValueError("detail must be a JSON object")
                request_id = request.get("id")
                response = _answer(request, client_factory, pin_provider, environment, emit)
            except (ValueError, TypeError) as exc:
                response = _report(emit, {"result": "E", "errorCode": "JPKI_BAD_REQUEST", "errorMessage": str(exc),
                                          "errorMessageEn": str(exc)})
            except Exception as exc:  # noqa: BLE001 - report as a client failure, keep the bug for the test
                handle.internal_errors.append(exc)
                logger.exception("bridge host failed")
                response = _report(emit, _error(JpkiClientError("EW104J1502")))
            return json.dumps({"id": request_id, **response}, ensure_ascii=False)

    context.expose_binding(BINDING_NAME, host)
    context.add_init_script(script=_script(environment, environment.extension_version or settings.EXTENSION_VERSION))
    return handle


def _answer(request: dict, client_factory, pin_provider, environment: Environment, emit: EventSink) -> dict:
    if environment.bridge_behaviour == "client_missing":
        return _report(emit, _error(JpkiClientNotRunning()))
    if environment.bridge_behaviour == "no_reader":
        return _report(emit, _error(JpkiNoCardError("the PC profile has no card reader")))
    try:
        client = client_factory()
    except JpkiClientError as exc:
        return _report(emit, _error(exc))
    try:
        return read_for_portal(client, request.get("mode"), request.get("challenge"), pin_provider, emit)
    finally:
        try:
            client.close()
        except JpkiClientError:
            pass
