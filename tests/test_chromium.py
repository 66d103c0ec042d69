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
        start = time.monotonic()
        with pytest.raises(Exception, match="net::ERR_"):
            page.goto(url)
        assert hits, "the page never reached the server: the test proves nothing"
        page.wait_for_timeout(2500)
        later = [round(h - start, 2) for h in hits if h - start > 0.8]
        assert later == [], f"Chromium reloaded the error page by itself at {later} s"
    finally:
        context.close()
