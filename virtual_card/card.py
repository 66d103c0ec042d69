"""`MyNumberCard`: the card as any PC/SC client sees it — ATR, power, and one APDU in, one R-APDU out.

Why one dispatcher over small handlers: CLA checks, the current-DF/current-EF state, the security state and the
APDU log apply to every command the same way, and every exit path must produce a status word (a faithful card
never "crashes"; an exception inside a handler becomes `6F00`, and never carries APDU data).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import deque
from collections.abc import Callable

from . import applets as ap
from .apdu import SW, ApduError, CommandAPDU, masked_hex, parse, respond
from .files import Applet, BinaryEF, KeyEF, Pin, RecordEF
from .latency import LatencyModel, mode_from_env, model_for
from .pki import CardCredentials
from .profiles import CardProfile
from .signing import RawSigner

LOG_LIMIT = 10_000


class MyNumberCard:
    """A virtual My Number card built from a profile and the credentials the test PKI issued for it."""

    def __init__(self, profile: CardProfile, credentials: CardCredentials):
        self.profile = profile
        self.credentials = credentials
        self.atr = profile.atr
        self.applets: list[Applet] = []
        if "jpki" in profile.applets:
            self.applets.append(ap.build_jpki(profile, credentials))
        if "support" in profile.applets:
            self.applets.append(ap.build_support(profile, credentials))
            self.applets.append(ap.build_common(profile, credentials))  # a My Number card's 共通カードAP (§10.3)
        self._signers: dict[int, RawSigner] = {}
        self._log: deque[dict] = deque(maxlen=LOG_LIMIT)
        self._lock = threading.RLock()
        self._pulled = threading.Event()
        self.latency: LatencyModel | None = model_for(self.atr, mode_from_env())
        self.latency_listeners: list[Callable[[float], None]] = []  # modelled seconds of each answered command
        self.command_started: list[Callable[[bytes], None]] = []  # a command begins its (realistic) wait
        self.powered = False
        self._clear_state()

    # -- power ---------------------------------------------------------------------------------------------
    def _clear_state(self) -> None:
        self.current_app: Applet | None = None
        self.current_ef = None
        self.app_selected_since_reset = False
        for applet in self.applets:
            applet.verified.clear()

    def set_latency(self, mode: str) -> None:
        """`off` or `realistic` (virtual_card/latency.py): how long this card takes from now on."""
        self.latency = model_for(self.atr, mode)

    def pull_out(self) -> None:
        """The card leaves the reader: a command in progress never answers (its wait is cut short), power is gone."""
        self._pulled.set()
        self.power_off()

    def power_on(self) -> bytes:
        with self._lock:
            self._pulled.clear()
            if not self.powered:
                self._clear_state()
                self.powered = True
            return self.atr

    def power_off(self) -> None:
        with self._lock:
            self.powered = False
            self._clear_state()

    def reset(self) -> bytes:
        with self._lock:
            self._clear_state()
            self.powered = True
            return self.atr

    # -- out-of-band -------------------------------------------------------------------------------------
    def _pin(self, kind: str) -> Pin:
        for applet in self.applets:
            pin = applet.pin(kind)
            if pin is not None:
                return pin
        raise KeyError(f"this card has no {kind} PIN (applets: {', '.join(self.profile.applets) or 'none'})")

    def city_office_reset(self, pin_kind: str, new_value: str | None = None) -> None:
        """What the municipal office does for a blocked PIN: tries back to max, optionally a new PIN."""
        with self._lock:
            pin = self._pin(pin_kind)
            new = None
            if new_value is not None:
                new = new_value.encode("ascii", "replace")
                if not pin.valid_format(new):
                    raise ValueError(f"the new {pin_kind} PIN has the wrong format")
            pin.reset(new)

    def pin_tries(self, pin_kind: str) -> int:
        with self._lock:
            return self._pin(pin_kind).tries

    @property
    def apdu_log(self) -> list[dict]:
        """Masked entries: `{"time", "command", "sw", "response_length"}`; PIN data appears as `**`."""
        with self._lock:
            return list(self._log)

    def clear_apdu_log(self) -> None:
        with self._lock:
            self._log.clear()

    # -- APDUs ---------------------------------------------------------------------------------------------
    def transmit(self, apdu: bytes) -> bytes:
        """One command, one response (data‖SW). Never raises for any input; only a card pulled out while it is
        working (realistic latency) gives no answer at all (ConnectionResetError)."""
        raw = bytes(apdu)
        with self._lock:
            try:
                data, sw = self._dispatch(raw)
            except ApduError as err:
                data, sw = b"", err.sw
            except Exception:  # noqa: BLE001 - a card answers 6F00, it does not crash
                data, sw = b"", SW.UNKNOWN_ERROR
            if self.latency is not None:
                self._take_time(raw, respond(sw, data))
            self._log.append({
                "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
                "command": masked_hex(raw),
                "sw": f"{sw:04X}",
                "response_length": len(data),
            })
            return respond(sw, data)

    def _take_time(self, raw: bytes, response: bytes) -> None:
        """Wait as long as the real card would. A pull-out during the wait means no answer: the reader sees the
        contact lost (ConnectionResetError, which the vpcd bridge turns into a removed card).

        Listeners hear the model's seconds, not the measured wait: the measured wait is the model's plus whatever
        the machine's load adds, and a usability number (KLM R) that depends on machine load is a bug. The real
        wait still happens, so a timeout shorter than the card still bites. A pulled card never answered: its
        wait ended when the person pulled it, which the model cannot know, so nothing is reported."""
        for hook in list(self.command_started):
            hook(raw)
        seconds = self.latency.seconds(raw, response)
        if self._pulled.wait(seconds):
            raise ConnectionResetError("card pulled out while it was working")
        for listener in list(self.latency_listeners):
            listener(seconds)

    def _dispatch(self, raw: bytes) -> tuple[bytes, int]:
        if not self.powered:
            self.power_on()  # in-process use without an explicit power-on behaves like a freshly inserted card
        cmd = parse(raw)
        cla = cmd.cla
        if cla == 0xFF or (cla & 0xE0) not in (0x00, 0x80):
            if 0x40 <= cla <= 0x7F:
                return b"", SW.CHANNEL_NOT_SUPPORTED  # further interindustry class = logical channels 4-19
            return b"", SW.CLA_NOT_SUPPORTED
        if cla & 0x03:
            return b"", SW.CHANNEL_NOT_SUPPORTED
        if cla & 0x10:
            return b"", SW.CHAINING_NOT_SUPPORTED
        if cla & 0x0C:
            return b"", SW.SM_DATA_MISSING if cmd.ins in (0xB0, 0x20) else SW.SM_NOT_SUPPORTED
        if cla & 0x80:
            handler = {0x2A: self._sign, 0xAE: self._set_session_key, 0xFC: self._last_command,
                       0xA2: self._set_public_ic_key}.get(cmd.ins)
        else:
            handler = {0xA4: self._select, 0xB0: self._read_binary, 0x20: self._verify,
                       0x24: self._change_reference_data, 0x84: self._get_challenge,
                       0xB2: self._read_record, 0x88: self._internal_authenticate,
                       0xCA: self._get_data}.get(cmd.ins)
        if handler is None:
            return b"", SW.INS_NOT_SUPPORTED
        return handler(cmd)

    # SELECT FILE ---------------------------------------------------------------------------------------
    def _select(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        if cmd.p2 & 0xF3:
            return b"", SW.WRONG_P1P2
        if cmd.p1 == 0x04 and cmd.data:
            for applet in self.applets:
                if applet.aid == cmd.data:
                    self._clear_state()  # selecting an AP resets the security state (OpenSC logout)
                    self.current_app = applet
                    self.app_selected_since_reset = True
                    return b"", SW.OK
            return b"", SW.FILE_NOT_FOUND
        if cmd.p1 in (0x00, 0x01, 0x02) and cmd.data == b"\x3f\x00":
            # 3F00 by file identifier: 6A82 in every state (myna-card `src/card.rs`, read 2026-11-27).
            return b"", SW.FILE_NOT_FOUND
        if (cmd.p1 == 0x00 and not cmd.data) or (cmd.p1 == 0x04 and not cmd.data):
            # MF: refused after a cold reset, accepted without changing the current DF once an AP was selected.
            return b"", SW.OK if self.app_selected_since_reset else SW.WRONG_P1P2
        if cmd.p1 in (0x00, 0x02):
            if len(cmd.data) != 2:
                return b"", SW.WRONG_LENGTH
            fid = int.from_bytes(cmd.data, "big")
            if self.current_app is None or fid not in self.current_app.files:
                return b"", SW.FILE_NOT_FOUND
            self.current_ef = self.current_app.files[fid]
            return b"", SW.OK
        return b"", SW.WRONG_P1P2

    def _resolve_sfi(self, sfi: int):
        if self.current_app is None:
            raise ApduError(SW.FILE_NOT_FOUND)
        ef = self.current_app.by_sfi(sfi)
        if ef is None:
            raise ApduError(SW.FILE_NOT_FOUND)
        self.current_ef = ef  # addressing by SFI makes it the current EF
        return ef

    def _target(self, p: int):
        """P2 (or P1) `80` = current EF, `80|SFI` = that EF; other values are wrong parameters."""
        if p == 0x80:
            if self.current_ef is None:
                raise ApduError(SW.NO_CURRENT_EF)
            return self.current_ef
        if p & 0xE0 == 0x80:
            return self._resolve_sfi(p & 0x1F)
        raise ApduError(SW.WRONG_P1P2)

    # READ BINARY ---------------------------------------------------------------------------------------
    def _read_binary(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        if cmd.has_data or cmd.le is None:
            return b"", SW.WRONG_LENGTH
        if cmd.p1 & 0x80:
            if cmd.p1 & 0x60 or not cmd.p1 & 0x1F:
                return b"", SW.WRONG_P1P2
            ef = self._resolve_sfi(cmd.p1 & 0x1F)
            offset = cmd.p2
        else:
            if self.current_ef is None:
                return b"", SW.NO_CURRENT_EF
            ef = self.current_ef
            offset = ((cmd.p1 & 0x7F) << 8) | cmd.p2
        if not isinstance(ef, BinaryEF):
            return b"", SW.FILE_STRUCTURE_CONFLICT
        if not ef.readable(self.current_app.verified):
            return b"", SW.SECURITY_NOT_SATISFIED
        if offset >= len(ef.data):
            return b"", SW.OFFSET_OUT_OF_RANGE
        return ef.data[offset : offset + cmd.le], SW.OK

    def _read_record(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        """READ RECORD, P2 = SFI<<3 | 100 (record number in P1): what jpki/myna sends (`00 B2 01 0C 00`)."""
        if cmd.has_data or cmd.le is None:
            return b"", SW.WRONG_LENGTH
        if self.current_ef is None and not cmd.p2 >> 3:
            return b"", SW.NO_CURRENT_EF
        if cmd.p2 & 0x07 != 0x04:
            return b"", SW.WRONG_P1P2  # other record modes: assumed unsupported
        ef = self._resolve_sfi(cmd.p2 >> 3) if cmd.p2 >> 3 else self.current_ef
        if not isinstance(ef, RecordEF):
            return b"", SW.FILE_STRUCTURE_CONFLICT
        if not 1 <= cmd.p1 <= len(ef.records):
            return b"", SW.RECORD_NOT_FOUND
        return ef.records[cmd.p1 - 1][: cmd.le], SW.OK

    def _internal_authenticate(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        """JPKI keys refuse INTERNAL AUTHENTICATE with 6982 (myna-card, read 2026-11-27); the 共通カードAP key that
        answers it is not emulated, so every AP here refuses the same way."""
        return b"", SW.SECURITY_NOT_SATISFIED

    def _get_data(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        """GET DATA of an absent object → 6A88 (myna-card `src/mf.rs`); no MF data object is emulated."""
        return b"", SW.REFERENCED_DATA_NOT_FOUND

    # VERIFY / CHANGE REFERENCE DATA -------------------------------------------------------------------
    def _pin_target(self, cmd: CommandAPDU) -> Pin:
        if cmd.p1 != 0x00 and cmd.ins == 0x20:
            raise ApduError(SW.WRONG_P1P2)
        ef = self._target(cmd.p2)
        if not isinstance(ef, Pin):
            raise ApduError(SW.FILE_STRUCTURE_CONFLICT)
        return ef

    def _verify(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        if cmd.le is not None:  # e.g. `00 20 00 80 00`: a real card answers 6700
            return b"", SW.WRONG_LENGTH
        pin = self._pin_target(cmd)
        if not cmd.data:
            return b"", pin.query()
        if len(cmd.data) > 16:
            return b"", SW.WRONG_LENGTH
        sw, ok = pin.verify(cmd.data)
        if ok:
            self.current_app.verified.add(pin.kind)
        else:
            self.current_app.verified.discard(pin.kind)
        return b"", sw

    def _change_reference_data(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        if cmd.p1 != 0x01:
            return b"", SW.WRONG_P1P2
        if cmd.le is not None or not cmd.data:
            return b"", SW.WRONG_LENGTH
        pin = self._pin_target(cmd)
        if pin.tries <= 0:
            return b"", SW.IEF_LOCKED
        if pin.kind not in self.current_app.verified:
            return b"", SW.SECURITY_NOT_SATISFIED
        if not pin.valid_format(cmd.data):
            return b"", SW.WRONG_DATA
        pin.value = bytes(cmd.data)
        return b"", SW.OK

    # COMPUTE DIGITAL SIGNATURE -------------------------------------------------------------------------
    def _sign(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        if cmd.p1 > 0x05:
            return b"", SW.WRONG_P1P2
        if not cmd.data:
            return b"", SW.WRONG_LENGTH
        ef = self._target(cmd.p2)
        if not isinstance(ef, KeyEF):
            return b"", SW.FILE_STRUCTURE_CONFLICT
        if ef.pin not in self.current_app.verified:
            return b"", SW.SECURITY_NOT_SATISFIED
        if ef.key is None:
            return b"", SW.REFERENCED_DATA_NOT_FOUND
        signer = self._signers.get(ef.fid)
        if signer is None or signer.key is not ef.key:
            signer = self._signers[ef.fid] = RawSigner(ef.key)
        return signer.sign(cmd.p1, cmd.data), SW.OK

    # Other commands ------------------------------------------------------------------------------------
    def _get_challenge(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        if cmd.p1 or cmd.p2:
            return b"", SW.WRONG_P1P2
        if cmd.has_data or cmd.le is None:
            return b"", SW.WRONG_LENGTH
        if cmd.extended:
            return b"", SW.CONDITIONS_NOT_SATISFIED
        return os.urandom(cmd.le), SW.OK

    def _set_session_key(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        return b"", SW.SECURITY_NOT_SATISFIED

    def _last_command(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        return b"", SW.WRONG_LENGTH

    def _set_public_ic_key(self, cmd: CommandAPDU) -> tuple[bytes, int]:
        return b"", SW.WRONG_P1P2
