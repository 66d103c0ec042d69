"""`make e2e`: the journey suite on the virtual card and the portal simulation, then the reports.

Runs pytest on features/ with allure-pytest-bdd, builds the Allure 3 report (npm `allure`, no Java) and the
usability report (built by the pytest session itself), and prints where they are with a one-screen summary.
Extra arguments go to pytest (e.g. `make e2e PYTEST_ARGS="-k login"`).

Past one machine: `--shard i/N` runs the i-th of N parts of the suite, split by the recorded durations
(pytest-split, least_duration, `features/durations.json`), into its own folder `reports/shards/i-of-N/` (Allure
results, JUnit, usability run, executor label). `report [FOLDER…]` merges any number of shard folders into one
Allure report and one usability report whose totals are those of one unsharded run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(os.environ.get("RAS_E2E_REPORTS_DIR", ROOT / "reports"))
RESULTS = REPORTS / "allure-results"
ALLURE_REPORT = REPORTS / "allure-report"
DURATIONS = ROOT / "features" / "durations.json"


# ---------------------------------------------------------------- workers and shards


def default_workers(cpus: int | None = None) -> int:
    """Serial on two cores: on an otherwise idle 2-core machine `-n 2` was no faster (102 s vs 104 s) and
    bench_suite measures it at 8 % more CPU and twice the memory (two Chromiums and two pytest processes share two
    cores); on a shared machine it wins wall time only by taking a larger share of the machine. Beyond that, a worker per two cores (a worker is
    pytest + the Playwright driver + Chromium's processes), at most 4 (the vpcd slots of one pcscd)."""
    cpus = cpus or os.cpu_count() or 1
    return 1 if cpus <= 2 else min(cpus // 2, 4)


def parse_shard(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text or "")
    if not match or not 1 <= int(match.group(1)) <= int(match.group(2)):
        raise ValueError(f"SHARD={text!r}: expected i/N with 1 <= i <= N, e.g. SHARD=1/2")
    return int(match.group(1)), int(match.group(2))


def shard_dir(index: int, count: int, reports: Path | None = None) -> Path:
    return (reports or REPORTS) / "shards" / f"{index}-of-{count}"


def shard_args(index: int, count: int, durations: Path = DURATIONS) -> list[str]:
    """pytest-split's options for one shard: least_duration balances by the committed durations (a scenario
    not in the file counts as the average)."""
    return ["--splits", str(count), "--group", str(index), "--splitting-algorithm", "least_duration",
            "--durations-path", str(durations)]


def pytest_command(extra: list[str], results: Path, junit: Path, paths: tuple[str, ...] = ("features",)) -> list[str]:
    workers = [] if any(a.startswith("-n") for a in extra) else _worker_args(default_workers())
    return [sys.executable, "-m", "pytest", *paths, f"--alluredir={results}", f"--junitxml={junit}", "-q",
            *workers, *extra]


def _worker_args(workers: int) -> list[str]:
    return ["-n", str(workers)] if workers > 1 else ["-p", "no:xdist"]


def run_suite(extra: list[str], reports: Path = REPORTS) -> int:
    results = reports / "allure-results"
    shutil.rmtree(results, ignore_errors=True)
    results.mkdir(parents=True)
    cmd = pytest_command(extra, results, reports / "junit-e2e.xml")
    print("$", " ".join(cmd[2:]), flush=True)
    return run_forwarding_signals(lambda: subprocess.Popen(cmd, cwd=ROOT, start_new_session=True,
                                                           env={**os.environ, "RAS_E2E_REPORTS_DIR": str(reports)},
                                                           preexec_fn=default_sigint))


def default_sigint() -> None:
    """In the child before exec: SIGINT back to its default, so Python turns it into KeyboardInterrupt. A job
    started in the background by a shell (`make e2e &`, CI runners) inherits SIGINT ignored, and pytest would
    then never stop when told to."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run_forwarding_signals(start) -> int:
    """Start pytest (`start()` returns its Popen) and wait for it, passing Ctrl-C or SIGTERM on to it as one SIGINT
    to its whole process group (controller, xdist workers, Playwright), as a terminal does to a foreground job —
    then wait for its teardown to finish.

    Why not `subprocess.call`: on Ctrl-C it kills pytest after 0.25 s, cutting the teardown that stops pcscd and
    Chromium, removes the temp directories and scrubs the traces. pytest runs in its own session so that a
    terminal's Ctrl-C reaches it once, through here; later signals are not passed on (a second SIGINT would
    interrupt the teardown itself). The handlers are in place before pytest starts: no signal is lost."""
    forwarded: list[int] = []
    proc = None

    def interrupt() -> None:
        try:
            os.killpg(proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass

    def forward(signum, _frame) -> None:
        if not forwarded:
            forwarded.append(signum)
            print(f"\nras-e2e: {signal.Signals(signum).name}: stopping the suite, waiting for its teardown", flush=True)
            if proc is not None:
                interrupt()

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        proc = start()
        if forwarded:  # the signal came while pytest was starting
            interrupt()
        rc = proc.wait()
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    return 128 + forwarded[0] if forwarded else rc


# ---------------------------------------------------------------- reports


def build_allure(results: Path = RESULTS, report: Path = ALLURE_REPORT) -> int:
    allure = ROOT / "node_modules" / ".bin" / "allure"
    if not allure.exists():
        print("Allure 3 is not installed: run `make setup`", file=sys.stderr)
        return 1
    shutil.rmtree(report, ignore_errors=True)
    proc = subprocess.run([str(allure), "generate", str(results), "-o", str(report), "-c",
                           str(ROOT / "reports" / "allurerc.mjs")],
                          cwd=report.parent, capture_output=True, text=True)  # history.jsonl beside the report
    if proc.returncode != 0 or not (report / "index.html").exists():
        print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n", file=sys.stderr)
        return proc.returncode or 1
    return 0


def merge_allure_results(shards: list[Path], out: Path) -> None:
    """Every shard's result files side by side (their names are UUIDs), one environment and one executor."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    environments: dict[str, list[str]] = {}
    for shard in shards:
        for item in (shard / "allure-results").iterdir():
            if item.name == "environment.properties":
                for line in item.read_text().splitlines():
                    key, _, value = line.partition("=")
                    environments.setdefault(key, [])
                    if value not in environments[key]:
                        environments[key].append(value)
            elif item.name != "executor.json" and item.is_file():
                shutil.copy(item, out / item.name)
    environments["shards"] = [", ".join(s.name for s in shards)]
    (out / "environment.properties").write_text(
        "\n".join(f"{k}={' | '.join(v)}" for k, v in environments.items()) + "\n")
    (out / "executor.json").write_text(json.dumps({
        "name": f"{len(shards)} shards", "type": "ras-e2e", "buildName": os.environ.get("RAS_E2E_RUN_ID", ""),
        "reportName": "ras-e2e journey (merged shards)"}))


def merge_usability(shards: list[Path], reports: Path = REPORTS) -> Path:
    """The shards' usability runs as one run under reports/usability/runs/, and its report."""
    from usability.report import build
    from usability.store import list_runs, merge_runs

    runs = []
    for shard in shards:
        finished = list_runs(shard / "usability")
        if not finished:
            raise FileNotFoundError(f"{shard}: no usability run (did the shard run?)")
        runs.append(finished[-1])
    usability = reports / "usability"
    run_id = os.environ.get("RAS_E2E_RUN_ID") or time.strftime("%Y%m%dT%H%M%S")
    merged = merge_runs(runs, usability / "runs" / f"{run_id}-merged")
    build(merged.parent, ROOT / "usability" / "baseline.json", usability / "runs", usability,
          ROOT / "usability" / "thresholds.yaml")
    return merged


def merge_junit(shards: list[Path], out: Path) -> None:
    suite = ET.Element("testsuite", name="ras-e2e (merged shards)")
    totals = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for shard in shards:
        root = ET.parse(shard / "junit-e2e.xml").getroot()
        part = root if root.tag == "testsuite" else root.find("testsuite")
        for key in totals:
            totals[key] += int(part.get(key, 0))
        suite.extend(part.findall("testcase"))
    for key, value in totals.items():
        suite.set(key, str(value))
    ET.ElementTree(suite).write(out, encoding="unicode")


def report(folders: list[str], reports: Path = REPORTS, html: bool = True) -> int:
    """`make report`: merge shard folders (default: every folder under reports/shards/). ``html=False`` stops
    at the merged Allure results (what the Allure HTML is generated from)."""
    shards = sorted(Path(f) for f in folders) if folders else sorted((reports / "shards").glob("*-of-*"))
    missing = [str(s) for s in shards if not (s / "allure-results").is_dir()]
    if not shards or missing:
        print(f"nothing to merge: {missing or reports / 'shards'} holds no shard results "
              "(run `make e2e SHARD=i/N` first, or name the shard folders)", file=sys.stderr)
        return 2
    merge_allure_results(shards, reports / "allure-results")
    merge_junit(shards, reports / "junit-e2e.xml")
    merge_usability(shards, reports)
    rc = build_allure(reports / "allure-results", reports / "allure-report") if html else 0
    print(summary(0.0, reports, title=f"ras-e2e: {len(shards)} shards merged ({', '.join(s.name for s in shards)})"))
    return rc


def bridge_of(argv: list[str]) -> str:
    """The --bridge this run used (pytest's default is the binding)."""
    for i, arg in enumerate(argv):
        if arg.startswith("--bridge="):
            return arg.split("=", 1)[1]
        if arg == "--bridge" and i + 1 < len(argv):
            return argv[i + 1]
    return "binding"


BRIDGES = {
    "binding": "Playwright binding (scenarios tagged @extension: the real extension + native host)",
    "extension": "the real MV3 test extension + the JPKI client as native-messaging host, every scenario",
}


def summary(elapsed: float, reports: Path = REPORTS, title: str | None = None, bridge: str = "binding") -> str:
    from wiring.chromium import spec

    junit, allure_report, usability = reports / "junit-e2e.xml", reports / "allure-report", reports / "usability"
    lines = ["", "=" * 72, title or "ras-e2e: journey suite on the virtual card (pcscd+vpcd) and the portal simulation",
             f"page to card: {BRIDGES.get(bridge, bridge)}"]
    try:  # the extension needs full Chromium; everything else runs on the headless shell
        lines.append(f"browser: {spec('extension' if bridge == 'extension' else 'headless').describe()}")
    except FileNotFoundError as exc:
        lines.append(f"browser: {exc}")
    if junit.exists():
        suite = ET.parse(junit).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        total, failures = int(suite.get("tests", 0)), int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        wall = f"  wall time: {elapsed:.1f} s" if elapsed else ""
        lines.append(f"scenarios: {total}  passed: {total - failures - skipped}  failed: {failures}  "
                     f"skipped: {skipped}{wall}")
    lines += worker_memory_lines(reports)
    lines.append(f"Allure report:     {allure_report / 'index.html'}   (open: npx allure open {allure_report})")
    lines.append(f"Usability report:  {usability / 'index.html'}")
    md = usability / "summary.md"
    if md.exists():
        lines += ["", *md.read_text().splitlines()[:25]]
    lines.append("=" * 72)
    return "\n".join(lines)


def worker_memory_lines(reports: Path) -> list[str]:
    """Each worker's peak memory (fixtures/workers.py writes one file per worker)."""
    files = sorted((reports / "workers").glob("*.json"))
    if not files:
        return []
    peaks = [json.loads(f.read_text()) for f in files]
    return ["peak memory per worker (pytest + Playwright driver + Chromium, PSS): " + ", ".join(
        f"{p['worker']} {p['peak_mb']:.0f} MB" for p in peaks)]


# ---------------------------------------------------------------- the command


def _split_shard(argv: list[str]) -> tuple[tuple[int, int] | None, list[str]]:
    shard, rest, args = os.environ.get("SHARD") or None, [], iter(argv)
    for arg in args:
        if arg == "--shard":
            shard = next(args, "")
        elif arg.startswith("--shard="):
            shard = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    return (parse_shard(shard) if shard else None), rest


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["report"]:
        return report(argv[1:])
    try:
        shard, extra = _split_shard(argv)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    os.environ.setdefault("RAS_E2E_RUN_ID", time.strftime("%Y%m%dT%H%M%S"))
    reports = REPORTS
    if shard:
        reports = shard_dir(*shard)
        os.environ["RAS_E2E_SHARD"] = f"{shard[0]}/{shard[1]}"
        extra = [*shard_args(*shard), *extra]
    shutil.rmtree(reports / "workers", ignore_errors=True)
    start = time.monotonic()
    rc = run_suite(extra, reports)
    if rc > 128:  # interrupted: the scenarios' own teardown has run; no report of a run cut short
        return rc
    allure_rc = build_allure(reports / "allure-results", reports / "allure-report")
    print(summary(time.monotonic() - start, reports,
                  title=f"ras-e2e: shard {shard[0]}/{shard[1]} ({reports})" if shard else None, bridge=bridge_of(extra)))
    return rc or allure_rc


if __name__ == "__main__":
    sys.exit(main())
