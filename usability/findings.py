"""Per-scenario findings: the same facts as the usability report, in a form to attach to one scenario in Allure.

Why separate from the report: the lead's pytest hook attaches them while the run is still going (one scenario at
a time, no baseline directory walk), and the HTML report reuses the same wording so both say the same thing.
"""

from __future__ import annotations

import json

from .compare import Change


def hours(seconds: float) -> str:
    """Waiting time as a person would say it."""
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"


def costs(s: dict) -> dict:
    """What the scenario cost a person beyond clicks: the numbers a known defect is judged by. A phone call or
    office visit may be recorded both as a prerequisite and as a dead end's way out; it is counted once (max)."""
    t = s["totals"]
    prereq_kinds = [p["kind"] for p in s["prerequisites"]]
    way_outs = [d.get("way_out") or "" for d in s["dead_ends"]]
    return {
        "waiting_hours": round(t["wait_seconds"] / 3600, 2),
        "phone_calls": max(prereq_kinds.count("phone_call"), sum("phone" in w or "call" in w for w in way_outs)),
        "city_office_visits": max(prereq_kinds.count("city_office"), sum("office" in w for w in way_outs)),
        "counter_visits": max(prereq_kinds.count("counter"), sum("counter" in w for w in way_outs)),
        "installs": t["prerequisites_by_category"].get("software", 0),
        "bare_errors": t["bare_errors"],
        "poor_errors": t["errors_by_grade"].get("poor", 0),
        "dead_ends": t["dead_ends"],
    }


class Findings(str):
    """The findings as plain text (it *is* the text, ready to attach) with the JSON-able facts in ``.data``."""

    data: dict

    def __new__(cls, text: str, data: dict) -> Findings:
        obj = super().__new__(cls, text)
        obj.data = data
        return obj

    @property
    def text(self) -> str:
        return str(self)

    def to_json(self) -> str:
        return json.dumps(self.data, ensure_ascii=False, indent=1)


def scenario_findings(scenario: dict, changes: list[Change] | None = None) -> Findings:
    """Findings for one scenario's metrics and, if given, its changes against the baseline: ``str(f)`` is the text,
    ``f.data`` the JSON-able dict (``f.to_json()``)."""
    t = scenario["totals"]
    changes = changes or []
    data = {
        "scenario_id": scenario["scenario_id"],
        "stage": scenario["stage"],
        "outcome": scenario["outcome"],
        "totals": t,
        "costs": costs(scenario),
        "known_defect": scenario.get("known_defect"),
        "errors": [
            {"code": e["code"], "text": e["text"], "page": e["page"], "grade": e["verdict"]["grade"],
             "reasons": e["verdict"]["reasons"]}
            for e in scenario["errors"]
        ],
        "dead_ends": scenario["dead_ends"],
        "prerequisites": scenario["prerequisites"],
        "a11y": [{k: v[k] for k in ("rule", "impact", "nodes", "page")} for v in scenario["a11y"]["violations"]],
        "broken_links": scenario["links"]["broken"],
        "changes": [c.as_dict() for c in changes],
    }
    lines = [
        f"Usability — {scenario['name']} ({scenario['stage']}, {scenario['outcome']})",
        f"steps {t['steps']}, actions {t['actions']} (clicks {t['clicks']}, fields {t['fields_filled']}, "
        f"selections {t['selections']}, PIN entries {t['pin_entries']}), keystrokes {t['keystrokes']}, "
        f"page views {t['page_views']}",
        f"predicted expert time (KLM) {t['klm_seconds']:.1f} s; simulated waiting {hours(t['wait_seconds'])}",
    ]
    if scenario.get("known_defect"):
        present = scenario["known_defect"].get("present")
        status = {True: "still present", False: "fixed?", None: "not determined"}[present]
        lines.append(f"known usability defect: {status}")
    for p in scenario["prerequisites"]:
        lines.append(f"prerequisite [{p['category']}] {p['kind']}: {p['detail']}")
    for d in scenario["dead_ends"]:
        lines.append(f"DEAD END {d['state']}: {d['reason']}" + (f" (way out: {d['way_out']})" if d["way_out"] else ""))
    for e in scenario["errors"]:
        lines.append(f"error [{e['verdict']['grade']}] {e['text']!r} on {e['page']}: "
                     + ("; ".join(e["verdict"]["reasons"]) or "clear"))
    for v in scenario["a11y"]["violations"]:
        lines.append(f"a11y {v['impact']}: {v['rule']} x{v['nodes']} on {v['page']}")
    for b in scenario["links"]["broken"]:
        lines.append(f"broken link {b['url']} ({b['status'] or b['error']})")
    for c in changes:
        lines.append(f"{c.kind.upper()}: {c.metric}: {c.detail}")
    return Findings("\n".join(lines), data)
