"""`make e2e`: the journey suite on the virtual card and the portal simulation, then the reports.

Runs pytest on features/ with allure-pytest-bdd, builds the Allure 3 report (npm `allure`, no Java) and the
usability report (built by the pytest session itself), and prints where they are with a one-screen summary.
Extra arguments go to pytest (e.g. `make e2e PYTEST_ARGS="-k login"`).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = Path(os.environ.get("RAS_E2E_REPORTS_DIR", ROOT / "reports"))
RESULTS = REPORTS / "allure-results"
ALLURE_REPORT = REPORTS / "allure-report"
JUNIT = REPORTS / "junit-e2e.xml"


def run_suite(extra: list[str]) -> int:
    shutil.rmtree(RESULTS, ignore_errors=True)
    RESULTS.mkdir(parents=True)
    workers = [] if any(a.startswith("-n") for a in extra) else ["-n", "2"]
    cmd = [sys.executable, "-m", "pytest", "features", f"--alluredir={RESULTS}", f"--junitxml={JUNIT}",
           "-q", *workers, *extra]
    print("$", " ".join(cmd[2:]), flush=True)
    return subprocess.call(cmd, cwd=ROOT)


def build_allure() -> int:
    allure = ROOT / "node_modules" / ".bin" / "allure"
    if not allure.exists():
        print("Allure 3 is not installed: run `make setup`", file=sys.stderr)
        return 1
    shutil.rmtree(ALLURE_REPORT, ignore_errors=True)
    proc = subprocess.run([str(allure), "generate", str(RESULTS), "-o", str(ALLURE_REPORT), "-c", "allurerc.mjs"],
                          cwd=REPORTS, capture_output=True, text=True)
    if proc.returncode != 0 or not (ALLURE_REPORT / "index.html").exists():
        print(proc.stdout[-2000:], proc.stderr[-2000:], sep="\n", file=sys.stderr)
        return proc.returncode or 1
    return 0


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


def summary(elapsed: float, bridge: str = "binding") -> str:
    lines = ["", "=" * 72, "ras-e2e: journey suite on the virtual card (pcscd+vpcd) and the portal simulation",
             f"page to card: {BRIDGES.get(bridge, bridge)}"]
    if JUNIT.exists():
        suite = ET.parse(JUNIT).getroot()
        suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
        total, failures = int(suite.get("tests", 0)), int(suite.get("failures", 0)) + int(suite.get("errors", 0))
        skipped = int(suite.get("skipped", 0))
        lines.append(f"scenarios: {total}  passed: {total - failures - skipped}  failed: {failures}  "
                     f"skipped: {skipped}  wall time: {elapsed:.1f} s")
    lines.append(f"Allure report:     {ALLURE_REPORT / 'index.html'}   (open: npx allure open {ALLURE_REPORT})")
    usability = REPORTS / "usability"
    lines.append(f"Usability report:  {usability / 'index.html'}")
    md = usability / "summary.md"
    if md.exists():
        lines += ["", *md.read_text().splitlines()[:25]]
    lines.append("=" * 72)
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    os.environ.setdefault("RAS_E2E_RUN_ID", time.strftime("%Y%m%dT%H%M%S"))
    start = time.monotonic()
    rc = run_suite(argv)
    allure_rc = build_allure()
    print(summary(time.monotonic() - start, bridge_of(argv)))
    return rc or allure_rc


if __name__ == "__main__":
    sys.exit(main())
