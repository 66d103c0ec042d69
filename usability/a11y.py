"""Accessibility scan of the current page state with axe-core (bundled by axe-playwright-python).

Why fingerprints (rule + target selectors) and not the full result: HTML snippets and messages churn between axe
versions and page tweaks; a fingerprint changes only when a real violation appears or goes
(reference/harness-tools.md §4.2). Automated rules find roughly a third of WCAG A/AA issues — keyboard flow and
the meaning of messages still need people.
"""

from __future__ import annotations

import json

# Rules we ignore, each with its reason. Empty on purpose: the portal simulation is ours, so every violation it
# shows is either a faithful copy of the real portal's problem (worth reporting) or our bug (worth fixing).
# Add an entry only with a reason and an upstream reference, like the GOV.UK project that ignores `region`
# because of govuk-frontend#1604.
IGNORED_RULES: dict[str, str] = {}

_axe = None


def _engine():
    """Load axe lazily: importing this module must not need Playwright (the report CLI does not)."""
    global _axe
    if _axe is None:
        from axe_playwright_python.sync_playwright import Axe

        _axe = Axe()
    return _axe


# Runs after axe's own script in the same evaluate, and sends back only what ``normalise`` reads: one round trip
# per scan instead of two, and no HTML snippets, check details or passed rules through the Playwright driver.
_RUN = """;axe.run(%s, {resultTypes: ['violations']}).then(r => r.violations.map(v => ({id: v.id, impact: v.impact,
  help: v.help, nodes: v.nodes.map(n => ({target: n.target}))})))"""


def scan(page, context=None) -> list[dict]:
    """Run axe on a Playwright (sync) page; one dict per violated rule:
    ``{"rule", "impact", "nodes", "targets", "help"}`` — targets are CSS selector fingerprints."""
    script = _engine().axe_script + "\n" + _RUN % (json.dumps(context) if context else "document")
    return normalise(page.evaluate(script))


def normalise(violations: list[dict]) -> list[dict]:
    """axe's raw violations -> the recorder's shape, minus ignored rules, sorted for stable output."""
    out = []
    for v in violations:
        if v["id"] in IGNORED_RULES:
            continue
        targets = sorted({" ".join(str(t) for t in node.get("target", [])) for node in v.get("nodes", [])})
        out.append(
            {
                "rule": v["id"],
                "impact": v.get("impact") or "minor",
                "nodes": len(v.get("nodes", [])),
                "targets": targets,
                "help": v.get("help", ""),
            }
        )
    return sorted(out, key=lambda x: x["rule"])
