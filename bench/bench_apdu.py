"""APDU round trip (median, p99) through pcscd+vpcd and in-process, and the time of one signature.

A measurement, not a test: it prints a table and writes reports/bench/apdu.json. The pcscd part needs a pcscd
serving vpcd (--slot, default 0 of the harness layout, or --reader naming one of its vpcd slots); without one it
is reported as skipped. It sends VERIFY with a fixed PIN and 50 signatures, so it refuses any reader that is not one
of the harness's virtual slots: three runs against a person's reader would lock their card.

    .venv/bin/python bench/bench_apdu.py [--n 2000] [--slot 0 | --reader NAME]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import statistics
import sys
import time
from pathlib import Path

from pcsc_stack import start_or_reuse, wait_reader_state
from virtual_card.card import MyNumberCard
from virtual_card.pki import TestPKI
from virtual_card.profiles import load_profile
from virtual_card.transport import InProcessTransport
from virtual_card.vpcd import VpcdBridge

SELECT_AP = bytes.fromhex("00A4040C0AD392F000260100000001")
SELECT_CERT = bytes.fromhex("00A4020C02000A")
READ = bytes.fromhex("00B0000000")
REPO = Path(__file__).resolve().parents[1]
DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420") + hashlib.sha256(b"bench").digest()
SIGN = bytes.fromhex("802A009733") + DIGEST_INFO + b"\x00"


def stats(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"n": len(ordered), "median_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
            "max_ms": ordered[-1] * 1000}


def measure(transmit, n: int) -> dict:
    transmit(SELECT_AP)
    samples = []
    for i in range(n):
        apdu = SELECT_CERT if i % 2 == 0 else READ
        start = time.perf_counter()
        transmit(apdu)
        samples.append(time.perf_counter() - start)
    return stats(samples)


def measure_sign(transmit, n: int) -> dict:
    transmit(SELECT_AP)
    transmit(bytes.fromhex("002000980431323334"))
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = transmit(SIGN)
        samples.append(time.perf_counter() - start)
        assert response[-2:] == b"\x90\x00"
    return stats(samples)


def pcscd_transmitter(reader: str):
    from smartcard.scard import (
        SCARD_PROTOCOL_T0,
        SCARD_PROTOCOL_T1,
        SCARD_SCOPE_USER,
        SCARD_SHARE_SHARED,
        SCardConnect,
        SCardEstablishContext,
        SCardTransmit,
    )
    _, ctx = SCardEstablishContext(SCARD_SCOPE_USER)
    deadline = time.monotonic() + 5
    while True:
        hr, handle, proto = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
        if hr == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    if hr != 0:
        raise OSError(f"cannot connect to {reader}: {hr & 0xFFFFFFFF:#x}")

    def transmit(apdu: bytes) -> bytes:
        hr, response = SCardTransmit(handle, proto, list(apdu))
        if hr != 0:
            raise OSError(f"SCardTransmit {hr & 0xFFFFFFFF:#x}")
        return bytes(response)
    return transmit


class NotAVirtualSlot(ValueError):
    pass


def virtual_slot(stack, reader: str | None, slot: int | None) -> tuple[str, int]:
    """(reader, vpcd port) of one of the harness's virtual slots; any other reader is refused, before any APDU."""
    if reader is None:
        return stack.reader_name(slot or 0), stack.vpcd_port(slot or 0)
    for name, port in stack.slots:
        if name == reader:
            return name, port
    raise NotAVirtualSlot(
        f"refused reader {reader!r}: it is not one of the harness's virtual vpcd slots, and the benchmark sends "
        "VERIFY with a fixed PIN and 50 signatures (three runs would lock a real card). Name a virtual slot "
        f"(--slot N, or --reader with one of: {', '.join(repr(n) for n, _ in stack.slots) or 'none'}).")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--slot", type=int)
    parser.add_argument("--reader", help="one of the harness's vpcd slots (any other reader is refused)")
    parser.add_argument("--out", type=Path, default=REPO / "reports" / "bench" / "apdu.json")
    args = parser.parse_args(argv)
    # The harness's pcscd: the machine's own if it serves vpcd, otherwise one started (and stopped) here.
    stack = start_or_reuse()
    try:
        reader, port = virtual_slot(stack, args.reader, args.slot)
    except NotAVirtualSlot as exc:
        stack.stop()  # only stops a daemon this script started
        print(f"bench_apdu: {exc}", file=sys.stderr)
        return 2
    profile = load_profile("valid")
    pki = TestPKI(REPO / ".cache" / "ras-e2e" / "keys")
    card = MyNumberCard(profile, pki.issue_card(profile, dt.datetime.now(dt.UTC)))
    results: dict = {"when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "apdus": args.n}
    direct = InProcessTransport(card)
    direct.connect()
    results["in_process"] = measure(direct.transmit, args.n)
    results["signature_in_process"] = measure_sign(direct.transmit, 50)
    bridge = VpcdBridge(stack.host, port).start()
    try:
        bridge.insert(card, wait=0)
        wait_reader_state(reader, present=True)
        transmit = pcscd_transmitter(reader)
        results["pcscd_vpcd"] = measure(transmit, args.n)
        results["signature_pcscd_vpcd"] = measure_sign(transmit, 50)
    except Exception as exc:  # noqa: BLE001 - a benchmark reports what it could not measure
        results["pcscd_vpcd"] = {"skipped": f"{type(exc).__name__}: {exc}"}
    finally:
        bridge.stop()
        stack.stop()  # only stops a daemon this script started
    results["pcscd_reader"] = reader
    print(f"{'path':24} {'n':>6} {'median ms':>10} {'p99 ms':>10} {'max ms':>10}")
    for key in ("in_process", "pcscd_vpcd", "signature_in_process", "signature_pcscd_vpcd"):
        row = results.get(key, {"skipped": "not run"})
        if "skipped" in row:
            print(f"{key:24} skipped: {row['skipped']}")
        else:
            print(f"{key:24} {row['n']:>6} {row['median_ms']:>10.3f} {row['p99_ms']:>10.3f} {row['max_ms']:>10.3f}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
