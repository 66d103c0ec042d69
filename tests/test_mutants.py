"""The mutation-testing machinery (ras_e2e/mutants.py) and its catalogue (mutants/catalogue.yaml).

Cheap checks first: the catalogue is large enough, holds the issue's three mutants, every mutant still applies to
today's tree (a changed file that breaks a mutant fails here, not silently in `make mutants`) and selects at
least one scenario. Then the machinery itself on a small fixed subset: a killed mutant is reported killed, a
deliberately no-op mutant survived, and a mutant that cannot apply is an error, not a kill.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from _pytest.mark.expression import Expression

from ras_e2e import mutants as mm

REQUIRED = ("macos-chrome-is-a-windows-pc-without-extension", "link-ttl-1000-hours", "wzbam255e-with-advice")


@pytest.fixture(scope="module")
def catalogue() -> list[mm.Mutant]:
    return mm.load_catalogue()


def test_the_catalogue_has_at_least_40_mutants_and_the_issues_three(catalogue):
    ids = [m.id for m in catalogue]
    assert len(ids) >= 40
    assert set(REQUIRED) <= set(ids)


def test_every_mutant_applies_to_todays_tree(catalogue):
    problems = {m.id: p for m in catalogue if (p := mm.check_applicable(m))}
    assert not problems, "mutants that no longer apply (update mutants/catalogue.yaml): " + json.dumps(
        problems, ensure_ascii=False, indent=1)


def _scenario_names() -> list[str]:
    out = subprocess.run([sys.executable, "-m", "pytest", "features", "--collect-only", "-q", "-p", "no:warnings"],
                         cwd=mm.ROOT, capture_output=True, text=True, env=mm._clean_env(mm.ROOT)).stdout
    names = [line.split("::", 1)[1] for line in out.splitlines() if "::" in line]
    return [re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m.group(1), 16)), n) for n in names]


def test_every_mutant_selects_at_least_one_scenario(catalogue):
    names = _scenario_names()
    assert names, "no scenario collected"
    empty = [m.id for m in catalogue if m.covers.get("k")
             and not any(Expression.compile(m.covers["k"]).evaluate(lambda s, n=n: s.lower() in n.lower())
                         for n in names)]
    assert not empty, f"mutants whose 'covers' selects no scenario: {empty}"


def test_a_malformed_catalogue_entry_says_what_to_fix(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text("mutants:\n  - {id: x, description: y, covers: {k: z}}\n")
    with pytest.raises(mm.CatalogueError, match="give 'settings'"):
        mm.load_catalogue(bad)


NOOP = mm.Mutant("noop-comment", "a comment in messages.yaml changes nothing a person sees", {"k": "smartphone"},
                 edits=(mm.Edit("portal_mock/messages.yaml", "# Messages the simulated portal shows",
                                "# (no-op mutant) Messages the simulated portal shows"),))
BROKEN = mm.Mutant("broken", "its search text is nowhere", {"k": "smartphone"},
                   edits=(mm.Edit("portal_mock/messages.yaml", "no such text anywhere", "x"),))


@pytest.mark.browser
def test_the_machinery_reports_killed_survived_and_error(catalogue, tmp_path):
    subset = mm.select(catalogue, ["smartphones-supported", "no-reader-pc-has-a-reader"]) + [NOOP, BROKEN]
    lines: list[str] = []
    results = mm.run_all(subset, echo=lines.append)
    print("\n" + "\n".join(lines))
    verdicts = {r.id: r.verdict for r in results}
    assert verdicts == {"smartphones-supported": "killed", "no-reader-pc-has-a-reader": "killed",
                        "noop-comment": "survived", "broken": "error"}, [r.detail for r in results]
    assert mm.score(results) == pytest.approx(66.7)
    jpath, mpath = mm.write_reports(results, tmp_path)
    assert json.loads(jpath.read_text())["survived"] == ["noop-comment"]
    md = mpath.read_text()
    assert "# Mutation score: 66.7 %" in md and "| `noop-comment` |" in md
    assert len(lines) == 4 and lines[-1].startswith("[####################]   4/4 error")


def test_a_fact_mutant_is_reported_out_of_reach_not_run_and_not_scored(tmp_path):
    """A fact edit of the only copy cannot be seen by the suite; it must be listed apart, never counted."""
    fact = mm.Mutant("fact-edit", "a wording changes", {"k": "smartphone"}, category="fact",
                     note="the drift check's job",
                     edits=(mm.Edit("portal_mock/messages.yaml", "no such text anywhere", "x"),))
    res = mm.run_mutant(fact, tmp_path)
    assert (res.verdict, res.ran) == (mm.OUT_OF_REACH, 0)
    assert mm.score([res]) is None
    md = mm.markdown([res])
    assert "1 fact edit(s) out of the simulation's reach" in md and "| `fact-edit` |" in md


def test_a_fact_mutant_without_a_note_says_what_to_fix(tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text("mutants:\n  - {id: x, description: y, covers: {k: z}, category: fact, settings: [a=1]}\n")
    with pytest.raises(mm.CatalogueError, match="needs a 'note'"):
        mm.load_catalogue(bad)
