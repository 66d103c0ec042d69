"""``ras-e2e live …``: record, drift, check (read-only checks of a site or of a recording)."""

from __future__ import annotations

import argparse
import json
import sys

USAGE = """usage: ras-e2e live COMMAND [ARGS...]

commands:
  record   make a recording (--from-simulation | --live --i-accept-live-risk | --base-url URL)
  drift    compare a recording with the simulation or another recording (Markdown + HTML)
  check    run the read-only checks against a recording (replay, no network) and print the results
"""


def check_main(argv: list[str]) -> int:
    from .checks import PageCheck
    from .gentle import GentleSession
    from .recording import Recording, use_cassette
    from .scrub import Scrubber
    from .settings import LiveSettings

    ap = argparse.ArgumentParser(prog="ras-e2e live check")
    ap.add_argument("recording")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    rec = Recording.load(args.recording)
    sites = rec.provenance.site_map()
    session = GentleSession(LiveSettings(rate=5, burst=50, max_requests=200), allowed_hosts=sites.hosts())
    with use_cassette(rec.cassette, Scrubber(), "none"):
        results = PageCheck(session, sites).run_all()
    if args.json:
        print(json.dumps([r.to_dict() for r in results], ensure_ascii=False, indent=1))
    else:
        for r in results:
            print(f"{r.status:5} {r.name:28} {r.detail}")
    return 1 if any(r.status == "fail" for r in results) else 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    cmd, rest = argv[0], argv[1:]
    if cmd == "record":
        from .record import main as record_main

        return record_main(rest)
    if cmd == "drift":
        from .drift import main as drift_main

        return drift_main(rest)
    if cmd == "check":
        return check_main(rest)
    print(f"ras-e2e live: unknown command {cmd!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
