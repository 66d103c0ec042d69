"""A scenario whose step has no definition fails at collection, naming the step and where it is used."""

import shutil
import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FEATURE = """Feature: a tester's new scenario
  Scenario: uses a step nobody wrote
    Given a resident with the "valid" My Number card
    When she does something the harness has no step for
"""


def test_collection_names_the_undefined_step_and_its_place():
    folder = ROOT / "tests" / f"_undefined_{uuid.uuid4().hex[:8]}"
    folder.mkdir()
    try:
        (folder / "new.feature").write_text(FEATURE)
        (folder / "test_new.py").write_text(  # absolute: pyproject sets bdd_features_base_dir = features
            "from pathlib import Path\nfrom pytest_bdd import scenarios\n\n"
            "scenarios(str(Path(__file__).parent / 'new.feature'))\n")
        proc = subprocess.run([sys.executable, "-m", "pytest", str(folder), "--collect-only", "-q", "--no-pcscd"],
                              cwd=ROOT, capture_output=True, text=True, timeout=120)
    finally:
        shutil.rmtree(folder)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0, out
    assert '"When she does something the harness has no step for"' in out
    assert f"tests/{folder.name}/new.feature:4" in out
    assert "a resident with the" not in out.split("undefined Gherkin steps", 1)[-1]  # defined steps are not listed
