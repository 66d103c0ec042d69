"""The private line between the native host and whoever plays the person at the JPKI client's PIN dialog.

Why: the real client shows its own PIN dialog; the PIN never passes the page or the extension. Our host is started
by Chromium, so it cannot be handed a PIN provider object: it asks one over a Unix socket in a directory only this
user can enter (0700; the server refuses any other mode). The harness serves the scenario's PIN provider on it,
``ras-e2e walk`` a terminal prompt. The same line carries the host's notices of what a person would see (a PIN
dialog and how many digits, an error code) so the usability report counts them as in binding mode — never a PIN.

One request per connection, one JSON line each way: ``{"op": "pin", "kind"}`` → ``{"pin"}`` or
``{"cancelled": true}``; ``{"op": "event", "event": {...}}`` → ``{"ok": true}``; anything else → ``{"error"}``.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import stat
import threading
from collections.abc import Callable
from pathlib import Path

from .pin import PinEntryCancelled, PinProvider, reveal

logger = logging.getLogger("jpki_client.pin_channel")
SOCKET_NAME = "pin.sock"
MAX_LINE = 4096


def _private_dir(directory: Path) -> Path:
    mode = stat.S_IMODE(directory.stat().st_mode)
    if mode & 0o077:
        raise PermissionError(f"{directory} has mode {oct(mode)}: the PIN channel needs a private directory "
                              f"(fix: chmod 700 {directory})")
    return directory


class PinChannelServer:
    """Serves ``provider`` on ``directory/pin.sock``; ``on_event`` receives the host's notices."""

    def __init__(self, directory: Path, provider: PinProvider, on_event: Callable[[dict], None] | None = None):
        self.path = _private_dir(Path(directory)) / SOCKET_NAME
        self.provider = provider
        self.on_event = on_event
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> PinChannelServer:
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.bind(str(self.path))
        os.chmod(self.path, 0o600)
        self._sock.listen(4)
        self._thread = threading.Thread(target=self._serve, name="pin-channel", daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:
                return  # closed by stop()
            with conn:
                try:
                    answer = self._answer(_read_line(conn))
                except (ValueError, OSError) as exc:
                    answer = {"error": str(exc)}
                try:
                    conn.sendall(json.dumps(answer).encode("utf-8") + b"\n")
                except OSError:
                    pass

    def _answer(self, request: dict) -> dict:
        if request.get("op") == "pin" and isinstance(request.get("kind"), str):
            try:
                return {"pin": reveal(self.provider.get_pin(request["kind"]))}
            except PinEntryCancelled:
                return {"cancelled": True}
        if request.get("op") == "event" and isinstance(request.get("event"), dict):
            if self.on_event is not None:
                try:
                    self.on_event(request["event"])
                except Exception:  # noqa: BLE001 - a broken listener must not break the host's answer
                    logger.exception("PIN channel event listener failed")
            return {"ok": True}
        return {"error": "unknown request: send {op: pin, kind} or {op: event, event}"}

    def stop(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes the thread blocked in accept(); close() alone does not
            except OSError:
                pass
            self._sock.close()
            self._sock = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.path.unlink(missing_ok=True)


def _read_line(conn: socket.socket) -> dict:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(MAX_LINE)
        if not chunk:
            break
        data += chunk
        if len(data) > MAX_LINE:
            raise ValueError(f"request over {MAX_LINE} bytes")
    request = json.loads(data.decode("utf-8") or "null")
    if not isinstance(request, dict):
        raise ValueError("request must be a JSON object")
    return request


class RemotePinProvider:
    """The host's side: a ``PinProvider`` that asks the channel, and a notice sender."""

    def __init__(self, socket_path: str | Path):
        self.socket_path = str(socket_path)

    def _call(self, request: dict) -> dict:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.connect(self.socket_path)
            conn.sendall(json.dumps(request).encode("utf-8") + b"\n")
            return _read_line(conn)

    def get_pin(self, kind: str) -> str:
        try:
            answer = self._call({"op": "pin", "kind": kind})
        except (OSError, ValueError) as exc:
            raise PinEntryCancelled(f"no PIN dialog: the PIN channel is unavailable ({type(exc).__name__})") from None
        if "pin" in answer and isinstance(answer["pin"], str):
            return answer["pin"]
        raise PinEntryCancelled(kind)

    def notify(self, event: dict) -> None:
        try:
            self._call({"op": "event", "event": event})
        except (OSError, ValueError):
            logger.warning("PIN channel unavailable: a %s notice was not delivered", event.get("kind"))

    def __repr__(self) -> str:
        return f"RemotePinProvider({self.socket_path!r})"
