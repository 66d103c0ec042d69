"""`make mutants`: mutation testing of the journey suite against its own simulation.

Why: a scenario that cannot fail tells the reader the portal behaves in a way nobody checked. Each mutant in
`mutants/catalogue.yaml` is one plausible change the real system could make, or one plausible bug of the
simulation; the scenarios that claim to check that behaviour must fail when it is applied. A mutant is applied
through a portal setting (`--portal-setting NAME=VALUE`) where one exists, otherwise by exact search/replace
edits to a scratch copy of the repository (never the working tree). Only the covering scenarios run.

Verdicts: ``killed`` (a covering scenario failed), ``survived`` (all passed: an assertion is too loose or a
scenario is missing), ``error`` (the mutant could not be applied, selected no scenario, or pytest broke).
Score = killed / (killed + survived). Results go to `reports/mutants/` (JSON and Markdown).

A mutant of ``category: fact`` edits a fact itself where the simulation holds its only copy (a wording in
messages.yaml or the JPKI client's message table): it models "the real system changed its wording". The page and
the expectation both read that one source, so the simulation-backed suite cannot see it by construction; only a
comparison with the live system can (README, "Mutation testing"). Such mutants are not run and not scored; they are listed
apart as ``out-of-reach`` so nobody mistakes them for checked. A fact edit the suite *can* see (the feature file
quotes the wording, a second copy) stays an ordinary, scored mutant.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "mutants" / "catalogue.yaml"
OUT_DIR = ROOT / "reports" / "mutants"
# Not copied into the scratch tree: the environment is shared (read-only), reports and VCS are irrelevant.
_SKIP = (".venv", "node_modules", ".git", "reports", "__pycache__", ".pytest_cache", ".ruff_cache")
CARD_MODES = ("virtual-direct", "virtual")
CATEGORIES = ("behaviour", "fact")
OUT_OF_REACH = "out-of-reach"


class CatalogueError(ValueError):
    """The catalogue is malformed: the message names the mutant, the field and the fix."""


@dataclass(frozen=True)
class Edit:
    file: str
    search: str
    replace: str


@dataclass(frozen=True)
class Mutant:
    id: str
    description: str
    covers: dict  # {"paths": [...], "k": "...", "m": "..."}: what selects the covering scenarios
    settings: tuple[str, ...] = ()
    edits: tuple[Edit, ...] = ()
    card: str = "virtual-direct"
    note: str = ""  # for a known survivor: which assertion is too loose; for a fact mutant: why out of reach
    category: str = "behaviour"  # behaviour (run, scored) | fact (an edit of the fact's only copy: not run)


@dataclass
class Result:
    id: str
    verdict: str  # killed | survived | error | out-of-reach
    seconds: float
    killed_by: list[str] = field(default_factory=list)
    ran: int = 0
    detail: str = ""
    description: str = ""
    note: str = ""


def _mutant(raw: dict) -> Mutant:
    mid = raw.get("id") or "?"
    for key in ("id", "description", "covers"):
        if not raw.get(key):
            raise CatalogueError(f"mutant {mid}: '{key}' is missing; every mutant needs id, description, covers")
    covers = raw["covers"]
    if not isinstance(covers, dict) or not set(covers) <= {"paths", "k", "m"} or not covers:
        raise CatalogueError(f"mutant {mid}: 'covers' must be a mapping with paths/k/m, got {covers!r}")
    edits = tuple(Edit(**e) for e in raw.get("edits", ()))
    settings = tuple(raw.get("settings", ()))
    if not edits and not settings:
        raise CatalogueError(f"mutant {mid}: give 'settings' (NAME=VALUE) or 'edits' (file/search/replace)")
    card = raw.get("card", "virtual-direct")
    if card not in CARD_MODES:
        raise CatalogueError(f"mutant {mid}: card must be one of {CARD_MODES}, got {card!r}")
    category = raw.get("category", "behaviour")
    if category not in CATEGORIES:
        raise CatalogueError(f"mutant {mid}: category must be one of {CATEGORIES}, got {category!r}")
    note = (raw.get("note") or "").strip()
    if category == "fact" and not note:
        raise CatalogueError(f"mutant {mid}: a fact mutant needs a 'note' saying why the suite cannot see it")
    return Mutant(mid, raw["description"].strip(), covers, settings, edits, card, note, category)


def load_catalogue(path: Path = CATALOGUE) -> list[Mutant]:
    """The mutants of the catalogue, checked: unique ids, each with a way to apply it and what covers it."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    mutants = [_mutant(m) for m in data.get("mutants", [])]
    ids = [m.id for m in mutants]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise CatalogueError(f"{path}: duplicate mutant ids {dupes}; ids must be unique")
    return mutants


def check_applicable(mutant: Mutant, root: Path = ROOT) -> list[str]:
    """Problems that stop the mutant from applying to ``root`` (empty: it applies). Each search string must
    occur exactly once, so a mutant never silently edits the wrong place or nothing at all."""
    from portal_mock.settings import parse_override

    problems = []
    for item in mutant.settings:
        try:
            parse_override(item)
        except ValueError as exc:
            problems.append(str(exc))
    for e in mutant.edits:
        target = root / e.file
        if not target.is_file():
            problems.append(f"{e.file}: no such file")
            continue
        n = target.read_text(encoding="utf-8").count(e.search)
        if n != 1:
            problems.append(f"{e.file}: the search text occurs {n} times, expected once: {e.search[:60]!r}")
    return problems


def scratch_copy(dest: Path, root: Path = ROOT) -> Path:
    """A copy of the repository to mutate, without the virtual environment, reports and VCS."""
    shutil.copytree(root, dest, ignore=shutil.ignore_patterns(*_SKIP), symlinks=True)
    return dest


def apply_edits(mutant: Mutant, tree: Path) -> None:
    for e in mutant.edits:
        target = tree / e.file
        text = target.read_text(encoding="utf-8")
        if text.count(e.search) != 1:
            raise CatalogueError(f"mutant {mutant.id}: {e.file}: search text not found exactly once")
        target.write_text(text.replace(e.search, e.replace), encoding="utf-8")


def pytest_command(mutant: Mutant, junit: Path, python: str = sys.executable) -> list[str]:
    """The pytest run of the covering scenarios only; stops at the first failure (one killer is enough)."""
    cov = mutant.covers
    cmd = [python, "-m", "pytest", *(cov.get("paths") or ["features"]), "-q", "-x",
           f"--card={mutant.card}", f"--junitxml={junit}", "--tracing=off"]
    if cov.get("k"):
        cmd += ["-k", cov["k"]]
    if cov.get("m"):
        cmd += ["-m", cov["m"]]
    for item in mutant.settings:
        cmd += ["--portal-setting", item]
    return cmd


def _clean_env(tree: Path) -> dict:
    """The child's environment: its own reports directory and run id, nothing of an outer pytest or xdist."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTEST_", "RAS_E2E_RUN_ID", "RAS_E2E_REPORTS_DIR"))}
    env["RAS_E2E_REPORTS_DIR"] = str(tree / "reports")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _junit_failures(junit: Path) -> tuple[int, list[str]]:
    """Scenarios run, and those that failed an assertion or a step. An error in a fixture's set-up or tear-down
    is not a kill (the harness broke, not the scenario's check), so those count as not failed."""
    if not junit.is_file():
        return 0, []
    root = ET.parse(junit).getroot()
    cases = list(root.iter("testcase"))
    failed = [c.get("name", "?") for c in cases if c.find("failure") is not None]
    ran = sum(1 for c in cases if c.find("skipped") is None)
    return ran, failed


def run_mutant(mutant: Mutant, workdir: Path, root: Path = ROOT) -> Result:
    """Apply one mutant to a fresh scratch copy, run its covering scenarios there, and judge."""
    start = time.monotonic()
    res = Result(mutant.id, "error", 0.0, description=mutant.description, note=mutant.note)
    if mutant.category == "fact":
        res.verdict = OUT_OF_REACH
        return res
    tree = scratch_copy(workdir / mutant.id, root)
    try:
        apply_edits(mutant, tree)
        junit = tree / "reports" / "junit.xml"
        proc = subprocess.run(pytest_command(mutant, junit), cwd=tree, env=_clean_env(tree),
                              capture_output=True, text=True)
        res.ran, failed = _junit_failures(junit)
        if proc.returncode == 1 and failed:
            res.verdict, res.killed_by = "killed", failed
        elif proc.returncode == 0 and res.ran:
            res.verdict = "survived"
        else:
            tail = (proc.stdout + proc.stderr).strip().splitlines()[-3:]
            res.detail = f"pytest exit {proc.returncode}, {res.ran} scenario(s) ran: " + " | ".join(tail)
    except CatalogueError as exc:
        res.detail = str(exc)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    res.seconds = round(time.monotonic() - start, 1)
    return res


def score(results: list[Result]) -> float | None:
    judged = [r for r in results if r.verdict in ("killed", "survived")]
    return round(100.0 * sum(r.verdict == "killed" for r in judged) / len(judged), 1) if judged else None


def progress_line(i: int, n: int, r: Result) -> str:
    """One plain line per mutant: a bar of done/total, the verdict, the id, and the first killer."""
    width = 20
    done = int(width * i / n)
    bar = "#" * done + "." * (width - done)
    why = r.killed_by[0] if r.killed_by else (r.detail[:80] if r.verdict == "error" else "")
    return f"[{bar}] {i:>3}/{n} {r.verdict:<12} {r.id:<40} {r.seconds:>6.1f} s  {why}"


def markdown(results: list[Result]) -> str:
    s = score(results)
    killed = [r for r in results if r.verdict == "killed"]
    survived = [r for r in results if r.verdict == "survived"]
    errors = [r for r in results if r.verdict == "error"]
    facts = [r for r in results if r.verdict == OUT_OF_REACH]
    lines = [f"# Mutation score: {s if s is not None else '—'} %", "",
             f"{len(results)} mutants: {len(killed)} killed, {len(survived)} survived, {len(errors)} error(s); "
             f"{len(facts)} fact edit(s) out of the simulation's reach (not run, not scored).", ""]
    if survived:
        lines += ["## Survivors", "", "| mutant | what changed | why it survives |", "|---|---|---|"]
        lines += [f"| `{r.id}` | {_cell(r.description)} | {_cell(r.note or 'not explained yet')} |"
                  for r in survived]
        lines.append("")
    if errors:
        lines += ["## Errors (not counted in the score)", ""]
        lines += [f"- `{r.id}`: {_cell(r.detail)}" for r in errors]
        lines.append("")
    if facts:
        lines += ["## Out of the simulation's reach (fact edits: only a comparison with the live system sees them)", "",
                  "| mutant | what changed | why the suite cannot see it |", "|---|---|---|"]
        lines += [f"| `{r.id}` | {_cell(r.description)} | {_cell(r.note)} |" for r in facts]
        lines.append("")
    lines += ["## Killed", "", "| mutant | killed by |", "|---|---|"]
    lines += [f"| `{r.id}` | {_cell(', '.join(r.killed_by))} |" for r in killed]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_reports(results: list[Result], out_dir: Path = OUT_DIR) -> tuple[Path, Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {"score": score(results), "mutants": len(results),
            "killed": sum(r.verdict == "killed" for r in results),
            "survived": [r.id for r in results if r.verdict == "survived"],
            "errors": [r.id for r in results if r.verdict == "error"],
            "out_of_reach": [r.id for r in results if r.verdict == OUT_OF_REACH],
            "results": [asdict(r) for r in results]}
    jpath, mpath = out_dir / "mutants.json", out_dir / "mutants.md"
    jpath.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    mpath.write_text(markdown(results), encoding="utf-8")
    return jpath, mpath


def run_all(mutants: list[Mutant], root: Path = ROOT, echo=print) -> list[Result]:
    """Every mutant in turn (serially: the machine's cores belong to the scenarios), one progress line each."""
    results = []
    with tempfile.TemporaryDirectory(prefix="ras-e2e-mutants-") as tmp:
        for i, m in enumerate(mutants, 1):
            results.append(run_mutant(m, Path(tmp), root))
            echo(progress_line(i, len(mutants), results[-1]))
    return results


def select(mutants: list[Mutant], ids: list[str]) -> list[Mutant]:
    if not ids:
        return mutants
    known = {m.id: m for m in mutants}
    unknown = [i for i in ids if i not in known]
    if unknown:
        raise CatalogueError(f"unknown mutant id(s) {unknown}; the catalogue has: {', '.join(known)}")
    return [known[i] for i in ids]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="ras_e2e.mutants", description=__doc__.split("\n\n")[0])
    ap.add_argument("ids", nargs="*", help="mutant ids to run (default: the whole catalogue)")
    ap.add_argument("--catalogue", type=Path, default=CATALOGUE)
    ap.add_argument("--out", type=Path, default=OUT_DIR)
    ap.add_argument("--list", action="store_true", help="list the mutants and exit")
    args = ap.parse_args(argv)
    try:
        mutants = select(load_catalogue(args.catalogue), args.ids)
    except CatalogueError as exc:
        print(f"mutants: {exc}", file=sys.stderr)
        return 2
    if args.list:
        print("\n".join(f"{m.id}: {m.description}" for m in mutants))
        return 0
    print(f"mutation testing: {len(mutants)} mutant(s), covering scenarios only", flush=True)
    results = run_all(mutants, echo=lambda line: print(line, flush=True))
    jpath, mpath = write_reports(results, args.out)
    print("\n" + markdown(results).split("## Killed")[0].rstrip())
    print(f"\nreports: {mpath}  {jpath}")
    return 0 if not any(r.verdict == "error" for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
