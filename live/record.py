"""Make a recording of the public pages: ``python -m live.record --from-simulation`` (what CI replays
until a live recording exists), or, at a desk and opt-in, ``--live --i-accept-live-risk`` / ``--base-url URL``.

Each recording is a directory under ``live/recordings/``: ``http.yaml`` (vcrpy, the harness's own HTTP),
``browser.har`` (Playwright, the browser), ``provenance.yaml`` (source, date, generation, recorded_from, harness
version, scrub rules, the check results at recording time). All of it is scrubbed before it is written.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
from pathlib import Path

from .checks import CheckResult, PageCheck
from .gentle import GentleSession, RequestBudget, SubmitGate, TokenBucket
from .recording import CASSETTE, HAR, RECORDINGS_DIR, Provenance, now_utc, tool_versions, use_cassette
from .scrub import Scrubber
from .settings import LiveSettings, ServiceHours
from .sites import SIMULATION_ORIGIN, SiteMap

DEFAULT_OUT = RECORDINGS_DIR
LIVE_RISK = (
    "This contacts the live government site (出入国在留管理庁 / J-LIS) with read-only GET requests: at most "
    "{cap} requests at {rate:g} per second, within the service hours. It submits nothing."
)


@contextlib.contextmanager
def simulation_server(generation: str | None = None):
    """The portal simulation on loopback with the given generation active; yields its base URL."""
    from portal_mock.server import PortalServer
    from portal_mock.settings import PortalSettings

    with tempfile.TemporaryDirectory(prefix="ras-e2e-record-") as tmp:
        settings = PortalSettings(db_path=Path(tmp) / "portal.sqlite", trust_dir=None, generation=generation)
        server = PortalServer(settings)
        base_url = server.start()
        try:
            yield base_url.rstrip("/")
        finally:
            server.stop()


def _served(url: str) -> bool:
    """Does the (loopback) simulation serve this page? Pages it lacks are left out of its recording."""
    import requests

    try:
        return requests.get(url, timeout=10).status_code == 200
    except requests.RequestException:
        return False


def make_recording(name: str, sites: SiteMap, out_root: Path, *, recorded_from: str, generation: str,
                   settings: LiveSettings, gate: SubmitGate | None = None, origin_map: dict | None = None,
                   canonical: SiteMap | None = None, browser: bool = True, browser_args: list[str] | None = None,
                   extra_secrets: tuple[str, ...] = (), note: str = "", playwright_browser=None) -> Provenance:
    """Run the HTTP checks inside a recording cassette and the browser checks while recording a HAR."""
    directory = out_root / name
    directory.mkdir(parents=True, exist_ok=True)
    for old in (CASSETTE, HAR):
        (directory / old).unlink(missing_ok=True)
    scrubber = Scrubber(extra_secrets, origin_map)
    gate = gate or SubmitGate(settings.allow_submit)
    budget = RequestBudget(settings.max_requests)
    bucket = TokenBucket(settings.rate, settings.burst)
    session = GentleSession(settings, gate=gate, budget=budget, bucket=bucket, allowed_hosts=sites.hosts())
    with use_cassette(directory / CASSETTE, scrubber, record_mode="all"):
        results = PageCheck(session, sites).run_all()
    browser_results = []
    if browser:
        from . import browser as browser_mod

        browser_results, _guard = browser_mod.record(sites, directory / HAR, scrubber, gate, budget, bucket,
                                                     extra_args=browser_args, user_agent=settings.user_agent,
                                                     browser=playwright_browser)
    canonical = canonical or sites
    results = [CheckResult(**json.loads(scrubber.origins(json.dumps(r.to_dict())))) for r in results]
    browser_results = [CheckResult(**json.loads(scrubber.origins(json.dumps(r.to_dict())))) for r in browser_results]
    provenance = Provenance(
        name=name, recorded_from=recorded_from, generation=generation, date=now_utc(),
        sites=canonical.to_dict(), source_urls=[canonical.url(k) for k in canonical.pages()],
        tools=tool_versions(), requests=budget.used,
        checks=[r.to_dict() for r in results], browser_checks=[r.to_dict() for r in browser_results], note=note,
    )
    provenance.write(directory)
    return provenance


def record_from_simulation(out_root: Path = DEFAULT_OUT, generations=("ras", "rasens"), browser: bool = True
                           ) -> list[Provenance]:
    out = []
    settings = LiveSettings(rate=5, burst=5, max_requests=80)  # loopback: gentle limits still on, just quicker
    for gen in generations:
        with simulation_server(gen) as base_url:
            sites = SiteMap.single(base_url, kind="simulation")
            served = [k for k in sites.pages() if _served(sites.url(k))]
            sites = sites.only(served)
            canonical = SiteMap.single(SIMULATION_ORIGIN, kind="simulation").only(served)
            out.append(make_recording(
                f"simulation-{gen}", sites, out_root, recorded_from="simulation", generation=gen, settings=settings,
                origin_map={base_url: SIMULATION_ORIGIN}, canonical=canonical, browser=browser,
                note=("Made from the portal simulation (portal_mock), not from the live site: a stand-in until a "
                      "person records the live site with `python -m live.record --live`. Pages the "
                      "simulation does not serve show as failed checks here and as missing pages in a drift report."),
            ))
    return out


def confirm_live_risk(settings: LiveSettings, accepted: bool, ask=input) -> bool:
    text = LIVE_RISK.format(cap=settings.max_requests, rate=settings.rate)
    if accepted:
        return True
    try:
        typed = ask(f"{text}\nType 'I accept' to continue: ")
    except (EOFError, OSError):
        return False
    return typed.strip().lower() == "i accept"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m live.record", description=__doc__.splitlines()[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--from-simulation", action="store_true", help="record the portal simulation's public pages")
    src.add_argument("--live", action="store_true", help="record the live site (opt-in, read-only)")
    src.add_argument("--base-url", help="record a staging portal served under one base URL (read-only)")
    ap.add_argument("--generation", choices=("ras", "rasens", "both"), default="both")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--name", help="recording name (default: simulation-GEN, live-DATE, staging-DATE)")
    ap.add_argument("--no-browser", action="store_true", help="only the harness's own HTTP (no HAR)")
    ap.add_argument("--i-accept-live-risk", action="store_true", help="acknowledge contacting the live site")
    ap.add_argument("--live-rate", type=float, default=None, help="requests per second (default 0.5)")
    ap.add_argument("--live-max-requests", type=int, default=None, help="request cap for the run (default 30)")
    ap.add_argument("--live-hours", default=None, help="service hours, e.g. 'mon-fri 08:30-17:15' (JST)")
    args = ap.parse_args(argv)
    generations = ("ras", "rasens") if args.generation == "both" else (args.generation,)
    if args.from_simulation:
        for p in record_from_simulation(args.out, generations, browser=not args.no_browser):
            failed = [c["name"] for c in p.checks + p.browser_checks if c["status"] == "fail"]
            print(f"recorded {args.out / p.name} ({p.requests} requests; recorded_from: simulation)"
                  + (f"; failing checks kept as recorded: {', '.join(failed)}" if failed else ""))
        return 0
    hours = ServiceHours(args.live_hours) if args.live_hours else None
    settings = LiveSettings.from_env(rate=args.live_rate, max_requests=args.live_max_requests, hours=hours)
    allowed, reason = settings.hours.check()
    if not allowed:
        print(f"not recording: {reason}", file=sys.stderr)
        return 3
    if not confirm_live_risk(settings, args.i_accept_live_risk):
        print("not recording: the live-site risk was not acknowledged (--i-accept-live-risk)", file=sys.stderr)
        return 2
    stamp = now_utc()[:10]
    if args.live:
        sites, kind, name = SiteMap.live(), "live", args.name or f"live-{stamp}"
    else:
        sites, kind, name = SiteMap.single(args.base_url), "live", args.name or f"staging-{stamp}"
    p = make_recording(name, sites, args.out, recorded_from=kind, generation=args.generation, settings=settings,
                       browser=not args.no_browser)
    print(f"recorded {args.out / p.name} ({p.requests} requests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
