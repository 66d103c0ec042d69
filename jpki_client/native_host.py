"""`ras-e2e-jpki-host`: the JPKI client as a Chrome native-messaging host — what the browser-version client's host
is on a real PC. Chromium starts it when the test extension calls ``chrome.runtime.connectNative`` and talks to it
over stdin/stdout in Chrome's framing (``native_messaging.py``); it reaches the card through PC/SC
(``PcscTransport``) like the rest of the client, and asks for PINs over the harness's private channel
(``pin_channel.py``), never through the browser.

Why a config file: Chromium starts the host, so the harness cannot pass it objects or arguments. It writes a JSON
file into the browser profile's private directory and names it in ``RAS_E2E_JPKI_HOST_CONFIG`` (Chromium passes its
environment on to the host). Fields: ``client`` (``browser``, or ``standalone`` for the seed's "Ver 3.4" trap: a
client that answers but cannot serve the browser), ``version``, ``reader`` (PC/SC reader name; null = the only one),
``reader_present``, ``pin_socket``, and faults a scenario asks for: ``exit_during_sign`` (the host dies in the
middle of a signature) and ``delay_seconds`` (it answers after the page gave up).

Commands (one JSON object per frame, ``id`` echoed): ``{"command": "hello"}`` → ``{"ok": true, "client", "version",
"protocol": 1}``; ``{"command": "read", "mode", "challenge"?}`` → the bridge's response (``bridge.read_for_portal``).
A bad frame or an unknown command gets ``{"result": "E", "errorCode", "errorMessage"}`` and the host reads on.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import stat
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from .bridge import _error, _report, read_for_portal
from .client import JpkiClient
from .errors import JpkiClientError, JpkiClientNotRunning, JpkiNoCardError
from .native_messaging import EndOfStream, FrameError, TruncatedFrame, read_message, write_message
from .pin import PIN_KINDS, StaticPinProvider
from .pin_channel import RemotePinProvider
from .transport import PcscTransport

CONFIG_ENV = "RAS_E2E_JPKI_HOST_CONFIG"
HOST_NAME = "jp.ras_e2e.jpki_host"
PROTOCOL = 1
CRASH_EXIT_STATUS = 70
logger = logging.getLogger("jpki_client.native_host")


class HostConfigError(RuntimeError):
    """The host cannot start: the message names the problem and the fix."""


@dataclass(frozen=True)
class HostConfig:
    pin_socket: str | None = None
    client: str = "browser"
    version: str = "latest"
    reader: str | None = None
    reader_present: bool = True
    exit_during_sign: bool = False
    delay_seconds: float = 0.0


def load_config(environ=os.environ) -> HostConfig:
    """The harness's config file, named by ``RAS_E2E_JPKI_HOST_CONFIG``; refused when others can read it."""
    name = environ.get(CONFIG_ENV)
    if not name:
        return HostConfig()  # a bare host: the only reader, no PIN dialog (every PIN request is cancelled)
    path = Path(name)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise HostConfigError(f"{CONFIG_ENV}={name}: cannot read the host config ({exc}); "
                              "fix: let the harness write it (wiring/extension_browser.py)") from None
    if mode & 0o077:
        raise HostConfigError(f"{name} has mode {oct(mode)}; fix: chmod 600 {name}")
    unknown = sorted(set(data) - set(HostConfig.__dataclass_fields__)) if isinstance(data, dict) else ["(not an object)"]
    if unknown:
        raise HostConfigError(f"{name}: unknown field {unknown[0]!r}; fix: use {sorted(HostConfig.__dataclass_fields__)}")
    if data.get("client", "browser") not in ("browser", "standalone"):
        raise HostConfigError(f"{name}: client must be browser or standalone, not {data['client']!r}")
    return HostConfig(**data)


class _CrashingSigner:
    """A client whose process dies when it is asked to sign (the ``exit_during_sign`` fault)."""

    def __init__(self, client: JpkiClient):
        self._client = client

    def __getattr__(self, name):
        return getattr(self._client, name)

    def sign(self, *_args, **_kwargs):
        logger.error("fault exit_during_sign: the host exits in the middle of the signature")
        os._exit(CRASH_EXIT_STATUS)


class Host:
    """Answers one frame at a time; ``stopping`` is set when Chrome closes stdin."""

    def __init__(self, config: HostConfig, stopping: threading.Event | None = None):
        self.config = config
        self.stopping = stopping or threading.Event()
        self.pins = RemotePinProvider(config.pin_socket) if config.pin_socket else None

    def answer(self, message: dict) -> dict:
        command, request_id = message.get("command"), message.get("id")
        logger.info("command %r id %r", command, request_id)
        if command == "hello":
            return {"id": request_id, "ok": True, "client": self.config.client, "version": self.config.version,
                    "protocol": PROTOCOL}
        if command == "read":
            return {"id": request_id, **self._read(message)}
        return {"id": request_id, "result": "E", "errorCode": "JPKI_UNKNOWN_COMMAND",
                "errorMessage": f"unknown command {command!r}; this host knows 'hello' and 'read'"}

    def _read(self, message: dict) -> dict:
        if self.config.delay_seconds and self.stopping.wait(self.config.delay_seconds):
            return {"result": "E", "errorCode": "JPKI_HOST_STOPPING", "errorMessage": "the browser went away"}
        if self.config.client != "browser":
            return _report(self._notify, _error(JpkiClientNotRunning()))
        if not self.config.reader_present:
            return _report(self._notify, _error(JpkiNoCardError("the PC has no card reader")))
        try:
            client = JpkiClient(PcscTransport(self.config.reader)).connect()
        except JpkiClientError as exc:
            return _report(self._notify, _error(exc))
        try:
            card = _CrashingSigner(client) if self.config.exit_during_sign else client
            return read_for_portal(card, message.get("mode"), message.get("challenge"), self._pin_provider(),
                                   self._notify)
        finally:
            try:
                client.close()
            except JpkiClientError:
                pass

    def _pin_provider(self):
        """Without a channel nobody can answer a PIN dialog: every PIN request is cancelled."""
        return self.pins if self.pins is not None else StaticPinProvider({}, cancel=frozenset(PIN_KINDS))

    def _notify(self, event: dict) -> None:
        if self.pins is not None:
            self.pins.notify(event)


def _frame_error(exc: FrameError) -> dict:
    return {"id": None, "result": "E", "errorCode": exc.code, "errorMessage": str(exc)}


def _answer_safely(host: Host, message: dict) -> dict:
    """A bug or an unexpected library error answers as a client failure; the host reads on."""
    try:
        return host.answer(message)
    except Exception:  # noqa: BLE001 - the browser must get an answer, the log gets the traceback
        logger.exception("command %r failed", message.get("command"))
        return {"id": message.get("id"), **_error(JpkiClientError("EW104J1502"))}


def _read_frames(stdin, inbox: queue.Queue, stopping: threading.Event) -> None:
    """Reader thread: frames into ``inbox``; at the end of stdin, ``None`` and ``stopping`` set."""
    try:
        while True:
            try:
                inbox.put(read_message(stdin))
            except TruncatedFrame as exc:
                inbox.put(exc)
                return
            except FrameError as exc:
                inbox.put(exc)
    except EndOfStream:
        return
    finally:
        stopping.set()
        inbox.put(None)


def serve(stdin, stdout, config: HostConfig) -> int:
    """The host's loop until Chrome closes stdin; returns the exit status."""
    stopping = threading.Event()
    host = Host(config, stopping)
    inbox: queue.Queue = queue.Queue()
    threading.Thread(target=_read_frames, args=(stdin, inbox, stopping), name="frames", daemon=True).start()
    while (item := inbox.get()) is not None:
        if isinstance(item, FrameError):
            logger.warning("bad frame: %s", item)
            reply = _frame_error(item)
        else:
            reply = _answer_safely(host, item)
        try:
            write_message(stdout, reply)
        except (BrokenPipeError, ValueError):
            break  # the browser is gone
    return 0


def main(argv: list[str] | None = None) -> int:
    """Console entry point. Chromium passes the caller's origin (and on Windows a window handle) as arguments."""
    argv = sys.argv[1:] if argv is None else argv
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="ras-e2e-jpki-host: %(levelname)s %(message)s")
    try:
        config = load_config()
    except HostConfigError as exc:
        print(f"ras-e2e-jpki-host: {exc}", file=sys.stderr)
        return 2
    logger.info("started for %s (client %s %s, pid %d)", argv[0] if argv else "(no origin)", config.client,
                config.version, os.getpid())
    status = serve(sys.stdin.buffer, sys.stdout.buffer, config)
    logging.shutdown()
    os._exit(status)  # the frame reader may still block on stdin: nothing is left to do, so do not wait for it


if __name__ == "__main__":
    raise SystemExit(main())
