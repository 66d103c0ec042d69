"""No PIN, password or personal datum from the profiles may appear in any artifact of a run.

The suite runs with sentinel secrets (unusual values swapped into every profile) and every file it wrote —
Allure results, usability metrics, traces, logs — and its own output are searched for them. The second test
proves the search can fail: a secret deliberately logged is found.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from fixtures.world import sentinel_secrets

ROOT = Path(__file__).resolve().parent.parent
# A slice of the journey that types every kind of secret: both PINs, the password, the residence card number,
# and that shows the holder's name and address on the portal.
SELECTION = "registers_and_logs_in or wrong_userauthentication_pin_costs or lower_case"
pytestmark = [pytest.mark.pcscd, pytest.mark.browser]


def pattern(value: str) -> re.Pattern[bytes]:
    """A PIN is four digits, and millisecond timestamps in Allure's results contain every four digits sooner or
    later: a digit-only secret counts only where it is not part of a longer number."""
    body = re.escape(value.encode())
    return re.compile(rb"(?<![0-9])" + body + rb"(?![0-9])" if value.isdigit() else body)


def leaks(directory: Path, text: str, secrets: dict[str, str]) -> list[str]:
    found = [f"pytest output: {k}" for k, v in secrets.items() if pattern(v).search(text.encode())]
    for path in directory.rglob("*"):
        if not path.is_file():
            continue
        blobs = []
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                blobs = [(f"{path.name}!{n}", z.read(n)) for n in z.namelist()]
        else:
            blobs = [(str(path.relative_to(directory)), path.read_bytes())]
        for name, data in blobs:
            for key, value in secrets.items():
                if pattern(value).search(data):
                    found.append(f"{name}: {key}")
    return found


def run_suite(tmp_path: Path, *args: str, expect_rc: int = 0) -> tuple[str, Path]:
    reports = tmp_path / "reports"
    # Slot 6: the other test packages of the same run hold slots 0-5 of the shared pcscd.
    env = {**os.environ, "RAS_E2E_REPORTS_DIR": str(reports), "RAS_E2E_RUN_ID": "sentinel", "RAS_E2E_VPCD_SLOT": "6"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--sentinel-secrets", f"--alluredir={reports / 'allure-results'}",
         f"--junitxml={reports / 'junit.xml'}", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == expect_rc, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc.stdout + proc.stderr, reports


def test_no_secret_in_any_artifact(tmp_path):
    output, reports = run_suite(tmp_path, "features", "-k", SELECTION)
    assert "passed" in output
    assert list(reports.rglob("*-result.json")), "the run wrote no Allure results: nothing was searched"
    assert leaks(reports, output, sentinel_secrets()) == []


def test_no_secret_in_a_failure_that_quotes_the_page(tmp_path):
    """Playwright's failed expectation quotes the page (her name included) in its message; pytest's output,
    the JUnit XML and Allure's step and test results all carry that message."""
    output, reports = run_suite(tmp_path, "tests/secret_leak/planted_failure.py", expect_rc=1)
    assert "この文言はどのページにもありません" in output and "1 failed" in output, output[-3000:]
    assert "Aria snapshot" in output, "Playwright no longer quotes the page: this test no longer tests anything"
    assert "****" in output, "the holder's name was not in the failure text: nothing was masked"
    assert leaks(reports, output, sentinel_secrets()) == []


def test_the_search_finds_a_secret_that_was_logged(tmp_path):
    secrets = sentinel_secrets()
    (tmp_path / "debug.log").write_text(f"verify pin {secrets['auth_pin']}\n")
    (tmp_path / "result.json").write_text(f'{{"start": 1795693{secrets["auth_pin"]}1}}')  # a timestamp, not a PIN
    with zipfile.ZipFile(tmp_path / "trace.zip", "w") as z:
        z.writestr("trace.trace", f'{{"value": "{secrets["sign_password"]}"}}')
    assert sorted(leaks(tmp_path, secrets["holder_name"], secrets)) == [
        "debug.log: auth_pin", "pytest output: holder_name", "trace.zip!trace.trace: sign_password",
    ]
