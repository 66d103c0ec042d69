"""`ras-e2e card ...`: serve a virtual card into a vpcd slot, list and check profiles.

  card serve --profile NAME --slot N [--port P] [--control-port P] [--profiles DIR] [--key-cache DIR]
             [--latency off|realistic]
  card profiles [--profiles DIR]          list profiles (validates each)
  card check NAME [--profiles DIR]        validate one profile

Why a CLI: a person at a desk (or another tool such as a browser test) can put a card into pcscd without pytest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading
from pathlib import Path

from .card import MyNumberCard
from .control import CardController, ControlServer
from .latency import MODES
from .pki import DEFAULT_CACHE_DIR, TestPKI
from .profiles import DEFAULT_DIRECTORY, ProfileError, list_profiles, load_profile
from .registry import CardRegistry
from .vpcd import VPCD_PORT, VpcdBridge


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ras-e2e card", description="the virtual My Number card")
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="put a card into a vpcd slot until Ctrl-C")
    serve.add_argument("--profile", default="valid")
    serve.add_argument("--slot", type=int, default=0)
    serve.add_argument("--host", default="127.0.0.1", help="where vpcd listens")
    serve.add_argument("--port", type=int, help=f"vpcd port (default {VPCD_PORT} + slot)")
    serve.add_argument("--control-port", type=int, default=0, help="control API port (default: any free port)")
    serve.add_argument("--profiles", type=Path, default=DEFAULT_DIRECTORY)
    serve.add_argument("--key-cache", type=Path, default=DEFAULT_CACHE_DIR)
    serve.add_argument("--latency", choices=MODES, default=None,
                       help="off (instant, default) or realistic (virtual_card/latency.py); default from $RAS_E2E_CARD_LATENCY")
    for name in ("profiles", "check"):
        p = sub.add_parser(name, help="list profiles" if name == "profiles" else "validate one profile")
        if name == "check":
            p.add_argument("name")
        p.add_argument("--profiles", type=Path, default=DEFAULT_DIRECTORY)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "profiles":
        status = 0
        for name in list_profiles(args.profiles):
            try:
                profile = load_profile(name, args.profiles)
                print(f"{name:32} {profile.description[:80]}")
            except ProfileError as exc:
                print(exc, file=sys.stderr)
                status = 1
        return status
    if args.command == "check":
        try:
            load_profile(args.name, args.profiles)
        except ProfileError as exc:
            print(exc, file=sys.stderr)
            return 1
        print(f"{args.name}: ok")
        return 0
    return serve(args)


def serve(args: argparse.Namespace) -> int:
    try:
        load_profile(args.profile, args.profiles)
    except ProfileError as exc:
        print(exc, file=sys.stderr)
        return 2
    pki = TestPKI(args.key_cache)

    def build(name: str) -> MyNumberCard:
        profile = load_profile(name, args.profiles)
        card = MyNumberCard(profile, pki.issue_card(profile, dt.datetime.now(dt.UTC)))
        if args.latency:
            card.set_latency(args.latency)
        return card

    factory = CardRegistry(build)  # re-inserting or swapping back never resets a counter

    port = args.port or VPCD_PORT + args.slot
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())  # like Ctrl-C; set first, so no signal is lost at start-up
    bridge = VpcdBridge(args.host, port)
    server = None
    try:  # from here on, Ctrl-C at any moment takes the card out and stops the control API
        bridge.start()
        controller = CardController(bridge, factory, args.profile)
        controller.card = factory(args.profile)
        bridge.insert(controller.card, wait=0)
        server = ControlServer(controller, "127.0.0.1", args.control_port)
        url = server.start()
        # Which reader name pcscd makes of this port depends on that pcscd's reader.conf (pcsc_stack names the
        # harness's own; Debian's pcscd calls its first one "Virtual PCD 00 00"): `pcsc_scan` shows it.
        print(f"card: profile {args.profile} on vpcd {args.host}:{port} (slot {args.slot}; `pcsc_scan` names its reader)")
        print(f"control: {url}/status")
        sys.stdout.flush()
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.stop()
        bridge.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
