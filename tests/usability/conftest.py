"""Fixtures for the usability package's own tests: a tiny local site and a headless Chromium.

The site is served by http.server on loopback so that page loads, HTTP statuses and failed requests are real
browser events, exactly what TrackedPage listens to in the journey suite.
"""

from __future__ import annotations

import http.server
import threading

import pytest

PAGES = {
    "/": """<!doctype html><html lang="en"><head><title>Start</title></head><body><main>
<h1>Start</h1><a id="next" href="/form">Register</a></main></body></html>""",
    "/form": """<!doctype html><html lang="en"><head><title>Form</title></head><body><main><h1>Form</h1>
<form action="/done" method="get">
<label for="email">E-mail</label><input id="email" name="email">
<label for="card">Residence card number</label><input id="card" name="card">
<label for="kind">Kind</label><select id="kind" name="kind"><option>a</option><option>b</option></select>
<input type="checkbox" id="agree" name="agree"><label for="agree">I agree</label>
<button id="submit" type="submit">Next</button></form></main></body></html>""",
    "/done": """<!doctype html><html lang="en"><head><title>Done</title></head><body><main><h1>Done</h1>
<p>Thank you.</p></main></body></html>""",
    "/error": """<!doctype html><html lang="en"><head><title>Error</title></head><body><main><h1>Error</h1>
<div class="error" role="alert">WZBAM255E : マイナンバーカードの認証に失敗しました</div>
<p class="error" style="display:none">hidden error not seen</p></main></body></html>""",
    "/inaccessible": """<!doctype html><html lang="en"><head><title>Bad</title></head><body><main><h1>Bad</h1>
<img src="/pic.png"><input id="nolabel" type="text"></main></body></html>""",
    "/broken": """<!doctype html><html lang="en"><head><title>Broken</title></head><body><main><h1>Broken</h1>
<img alt="missing" src="/missing.png"><a id="dead" href="/gone">old link</a></main></body></html>""",
}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000" "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4bb0000000049454e44ae426082")


class _Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output quiet
        pass

    def do_GET(self):
        path = self.path.split("?")[0]
        if path in PAGES:
            body, ctype, status = PAGES[path].encode(), "text/html; charset=utf-8", 200
        elif path == "/pic.png":
            body, ctype, status = PNG, "image/png", 200
        else:
            body, ctype, status = b"not found", "text/plain", 404
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="session")
def site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def chromium(shared_browser):
    """The session's Chromium (pytest-playwright's, launched with Debian's binary by fixtures/browser.py)."""
    return shared_browser


@pytest.fixture
def web_page(chromium):
    context = chromium.new_context()
    page = context.new_page()
    yield page
    context.close()
