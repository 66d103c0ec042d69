"""`ras-e2e usability ...` exit codes: 0 fine, 1 regression, 2 bad input."""

from tests.usability.builders import make_scenario
from usability import store
from usability.cli import main


def two_runs(tmp_path, extra_step):
    store.write_run(tmp_path / "runs" / "20260101T000000Z-aaaa", [make_scenario(steps=3)])
    store.write_run(tmp_path / "runs" / "20260102T000000Z-bbbb", [make_scenario(steps=4 if extra_step else 3)])


def test_baseline_then_compare_exit_codes(tmp_path, capsys):
    two_runs(tmp_path, extra_step=True)
    baseline = tmp_path / "baseline.json"
    assert main(["baseline", "20260101T000000Z-aaaa", "--reports-dir", str(tmp_path), "--output", str(baseline)]) == 0
    assert baseline.is_file()
    assert main(["compare", "latest", str(baseline), "--reports-dir", str(tmp_path)]) == 1
    assert "REGRESSIONS: 1" in capsys.readouterr().out
    assert main(["compare", "20260101T000000Z-aaaa", str(baseline), "--reports-dir", str(tmp_path)]) == 0
    assert "REGRESSIONS: 0" in capsys.readouterr().out


def test_baseline_defaults_to_the_latest_run(tmp_path):
    two_runs(tmp_path, extra_step=True)
    baseline = tmp_path / "b.json"
    assert main(["baseline", "--reports-dir", str(tmp_path), "--output", str(baseline)]) == 0
    assert store.load_metrics(baseline)["scenarios"][0]["totals"]["steps"] == 4


def test_usage_problems_exit_2(tmp_path, capsys):
    assert main(["compare", "latest", str(tmp_path / "none.json"), "--reports-dir", str(tmp_path)]) == 2
    assert "no finished runs" in capsys.readouterr().err
    two_runs(tmp_path, extra_step=False)
    assert main(["compare", "latest", str(tmp_path / "none.json"), "--reports-dir", str(tmp_path)]) == 2
    assert "no baseline" in capsys.readouterr().err
    bad = tmp_path / "th.yaml"
    bad.write_text("metrics: {steps: {absolute: 1}}\n")
    assert main(["compare", "latest", str(tmp_path / "none.json"), "--reports-dir", str(tmp_path),
                 "--thresholds", str(bad)]) == 2


def test_report_gate(tmp_path, capsys):
    two_runs(tmp_path, extra_step=True)
    baseline = tmp_path / "baseline.json"
    main(["baseline", "20260101T000000Z-aaaa", "--reports-dir", str(tmp_path), "--output", str(baseline)])
    args = ["report", "--reports-dir", str(tmp_path), "--baseline", str(baseline)]
    assert main(args) == 0
    assert (tmp_path / "index.html").is_file() and (tmp_path / "summary.md").is_file()
    assert main(args + ["--fail-on-regression"]) == 1
    assert "1 regression(s)" in capsys.readouterr().out


def test_runs_lists(tmp_path, capsys):
    two_runs(tmp_path, extra_step=False)
    assert main(["runs", "--reports-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "20260101T000000Z-aaaa" in out and "20260102T000000Z-bbbb" in out
