"""Nothing is left behind — no process, no temporary file, no unscrubbed file — when a run fails, when it is
interrupted with Ctrl-C or SIGTERM, and when the `ras-e2e` commands for a person end (docs/SECURITY.md).

Each run here gets its own fresh TMPDIR, so "no temporary file" is exact: the directory must be empty after.
pytest's basetemp, the portal's SQLite store, Chromium's profile and the walk's directory all live under it.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from fixtures.world import sentinel_secrets
from ras_e2e.e2e import default_sigint
from tests.process_tree import alive, descendants, names

ROOT = Path(__file__).resolve().parent.parent
SLOT = "6"  # the other packages of `pytest tests` hold slots 0-5; the runs here and the sentinel's run one at a time


@pytest.fixture
def tmpdir_env():
    """A fresh private TMPDIR for one run (removed afterwards whatever it holds)."""
    tmp = Path(tempfile.mkdtemp(prefix="ras-e2e-run-"))
    yield tmp, {**os.environ, "TMPDIR": str(tmp), "RAS_E2E_VPCD_SLOT": SLOT}
    shutil.rmtree(tmp, ignore_errors=True)


def left_in(directory: Path) -> list[str]:
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


def secrets_in(*directories: Path) -> list[str]:
    """Every sentinel secret found in any file under the directories (literal, digits not inside a number)."""
    patterns = {k: re.compile(rb"(?<![0-9])" + re.escape(v.encode()) + rb"(?![0-9])") for k, v in sentinel_secrets().items()}
    return [f"{path}: {key}" for d in directories for path in d.rglob("*") if path.is_file()
            for key, pattern in patterns.items() if pattern.search(path.read_bytes())]


@pytest.mark.pcscd
@pytest.mark.browser
def test_a_failed_run_leaves_no_temporary_file(tmpdir_env, tmp_path):
    """pytest keeps a failed session's temp directory; the portal's SQLite store (her name, her residence card
    number) was in it."""
    tmp, env = tmpdir_env
    env = {**env, "RAS_E2E_REPORTS_DIR": str(tmp_path / "reports"), "RAS_E2E_RUN_ID": "failed"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "--sentinel-secrets",
                           f"--alluredir={tmp_path / 'reports' / 'allure'}", "tests/secret_leak/planted_failure.py"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1 and "1 failed" in proc.stdout, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert left_in(tmp) == []


@pytest.mark.pcscd
@pytest.mark.browser
def test_make_e2e_interrupted_leaves_nothing(tmpdir_env, tmp_path):
    """Ctrl-C on `make e2e` while the journey runs: pytest's teardown runs to the end — no
    process of the run survives, no temporary file is left, and no file holds a secret. (SIGTERM takes the same
    path: test_make_e2e_passes_sigterm_on_as_sigint.)"""
    sig = signal.SIGINT
    tmp, env = tmpdir_env
    reports = tmp_path / "reports"
    env = {**env, "RAS_E2E_REPORTS_DIR": str(reports), "RAS_E2E_RUN_ID": "interrupted"}
    proc = subprocess.Popen([sys.executable, "-m", "ras_e2e.e2e", "--sentinel-secrets", "-k", "registers"], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=default_sigint)
    seen: set[int] = set()
    try:
        while not any(n.startswith(("chrom", "headless")) for n in names(seen)):  # mid-run: the browser is up
            assert proc.poll() is None, proc.stdout.read()[-3000:]
            seen |= descendants(proc.pid)
            time.sleep(0.05)
        seen |= descendants(proc.pid)
        proc.send_signal(sig)
        output, _ = proc.communicate(timeout=300)
    finally:
        for pid in alive(seen | {proc.pid}):  # a failed run must not outlive the test (pytest has its own session)
            os.kill(int(pid.split()[0]), signal.SIGKILL)
    assert proc.returncode == 128 + sig, output[-3000:]
    assert alive(seen - {proc.pid}) == [], output[-3000:]
    assert left_in(tmp) == []
    assert secrets_in(reports) == []


def test_a_concurrent_session_leaves_ours_alone(tmp_path_factory):
    """A pytest session in the same TMPDIR as this one (as the sentinel and usability-gate runs are) must not
    delete this session's basetemp: with `tmp_path_retention_policy = "none"` pytest leaves it unlocked and the
    other session's clean-up removed it, failing every later test that used a temp directory."""
    ours = tmp_path_factory.getbasetemp()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:xdist", "--no-pcscd",
                           "tests/interrupt_target.py", "-k", "uses_its_tmp_path"], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert ours.is_dir()


def test_make_e2e_passes_sigterm_on_as_sigint():
    """SIGTERM on `make e2e` reaches pytest's process group as one SIGINT (pytest's clean stop), and e2e waits."""
    from ras_e2e.e2e import run_forwarding_signals

    child = subprocess.Popen([sys.executable, "-c", "import signal, sys, threading\n"
                              "signal.signal(signal.SIGINT, lambda *a: sys.exit(7))\n"
                              "print('ready', flush=True)\nthreading.Event().wait(60)"],
                             stdout=subprocess.PIPE, text=True, start_new_session=True)
    class SigtermWhileWaiting:  # the signal arrives once e2e is waiting (its handlers are in place)
        pid = child.pid

        def wait(self):
            os.kill(os.getpid(), signal.SIGTERM)
            return child.wait(timeout=30)

    before = signal.getsignal(signal.SIGTERM)
    try:
        assert child.stdout.readline() == "ready\n"
        assert run_forwarding_signals(SigtermWhileWaiting) == 128 + signal.SIGTERM
        assert child.returncode == 7  # it got SIGINT, and e2e waited for it to finish
        assert signal.getsignal(signal.SIGTERM) is before
    finally:
        if child.poll() is None:
            child.kill()


def test_pytest_on_sigterm_runs_its_teardown(tmpdir_env):
    """`make` passes SIGTERM to pytest; Python's default would end it on the spot, leaving the session's temp
    directory (the portal's SQLite store) and skipping every teardown."""
    tmp, env = tmpdir_env
    proc = _serve(["-m", "pytest", "-q", "-s", "-p", "no:xdist", "--no-pcscd", "tests/interrupt_target.py"], env, "READY", cli=False)
    proc.send_signal(signal.SIGTERM)
    try:
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 2 and "KeyboardInterrupt" in rest, rest[-3000:]  # 2: pytest's "interrupted"
    assert left_in(tmp) == []


def _serve(args: list[str], env: dict, ready: str, cli: bool = True) -> subprocess.Popen:
    command = [sys.executable, "-m", "ras_e2e.cli", *args] if cli else [sys.executable, *args]
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            preexec_fn=default_sigint)
    lines = []
    for line in proc.stdout:
        lines.append(line)
        if line.lstrip(".").startswith(ready):
            return proc
    proc.wait(timeout=30)
    raise AssertionError(f"{args} ended before it was ready:\n{''.join(lines)[-3000:]}")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("command", ["portal", "card"])
def test_serve_commands_stop_cleanly(tmpdir_env, command, sig, request):
    """`ras-e2e portal serve` kept its temp directory (SQLite store, trust store) after SIGTERM; both commands
    must stop their servers, remove what they wrote and exit 0 on Ctrl-C and SIGTERM."""
    tmp, env = tmpdir_env
    if command == "card":
        stack = request.getfixturevalue("pcsc_stack")
        args, ready = ["card", "serve", "--slot", SLOT, "--port", str(stack.vpcd_port(int(SLOT)))], "control:"
    else:
        args, ready = ["portal", "serve"], "portal simulation:"
    proc = _serve(args, env, ready)
    tree = descendants(proc.pid)
    proc.send_signal(sig)
    try:
        rest, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, rest[-3000:]
    assert alive(tree) == []
    assert left_in(tmp) == []


@pytest.mark.browser
def test_walk_leaves_no_temporary_file(tmpdir_env):
    """`ras-e2e walk` left its directory (with the SQLite store of what the person typed) behind."""
    tmp, env = tmpdir_env
    proc = subprocess.run([sys.executable, "-m", "ras_e2e.cli", "walk", "--headless", "--pins-from-profile"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert left_in(tmp) == []
