"""Run by tests/test_interrupts.py (not collected on its own): a session with the portal's SQLite store in its
basetemp that waits until it is interrupted."""

import threading


def test_waits_to_be_interrupted(portal):
    print("READY", flush=True)
    threading.Event().wait(600)


def test_uses_its_tmp_path(tmp_path):
    (tmp_path / "x").write_text("x")
