"""`ras-e2e walk` starts the portal, a virtual card behind pcscd and full Chromium with the test extension, whose
native host reaches the card, for a person."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [pytest.mark.browser, pytest.mark.pcscd]
# In `pytest tests` slot 6 belongs to the sentinel run, which is over by the time this file runs.
SLOT = "6"


def walk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ras_e2e.cli", "walk", "--headless", "--slot", SLOT, *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_walk_opens_the_agency_page_and_says_where_the_mail_is():
    proc = walk("--pins-from-profile", "--generation", "ras")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "/isa/applications/online/onlineshinsei.html (ras, card valid, PC windows-chrome)" in proc.stdout
    assert "/__admin/mailbox/" in proc.stdout
    assert "extension: {'host': True, 'client': 'browser', 'version': 'latest'} (reader Virtual PCD 3 00 00)" in proc.stdout
    assert "1234" not in proc.stdout + proc.stderr and "ABC123" not in proc.stdout + proc.stderr


def test_walk_names_a_missing_profile():
    proc = walk("--profile", "no-such-card")
    assert proc.returncode != 0
    assert "no-such-card" in proc.stderr
