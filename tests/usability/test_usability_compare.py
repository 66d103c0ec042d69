"""Comparison: planted regressions (extra step, new bare error, new axe violation) and improvements are found,
with thresholds read from YAML."""

from pathlib import Path

import pytest

from tests.usability.builders import MINOR, SERIOUS, make_run, make_scenario
from usability.compare import compare, load_thresholds
from usability.store import DEFAULT_THRESHOLDS

TH = load_thresholds(DEFAULT_THRESHOLDS)


def metrics_of(changes):
    return sorted({c.metric for c in changes})


def test_identical_runs_have_no_changes():
    s = make_scenario()
    result = compare(make_run("r2", [s]), make_run("r1", [s]), TH)
    assert not result.regressions and not result.improvements and not result.notes
    assert not result.has_regressions


def test_an_extra_step_is_a_regression():
    base = make_scenario(steps=3)
    cur = make_scenario(steps=4)
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), TH)
    assert metrics_of(result.regressions) == ["steps"]
    assert result.regressions[0].detail == "3 -> 4"


def test_an_extra_field_regresses_actions_keystrokes_and_klm():
    base = make_scenario(fill=(10,))
    cur = make_scenario(fill=(10, 12))
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), TH)
    assert metrics_of(result.regressions) == ["actions", "keystrokes", "klm_seconds"]


def test_a_new_bare_error_is_a_regression_and_its_removal_an_improvement():
    base = make_scenario()
    cur = make_scenario(errors=[("EW000J0200", "EW000J0200")])
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), TH)
    assert "errors" in metrics_of(result.regressions) and "bare_errors" in metrics_of(result.regressions)
    assert any("new poor error" in c.detail for c in result.regressions)
    back = compare(make_run("r3", [base]), make_run("r2", [cur]), TH)
    assert not back.regressions and "errors" in metrics_of(back.improvements)


def test_a_message_judged_worse_is_a_regression():
    good = "パスワードが正しくありません。もう一度入力してください。"
    base = make_scenario(errors=[("WZLOG001E", f"WZLOG001E {good}")])
    cur = make_scenario(errors=[("WZLOG001E", "WZLOG001E : ログインに失敗しました")])
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), TH)
    assert [c.detail.split(":")[0] for c in result.regressions] == ["message now poor (was good)"]


def test_a_new_serious_axe_violation_regresses_a_moderate_one_is_a_note():
    base = make_scenario()
    cur = make_scenario(a11y=[SERIOUS, MINOR])
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), TH)
    assert [c.metric for c in result.regressions] == ["a11y"]
    assert "label" in result.regressions[0].detail
    assert [c.metric for c in result.notes] == ["a11y"]


def test_improvements_fewer_actions_less_waiting_dead_end_gone():
    base = make_scenario(clicks=4, waits=[(7200, "mail")], dead_ends=[("duplicate card number", "phone_call")])
    cur = make_scenario(clicks=2)
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), TH)
    assert not result.regressions
    assert {"actions", "klm_seconds", "wait_seconds", "dead_ends"} <= set(metrics_of(result.improvements))


def test_new_dead_end_prerequisite_and_broken_link_regress():
    base = make_scenario()
    cur = make_scenario(dead_ends=[("registration refused", "phone_call")], prereqs=[("city_office", "renew")],
                        broken=[("http://127.0.0.1:1/gone", 404)])
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), TH)
    assert {"dead_ends", "prerequisites", "offline_prerequisites", "broken_links"} <= set(metrics_of(result.regressions))


def test_small_klm_change_under_threshold_is_ignored():
    base = make_scenario(fill=(40,))
    cur = make_scenario(fill=(42,))  # +0.4 s on ~14 s: under 1 s and 10 %
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), TH)
    assert "klm_seconds" not in metrics_of(result.regressions)


def test_added_removed_and_completion():
    a, b = make_scenario(sid="a"), make_scenario(sid="b")
    c_failed = make_scenario(sid="b", steps=1, outcome="failed")
    result = compare(make_run("r2", [c_failed, make_scenario(sid="c")]), make_run("r1", [a, b]), TH)
    assert result.added == ["c"] and result.removed == ["a"]
    assert metrics_of(result.regressions) == ["completion"]  # fewer steps of a failed run are not an improvement
    assert not result.improvements


def test_known_defect_fixed_is_an_improvement():
    base = make_scenario(tags=["known_defect"], defect=True)
    cur = make_scenario(tags=["known_defect"], defect=False)
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), TH)
    assert metrics_of(result.improvements) == ["known_defect"]


def test_thresholds_come_from_yaml(tmp_path: Path):
    assert TH["metrics"]["steps"] == {"abs": 1}
    assert TH["metrics"]["klm_seconds"] == {"abs": 1.0, "pct": 10}
    lenient = tmp_path / "t.yaml"
    lenient.write_text("metrics:\n  steps: {abs: 3}\na11y:\n  new_violation_impacts: [critical]\n")
    th = load_thresholds(lenient)
    base, cur = make_scenario(steps=3), make_scenario(steps=4, a11y=[dict(SERIOUS, impact="serious")])
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), th)
    assert not result.regressions  # +1 step under abs 3; a serious violation not gated
    gate_off = tmp_path / "g.yaml"
    gate_off.write_text("metrics:\n  steps: {abs: 1, gate: false}\n")
    result = compare(make_run("r2", [cur]), make_run("r1", [base]), load_thresholds(gate_off))
    assert "steps" in metrics_of(result.notes) and "steps" not in metrics_of(result.regressions)


def test_bad_thresholds_are_named(tmp_path: Path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("metrics:\n  steps: {absolute: 1}\n")
    with pytest.raises(ValueError, match=r"metrics.steps: unknown key"):
        load_thresholds(bad)
    bad.write_text("colours: {}\n")
    with pytest.raises(ValueError, match="unknown section 'colours'"):
        load_thresholds(bad)
