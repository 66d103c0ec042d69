"""VpcdBridge: puts a `MyNumberCard` into a vpcd reader slot of pcscd (vsmartcard wire protocol, reference §14).

Wire protocol: every message both ways is a 2-byte big-endian length + payload. From vpcd, 1-byte payloads are
control (00 power off, 01 power on, 02 reset — no reply to these three —, 04 get ATR: reply the ATR, or a
zero-length reply meaning "no card"); anything longer is a C-APDU answered by the R-APDU.

Why the socket is tuned: vpcd writes the length and the payload in two writes. With Nagle and delayed ACKs a
naive peer pays ~40-48 ms per APDU. We set TCP_NODELAY, re-arm TCP_QUICKACK after every read (so vpcd's second
write is not held back waiting for our ACK), send each reply with one sendall, and parse frames out of a buffer.

Why a thread per slot: pcscd polls presence with an ATR request every few hundred ms, whatever the tests do; the
bridge must answer at any time, reconnect when vpcd drops the socket, and keep running until `stop()`.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

from .card import MyNumberCard

_QUICKACK = getattr(socket, "TCP_QUICKACK", None)
PCSCD_POLL_SECONDS = 0.45  # pcscd polls presence every 400 ms
#: vpcd's first slot (Debian's /etc/reader.conf.d/vpcd: 35963 slot 0, 35964 slot 1); slot n is VPCD_PORT + n.
VPCD_PORT = 35963


class VpcdBridge:
    """One vpcd slot. `start()` connects in a daemon thread; the card can be inserted, removed or swapped live."""

    def __init__(self, host: str = "127.0.0.1", port: int = VPCD_PORT, card: MyNumberCard | None = None,
                 reconnect_interval: float = 0.05):
        self.host = host
        self.port = port
        self.card = card
        self.reconnect_interval = reconnect_interval
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._poll_cv = threading.Condition()
        self._card_changed = threading.Event()
        self._power_on_atrs = 0
        self._after_power_on = False
        self.connected = threading.Event()
        self.connections = 0
        self.apdus = 0
        self.clear_faults()

    # -- lifecycle ---------------------------------------------------------------------------------------
    def start(self) -> VpcdBridge:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name=f"vpcd-bridge-{self.port}", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Close the socket and end the thread (pcscd then sees the card removed)."""
        self._stop.set()
        self._close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def wait_connected(self, timeout: float = 5.0) -> bool:
        return self.connected.wait(timeout)

    # -- card handling -----------------------------------------------------------------------------------
    def insert(self, card: MyNumberCard, wait: float = 2.0) -> None:
        """Put a card in (the bridge connects to vpcd); with `wait`, return once pcscd has powered it up."""
        with self._lock:
            self.card = card
        with self._poll_cv:
            start = self._power_on_atrs
        self._card_changed.set()
        if wait:
            self._wait_power_on(start, timeout=wait)

    def remove(self, wait: float = 2.0) -> None:
        """Take the card out: the bridge closes its connection, which vpcd reports as "no card" at pcscd's next
        presence poll. (A zero-length ATR reply is not used: vpcd 3.3 can block on it.) With `wait`, sleep one
        poll interval so pcscd has seen the removal."""
        with self._lock:
            was_in, card = self.card is not None, self.card
            self.card = None
        if card is not None:
            card.pull_out()  # a command in progress (realistic latency) loses its contacts too
        self._card_changed.set()
        self._close()
        if wait and was_in:
            time.sleep(min(wait, PCSCD_POLL_SECONDS))  # callers that watch pcscd themselves pass wait=0

    def swap(self, card: MyNumberCard, wait: float = 2.0) -> None:
        """Remove then insert, making sure pcscd notices the removal in between (a new card, a new session)."""
        self.remove(wait=wait)
        self.insert(card, wait=wait)

    def _wait_power_on(self, start: int, timeout: float) -> None:
        """Wait for the ATR read right after pcscd powered the card up: then pcscd publishes the card."""
        deadline = time.monotonic() + timeout
        with self._poll_cv:
            while self._power_on_atrs == start:
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._poll_cv.wait(left)
        time.sleep(0.005)  # pcscd updates its reader state right after this exchange

    # -- faults ------------------------------------------------------------------------------------------
    def clear_faults(self) -> None:
        self._delay = 0.0
        self._drop_after: int | None = None
        self._forced_sw: int | None = None
        self._forced_ins: int | None = None

    def fault_delay(self, ms: float) -> None:
        """Answer every APDU `ms` milliseconds late (a slow reader or card)."""
        self._delay = max(0.0, ms) / 1000.0

    def fault_drop_after(self, n_apdus: int) -> None:
        """Answer the next `n_apdus` APDUs, then drop the connection in the middle of the following one
        (received, never answered); the bridge reconnects afterwards, like a card pulled out mid-command."""
        self._drop_after = max(0, int(n_apdus))

    def fault_status_word(self, sw: int | None, ins: int | None = None) -> None:
        """Answer `sw` (no data) instead of the card, for every APDU or only those with instruction `ins`."""
        self._forced_sw = sw
        self._forced_ins = ins

    @property
    def faults(self) -> dict:
        return {"delay_ms": self._delay * 1000.0, "drop_after": self._drop_after,
                "status_word": None if self._forced_sw is None else f"{self._forced_sw:04X}",
                "ins": None if self._forced_ins is None else f"{self._forced_ins:02X}"}

    # -- socket loop -------------------------------------------------------------------------------------
    def _close(self) -> None:
        sock, self._sock = self._sock, None
        self.connected.clear()
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def _run(self) -> None:
        while not self._stop.is_set():
            if self.card is None:  # no card: stay away from vpcd until one is inserted
                self._card_changed.wait(0.5)
                self._card_changed.clear()
                continue
            try:
                sock = socket.create_connection((self.host, self.port), timeout=1.0)
            except OSError:
                self._stop.wait(self.reconnect_interval)
                continue
            sock.settimeout(None)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self._sock = sock
            self.connections += 1
            self.connected.set()
            try:
                self._serve(sock)
            except OSError:
                pass
            finally:
                self._close()
            if not self._stop.is_set():
                self._stop.wait(self.reconnect_interval)

    def _serve(self, sock: socket.socket) -> None:
        buf = bytearray()
        recv = sock.recv
        while not self._stop.is_set():
            if _QUICKACK is not None:
                sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
            chunk = recv(65537)
            if not chunk:
                return  # vpcd closed the connection: reconnect
            buf += chunk
            while len(buf) >= 2:
                size = (buf[0] << 8) | buf[1]
                if len(buf) < 2 + size:
                    break
                payload = bytes(buf[2 : 2 + size])
                del buf[: 2 + size]
                reply = self._handle(payload)
                if reply is _DROP:
                    return
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)

    def _handle(self, payload: bytes):
        with self._lock:
            card = self.card
        if len(payload) == 1:
            code = payload[0]
            if code == 0x04:
                if card is None:
                    return _DROP  # removed meanwhile: closing the connection is how vpcd learns it
                atr = card.atr
                with self._poll_cv:
                    if self._after_power_on:
                        self._after_power_on = False
                        self._power_on_atrs += 1
                    self._poll_cv.notify_all()
                return atr
            if code in (0x01, 0x02):
                self._after_power_on = True
            if card is not None:
                if code == 0x00:
                    card.power_off()
                elif code == 0x01:
                    card.power_on()
                elif code == 0x02:
                    card.reset()
            return None
        self.apdus += 1
        if self._drop_after is not None:
            if self._drop_after == 0:
                self._drop_after = None
                return _DROP
            self._drop_after -= 1
        if self._delay:
            time.sleep(self._delay)
        if card is None:
            return _DROP
        if self._forced_sw is not None and (self._forced_ins is None or (len(payload) > 1 and payload[1] == self._forced_ins)):
            return struct.pack(">H", self._forced_sw)
        return card.transmit(payload)


_DROP = object()
