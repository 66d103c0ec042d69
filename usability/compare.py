"""Compare a run with a baseline, per scenario and metric, with thresholds from ``thresholds.yaml``.

Why thresholds in YAML: what counts as "harder for a person" is a judgement the project's owners tune (one extra
click is a regression, 0.3 s of KLM is noise); changing it must not need a code change or a code review of the
comparison logic.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from .errors import GRADES, grade_rank, normalise
from .recorder import scenario_label

DEFAULT_THRESHOLDS: dict = {
    "metrics": {},
    "errors": {"new_error_grades": ["poor", "fair"], "worse_grade": True},
    "a11y": {"new_violation_impacts": ["critical", "serious"]},
    "dead_ends": {"new": True},
    "broken_links": {"new": True},
    "prerequisites": {"new": True},
    "completion": {"regress": True},
}


def load_thresholds(path: Path | str) -> dict:
    """Read the YAML and fill defaults; a clear error for a typo in a metric's bounds."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML ({exc})") from None
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in DEFAULT_THRESHOLDS.items()}
    for section, value in data.items():
        if section == "version":
            continue
        if section not in DEFAULT_THRESHOLDS:
            raise ValueError(f"{path}: unknown section {section!r}; expected one of {sorted(DEFAULT_THRESHOLDS)}")
        out[section] = {**out[section], **(value or {})}
    for metric, bounds in out["metrics"].items():
        unknown = set(bounds or {}) - {"abs", "pct", "gate"}
        if unknown:
            raise ValueError(f"{path}: metrics.{metric}: unknown key(s) {sorted(unknown)}; use abs, pct, gate")
    return out


@dataclass
class Change:
    """One difference between baseline and run that matters."""

    kind: str  # regression | improvement | note
    scenario_id: str
    name: str
    stage: str
    metric: str
    baseline: object
    current: object
    detail: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Comparison:
    regressions: list[Change] = field(default_factory=list)
    improvements: list[Change] = field(default_factory=list)
    notes: list[Change] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    baseline_run: str | None = None
    run: str | None = None

    @property
    def has_regressions(self) -> bool:
        return bool(self.regressions)

    def add(self, change: Change) -> None:
        {"regression": self.regressions, "improvement": self.improvements, "note": self.notes}[change.kind].append(
            change
        )

    def for_scenario(self, scenario_id: str) -> list[Change]:
        return [c for c in self.regressions + self.improvements + self.notes if c.scenario_id == scenario_id]

    def as_dict(self) -> dict:
        return {
            "run": self.run,
            "baseline_run": self.baseline_run,
            "regressions": [c.as_dict() for c in self.regressions],
            "improvements": [c.as_dict() for c in self.improvements],
            "notes": [c.as_dict() for c in self.notes],
            "added": self.added,
            "removed": self.removed,
        }

    def to_text(self) -> str:
        lines = [f"usability: run {self.run} vs baseline {self.baseline_run}"]
        for title, items in (("REGRESSIONS", self.regressions), ("improvements", self.improvements),
                             ("notes", self.notes)):
            lines.append(f"{title}: {len(items)}")
            lines += [f"  - [{c.stage}] {c.name}: {c.metric}: {c.detail}" for c in items]
        if self.added:
            lines.append(f"scenarios added: {len(self.added)}")
            lines += [f"  + {s}" for s in self.added]
        if self.removed:
            lines.append(f"scenarios removed: {len(self.removed)}")
            lines += [f"  - {s}" for s in self.removed]
        return "\n".join(lines)


def _fmt(v) -> str:
    return f"{v:g}" if isinstance(v, float) else str(v)


def _numeric(name: str, base: float, cur: float, bounds: dict) -> str | None:
    """'regression' | 'improvement' | None for one numeric metric."""
    delta = cur - base
    if delta == 0:
        return None
    absolute = abs(delta) >= bounds.get("abs", 0)
    relative = True
    if "pct" in bounds:
        relative = base == 0 or abs(delta) / abs(base) * 100 >= bounds["pct"]
    if not (absolute and relative):
        return None
    return "regression" if delta > 0 else "improvement"


def _error_map(scenario: dict) -> dict[str, dict]:
    """Errors keyed by code (or normalised text when there is no code); the worst occurrence wins."""
    out: dict[str, dict] = {}
    for e in scenario.get("errors", []):
        key = f"code:{e['code']}" if e.get("code") else f"text:{normalise(e['text'])}"
        if key not in out or grade_rank(e["verdict"]["grade"]) > grade_rank(out[key]["verdict"]["grade"]):
            out[key] = e
    return out


def _a11y_map(scenario: dict) -> dict[str, dict]:
    return {f"{v['page']} {v['rule']} {'|'.join(v['targets'])}": v for v in scenario.get("a11y", {}).get("violations", [])}


def compare_scenario(base: dict, cur: dict, th: dict, out: Comparison) -> None:
    """All changes for one scenario present in both, in a fixed order: completion (which stops the rest when either
    run did not pass: the metrics of a broken journey say nothing), metrics, errors, accessibility, sets, defect."""
    def change(kind, metric, b, c, detail):
        out.add(Change(kind, cur["scenario_id"], scenario_label(cur), cur.get("stage", ""), metric, b, c, detail))

    if _completion_changes(base, cur, th, change):
        return
    _metric_changes(base["totals"], cur["totals"], th, change)
    _error_changes(_error_map(base), _error_map(cur), th, change)
    _a11y_changes(_a11y_map(base), _a11y_map(cur), th, change)
    _set_change(change, th["dead_ends"], "dead_ends", {d["state"] for d in base.get("dead_ends", [])},
                {d["state"] for d in cur.get("dead_ends", [])}, "dead end")
    _set_change(change, th["broken_links"], "broken_links",
                {b["url"] for b in base.get("links", {}).get("broken", [])},
                {b["url"] for b in cur.get("links", {}).get("broken", [])}, "broken link")
    _set_change(change, th["prerequisites"], "prerequisites",
                {f"{p['kind']}: {p['detail']}" for p in base.get("prerequisites", [])},
                {f"{p['kind']}: {p['detail']}" for p in cur.get("prerequisites", [])}, "prerequisite")
    _known_defect_change(base.get("known_defect"), cur.get("known_defect"), change)


def _completion_changes(base: dict, cur: dict, th: dict, change) -> bool:
    """Report a change of outcome; True when either run did not pass (then nothing else is compared)."""
    b_ok, c_ok = base.get("outcome") == "passed", cur.get("outcome") == "passed"
    if b_ok == c_ok and c_ok:
        return False
    if b_ok and not c_ok:
        kind = "regression" if th["completion"].get("regress", True) else "note"
        change(kind, "completion", base.get("outcome"), cur.get("outcome"),
               f"passed in the baseline, {cur.get('outcome')} now; other metrics not compared")
    elif c_ok:
        change("improvement", "completion", base.get("outcome"), "passed", "passes now; metrics not compared")
    else:
        change("note", "completion", base.get("outcome"), cur.get("outcome"), "not passed; metrics not compared")
    return True


def _metric_changes(bt: dict, ct: dict, th: dict, change) -> None:
    for metric, bounds in th["metrics"].items():
        if metric not in ct or metric not in bt:
            continue
        verdict = _numeric(metric, bt[metric], ct[metric], bounds or {})
        if verdict:
            kind = verdict if (bounds or {}).get("gate", True) else "note"
            change(kind, metric, bt[metric], ct[metric], f"{_fmt(bt[metric])} -> {_fmt(ct[metric])}")


def _error_changes(be: dict[str, dict], ce: dict[str, dict], th: dict, change) -> None:
    new_grades = set(th["errors"].get("new_error_grades", []))
    for key, e in ce.items():
        g = e["verdict"]["grade"]
        quoted = f"{e.get('code') or ''} {e['text']}".strip()[:160]
        if key not in be:
            kind = "regression" if g in new_grades else "note"
            change(kind, "errors", None, g, f"new {g} error: {quoted!r}")
        else:
            bg = be[key]["verdict"]["grade"]
            if bg != g and th["errors"].get("worse_grade", True):
                kind = "regression" if grade_rank(g) > grade_rank(bg) else "improvement"
                change(kind, "errors", bg, g, f"message now {g} (was {bg}): {quoted!r}")
    for key, e in be.items():
        if key not in ce:
            g = e["verdict"]["grade"]
            change("improvement" if g != "good" else "note", "errors", g, None,
                   f"{g} error gone: {(e.get('code') or '') + ' ' + e['text']!r}"[:200])


def _a11y_changes(ba: dict[str, dict], ca: dict[str, dict], th: dict, change) -> None:
    gate = set(th["a11y"].get("new_violation_impacts", []))
    for key in ca.keys() - ba.keys():
        v = ca[key]
        change("regression" if v["impact"] in gate else "note", "a11y", None, v["impact"],
               f"new {v['impact']} violation {v['rule']} on {v['page']} ({', '.join(v['targets'])[:120]})")
    for key in ba.keys() - ca.keys():
        v = ba[key]
        change("improvement" if v["impact"] in gate else "note", "a11y", v["impact"], None,
               f"{v['impact']} violation {v['rule']} on {v['page']} fixed")


def _known_defect_change(bd: dict | None, cd: dict | None, change) -> None:
    if bd and cd and bd.get("present") and cd.get("present") is False:
        change("improvement", "known_defect", True, False, "known defect no longer reproduces (fixed?)")
    elif bd and cd and bd.get("present") is False and cd.get("present"):
        change("regression", "known_defect", False, True, "known defect is back")


def _set_change(change, cfg: dict, metric: str, before: set, after: set, label: str) -> None:
    for item in sorted(after - before):
        change("regression" if cfg.get("new", True) else "note", metric, None, item, f"new {label}: {item}")
    for item in sorted(before - after):
        change("improvement", metric, item, None, f"{label} gone: {item}")


def compare(run: dict, baseline: dict | None, thresholds: dict) -> Comparison:
    """Compare two metrics documents (``store.load_metrics``). No baseline: every scenario is 'added'."""
    out = Comparison(run=run.get("run", {}).get("run_id"),
                     baseline_run=(baseline or {}).get("run", {}).get("run_id"))
    cur = {s["scenario_id"]: s for s in run["scenarios"]}
    base = {s["scenario_id"]: s for s in (baseline or {}).get("scenarios", [])}
    out.added = sorted(cur.keys() - base.keys())
    out.removed = sorted(base.keys() - cur.keys())
    for sid in sorted(cur.keys() & base.keys()):
        compare_scenario(base[sid], cur[sid], thresholds, out)
    return out


__all__ = ["Change", "Comparison", "GRADES", "compare", "compare_scenario", "load_thresholds"]
