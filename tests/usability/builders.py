"""Builders for synthetic scenario metrics, made through the real ScenarioRecorder so the schema stays honest."""

from __future__ import annotations

from usability.recorder import ScenarioRecorder


def make_scenario(sid="registration.feature::Register", name="Register", stage="registration", tags=(),
                  steps=3, clicks=2, fill=(10,), errors=(), a11y=(), waits=(), dead_ends=(), prereqs=(),
                  broken=(), outcome="passed", defect=None, example=None, context=None) -> dict:
    rec = ScenarioRecorder(sid, name, f"{stage}.feature", stage, tags)
    rec.example, rec.context = dict(example or {}), dict(context or {})
    rec.page_view("http://127.0.0.1:5000/start", "Start")
    for i in range(steps):
        rec.step(f"Given step {i}")
    for i in range(clicks):
        rec.action("click", f"button {i}")
    for n in fill:
        rec.action("fill", "field", keystrokes=n)
    for code, text in errors:
        rec.error(code, text, "http://127.0.0.1:5000/start", "portal")
    if a11y:
        rec.a11y("http://127.0.0.1:5000/start", list(a11y))
    for seconds, reason in waits:
        rec.wait(seconds, reason)
    for state, way_out in dead_ends:
        rec.dead_end(state, "only offline", way_out)
    for kind, detail in prereqs:
        rec.prerequisite(kind, detail)
    for url, status in broken:
        rec.link(url, status)
    if defect is not None:
        rec.known_defect(defect)
    return rec.finish(outcome)


def make_run(run_id, scenarios) -> dict:
    from usability.store import run_totals

    return {"run": {"run_id": run_id, "started_at": "2026-01-05T00:00:00Z", "generations": ["rasens"]},
            "scenarios": list(scenarios), "totals": run_totals(list(scenarios))}


SERIOUS = {"rule": "label", "impact": "critical", "nodes": 1, "targets": ["#email"], "help": "Form elements must have labels"}
MINOR = {"rule": "region", "impact": "moderate", "nodes": 1, "targets": ["p"], "help": "content in landmarks"}
