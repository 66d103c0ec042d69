"""`ras-e2e` command: one entry point that hands each subcommand to the part that owns it."""

from __future__ import annotations

import importlib
import sys

SUBCOMMANDS = {
    "card": ("virtual_card.cli", "serve the virtual My Number card on a vpcd slot (card serve --profile NAME --slot N)"),
    "portal": ("portal_mock.cli", "run the portal simulation for a person to click through (portal serve)"),
    "usability": ("usability.cli", "compare runs with the baseline, accept a baseline, render the report"),
    "walk": ("ras_e2e.walk", "walk the journey by hand: portal simulation, virtual card and a browser with the extension"),
    "doctor": ("realcard.doctor", "preflight check of a reader and card before using the real portal"),
    "live": ("live.cli", "read-only checks and recordings of the live site (opt-in)"),
}


def usage() -> str:
    lines = ["usage: ras-e2e COMMAND [ARGS...]", "", "commands:"]
    lines += [f"  {name:<10} {text}" for name, (_, text) in SUBCOMMANDS.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if not argv or argv[0] in ("-h", "--help"):
        print(usage())
        return 0
    name, rest = argv[0], argv[1:]
    if name not in SUBCOMMANDS:
        print(f"ras-e2e: unknown command {name!r}\n\n{usage()}", file=sys.stderr)
        return 2
    module = importlib.import_module(SUBCOMMANDS[name][0])
    if name == "portal":
        from wiring.portal import trust_test_pki

        return int(module.main(rest, trust_provider=trust_test_pki) or 0)
    return int(module.main(rest) or 0)


if __name__ == "__main__":
    sys.exit(main())
