"""Benchmark: the journey suite side by side in ONE invocation — serially with each Chromium binary, with `-n 2`,
and as 2 concurrent shards plus their merge — so a shared, loaded machine slows every variant alike.

Per variant: wall time, CPU seconds of the whole process tree (pytest, the Playwright driver, Chromium's
processes; sampled from /proc, so comparable on a loaded machine where wall time is not), scenarios, failures,
median and p90 per scenario. Writes reports/bench/suite.json and reports/bench/suite.png. Measures; asserts nothing.
Usage: .venv/bin/python bench/bench_suite.py [--only serial-shell ...] [-- extra pytest args]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "reports" / "bench"
BINARIES = {"shell": "/usr/bin/chromium-headless-shell", "chromium": "/usr/bin/chromium"}


class TreeCpu:
    """CPU seconds used by this process's descendants, read from /proc every 0.2 s (the last reading of each
    process counts; children that live less than a sampling interval are missed, which is small here)."""

    def __init__(self) -> None:
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._tck = os.sysconf("SC_CLK_TCK")
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> TreeCpu:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        return round(sum(self.cpu.values()), 1)

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            stats = {}
            for name in filter(str.isdigit, os.listdir("/proc")):
                try:
                    stat = Path(f"/proc/{name}/stat").read_text()
                except OSError:
                    continue
                fields = stat[stat.rindex(")") + 2:].split()
                stats[int(name)] = (int(fields[1]), (int(fields[11]) + int(fields[12])) / self._tck)
            mine, grew = {os.getpid()}, True
            while grew:
                new = {p for p, (pp, _) in stats.items() if pp in mine and p not in mine}
                mine |= new
                grew = bool(new)
            for pid in mine - {os.getpid()}:
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), stats[pid][1])


def junit_stats(junit: Path) -> dict:
    cases = list(ET.parse(junit).getroot().iter("testcase")) if junit.exists() else []
    durations = sorted(float(c.get("time", 0)) for c in cases)
    failed = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
    return {"scenarios": len(cases), "failed": failed,
            "median_scenario_s": round(statistics.median(durations), 2) if durations else None,
            "p90_scenario_s": round(durations[int(0.9 * (len(durations) - 1))], 2) if durations else None}


def pytest_cmd(reports: Path, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", "features", "-q", f"--junitxml={reports / 'junit-e2e.xml'}",
            f"--alluredir={reports / 'allure-results'}", *extra]


def env_for(reports: Path, binary: str, slot: int = 0, shard: str = "") -> dict:
    return {**os.environ, "RAS_E2E_REPORTS_DIR": str(reports), "RAS_E2E_CHROMIUM": BINARIES[binary],
            "RAS_E2E_VPCD_SLOT": str(slot), "RAS_E2E_SHARD": shard, "RAS_E2E_RUN_ID": "bench"}


def run_one(name: str, binary: str, workers: int, extra: list[str], tmp: Path) -> dict:
    reports = tmp / name
    args = ["-n", str(workers)] if workers > 1 else ["-p", "no:xdist"]
    start = time.perf_counter()
    with TreeCpu() as cpu:
        proc = subprocess.run(pytest_cmd(reports, [*args, *extra]), cwd=ROOT, env=env_for(reports, binary),
                              capture_output=True, text=True)
    return {"variant": name, "binary": BINARIES[binary], "workers": workers,
            "wall_s": round(time.perf_counter() - start, 1), "cpu_s": cpu.seconds, "exit_code": proc.returncode,
            **junit_stats(reports / "junit-e2e.xml"), **_peaks(reports)}


def run_shards(extra: list[str], tmp: Path, count: int = 2) -> dict:
    """`count` shards at the same time (one pcscd, slot i-1 each), then `make report`'s merge."""
    from ras_e2e import e2e

    merged = tmp / "shards"
    start = time.perf_counter()
    with TreeCpu() as cpu:
        procs = []
        for i in range(1, count + 1):
            reports = e2e.shard_dir(i, count, merged)
            cmd = pytest_cmd(reports, ["-p", "no:xdist", *e2e.shard_args(i, count), *extra])
            procs.append(subprocess.Popen(cmd, cwd=ROOT, env=env_for(reports, "shell", i - 1, f"{i}/{count}"),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        codes = [p.wait() for p in procs]
        shards_done = time.perf_counter() - start
        merge_rc = e2e.report([str(e2e.shard_dir(i, count, merged)) for i in range(1, count + 1)], reports=merged)
    return {"variant": f"{count} concurrent shards + merge", "binary": BINARIES["shell"], "workers": 1,
            "wall_s": round(time.perf_counter() - start, 1), "shards_wall_s": round(shards_done, 1),
            "cpu_s": cpu.seconds, "exit_code": max(codes + [merge_rc]), **junit_stats(merged / "junit-e2e.xml"),
            "shard_scenarios": [junit_stats(e2e.shard_dir(i, count, merged) / "junit-e2e.xml")["scenarios"]
                                for i in range(1, count + 1)]}


def _peaks(reports: Path) -> dict:
    files = sorted((reports / "workers").glob("*.json"))
    return {"peak_mb_per_worker": [json.loads(f.read_text())["peak_mb"] for f in files]}


VARIANTS = {
    "serial-chromium": lambda extra, tmp: run_one("serial-chromium", "chromium", 1, extra, tmp),
    "serial-shell": lambda extra, tmp: run_one("serial-shell", "shell", 1, extra, tmp),
    "n2-shell": lambda extra, tmp: run_one("n2-shell", "shell", 2, extra, tmp),
    "shards-2": lambda extra, tmp: run_shards(extra, tmp),
}


def chart(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [r["variant"] for r in results]
    fig, ax = plt.subplots(figsize=(7, 3))
    y = range(len(names))
    ax.barh([i + 0.2 for i in y], [r["wall_s"] for r in results], height=0.4, label="wall s")
    ax.barh([i - 0.2 for i in y], [r["cpu_s"] for r in results], height=0.4, label="CPU s (process tree)")
    ax.set_yticks(list(y), names)
    ax.invert_yaxis()
    ax.legend(loc="lower right")
    ax.set_title(f"journey suite, {os.cpu_count()} cores, one invocation")
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", choices=list(VARIANTS), default=list(VARIANTS))
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    from pcsc_stack import start_or_reuse

    stack = start_or_reuse()  # one pcscd for every variant (the concurrent shards share it on separate slots)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            results = [VARIANTS[name](extra, Path(tmp)) for name in args.only]
    finally:
        stack.stop()
    base = next((r for r in results if r["variant"] == "serial-chromium"), None)
    print(f"{'variant':>28} {'wall s':>7} {'CPU s':>6} {'vs chromium':>11} {'scen':>5} {'fail':>4} {'median':>6}")
    for r in results:
        ratio = f"{r['wall_s'] / base['wall_s']:.2f}" if base else "-"
        print(f"{r['variant']:>28} {r['wall_s']:>7} {r['cpu_s']:>6} {ratio:>11} {r['scenarios']:>5} "
              f"{r['failed']:>4} {r['median_scenario_s']!s:>6}")
    OUT.mkdir(parents=True, exist_ok=True)
    machine = {"cpus": os.cpu_count(), "machine": platform.machine(), "load_avg_at_end": os.getloadavg(),
               "python": platform.python_version()}
    (OUT / "suite.json").write_text(json.dumps({"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"), **machine,
                                                "runs": results}, indent=1))
    chart(results, OUT / "suite.png")
    print(f"written: {OUT / 'suite.json'}, {OUT / 'suite.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
