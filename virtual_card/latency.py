"""How long a real card takes: transfer time from the ATR's negotiated speed, plus time to compute.

Why: a virtual card that answers in 0.2 ms lets scenarios pass that a person's real card fails (a portal timeout
shorter than a certificate read, a card pulled while the page says 読み取っています). The model is applied inside
`MyNumberCard.transmit`, so both transports (pcscd+vpcd and in-process) see it. It is `off` by default — CI speed —
and `realistic` per run (`RAS_E2E_CARD_LATENCY=realistic`, or `card serve --latency realistic`) or per scenario
(the step "her card answers at the speed of a real card").

Transfer time, contact cards (ISO/IEC 7816-3:2006):
  * initial etu = F/f with F = 372 (§7.1); TA1 = FiDi sets F and D, then etu = F/(D·f) (§7.1, tables 7 and 8).
    The reader's clock f is assumed 3.5712 MHz, the value at which the default etu gives 9,600 bit/s (a reader at
    4 MHz is 12 % faster; which clock a person's reader uses is unverified).
  * a character takes 12 etu (10 etu + 2 etu guard time, §7.2); TC1 = N adds N etu; with T=1 and N = 255 the
    character guard time is 11 etu (§11.2). Both contact ATRs here say TC1 = FF, T = 1: 11 etu per byte.
  * T=1 blocks add prologue (NAD, PCB, LEN) and epilogue (LRC): 4 bytes per block of at most IFSC (TA3) bytes
    towards the card and IFSD bytes back (254 assumed: pcscd's CCID driver asks for it); the block guard time
    between the two directions is 22 etu (§11.2).
Contactless (ISO/IEC 14443-2/3 type B, which the My Number card is): 106 kbit/s (etu = 128/13.56 MHz), 10 etu per
byte (start, 8 data, stop; extra guard time 0), plus PCB and 2-byte CRC per frame; faster rates are possible but
whether the card offers them is unverified, so the default rate is used.
Compute time: RSA-2048 signature and PIN verification times of the real card are not published (unverified); the
issue's "hundreds of ms" gives `SIGN_SECONDS`, and a PIN check's `VERIFY_SECONDS` is a guess.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

MODES = ("off", "realistic")
ENV = "RAS_E2E_CARD_LATENCY"
READER_CLOCK_HZ = 3_571_200
DEFAULT_F, DEFAULT_D = 372, 1
FI = {0x0: 372, 0x1: 372, 0x2: 558, 0x3: 744, 0x4: 1116, 0x5: 1488, 0x6: 1860, 0x9: 512, 0xA: 768, 0xB: 1024,
      0xC: 1536, 0xD: 2048}  # ISO/IEC 7816-3 table 7
DI = {0x1: 1, 0x2: 2, 0x3: 4, 0x4: 8, 0x5: 16, 0x6: 32, 0x7: 64, 0x8: 12, 0x9: 20}  # table 8
IFSD = 254
BGT_ETU = 22
CONTACTLESS_ETU = 128 / 13_560_000
SIGN_SECONDS = 0.40  # unverified: "hundreds of ms" (issue 11)
VERIFY_SECONDS = 0.05  # unverified guess


@dataclass(frozen=True)
class AtrTiming:
    """What the ATR says about speed: protocol, F, D, extra guard time N, IFSC, contactless or not."""

    protocol: int
    f: int
    d: int
    n: int
    ifsc: int
    contactless: bool


def parse_atr(atr: bytes) -> AtrTiming:
    """The interface bytes that matter for timing (ISO/IEC 7816-3 §8.2). A PC/SC contactless pseudo-ATR
    (`3B 8n 80 01`, PC/SC part 3 §3.1.3.2.3) is recognised by TD1 = 80, TD2 = 01 and no TA/TB/TC bytes."""
    try:
        return _parse_atr(atr)
    except IndexError:
        raise ValueError(f"ATR {atr.hex().upper()} ends before the interface bytes its T0/TDi announce; "
                         "fix: use a published ATR (profile field `atr`, e.g. old-contact)") from None


def _parse_atr(atr: bytes) -> AtrTiming:
    f, d, n, ifsc, protocol = DEFAULT_F, DEFAULT_D, 0, 32, 0
    pos, y, level, td_seen = 2, atr[1] >> 4, 1, []
    while True:
        present = {}
        for bit, name in ((0x1, "A"), (0x2, "B"), (0x4, "C"), (0x8, "D")):
            if y & bit:
                present[name] = atr[pos]
                pos += 1
        if level == 1 and "A" in present:
            f, d = FI.get(present["A"] >> 4, DEFAULT_F), DI.get(present["A"] & 0x0F, DEFAULT_D)
        if level == 1 and "C" in present:
            n = present["C"]
        if level >= 3 and "A" in present and protocol == 1:
            ifsc = present["A"]
        if "D" not in present:
            break
        td_seen.append(present["D"])
        protocol = present["D"] & 0x0F if protocol == 0 else protocol
        y, level = present["D"] >> 4, level + 1
    contactless = td_seen[:2] == [0x80, 0x01] and atr[1] & 0x70 == 0
    return AtrTiming(protocol or (td_seen[-1] & 0x0F if td_seen else 0), f, d, n, ifsc, contactless)


@dataclass(frozen=True)
class LatencyModel:
    """Seconds per exchange: `byte_seconds` per byte on the wire, block overheads, and compute time per INS."""

    byte_seconds: float
    block_overhead: int
    turnaround_seconds: float
    ifsc: int
    compute: dict[int, float]

    @classmethod
    def realistic(cls, atr: bytes) -> LatencyModel:
        t = parse_atr(atr)
        compute = {0x2A: SIGN_SECONDS, 0x20: VERIFY_SECONDS}
        if t.contactless:
            return cls(10 * CONTACTLESS_ETU, 3, 0.0, 254, compute)
        etu = t.f / (t.d * READER_CLOCK_HZ)
        char_etu = 11 if (t.protocol == 1 and t.n == 255) else 12 + (0 if t.n == 255 else t.n)
        return cls(char_etu * etu, 4 if t.protocol == 1 else 0, BGT_ETU * etu, t.ifsc, compute)

    def seconds(self, command: bytes, response: bytes) -> float:
        """Wire time for the command and the response, plus the card's compute time for this INS."""
        blocks = math.ceil(max(len(command), 1) / self.ifsc) + math.ceil(max(len(response), 1) / IFSD)
        wire = (len(command) + len(response) + blocks * self.block_overhead) * self.byte_seconds
        ins = command[1] if len(command) > 1 else None
        compute = self.compute.get(ins, 0.0) if (ins == 0x2A or len(command) > 5) else 0.0  # a bare query: none
        return wire + self.turnaround_seconds + compute


def mode_from_env() -> str:
    """The per-run choice: `RAS_E2E_CARD_LATENCY` (off by default). A bad value is an error naming the fix."""
    value = os.environ.get(ENV, "off").strip().lower() or "off"
    if value not in MODES:
        raise ValueError(f"{ENV}={value!r} is not a latency mode; fix: use one of {', '.join(MODES)}")
    return value


def model_for(atr: bytes, mode: str) -> LatencyModel | None:
    if mode not in MODES:
        raise ValueError(f"latency mode {mode!r} unknown; fix: use one of {', '.join(MODES)}")
    return LatencyModel.realistic(atr) if mode == "realistic" else None
