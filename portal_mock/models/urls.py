"""Where the simulated sites live: the ONE definition of the portal's URL prefixes and the agency's page paths.

The page objects, the command line and ``ras-e2e walk`` import these rather than spelling the paths again, so a
path changed here changes everywhere. (live/ describes the LIVE site and keeps its own.)"""

from __future__ import annotations

#: the portal of each generation: ras (until 2026-01) and rasens (from 2026-01)
PREFIX = {"ras": "/WC01/WCAAS010", "rasens": "/rasens-u"}
#: the agency's page about online applications; its entry button leads to the portal of the day
AGENCY_PAGE = "/isa/applications/online/onlineshinsei.html"
AGENCY_ENTRY = "/isa/applications/online/entry"
#: the agency's hosts (all unreachable in a simulated outage)
AGENCY_PREFIXES = ("/isa/", "/WC01/", "/rasens-u/")
#: the path roots of each generation's portal (the session cookie and the request gate work per generation)
PORTAL_PREFIXES = {"/WC01/": "ras", "/rasens-u/": "rasens"}


def generation_of(path: str) -> str | None:
    """The generation whose portal serves ``path``, or None for the agency's pages, the control API and others."""
    for prefix, gen in PORTAL_PREFIXES.items():
        if path.startswith(prefix) or path == prefix.rstrip("/"):
            return gen
    return None


def is_agency(path: str) -> bool:
    return any(path.startswith(p) or path == p.rstrip("/") for p in AGENCY_PREFIXES)
