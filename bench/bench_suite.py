"""Benchmark: the journey suite's wall time serial and with `-n 2`, and the median time per scenario.

Measures and prints; asserts nothing (a benchmark is not a test). Writes reports/bench/suite.json.
Usage: .venv/bin/python bench/bench_suite.py [--workers 1 2] [-- extra pytest args]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(workers: int, extra: list[str]) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        cmd = [sys.executable, "-m", "pytest", "features", "-q", f"--junitxml={junit}", *extra]
        if workers > 1:
            cmd += ["-n", str(workers)]
        env = {**os.environ, "RAS_E2E_REPORTS_DIR": str(Path(tmp) / "reports")}
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        wall = time.perf_counter() - start
        cases = list(ET.parse(junit).getroot().iter("testcase")) if junit.exists() else []
    durations = [float(c.get("time", 0)) for c in cases]
    failed = sum(1 for c in cases if c.find("failure") is not None or c.find("error") is not None)
    return {
        "workers": workers, "wall_s": round(wall, 1), "scenarios": len(cases), "failed": failed,
        "median_scenario_s": round(statistics.median(durations), 2) if durations else None,
        "p90_scenario_s": round(sorted(durations)[int(0.9 * (len(durations) - 1))], 2) if durations else None,
        "exit_code": proc.returncode,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args, extra = parser.parse_known_args()
    extra = [a for a in extra if a != "--"]
    results = [run(n, extra) for n in args.workers]
    print(f"{'workers':>7} {'wall s':>8} {'scenarios':>9} {'failed':>6} {'median s':>9} {'p90 s':>6}")
    for r in results:
        print(f"{r['workers']:>7} {r['wall_s']:>8} {r['scenarios']:>9} {r['failed']:>6} "
              f"{r['median_scenario_s']:>9} {r['p90_scenario_s']:>6}")
    out = ROOT / "reports" / "bench" / "suite.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "cpus": os.cpu_count(),
                               "runs": results}, indent=1))
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
