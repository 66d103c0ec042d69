"""`portal serve`: run the simulation for a person to walk the journey by hand.

The lead wires it as `ras-e2e portal ...`.  Trust material (auth-ca.der, sign-ca.der, auth.crl, sign.crl) comes
from --trust-dir, or from a ``trust_provider(directory, now)`` callable passed to main() (e.g. one that writes the
virtual card's test PKI)."""

from __future__ import annotations

import argparse
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

from .models.clock import parse_time
from .models.urls import AGENCY_PAGE, PREFIX
from .server import PortalServer
from .settings import GENERATIONS, PortalSettings


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="portal", description="Simulated 在留申請オンラインシステム")
    sub = p.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="run the portal simulation until Ctrl-C")
    s.add_argument("--generation", choices=GENERATIONS, default=None, help="default: by the simulated clock")
    s.add_argument("--port", type=int, default=0, help="HTTP port on 127.0.0.1 (0 = free port)")
    s.add_argument("--trust-dir", type=Path, default=None, help="directory with auth-ca.der, sign-ca.der, *.crl")
    s.add_argument("--db", type=Path, default=None, help="SQLite file (default: a temporary one)")
    s.add_argument("--clock", default=None, help="simulated start time, ISO 8601 (default: 2025-06-02T10:00+09:00)")
    s.add_argument("--strict-residents", action="store_true",
                   help="refuse 在留カード番号 not seeded through the control API (default: accept them)")
    return p


def main(argv: list[str] | None = None, trust_provider: Callable[[Path, object], None] | None = None,
         stop_event: threading.Event | None = None) -> int:
    args = build_parser().parse_args(argv)
    stop = stop_event or threading.Event()
    if threading.current_thread() is threading.main_thread():
        # SIGTERM ends the simulation like Ctrl-C: the server stops and the temporary directory (SQLite with the
        # registrations, trust store) is removed. Python's default would exit and leave both. Set first, so that
        # a signal during start-up is not lost either.
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
    tmp = tempfile.TemporaryDirectory(prefix="portal-mock-")
    try:
        trust = args.trust_dir
        kwargs = {}
        if args.clock:
            try:
                kwargs["clock_start"] = parse_time(args.clock)
            except ValueError:
                print(f"--clock: expected ISO 8601, got {args.clock!r}", file=sys.stderr)
                return 2
        settings = PortalSettings(db_path=args.db or Path(tmp.name) / "portal.sqlite3", trust_dir=None,
                                  generation=args.generation, clock_rate=1.0,
                                  accept_unknown_residents=not args.strict_residents, **kwargs)
        if trust is None and trust_provider is not None:
            trust = Path(tmp.name) / "trust"
            trust.mkdir()
            trust_provider(trust, parse_time(settings.clock_start))
        if trust is None:
            print("no trust material: pass --trust-dir DIR (auth-ca.der, sign-ca.der, auth.crl, sign.crl)",
                  file=sys.stderr)
            return 2
        missing = [f for f in ("auth-ca.der", "sign-ca.der", "auth.crl", "sign.crl") if not (trust / f).exists()]
        if missing:
            print(f"--trust-dir {trust}: missing {', '.join(missing)}", file=sys.stderr)
            return 2
        settings.trust_dir = trust
        server = PortalServer(settings, port=args.port)
        try:  # from here on, Ctrl-C at any moment stops the server
            url = server.start()
            print(f"portal simulation: {url}{AGENCY_PAGE}", flush=True)
            print(f"  ras:    {url}{PREFIX['ras']}/\n  rasens: {url}{PREFIX['rasens']}/\n  control API: {url}/__admin/clock",
                  flush=True)
            print(f"  SMTP on 127.0.0.1:{server.smtp_port}; mailbox: {url}/__admin/mailbox/<address>", flush=True)
            while not stop.wait(0.5):  # a timed wait, so that Ctrl-C is seen at once
                pass
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
        return 0
    finally:
        tmp.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
