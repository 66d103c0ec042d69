"""Debian's Chromium as the harness launches it: behaviours the journey depends on."""

from __future__ import annotations

import socket
import struct
import threading
import time

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def resetting_server():
    """A server that resets every connection, as the agency's sites do in the simulated outage."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(20)
    server.settimeout(0.2)
    hits: list[float] = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            hits.append(time.monotonic())
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/", hits
    stop.set()
    thread.join(timeout=2)
    server.close()


def test_an_error_page_is_not_reloaded_behind_the_scenarios_back(shared_browser, resetting_server):
    """Without --disable-auto-reload Chromium tries again about a second later; that reload once raced a
    scenario's own navigation after the outage and failed it."""
    url, hits = resetting_server
    context = shared_browser.new_context()
    try:
        page = context.new_page()
        with pytest.raises(Exception, match="net::ERR_"):
            page.goto(url)
        # Counted, not timed: every attempt of this navigation (Chromium resends a reset request at once) was
        # accepted and reset by the server before goto failed; any request after that is a reload. (A cut-off
        # in seconds after the start failed on a loaded machine, where the first attempts themselves are late.)
        tried = len(hits)
        assert tried, "the page never reached the server: the test proves nothing"
        page.wait_for_timeout(2500)  # auto-reload would come about a second after the error page
        assert len(hits) == tried, f"Chromium reloaded the error page by itself ({len(hits) - tried} more requests)"
    finally:
        context.close()


def _browser_command_lines() -> list[list[str]]:
    """The command lines of the Chromium browser processes this test process started (through the driver)."""
    import os

    parents, cmdlines = {}, {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = open(f"/proc/{pid}/stat").read()
            cmdlines[pid] = open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace").split("\0")
        except OSError:
            continue
        parents[pid] = stat[stat.rindex(")") + 2:].split()[1]

    def mine(pid: str) -> bool:
        while pid in parents and pid != "1":
            if pid == str(os.getpid()):
                return True
            pid = parents[pid]
        return False

    return [c for p, c in cmdlines.items() if "--remote-debugging-pipe" in c and mine(p)]


def test_one_disable_features_switch_keeps_playwrights_and_adds_the_harnesss(shared_browser):
    """Chromium keeps only the last --disable-features: the harness's switch must carry Playwright's list too
    (fails, naming them, when a Playwright upgrade adds defaults that wiring/chromium.py does not repeat)."""
    from wiring.chromium import HARNESS_DISABLED_FEATURES

    assert shared_browser.is_connected()
    lines = _browser_command_lines()
    assert lines, "found no Chromium browser process started by this test process"
    switches = [a.split("=", 1)[1].split(",") for a in lines[0] if a.startswith("--disable-features=")]
    playwright_defaults, effective = set(switches[0]), set(switches[-1])
    assert playwright_defaults - effective == set(), "Playwright's own defaults lost to the harness's switch"
    assert set(HARNESS_DISABLED_FEATURES) <= effective


def test_each_need_names_its_binary_and_reason():
    from wiring.chromium import spec

    assert spec("headless").package == "chromium-headless-shell"
    assert (spec("headed").package, spec("headed").headless) == ("chromium", False)
    extension = spec("extension")
    assert (extension.package, extension.persistent) == ("chromium", True)
    assert "--disable-extensions" in extension.launch_kwargs()["ignore_default_args"]
    with pytest.raises(ValueError, match="unknown browser need 'kiosk': one of headless, headed, extension"):
        spec("kiosk")
