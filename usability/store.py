"""Runs on disk: one directory per run under ``reports/usability/runs/<run_id>/``, and the committed baseline.

Why one file per scenario first, merged at the end: under pytest-xdist every worker finishes its own scenarios;
writing ``scenarios/<id>.json`` atomically needs no locking, and the controller merges them into
``metrics.json`` once (``Run.finalize``). A rerun of a scenario overwrites its file, so the last attempt counts.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets as _secrets
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from .errors import GRADES
from .recorder import COST_CATEGORIES, IMPACTS, SCHEMA_VERSION

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_REPORTS_DIR = Path("reports/usability")
DEFAULT_BASELINE = PACKAGE_DIR / "baseline.json"
DEFAULT_THRESHOLDS = PACKAGE_DIR / "thresholds.yaml"
METRICS_FILE = "metrics.json"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_run_id(now: datetime | None = None) -> str:
    """Sortable by time, unique across parallel CI jobs: 20260105T093000Z-1a2b."""
    now = now or datetime.now(UTC)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + _secrets.token_hex(2)


def git_commit(cwd: Path | str = ".") -> str | None:
    """The checkout's commit (with '+dirty' when there are changes), or None outside git."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=5)
        if head.returncode != 0:
            return None
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=cwd,
                               capture_output=True, text=True, timeout=5)
        return head.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


def write_json(path: Path, data: dict) -> Path:
    """Atomic write (temp file + rename) so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
        fh.write("\n")
    os.replace(tmp, path)
    return path


def _scenario_file(scenario_id: str) -> str:
    slug = re.sub(r"[^A-Za-z0-9]+", "-", scenario_id)[-60:].strip("-")
    return f"{slug}-{hashlib.sha1(scenario_id.encode()).hexdigest()[:10]}.json"


class Run:
    """One run directory. Create with ``open_run``."""

    def __init__(self, path: Path, run_id: str) -> None:
        self.path = path
        self.run_id = run_id

    def add_scenario(self, metrics: dict) -> Path:
        """Store one scenario's ``ScenarioRecorder.finish`` result (safe from several processes)."""
        return write_json(self.path / "scenarios" / _scenario_file(metrics["scenario_id"]), metrics)

    def finalize(self, metadata: dict | None = None) -> Path:
        """Merge the scenario files into ``metrics.json`` with run metadata and totals; returns its path."""
        scenarios = [json.loads(p.read_text(encoding="utf-8")) for p in sorted((self.path / "scenarios").glob("*.json"))]
        return write_run(self.path, scenarios, metadata)


def open_run(reports_dir: Path | str = DEFAULT_REPORTS_DIR, run_id: str | None = None,
             metadata: dict | None = None) -> Run:
    """Create (or join, when ``run_id`` exists already, e.g. an xdist worker) a run directory.
    ``metadata``: card mode, portal mode, generation(s), anything the report should show."""
    run_id = run_id or new_run_id()
    path = Path(reports_dir) / "runs" / run_id
    meta_path = path / "run.json"
    if not meta_path.exists():
        meta = {"run_id": run_id, "started_at": now_iso(), "git_commit": git_commit()}
        meta.update(metadata or {})
        write_json(meta_path, meta)
    return Run(path, run_id)


def write_run(run_dir: Path | str, scenarios: list[dict], meta: dict | None = None) -> Path:
    """Write ``metrics.json`` for a run directory from scenario results already collected (the harness may write
    the per-scenario files itself). ``meta`` may use the short keys ``card`` and ``generation``."""
    run_dir = Path(run_dir)
    meta = dict(meta or {})
    if "card" in meta:
        meta.setdefault("card_mode", meta.pop("card"))
    if "generation" in meta:
        gen = meta.pop("generation")
        meta.setdefault("generations", [gen] if isinstance(gen, str) else list(gen or []))
    meta_path = run_dir / "run.json"
    base = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    base = {"run_id": run_dir.name, "started_at": None, "git_commit": git_commit()} | base | meta
    scenarios = sorted(scenarios, key=lambda s: s["scenario_id"])
    gens = set(base.get("generations") or [])
    gens |= {t for s in scenarios for t in s.get("tags", []) if t in ("ras", "rasens")}
    gens |= {s["context"]["generation"] for s in scenarios if (s.get("context") or {}).get("generation")}
    base.update(schema=SCHEMA_VERSION, finished_at=now_iso(), generations=sorted(gens), scenario_count=len(scenarios))
    return write_json(run_dir / METRICS_FILE, {"run": base, "scenarios": scenarios, "totals": run_totals(scenarios)})


def run_totals(scenarios: list[dict]) -> dict:
    """Sums over scenarios of the numbers the report charts."""
    keys = ("steps", "actions", "keystrokes", "page_views", "klm_seconds", "wait_seconds", "errors", "bare_errors",
            "dead_ends", "prerequisites", "offline_prerequisites", "a11y_violations", "broken_links")
    out: dict = {k: 0 for k in keys}
    out["errors_by_grade"] = dict.fromkeys(GRADES, 0)
    out["a11y_by_impact"] = dict.fromkeys(IMPACTS, 0)
    out["prerequisites_by_category"] = dict.fromkeys(COST_CATEGORIES, 0)
    for s in scenarios:
        t = s["totals"]
        for k in keys:
            out[k] += t.get(k, 0)
        for group in ("errors_by_grade", "a11y_by_impact", "prerequisites_by_category"):
            for k, v in t.get(group, {}).items():
                out[group][k] = out[group].get(k, 0) + v
    out["klm_seconds"] = round(out["klm_seconds"], 2)
    out["scenarios"] = len(scenarios)
    out["passed"] = sum(1 for s in scenarios if s.get("outcome") == "passed")
    return out


def list_runs(reports_dir: Path | str = DEFAULT_REPORTS_DIR) -> list[Path]:
    """Finished runs (those with metrics.json), oldest first (run ids sort by time)."""
    runs_dir = Path(reports_dir) / "runs"
    if not runs_dir.is_dir():
        return []
    return sorted(p for p in runs_dir.iterdir() if (p / METRICS_FILE).is_file())


def resolve_run(ref: str | Path | None, reports_dir: Path | str = DEFAULT_REPORTS_DIR) -> Path:
    """A run reference -> its metrics.json: None/'latest', a run id, a run directory or a metrics file."""
    if ref in (None, "", "latest"):
        runs = list_runs(reports_dir)
        if not runs:
            raise FileNotFoundError(f"no finished runs under {Path(reports_dir) / 'runs'}; run the suite first")
        return runs[-1] / METRICS_FILE
    p = Path(ref)
    for candidate in (p, p / METRICS_FILE, Path(reports_dir) / "runs" / str(ref) / METRICS_FILE):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"no run {str(ref)!r}: not a metrics file, a run directory, or a run id under "
                            f"{Path(reports_dir) / 'runs'}")


def load_metrics(path: Path | str) -> dict:
    """Read a run's (or the baseline's) metrics; a clear error when it is not one."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    if not isinstance(data, dict) or "scenarios" not in data:
        raise ValueError(f"{path}: not a usability metrics file (no 'scenarios' list)")
    return data


def write_baseline(metrics: dict, baseline_path: Path | str = DEFAULT_BASELINE) -> Path:
    """Accept a run as the new baseline. Stable JSON (sorted keys, sorted scenarios) so git diffs stay readable."""
    data = json.loads(json.dumps(metrics))
    data["scenarios"] = sorted(data["scenarios"], key=lambda s: s["scenario_id"])
    data.setdefault("run", {})["accepted_as_baseline_at"] = now_iso()
    return write_json(Path(baseline_path), data)


def merge_runs(run_dirs: list[Path | str], out_dir: Path | str, meta: dict | None = None) -> Path:
    """One run from the runs of several shards (each ran a disjoint part of the suite): their scenarios together,
    the totals recomputed over all of them — equal to one unsharded run's. A scenario found in two shards is an
    error (the shards overlapped, so the totals would count it twice)."""
    scenarios: list[dict] = []
    where: dict[str, Path] = {}
    runs = []
    for run_dir in map(Path, run_dirs):
        data = load_metrics(run_dir / METRICS_FILE if run_dir.is_dir() else run_dir)
        runs.append(data.get("run", {}))
        for scenario in data["scenarios"]:
            sid = scenario["scenario_id"]
            if sid in where:
                raise ValueError(f"scenario {sid!r} is in two shard runs ({where[sid]} and {run_dir}): the shards "
                                 "overlap; run each shard with the same --splits and a different --group")
            where[sid] = run_dir
            scenarios.append(scenario)
    first = runs[0] if runs else {}
    merged = {k: first[k] for k in ("card_mode", "portal_mode", "portal_settings", "started_at") if k in first}
    merged.update(merged_from=[r.get("run_id") for r in runs], shards=len(runs))
    merged.update(meta or {})
    return write_run(Path(out_dir), scenarios, merged)
