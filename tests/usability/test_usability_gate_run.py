"""The gate on a real run: a change to the portal simulation that costs a person time fails `--usability-gate`.

The what-if is a portal setting changed from the command line: the regional bureau takes three hours instead of
one to change an e-mail address. The first-hand story then waits an hour longer for its mails, and the committed
baseline must see that as a regression. The same scenarios without the change must pass the gate, or the
failure would prove nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.pcscd, pytest.mark.browser]


def run(tmp_path: Path, *extra: str) -> tuple[int, str, str]:
    reports = tmp_path / "reports"
    # Slot 7: the other packages of one `pytest tests` run hold slots 0-6 of the shared pcscd.
    env = {**os.environ, "RAS_E2E_REPORTS_DIR": str(reports), "RAS_E2E_RUN_ID": "gate", "RAS_E2E_VPCD_SLOT": "7"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "features", "-q", "-k", "whole_story", "--usability-gate", *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    summary = reports / "usability" / "summary.md"
    return proc.returncode, proc.stdout + proc.stderr, summary.read_text() if summary.exists() else ""


def test_a_slower_bureau_fails_the_gate(tmp_path):
    code, output, summary = run(tmp_path, "--portal-setting", "bureau_change_delay_seconds=10800")
    assert "1 passed" in output, output[-3000:]  # the journey still works: only its cost changed
    assert code == 1 and "usability gate: FAILED" in output, output[-3000:]
    assert "whole story" in summary and "wait_seconds" in summary, summary
    assert "bureau_change_delay_seconds=10800" in summary  # the report says this was a what-if


def test_the_same_scenario_unchanged_passes_the_gate(tmp_path):
    code, output, summary = run(tmp_path)
    assert code == 0, output[-3000:] + summary
    assert "0 regression(s)" in summary


def test_a_misspelt_setting_stops_the_run_and_lists_the_settings(tmp_path):
    code, output, _ = run(tmp_path, "--portal-setting", "bureau_delay=1")
    assert code == 4  # pytest's usage error: nothing ran
    assert "'bureau_delay' does not exist" in output and "bureau_change_delay_seconds" in output
