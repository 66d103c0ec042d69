"""`ras-e2e walk`: the whole journey by hand, for a person at a desk — the portal simulation, a virtual My
Number card in a vpcd reader behind pcscd, and a full Chromium window with the test extension, whose native host
(the JPKI client, started by Chromium) reaches that card: the same mechanism as a real PC.

A plain browser pointed at `ras-e2e portal serve` has no JPKI extension, so it stops at the first card read.
PINs are asked at this terminal (the JPKI client's dialog, reached by the host over its private channel), never in
the page; `--pins-from-profile` types the profile's test PINs instead. `--bridge=binding` is the fallback for a
machine without pcscd: the suite's Playwright binding and an in-process card.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

from jpki_client.bridge import install as install_bridge
from jpki_client.client import JpkiClient
from jpki_client.environments import load_environment
from jpki_client.pin import PromptPinProvider, StaticPinProvider
from portal_mock.admin_client import PortalAdmin
from portal_mock.models.urls import AGENCY_PAGE
from virtual_card.card import MyNumberCard
from virtual_card.pki import TestPKI
from virtual_card.profiles import load_profile
from virtual_card.transport import InProcessTransport
from wiring.chromium import spec
from wiring.portal import resident_of, start_portal
from wiring.reference_time import DEFAULT_GENERATION, REFERENCE_TIME


def main(argv: list[str] | None = None, stop: threading.Event | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ras-e2e walk", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="valid", help="card profile (virtual_card/data/cards/NAME.yaml)")
    parser.add_argument("--pc", default="windows-chrome", help="PC profile (jpki_client/data/environments/NAME.yaml)")
    parser.add_argument("--generation", choices=sorted(REFERENCE_TIME), default=DEFAULT_GENERATION)
    parser.add_argument("--pins-from-profile", action="store_true", help="type the profile's test PINs for you")
    parser.add_argument("--headless", action="store_true", help="no window (for a smoke test of this command)")
    parser.add_argument("--bridge", choices=("extension", "binding"), default="extension",
                        help="extension: the real test extension and native host through pcscd (default); "
                        "binding: the Playwright binding and an in-process card (no pcscd needed)")
    parser.add_argument("--slot", type=int, default=int(os.environ.get("RAS_E2E_VPCD_SLOT", "0")),
                        help="vpcd slot for the card (extension bridge; default RAS_E2E_VPCD_SLOT or 0)")
    args = parser.parse_args(argv)

    now = REFERENCE_TIME[args.generation]
    profile = load_profile(args.profile)
    environment = load_environment(args.pc)
    pki = TestPKI()
    card = MyNumberCard(profile, pki.issue_card(profile, now))
    work = Path(tempfile.mkdtemp(prefix="ras-e2e-walk-"))  # 0700; holds the SQLite store with what she typed
    try:
        return _walk(args, profile, environment, pki, card, now, work, stop)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _walk(args, profile, environment, pki, card, now, work: Path, stop: threading.Event | None) -> int:
    portal = start_portal(pki, work, args.generation, generation=args.generation)
    base = portal.url
    try:
        PortalAdmin(base).seed_resident(**resident_of(profile, now))
        pins = (StaticPinProvider({"auth": profile.pins.auth.value, "sign": profile.pins.sign.value})
                if args.pins_from_profile else PromptPinProvider())

        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            context, close_browser = _open_browser(pw, args, environment, card, pins)
            page = context.new_page()
            page.goto(f"{base}{AGENCY_PAGE}")
            print(f"portal: {base}{AGENCY_PAGE} ({args.generation}, card {args.profile}, "
                  f"PC {args.pc})\nmail:   {base}/__admin/mailbox/<your address>   clock: {base}/__admin/clock\n"
                  "Ctrl-C ends the walk.", flush=True)
            done = stop or threading.Event()
            if threading.current_thread() is threading.main_thread():
                signal.signal(signal.SIGTERM, lambda *_: done.set())  # like Ctrl-C: close Chromium, remove the store
            until_stopped = not args.headless or stop is not None  # headless without a stop event: a smoke test
            try:
                while until_stopped and not done.wait(0.5):  # a timed wait, so that Ctrl-C is seen at once
                    pass
            except KeyboardInterrupt:
                pass
            finally:
                close_browser()
    finally:
        portal.stop()
    return 0


def _open_browser(pw, args, environment, card, pins):
    """The browser the person walks with, and how to close it (with the card reader behind it)."""
    if args.bridge == "binding":
        browser = pw.chromium.launch(**spec("headless" if args.headless else "headed").launch_kwargs())
        context = browser.new_context(**environment.context_options())
        install_bridge(context, lambda: JpkiClient(InProcessTransport(card)).connect(), pins, environment)
        return context, browser.close
    from jpki_client.errors import JpkiClientError
    from pcsc_stack import start_or_reuse
    from wiring.card_slot import CardSlot
    from wiring.extension_browser import ExtensionBrowser, PcSetup

    stack = start_or_reuse()
    reader = CardSlot.behind_pcscd(stack, args.slot)
    try:
        reader.insert(card)
    except (JpkiClientError, TimeoutError):
        reader.stop()
        stack.stop()
        raise SystemExit(f"vpcd slot {args.slot} did not take the card: is another run using it? (use --slot N)") from None
    launcher = ExtensionBrowser(pw.chromium, PcSetup.from_environment(environment, reader.reader_name),
                                pins, headless=args.headless, context_options=environment.context_options())
    context = launcher.start()
    print(f"extension: {launcher.ready} (reader {reader.reader_name})", flush=True)

    def close() -> None:
        try:
            launcher.close()
        finally:
            reader.stop()
            stack.stop()

    return context, close
