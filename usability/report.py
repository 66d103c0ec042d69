"""The usability report: one self-contained HTML page and a short Markdown summary for CI logs.

Why this order on the page: regressions first (what a reviewer must act on), then the stage scorecard, the known
defects with their costs (the first-hand traps: hours of waiting, phone calls, city-office visits, bare errors),
the worst messages quoted, and trend charts. Everything is escaped by Jinja's autoescape; the data has been
scrubbed by the recorder already.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import store
from .compare import Change, Comparison, compare, load_thresholds
from .errors import grade_rank
from .findings import Findings, costs, hours, scenario_findings
from .recorder import STAGES, scenario_label

__all__ = ["ReportResult", "Findings", "build", "findings_for", "scenario_findings", "render_html",
           "render_markdown", "worst_errors"]

HISTORY_LIMIT = 30
STAGE_KEYS = ("actions", "keystrokes", "klm_seconds", "wait_seconds", "errors", "poor_errors", "dead_ends",
              "offline_prerequisites", "a11y_serious", "broken_links")


@dataclass
class ReportResult:
    regressions: list[Change]
    improvements: list[Change]
    html_path: Path
    md_path: Path
    comparison: Comparison
    notes: list[Change] = field(default_factory=list)


def _stage_totals(scenarios: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = defaultdict(lambda: dict.fromkeys(STAGE_KEYS, 0) | {"scenarios": 0, "passed": 0})
    for s in scenarios:
        t, row = s["totals"], out[s.get("stage", "unknown")]
        row["scenarios"] += 1
        row["passed"] += s.get("outcome") == "passed"
        for k in ("actions", "keystrokes", "klm_seconds", "wait_seconds", "errors", "dead_ends",
                  "offline_prerequisites", "broken_links"):
            row[k] += t.get(k, 0)
        row["poor_errors"] += t["errors_by_grade"].get("poor", 0)
        row["a11y_serious"] += t["a11y_by_impact"].get("serious", 0) + t["a11y_by_impact"].get("critical", 0)
        row["klm_seconds"] = round(row["klm_seconds"], 2)
    return out


def _scorecard(run: dict, baseline: dict | None, comparison: Comparison) -> list[dict]:
    cur, base = _stage_totals(run["scenarios"]), _stage_totals((baseline or {}).get("scenarios", []))
    names = [s for s in STAGES if s in cur] + sorted(set(cur) - set(STAGES))
    rows = []
    for stage in names:
        reg = any(c.stage == stage for c in comparison.regressions)
        imp = any(c.stage == stage for c in comparison.improvements)
        status = "regressed" if reg else "improved" if imp else ("unchanged" if baseline else "no baseline")
        rows.append({"stage": stage, "status": status, "scenarios": cur[stage]["scenarios"],
                     "passed": cur[stage]["passed"], "cur": cur[stage], "base": base.get(stage) if baseline else None})
    return rows


def _defect_status(s: dict | None) -> tuple[str, str]:
    if s is None or not s.get("known_defect"):
        return "", "unknown"
    present = s["known_defect"].get("present")
    return {True: ("still present", "present"), False: ("fixed", "fixed")}.get(present, ("not determined", "unknown"))


def _defects(run: dict, baseline: dict | None) -> list[dict]:
    base = {s["scenario_id"]: s for s in (baseline or {}).get("scenarios", [])}
    out = []
    for s in run["scenarios"]:
        if not s.get("known_defect"):
            continue
        status, badge = _defect_status(s)
        b = base.get(s["scenario_id"])
        out.append({
            "name": scenario_label(s), "stage": s["stage"], "status": status, "badge": badge,
            "baseline_status": _defect_status(b)[0] if b else "", "costs": costs(s),
            "errors": [f"{e['text']} [{e['verdict']['grade']}]" for e in s["errors"]][:3],
        })
    return sorted(out, key=lambda d: (d["badge"] != "present", d["stage"], d["name"]))


def worst_errors(run: dict, limit: int = 8) -> list[dict]:
    """Distinct error messages, worst first (grade, then score)."""
    seen: dict[tuple, dict] = {}
    for s in run["scenarios"]:
        for e in s["errors"]:
            key = (e.get("code"), e["text"])
            if key not in seen:
                v = e["verdict"]
                seen[key] = {"text": e["text"], "code": e.get("code"), "page": e["page"], "source": e["source"],
                             "grade": v["grade"], "score": v["score"], "reasons": v["reasons"],
                             "rule": v.get("rule", ""), "scenarios": []}
            if scenario_label(s) not in seen[key]["scenarios"]:
                seen[key]["scenarios"].append(scenario_label(s))
    ranked = sorted(seen.values(), key=lambda e: (-grade_rank(e["grade"]), e["score"], e["text"]))
    return [e for e in ranked if e["grade"] != "good"][:limit]


def _history(history_dir: Path | str | None, run: dict) -> list[dict]:
    runs: list[dict] = []
    if history_dir:
        hd = Path(history_dir)
        base = hd if (hd / "runs").is_dir() or not hd.name == "runs" else hd.parent
        for p in store.list_runs(base)[-HISTORY_LIMIT:]:
            try:
                runs.append(store.load_metrics(p / store.METRICS_FILE))
            except ValueError:
                continue  # a damaged old run must not stop the report
    rid = run.get("run", {}).get("run_id")
    if not any(r.get("run", {}).get("run_id") == rid for r in runs):
        runs.append(run)
    return sorted(runs, key=lambda r: r.get("run", {}).get("run_id") or "")[-HISTORY_LIMIT:]


def _delta(st: dict, key: str) -> Markup:
    if not st.get("base"):
        return Markup("")
    d = st["cur"][key] - st["base"][key]
    if abs(d) < 1e-9:
        return Markup("")
    text = hours(abs(d)) if key == "wait_seconds" else f"{abs(d):g}"
    cls, sign = ("up", "+") if d > 0 else ("down", "−")
    return Markup(' <span class="{}">({}{})</span>').format(cls, sign, text)


def _num(v) -> str:
    return f"{v:.1f}" if isinstance(v, float) else str(v)


def render_html(run: dict, baseline: dict | None, comparison: Comparison, history: list[dict]) -> str:
    from . import charts  # imported here: matplotlib costs 0.4 s of CPU, and every scenario's findings import us

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.get_template("report.html.j2")
    meta = {"run_id": "?", "started_at": "", "finished_at": "", "git_commit": None, "generations": [],
            "card_mode": None, "portal_mode": None, "portal_settings": []} | run.get("run", {})
    return template.render(
        run=meta, baseline_run=(baseline or {}).get("run") if baseline else None, totals=run["totals"],
        regressions=_ordered(comparison.regressions), improvements=_ordered(comparison.improvements),
        notes=_ordered(comparison.notes),
        added=comparison.added, removed=comparison.removed, stages=_scorecard(run, baseline, comparison),
        defects=_defects(run, baseline), worst_errors=worst_errors(run), charts=charts.all_charts(history),
        history_count=len(history),
        scenarios=sorted(({**s, "label": scenario_label(s)} for s in run["scenarios"]),
                         key=lambda s: (s["stage"], s["label"])),
        hours=hours, num=_num, delta=_delta,
    )


def _ordered(changes: list[Change]) -> list[Change]:
    """Journey order (preparation first), then scenario, so the reader follows the journey."""
    rank = {st: i for i, st in enumerate(STAGES)}
    return sorted(changes, key=lambda c: (rank.get(c.stage, len(STAGES)), c.name, c.metric))


def _md(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render_markdown(run: dict, baseline: dict | None, comparison: Comparison) -> str:
    t = run["totals"]
    rid = run.get("run", {}).get("run_id")
    lines = [
        f"## Usability: {len(comparison.regressions)} regression(s), {len(comparison.improvements)} improvement(s)",
        "",
        f"Run `{rid}` vs baseline `{(baseline or {}).get('run', {}).get('run_id') or 'none'}` — "
        f"{t['scenarios']} scenarios (generations: {', '.join(run.get('run', {}).get('generations') or []) or '—'}), "
        f"KLM {t['klm_seconds']:.0f} s, waiting {hours(t['wait_seconds'])}, "
        f"poor errors {t['errors_by_grade']['poor']}, dead ends {t['dead_ends']}.",
        "",
    ]
    changed = run.get("run", {}).get("portal_settings") or []
    if changed:  # a what-if run: its differences come from the settings, not from the portal
        lines[-1:-1] = [f"Portal settings changed for this run: {', '.join(f'`{c}`' for c in changed)}.", ""]
    if comparison.regressions:
        lines.append("### Regressions")
        lines += [f"- **{_md(c.stage)}** {_md(c.name)}: {_md(c.metric)}: {_md(c.detail)}"
                  for c in _ordered(comparison.regressions)[:25]]
        if len(comparison.regressions) > 25:
            lines.append(f"- … {len(comparison.regressions) - 25} more in the HTML report")
        lines.append("")
    defects = _defects(run, baseline)
    if defects:
        lines += ["### Known usability defects", "", "| trap | status | waiting | phone | city office | poor errors |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {_md(d['name'])} | {d['status']} | {hours(d['costs']['waiting_hours'] * 3600)} | "
                  f"{d['costs']['phone_calls']} | {d['costs']['city_office_visits']} | {d['costs']['poor_errors']} |"
                  for d in defects]
        lines.append("")
    if comparison.improvements:
        lines.append(f"Improvements: {len(comparison.improvements)} (see the HTML report).")
    return "\n".join(lines) + "\n"


def build(run_dir, baseline_path=None, history_dir=None, out_dir=store.DEFAULT_REPORTS_DIR,
          thresholds_path=store.DEFAULT_THRESHOLDS) -> ReportResult:
    """Compare the run with the baseline (if the file exists), write index.html, summary.md and comparison.json
    into ``out_dir``, and return what was found. ``run_dir``: a run directory, its metrics.json, or a run id."""
    run = store.load_metrics(store.resolve_run(run_dir, out_dir))
    baseline = None
    if baseline_path and Path(baseline_path).is_file():
        baseline = store.load_metrics(baseline_path)
    comparison = compare(run, baseline, load_thresholds(thresholds_path))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    html_path, md_path = out / "index.html", out / "summary.md"
    html_path.write_text(render_html(run, baseline, comparison, _history(history_dir, run)), encoding="utf-8")
    md_path.write_text(render_markdown(run, baseline, comparison), encoding="utf-8")
    store.write_json(out / "comparison.json", comparison.as_dict())
    return ReportResult(comparison.regressions, comparison.improvements, html_path, md_path, comparison,
                        comparison.notes)


def findings_for(scenario: dict, baseline_path=None, thresholds_path=store.DEFAULT_THRESHOLDS) -> Findings:
    """Findings for one finished scenario, compared with its baseline entry when there is one — for attaching
    to the scenario in Allure from a pytest hook."""
    changes: list[Change] = []
    if baseline_path and Path(baseline_path).is_file():
        baseline = store.load_metrics(baseline_path)
        one = {"run": {}, "scenarios": [scenario]}
        mine = {"run": baseline.get("run", {}),
                "scenarios": [s for s in baseline["scenarios"] if s["scenario_id"] == scenario["scenario_id"]]}
        cmp = compare(one, mine, load_thresholds(thresholds_path))
        changes = cmp.for_scenario(scenario["scenario_id"])
    return scenario_findings(scenario, changes)
