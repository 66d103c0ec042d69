"""`ras-e2e walk`: the whole journey by hand, for a person at a desk — the portal simulation, a virtual My
Number card and a Chromium window whose stand-in extension reaches that card.

A plain browser pointed at `ras-e2e portal serve` has no JPKI extension, so it stops at the first card read;
this command gives the person the same browser the suite uses. PINs are asked at this terminal (the JPKI client's
dialog), never in the page; `--pins-from-profile` types the profile's test PINs instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import threading
from pathlib import Path

from jpki_client.bridge import install as install_bridge
from jpki_client.client import JpkiClient
from jpki_client.environments import load_environment
from jpki_client.pin import PromptPinProvider, StaticPinProvider
from portal_mock.server import PortalServer
from portal_mock.settings import PortalSettings
from ras_e2e.chromium import CHROMIUM_ARGS, chromium_path
from virtual_card.card import MyNumberCard
from virtual_card.dates import resolve_date
from virtual_card.pki import TestPKI
from virtual_card.profiles import load_profile
from virtual_card.transport import InProcessTransport

ROOT = Path(__file__).resolve().parent.parent
JST = dt.timezone(dt.timedelta(hours=9))
START = {"ras": dt.datetime(2025, 10, 1, 10, tzinfo=JST), "rasens": dt.datetime(2026, 2, 2, 10, tzinfo=JST)}


def main(argv: list[str] | None = None, stop: threading.Event | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ras-e2e walk", description=__doc__.splitlines()[0])
    parser.add_argument("--profile", default="valid", help="card profile (fixtures/cards/NAME.yaml)")
    parser.add_argument("--pc", default="windows-chrome", help="PC profile (fixtures/environments/NAME.yaml)")
    parser.add_argument("--generation", choices=sorted(START), default="rasens")
    parser.add_argument("--pins-from-profile", action="store_true", help="type the profile's test PINs for you")
    parser.add_argument("--headless", action="store_true", help="no window (for a smoke test of this command)")
    args = parser.parse_args(argv)

    now = START[args.generation]
    profile = load_profile(args.profile, directory=ROOT / "fixtures" / "cards")
    environment = load_environment(args.pc, directory=ROOT / "fixtures" / "environments")
    pki = TestPKI()
    card = MyNumberCard(profile, pki.issue_card(profile, now))
    work = Path(tempfile.mkdtemp(prefix="ras-e2e-walk-"))
    pki.export_trust(work, now)
    server = PortalServer(PortalSettings(db_path=work / "portal.sqlite3", trust_dir=work,
                                         clock_start=now.isoformat(), generation=args.generation))
    base = server.start()
    import requests

    requests.post(f"{base}/__admin/residents", timeout=10, json={
        "residence_card_number": profile.person.residence_card_number,
        "status_of_residence": profile.person.status_of_residence,
        "period_of_stay_until": resolve_date(profile.person.period_of_stay_until, now).isoformat(),
        "birth_date": resolve_date(profile.holder.birth_date, now).isoformat(),
    }).raise_for_status()
    pins = (StaticPinProvider({"auth": profile.pins.auth.value, "sign": profile.pins.sign.value})
            if args.pins_from_profile else PromptPinProvider())

    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=args.headless)
        context = browser.new_context(**environment.context_options())
        install_bridge(context, lambda: JpkiClient(InProcessTransport(card)).connect(), pins, environment)
        page = context.new_page()
        page.goto(f"{base}/isa/applications/online/onlineshinsei.html")
        print(f"portal: {base}/isa/applications/online/onlineshinsei.html ({args.generation}, card {args.profile}, "
              f"PC {args.pc})\nmail:   {base}/__admin/mailbox/<your address>   clock: {base}/__admin/clock\n"
              "Ctrl-C ends the walk.", flush=True)
        try:
            (stop or threading.Event()).wait(None if not args.headless or stop else 0)
        except KeyboardInterrupt:
            pass
        finally:
            browser.close()
            server.stop()
    return 0
