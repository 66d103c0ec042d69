"""No PIN, password or personal datum from the profiles may appear in any file a run writes, anywhere.

The suite runs with sentinel secrets (unusual values swapped into every profile: PINs, the signature password, the
holder's name, address, date of birth, My Number and residence card number) and with a private temp directory
and ``--basetemp`` this test controls. Then every file the run wrote is searched — the reports, pytest's temp
directories, the private and the machine's temp directory (daemon logs such as pcscd's, browser profiles), and
anything new in the checkout — for every sentinel in every spelling and encoding the scrubbing core knows
(``secret_scrub``: folded, full-width, URL, ``\\u``, HTML entities, hex, base64 at every alignment, PEM-folded),
zip members (Playwright traces) included. The last tests prove the search can fail, once per place and encoding.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import quote

import pytest

from fixtures.world import sentinel_search_values
from secret_scrub import find_secrets

ROOT = Path(__file__).resolve().parent.parent
# A slice of the journey that types every kind of secret: both PINs, the password, the residence card number,
# and that shows the holder's name and address on the portal.
SELECTION = "registers_and_logs_in or wrong_userauthentication_pin_costs or lower_case"
SKIP_DIRS = {".git", ".venv", "node_modules", "__pycache__", ".ruff_cache", ".hypothesis"}
pytestmark = [pytest.mark.pcscd, pytest.mark.browser]


def _blobs(path: Path, label: str):
    try:
        data = path.read_bytes()
    except OSError:  # a socket, a file removed meanwhile, another user's file
        return
    yield label, data
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    yield f"{label}!{name}", z.read(name)
        except (zipfile.BadZipFile, OSError):
            pass


def written_files(places: dict[str, Path], since: float | None = None):
    """(label, bytes) of every file under each place (modified at or after ``since`` when given)."""
    for place, root in places.items():
        if not root.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
            for name in filenames:
                path = Path(dirpath) / name
                try:
                    if not path.is_file() or path.is_symlink() or (since and path.stat().st_mtime < since):
                        continue
                except OSError:
                    continue
                yield from _blobs(path, f"{place}:{path.relative_to(root)}")


def leaks(places: dict[str, Path], text: str, secrets: dict[str, str], since: float | None = None) -> list[str]:
    found = [f"pytest output: {k}" for k in find_secrets(text.encode(), secrets)]
    for label, data in written_files(places, since):
        found += [f"{label}: {k}" for k in find_secrets(data, secrets)]
    return found


@pytest.fixture
def private_tmp():
    """The run's TMPDIR: short (Chromium's singleton socket path must fit in 108 bytes), private, removed after."""
    path = Path(tempfile.mkdtemp(prefix="rs-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def run_suite(tmp_path: Path, private_tmp: Path, *args: str, expect_rc: int = 0) -> tuple[str, dict[str, Path], float]:
    reports, basetemp = tmp_path / "reports", tmp_path / "basetemp"
    # Slot 6: the other test packages of the same run hold slots 0-5 of the shared pcscd.
    env = {**os.environ, "RAS_E2E_REPORTS_DIR": str(reports), "RAS_E2E_RUN_ID": "sentinel", "RAS_E2E_VPCD_SLOT": "6",
           "TMPDIR": str(private_tmp)}
    started = time.time() - 1  # file times have a coarse grain on some file systems
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--sentinel-secrets", f"--alluredir={reports / 'allure-results'}",
         f"--junitxml={reports / 'junit.xml'}", f"--basetemp={basetemp}", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == expect_rc, proc.stdout[-3000:] + proc.stderr[-3000:]
    places = {"reports": reports, "private tmp": private_tmp, "basetemp": basetemp,
              "machine tmp": Path(tempfile.gettempdir()), "checkout": ROOT}
    return proc.stdout + proc.stderr, places, started


def test_no_secret_in_any_file_the_run_wrote(tmp_path, private_tmp):
    output, places, started = run_suite(tmp_path, private_tmp, "features", "-k", SELECTION)
    assert "passed" in output
    assert list(places["reports"].rglob("*-result.json")), "the run wrote no Allure results: nothing was searched"
    found = leaks(places, output, sentinel_search_values(), since=started)
    assert found == [], "\n".join(found)


def test_no_secret_in_a_failure_that_quotes_the_page(tmp_path, private_tmp):
    """Playwright's failed expectation quotes the page (her name included) in its message; pytest's output,
    the JUnit XML and Allure's step and test results all carry that message."""
    output, places, started = run_suite(tmp_path, private_tmp, "tests/secret_leak/planted_failure.py", expect_rc=1)
    assert "この文言はどのページにもありません" in output and "1 failed" in output, output[-3000:]
    assert "Aria snapshot" in output, "Playwright no longer quotes the page: this test no longer tests anything"
    assert "****" in output, "the holder's name was not in the failure text: nothing was masked"
    found = leaks(places, output, sentinel_search_values(), since=started)
    assert found == [], "\n".join(found)


def _cert_with(value: str) -> str:
    return base64.b64encode(b"\x30\x82\x04\x01" + value.encode() + b"\x30\x0d").decode()


def test_the_search_finds_a_secret_wherever_and_however_it_was_written(tmp_path):
    s = sentinel_search_values()
    reports, tmp, basetemp = tmp_path / "reports", tmp_path / "tmp", tmp_path / "basetemp"
    for d in (reports / "allure-results", tmp / "pcscd", basetemp / "test0", tmp / "chromium-profile"):
        d.mkdir(parents=True)
    (tmp / "pcscd" / "pcscd.log").write_text(f"APDU: 00 20 00 80 04 {s['auth_pin'].encode().hex(' ').upper()}\n")
    (reports / "allure-results" / "a-result.json").write_text(
        json.dumps({"start": int(f"1795693{s['auth_pin']}1"), "name": s["holder_name"]}))  # \u escapes; a timestamp
    (basetemp / "test0" / "portal.sqlite3").write_bytes(b"SQLite format 3\x00" + s["my_number"].encode())
    (tmp / "chromium-profile" / "History").write_text("form " + quote(s["address"]))
    with zipfile.ZipFile(reports / "trace.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("trace.network", json.dumps({"postData": "hdnSignCert=" + quote(_cert_with(s["birth_date"]))}))
    (reports / "mail.eml").write_text("\n".join(_cert_with("x" + s["residence_card_number"])[i:i + 76]
                                                for i in range(0, 120, 76)))
    (tmp / "page.html").write_text("".join(f"&#{ord(c)};" for c in s["sign_password"]))
    places = {"reports": reports, "private tmp": tmp, "basetemp": basetemp}
    assert sorted(leaks(places, s["support_pin"], s)) == [
        "basetemp:test0/portal.sqlite3: my_number",
        "private tmp:chromium-profile/History: address",
        "private tmp:page.html: sign_password",
        "private tmp:pcscd/pcscd.log: auth_pin",
        "pytest output: support_pin",
        "reports:allure-results/a-result.json: holder_name",
        "reports:mail.eml: residence_card_number",
        "reports:trace.zip!trace.network: birth_date",
    ]
