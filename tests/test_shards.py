"""Two shards of the journey, run at the same time on one machine (one pcscd, separate vpcd slots), merged by
`make report`'s code: the same scenarios, outcomes and usability totals as one unsharded run of the same slice.

Kept cheap: two short scenarios (one reads the card through pcscd), one per shard by a durations file; the merged
Allure results are compared, not rendered (rendering is Allure's own job, done by `make report`).
"""

from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from ras_e2e import e2e

ROOT = Path(__file__).resolve().parent.parent
SLICE = {  # scenario -> recorded duration (s): least_duration puts one in each shard
    "features/test_scenarios.py::test_a_smartphone_cannot_use_the_portal": 2.0,
    "features/test_scenarios.py::test_the_published_checklist_is_met_by_a_prepared_resident": 1.0,
}
pytestmark = [pytest.mark.pcscd, pytest.mark.browser]


def start(reports: Path, slot: int, *args: str, shard: str = "") -> subprocess.Popen:
    # Slots 6 and 7: the other test packages of the same run hold slots 0-5 of the shared pcscd.
    env = {**os.environ, "RAS_E2E_REPORTS_DIR": str(reports), "RAS_E2E_RUN_ID": "shards",
           "RAS_E2E_VPCD_SLOT": str(slot), "RAS_E2E_SHARD": shard}
    cmd = e2e.pytest_command(["-p", "no:xdist", *args], reports / "allure-results", reports / "junit-e2e.xml",
                             paths=tuple(SLICE))
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def outcomes(junit: Path) -> dict[str, str]:
    out = {}
    for case in ET.parse(junit).getroot().iter("testcase"):
        state = next((c.tag for c in case if c.tag in ("failure", "error", "skipped")), "passed")
        out[f"{case.get('classname')}::{case.get('name')}"] = state
    return out


def usability_totals(reports: Path) -> tuple[list[str], dict]:
    from usability.store import list_runs, load_metrics

    data = load_metrics(list_runs(reports / "usability")[-1] / "metrics.json")
    return [s["scenario_id"] for s in data["scenarios"]], data["totals"]


def finish(proc: subprocess.Popen) -> str:
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0, out[-3000:]
    return out


def test_two_concurrent_shards_merge_into_the_unsharded_run(tmp_path):
    durations = tmp_path / "durations.json"
    durations.write_text(json.dumps(SLICE))
    shards = [e2e.shard_dir(i, 2, tmp_path / "merged") for i in (1, 2)]
    running = [start(shards[i - 1], 5 + i, *e2e.shard_args(i, 2, durations), shard=f"{i}/2") for i in (1, 2)]
    for proc in running:  # both started before either is waited for: they run side by side
        finish(proc)
    split = [set(outcomes(s / "junit-e2e.xml")) for s in shards]
    assert len(split[0]) == len(split[1]) == 1 and split[0] != split[1], f"the shards did not split the slice: {split}"

    whole = tmp_path / "whole"
    finish(start(whole, 6))
    assert e2e.report([str(s) for s in shards], reports=tmp_path / "merged", html=False) == 0

    merged = tmp_path / "merged"
    assert outcomes(merged / "junit-e2e.xml") == outcomes(whole / "junit-e2e.xml")
    assert usability_totals(merged) == usability_totals(whole)
    results = [json.loads(p.read_text()) for p in (merged / "allure-results").glob("*-result.json")]
    assert sorted(r["fullName"] for r in results) == sorted(
        json.loads(p.read_text())["fullName"] for p in (whole / "allure-results").glob("*-result.json"))
    environment = (merged / "allure-results" / "environment.properties").read_text()
    assert "shard=1/2 | 2/2" in environment, environment
