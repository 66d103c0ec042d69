"""Shard runs merge into one run whose totals are those of all scenarios together."""

from __future__ import annotations

import pytest

from usability.store import merge_runs, write_run


def _scenario(sid: str, steps: int, outcome: str = "passed") -> dict:
    return {"scenario_id": sid, "outcome": outcome, "tags": ["rasens"],
            "totals": {"steps": steps, "actions": 2 * steps, "errors_by_grade": {}, "a11y_by_impact": {}}}


def test_merged_totals_equal_one_run_of_all_scenarios(tmp_path):
    one, two, whole = tmp_path / "s1", tmp_path / "s2", tmp_path / "whole"
    write_run(one, [_scenario("a", 3), _scenario("b", 4, "failed")], {"card": "virtual"})
    write_run(two, [_scenario("c", 5)], {"card": "virtual"})
    write_run(whole, [_scenario("a", 3), _scenario("b", 4, "failed"), _scenario("c", 5)], {"card": "virtual"})
    import json

    merged = json.loads(merge_runs([one, two], tmp_path / "merged").read_text())
    expected = json.loads((whole / "metrics.json").read_text())
    assert merged["totals"] == expected["totals"]
    assert [s["scenario_id"] for s in merged["scenarios"]] == ["a", "b", "c"]
    assert (merged["run"]["shards"], merged["run"]["card_mode"]) == (2, "virtual")


def test_a_scenario_in_two_shards_is_refused(tmp_path):
    write_run(tmp_path / "s1", [_scenario("a", 3)])
    write_run(tmp_path / "s2", [_scenario("a", 3)])
    with pytest.raises(ValueError, match="scenario 'a' is in two shard runs .* the shards overlap"):
        merge_runs([tmp_path / "s1", tmp_path / "s2"], tmp_path / "merged")
