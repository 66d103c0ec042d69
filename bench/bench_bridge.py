"""Benchmark: what the real extension costs per scenario — the same scenarios with `--bridge=binding` and
`--bridge=extension`, serially, each scenario's time (setup + steps + teardown) from pytest's JUnit report.

Why: extension mode starts a persistent full Chromium per scenario and Chromium starts the native host (a Python
process) per browser, where binding mode opens a context in a shared browser. The difference decides which mode
`make e2e` uses by default. Measures and prints; asserts nothing. Writes reports/bench/bridge.json.
Usage: .venv/bin/python bench/bench_bridge.py [--repeat N] [-k EXPRESSION]
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
# The journey's card scenarios that the @extension feature mirrors (not the @extension ones: they always use it).
SCENARIOS = ("test_a_valid_card_passes_the_operation_check and valid- "
             "or test_a_resident_with_a_valid_my_number_card_registers_and_logs_in")


def run(bridge: str, expression: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        junit = Path(tmp) / "junit.xml"
        cmd = [sys.executable, "-m", "pytest", "features", "-q", "-p", "no:randomly", f"--bridge={bridge}",
               "-k", expression, f"--junitxml={junit}", "-o", "junit_duration_report=total"]
        env = {**os.environ, "RAS_E2E_REPORTS_DIR": str(Path(tmp) / "reports")}
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        cases = list(ET.parse(junit).getroot().iter("testcase")) if junit.exists() else []
    if proc.returncode != 0:
        print(proc.stdout[-3000:], file=sys.stderr)
        raise SystemExit(f"the {bridge} run failed (exit {proc.returncode}): measure only passing runs")
    return {c.get("name"): float(c.get("time", 0)) for c in cases}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs per mode (the median is reported)")
    parser.add_argument("-k", dest="expression", default=SCENARIOS, help="pytest -k expression of the scenarios")
    args = parser.parse_args()
    runs = {bridge: [run(bridge, args.expression) for _ in range(args.repeat)] for bridge in ("binding", "extension")}
    names = sorted(runs["binding"][0])
    rows = []
    print(f"{'scenario':<80} {'binding s':>9} {'extension s':>11} {'extra s':>8}")
    for name in names:
        binding = statistics.median(r[name] for r in runs["binding"])
        extension = statistics.median(r[name] for r in runs["extension"])
        rows.append({"scenario": name, "binding_s": round(binding, 2), "extension_s": round(extension, 2)})
        print(f"{name:<80} {binding:>9.2f} {extension:>11.2f} {extension - binding:>8.2f}")
    extra = statistics.median(r["extension_s"] - r["binding_s"] for r in rows)
    print(f"median extra per scenario in extension mode: {extra:.2f} s")
    out = ROOT / "reports" / "bench" / "bridge.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"measured_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "cpus": os.cpu_count(),
                               "repeat": args.repeat, "scenarios": rows, "median_extra_s": round(extra, 2)}, indent=1))
    print(f"written: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
