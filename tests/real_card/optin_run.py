"""Run pytest in a subprocess with the harness's option plugins, on a tiny test file (for opt-in behaviour)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CONFTEST = 'pytest_plugins = ["fixtures.options", "fixtures.pcsc", "fixtures.opt_in"]\n'
INI = "[pytest]\naddopts = -p no:cacheprovider\nmarkers =\n    real_card: r\n    live: l\n"


def run(tmp_path: Path, test_source: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "pytest.ini").write_text(INI)
    (tmp_path / "test_optin.py").write_text(test_source)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "pytest", "-rs", "-q", "-p", "no:randomly", *args],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)
