"""Opt-in twice: without the mode option AND the acknowledgement, real-card and live tests are skipped with a
message that says how to enable them; several readers and no unique --reader stop the run and list them."""

from __future__ import annotations

import pytest

from tests.real_card.optin_run import run
from tests.real_card.vcard import make_card

TESTS = '''
import pytest

@pytest.mark.real_card
def test_card(real_card_reader):
    print("READER", real_card_reader)

@pytest.mark.live
def test_live():
    pass

def test_plain():
    pass
'''


def test_skipped_without_options(tmp_path):
    r = run(tmp_path, TESTS, "--no-pcscd")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "2 skipped" in r.stdout and "1 passed" in r.stdout
    assert "--card=pcsc --i-accept-card-risk" in r.stdout
    assert "--portal=live --i-accept-live-risk" in r.stdout


def test_option_without_acknowledgement_still_skips(tmp_path):
    r = run(tmp_path, TESTS, "--card=pcsc", "--portal=http://127.0.0.2:9/")
    assert "2 skipped" in r.stdout, r.stdout + r.stderr
    assert "Add --i-accept-card-risk" in r.stdout and "Add --i-accept-live-risk" in r.stdout
    assert "city office" in r.stdout  # the message names the risk


def test_live_outside_service_hours_is_skipped(tmp_path):
    r = run(tmp_path, TESTS, "--no-pcscd", "--portal=http://127.0.0.2:9/", "--i-accept-live-risk",
            "--live-hours", "mon 00:00-00:01", "-k", "live")
    assert "1 skipped" in r.stdout or "1 passed" in r.stdout, r.stdout + r.stderr
    if "1 skipped" in r.stdout:
        assert "outside the agency's service hours" in r.stdout


def test_several_readers_stop_the_run_and_list_them(tmp_path, real_slots):
    readers = [s.insert(make_card("valid")) for s in real_slots]
    prefix = readers[0].rsplit(" ", 2)[0]  # e.g. "Virtual PCD 2": matches both slots of that reader
    r = run(tmp_path, TESTS, "--card=pcsc", "--i-accept-card-risk", "--reader", prefix, "-k", "card", "-s")
    out = r.stdout + r.stderr
    assert r.returncode == 4, out
    assert "real-card run stopped" in out and all(name in out for name in readers), out
    assert "READER" not in r.stdout
    for s in real_slots:
        s.remove()


def test_unique_reader_is_used(tmp_path, real_slots):
    reader = real_slots[0].insert(make_card("valid"))
    r = run(tmp_path, TESTS, "--card=pcsc", "--i-accept-card-risk", "--reader", reader, "-k", "card", "-s")
    assert r.returncode == 0 and f"READER {reader}" in r.stdout, r.stdout + r.stderr
    real_slots[0].remove()


@pytest.mark.parametrize("flag", ["--allow-pin", "--test-card", "--allow-live-submit"])
def test_flags_exist_and_default_off(tmp_path, flag):
    src = f'''
def test_flag(pytestconfig):
    assert pytestconfig.getoption("{flag[2:].replace("-", "_")}") is False
'''
    r = run(tmp_path, src, "--no-pcscd")
    assert "1 passed" in r.stdout, r.stdout + r.stderr
    r = run(tmp_path, src.replace("is False", "is True"), "--no-pcscd", flag)
    assert "1 passed" in r.stdout, r.stdout + r.stderr
