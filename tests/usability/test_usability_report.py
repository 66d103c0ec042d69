"""The report: one self-contained HTML page with the regressions first, a Markdown summary, per-scenario findings."""

import json
import re

from tests.usability.builders import SERIOUS, make_scenario
from usability import store
from usability.report import build, findings_for, scenario_findings

TRAP = "WZBAM255E : マイナンバーカードの認証に失敗しました"


def seed(tmp_path, baseline_scenarios, run_scenarios):
    store.write_run(tmp_path / "runs" / "20260101T000000Z-aaaa", baseline_scenarios)
    base = store.write_baseline(store.load_metrics(store.resolve_run(None, tmp_path)), tmp_path / "baseline.json")
    store.write_run(tmp_path / "runs" / "20260102T000000Z-bbbb", run_scenarios)
    return base


def journey(extra_step=False, script_name=False):
    name = "<script>alert(1)</script> register" if script_name else "Register with a Japanese address"
    return [
        make_scenario(sid="reg", name=name, stage="registration", steps=4 if extra_step else 3),
        make_scenario(sid="card", name="Operation check with a revoked certificate", stage="card",
                      tags=["known_defect"], errors=[(None, TRAP)], prereqs=[("city_office", "renew certificate")]),
        make_scenario(sid="mail", name="Free-mail address never gets the mail", stage="registration",
                      tags=["known_defect"], waits=[(5 * 86400, "outage"), (3600, "mail")],
                      dead_ends=[("card number already in use", "phone_call")], prereqs=[("phone_call", "bureau")]),
    ]


def test_report_puts_regressions_first_and_escapes_everything(tmp_path):
    base = seed(tmp_path, journey(), journey(extra_step=True, script_name=True))
    out = tmp_path / "out"
    result = build(tmp_path / "runs" / "20260102T000000Z-bbbb", base, tmp_path, out, store.DEFAULT_THRESHOLDS)
    assert [c.metric for c in result.regressions] == ["steps"]
    html = result.html_path.read_text(encoding="utf-8")
    assert html.index('id="regressions"') < html.index('id="scorecard"') < html.index('id="known-defects"')
    regressions = html[html.index('id="regressions"'):html.index('id="scorecard"')]
    assert "steps" in regressions and "3 -&gt; 4" in regressions
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # self-contained: charts are embedded, nothing is fetched
    assert html.count("data:image/png;base64,") == 4
    assert not re.search(r'(src|href)="https?://', html)
    # known defects with their costs, worst errors quoted
    assert "Free-mail address never gets the mail" in html and "still present" in html
    assert "5.0 days" in html or "5.0 days" in html.replace("\u00a0", " ")
    assert TRAP in html
    assert json.loads((out / "comparison.json").read_text())["regressions"][0]["metric"] == "steps"


def test_markdown_summary_is_short_and_lists_regressions(tmp_path):
    base = seed(tmp_path, journey(), journey(extra_step=True))
    result = build("20260102T000000Z-bbbb", base, tmp_path, tmp_path, store.DEFAULT_THRESHOLDS)
    md = result.md_path.read_text(encoding="utf-8")
    assert md.startswith("## Usability: 1 regression(s), 0 improvement(s)")
    assert "### Regressions" in md and "steps: 3 -> 4" in md
    assert "### Known usability defects" in md and "| Free-mail address never gets the mail | still present |" in md
    assert len(md.splitlines()) < 40


def test_report_without_baseline_says_so(tmp_path):
    store.write_run(tmp_path / "runs" / "20260102T000000Z-bbbb", journey())
    result = build(None, tmp_path / "missing.json", tmp_path, tmp_path, store.DEFAULT_THRESHOLDS)
    assert not result.regressions
    assert "none yet" in result.html_path.read_text(encoding="utf-8")


def test_improvement_shows_in_report(tmp_path):
    before = journey()
    after = journey()
    after[2] = make_scenario(sid="mail", name="Free-mail address never gets the mail", stage="registration",
                             tags=["known_defect"], defect=False)
    base = seed(tmp_path, before, after)
    result = build(None, base, tmp_path, tmp_path, store.DEFAULT_THRESHOLDS)
    assert not result.regressions
    assert {"wait_seconds", "dead_ends", "known_defect"} <= {c.metric for c in result.improvements}
    html = result.html_path.read_text(encoding="utf-8")
    assert "fixed" in html and 'id="improvements"' in html


def test_findings_text_and_json(tmp_path):
    s = make_scenario(sid="card", name="check", stage="card", errors=[(None, TRAP)], a11y=[SERIOUS])
    f = scenario_findings(s)
    assert isinstance(f, str) and "error [poor]" in f and "a11y critical: label" in f
    assert f.data["errors"][0]["grade"] == "poor"
    json.loads(f.to_json())
    base = store.write_baseline({"run": {"run_id": "b"}, "scenarios": [make_scenario(sid="card", stage="card")]},
                                tmp_path / "b.json")
    g = findings_for(s, base)
    assert "REGRESSION: a11y" in g and any(c["metric"] == "errors" for c in g.data["changes"])


def test_costs_count_a_phone_call_once():
    from usability.findings import costs

    s = make_scenario(dead_ends=[("registration refused", "phone call to the bureau")],
                      prereqs=[("phone_call", "bureau changes the e-mail")], waits=[(7200, "mail")])
    c = costs(s)
    assert (c["phone_calls"], c["city_office_visits"], c["dead_ends"], c["waiting_hours"]) == (1, 0, 1, 2.0)


def test_history_reads_runs_from_the_reports_dir_or_the_runs_dir(tmp_path):
    from usability.report import _history

    for i in range(3):
        store.write_run(tmp_path / "runs" / f"2026010{i + 1}T000000", [make_scenario()])
    current = store.load_metrics(store.resolve_run(None, tmp_path))
    assert len(_history(tmp_path, current)) == 3
    assert len(_history(tmp_path / "runs", current)) == 3
    assert len(_history(None, current)) == 1


def test_harness_kind_aliases_are_understood():
    from usability.recorder import ScenarioRecorder

    rec = ScenarioRecorder("s", "s", "f", "preparation", ["known-defect"])
    rec.action("pin_dialog", "auth", keystrokes=4)
    rec.prerequisite("fix", "administrator rights for the installer")
    rec.prerequisite("buy", "IC card reader")
    rec.prerequisite("office_visit", "city office resets the PIN")
    out = rec.finish("passed")
    assert out["actions"][0]["kind"] == "pin"
    assert out["totals"]["prerequisites_by_category"] == {"software": 1, "hardware": 1, "in_person": 1, "phone": 0,
                                                          "post": 0}
    assert out["known_defect"]["present"] is True


OUTLINE = "A signature certificate the portal cannot accept ends in WZBAM255E"


def _outline_examples():
    """Two examples of one outline (same title), as the journey suite records them, plus a plain scenario."""
    ctx = {"card_profile": "", "generation": "", "pc": "windows-chrome"}
    return [
        make_scenario(sid=f"t[{p}-{g}]", name=OUTLINE, stage="card", tags=["known_defect"], errors=[(None, TRAP)],
                      example={"profile": p, "generation": g}, context=ctx | {"card_profile": p, "generation": g})
        for p, g in (("sign-cert-expired", "rasens"), ("sign-cert-revoked-after-move", "ras"))
    ] + [make_scenario(sid="plain", name="Register", stage="registration",
                       context={"card_profile": "valid", "generation": "rasens", "pc": "windows-chrome"})]


def test_every_table_names_the_outline_example_not_only_its_title(tmp_path):
    seed(tmp_path, [], _outline_examples())
    result = build(None, None, tmp_path, tmp_path)
    html, md = result.html_path.read_text(), result.md_path.read_text()
    for label in (f"{OUTLINE} [profile: sign-cert-expired, generation: rasens, PC: windows-chrome]",
                  f"{OUTLINE} [profile: sign-cert-revoked-after-move, generation: ras, PC: windows-chrome]"):
        assert html.count(label) >= 3, label  # known defects, worst messages, all scenarios
        assert md.count(label) == 1, label  # the one-screen summary's known-defect table
    assert f"| {OUTLINE} |" not in md  # no row carries the bare title
    assert "Register</td>" in html  # a plain scenario keeps its name


def test_the_header_shows_the_generations_that_ran(tmp_path):
    seed(tmp_path, [], _outline_examples())
    result = build(None, None, tmp_path, tmp_path)
    assert "generation(s) ras, rasens," in result.html_path.read_text()
    assert "(generations: ras, rasens)" in result.md_path.read_text()


def test_a_changed_example_is_named_in_the_regressions():
    from usability.compare import compare, load_thresholds

    base, run = _outline_examples(), _outline_examples()
    run[0] = make_scenario(sid=run[0]["scenario_id"], name=OUTLINE, stage="card", tags=["known_defect"],
                           errors=[(None, TRAP)], steps=9, example=run[0]["example"], context=run[0]["context"])
    cmp = compare({"run": {}, "scenarios": run}, {"run": {}, "scenarios": base}, load_thresholds(store.DEFAULT_THRESHOLDS))
    assert {c.name for c in cmp.regressions} == {f"{OUTLINE} [profile: sign-cert-expired, generation: rasens, "
                                                 "PC: windows-chrome]"}
