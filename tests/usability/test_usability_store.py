"""Runs on disk: per-scenario files from several workers merge into one metrics.json; runs resolve by id."""

import json

import pytest

from tests.usability.builders import make_scenario
from usability import store


def test_workers_write_scenarios_and_the_controller_merges(tmp_path):
    run = store.open_run(tmp_path, run_id="20260105T090000Z-0001", metadata={"card_mode": "virtual"})
    worker = store.open_run(tmp_path, run_id=run.run_id)  # joins, keeps the first metadata
    run.add_scenario(make_scenario(sid="b", tags=["rasens"]))
    worker.add_scenario(make_scenario(sid="a", steps=5))
    worker.add_scenario(make_scenario(sid="a", steps=6))  # a rerun: the last attempt counts
    path = run.finalize({"portal_mode": "mock"})
    data = json.loads(path.read_text())
    assert path == tmp_path / "runs" / run.run_id / "metrics.json"
    assert [s["scenario_id"] for s in data["scenarios"]] == ["a", "b"]
    assert data["scenarios"][0]["totals"]["steps"] == 6
    assert data["run"]["card_mode"] == "virtual" and data["run"]["portal_mode"] == "mock"
    assert data["run"]["generations"] == ["rasens"]
    assert data["totals"]["scenarios"] == 2 and data["totals"]["steps"] == 9


def test_write_run_accepts_the_harness_short_keys(tmp_path):
    run_dir = tmp_path / "runs" / "20260105T100000"
    path = store.write_run(run_dir, [make_scenario()], meta={"card": "virtual", "generation": "ras"})
    run = json.loads(path.read_text())["run"]
    assert run["run_id"] == "20260105T100000" and run["card_mode"] == "virtual" and run["generations"] == ["ras"]


def test_resolve_latest_id_directory_and_file(tmp_path):
    for rid in ("20260101T000000Z-aaaa", "20260102T000000Z-bbbb"):
        store.write_run(tmp_path / "runs" / rid, [make_scenario()])
    latest = store.resolve_run(None, tmp_path)
    assert latest.parent.name == "20260102T000000Z-bbbb"
    assert store.resolve_run("20260101T000000Z-aaaa", tmp_path).parent.name == "20260101T000000Z-aaaa"
    assert store.resolve_run(latest.parent, tmp_path) == latest
    assert store.resolve_run(latest, tmp_path) == latest
    with pytest.raises(FileNotFoundError, match="no run 'nope'"):
        store.resolve_run("nope", tmp_path)
    with pytest.raises(FileNotFoundError, match="no finished runs"):
        store.resolve_run("latest", tmp_path / "empty")


def test_baseline_is_stable_json(tmp_path):
    data = {"run": {"run_id": "r"}, "scenarios": [make_scenario(sid="z"), make_scenario(sid="a")], "totals": {}}
    path = store.write_baseline(data, tmp_path / "baseline.json")
    saved = store.load_metrics(path)
    assert [s["scenario_id"] for s in saved["scenarios"]] == ["a", "z"]
    assert saved["run"]["accepted_as_baseline_at"]
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(ValueError, match="not a usability metrics file"):
        store.load_metrics(bad)
