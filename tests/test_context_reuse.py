"""A reused browser context leaks nothing from one scenario to the next (fixtures/contexts.py).

One scenario plants every kind of state a page or a step can leave in a context — cookies, local and session
storage, IndexedDB, Cache Storage, a service worker, the HTTP cache, a permission, an init script, an exposed
binding, extra headers, a route, offline — on two origins; the next scenario of the same kind probes for each.
The probe itself is tested: against a reuse that skips the clean-up it must see every one of them.
"""

from __future__ import annotations

import http.server
import json
import threading

import pytest
from playwright.sync_api import Error as PlaywrightError

from fixtures.contexts import ContextPool, PooledContext

OPTIONS = {"locale": "ja-JP", "viewport": {"width": 800, "height": 600}}
HITS = {"cached": 0}


class _Site(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's name
        path = self.path.split("?")[0]
        if path == "/cached.js":
            HITS["cached"] += 1
            self._send("text/javascript", b"/* cached */", {"Cache-Control": "max-age=3600"})
        elif path == "/sw.js":
            self._send("text/javascript", b"self.addEventListener('fetch', () => {});")
        elif path == "/headers":
            self._send("application/json", json.dumps(dict(self.headers)).encode())
        else:
            self._send("text/html", b"<!doctype html><title>site</title><p>site</p>")

    def _send(self, kind: str, body: bytes, extra: dict | None = None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def origins():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [f"http://127.0.0.1:{server.server_port}", f"http://localhost:{server.server_port}"]
    server.shutdown()


# What a page leaves, per origin (run in the page), and how the next scenario sees it (truthy = leaked).
PAGE_PLANTS = {
    "cookie": ("() => { document.cookie = 'leak=1; max-age=3600'; }", "() => document.cookie.includes('leak')"),
    "local storage": ("() => localStorage.setItem('leak', '1')", "() => localStorage.length > 0"),
    "indexeddb": ("() => new Promise(r => { const q = indexedDB.open('leak'); q.onsuccess = () => "
                  "{ q.result.close(); r(); }; })",
                  "async () => (await indexedDB.databases()).length > 0"),
    "cache storage": ("async () => { await (await caches.open('leak')).put('/x', new Response('x')); }",
                      "async () => (await caches.keys()).length > 0"),
    "service worker": ("async () => { await navigator.serviceWorker.register('/sw.js'); "
                       "await navigator.serviceWorker.ready; }",
                       "async () => (await navigator.serviceWorker.getRegistrations()).length > 0"),
}


def _plant(ctx, origins: list[str], undoable_only: bool = False) -> None:
    """One scenario's worth of leftovers, then its context closed (given back to the pool)."""
    page = ctx.new_page()
    for origin in origins:
        page.goto(origin + "/")
        for plant, _probe in PAGE_PLANTS.values():
            page.evaluate(plant)
        page.evaluate("() => sessionStorage.setItem('leak', '1')")  # lives with the page: see _probe
        page.evaluate("() => fetch('/cached.js').then(r => r.text())")
    ctx.grant_permissions(["geolocation"])
    ctx.add_cookies([{"name": "leak", "value": "1", "url": "http://never-visited.invalid/"}])
    ctx.set_extra_http_headers({"x-leak": "1"})
    ctx.route("**/routed", lambda route: route.fulfill(body="leak"))
    ctx.set_offline(True)
    if not undoable_only:
        ctx.add_init_script(script="window.__leak = 1")
        ctx.expose_binding("leakBinding", lambda source: "leak")
        ctx.expose_function("leakFunction", lambda: "leak")
    ctx.close()


def _probe(ctx, origins: list[str]) -> set[str]:
    """Every kind of leftover the next scenario can see. Session storage belongs to a page: it leaks if the
    scenario's pages are left open (the next one sees them in `context.pages`)."""
    leaks = {"open page"} if ctx.pages else set()
    leaks |= {"cookie of a site never visited"} if ctx.cookies("http://never-visited.invalid/") else set()
    leaks |= {"session storage"} if any(p.evaluate("() => sessionStorage.length > 0") for p in ctx.pages) else set()
    page = ctx.new_page()
    try:
        page.goto(origins[0] + "/")
    except PlaywrightError:  # net::ERR_INTERNET_DISCONNECTED
        leaks.add("offline")
        ctx.set_offline(False)
    for origin in origins:
        page.goto(origin + "/")
        leaks |= {name for name, (_plant, probe) in PAGE_PLANTS.items() if page.evaluate(probe)}
        headers = {k.lower(): v for k, v in page.evaluate("() => fetch('/headers').then(r => r.json())").items()}
        leaks |= {"extra header"} if "x-leak" in headers else set()
        if page.evaluate("() => fetch('/routed').then(r => r.text())") == "leak":
            leaks.add("route")
            ctx.unroute_all()  # a route turns the HTTP cache off: undone to see whether the cache leaks
        before = HITS["cached"]
        page.evaluate("() => fetch('/cached.js').then(r => r.text())")
        leaks |= {"http cache"} if HITS["cached"] == before else set()
        state = page.evaluate("() => navigator.permissions.query({name: 'geolocation'}).then(p => p.state)")
        leaks |= {"permission"} if state == "granted" else set()
        leaks |= {"init script"} if page.evaluate("() => window.__leak === 1") else set()
        leaks |= {"binding"} if page.evaluate("() => typeof window.leakBinding !== 'undefined'") else set()
        leaks |= {"function"} if page.evaluate("() => typeof window.leakFunction !== 'undefined'") else set()
    return leaks


EVERY_LEAK = set(PAGE_PLANTS) | {"open page", "cookie of a site never visited", "session storage", "http cache", "extra header", "route", "offline", "permission", "init script",
                                 "binding", "function"}


def test_a_reused_context_shows_the_next_scenario_nothing_of_the_last(shared_browser, origins):
    pool = ContextPool(shared_browser)
    first = pool.open(OPTIONS, "kind")
    _plant(first, origins, undoable_only=True)
    after = pool.open(OPTIONS, "kind")
    try:
        assert after is first and after.lent == 2  # reused: else this would prove nothing
        assert _probe(after, origins) == set()
    finally:
        after.close()


def test_a_context_given_what_cannot_be_undone_is_not_reused(shared_browser, origins):
    """An init script and a binding added while pages ran (not the kind's own): the context is closed instead."""
    pool = ContextPool(shared_browser)
    first = pool.open(OPTIONS, "kind")
    _plant(first, origins)
    after = pool.open(OPTIONS, "kind")
    try:
        assert after is not first
        assert _probe(after, origins) == set()
    finally:
        after.close()


def test_the_probe_sees_every_leak_of_a_reuse_without_clean_up(shared_browser, origins, monkeypatch):
    monkeypatch.setattr(PooledContext, "clean", lambda self: None)
    monkeypatch.setattr(PooledContext, "one_use", property(lambda self: False, lambda self, value: None), raising=False)
    pool = ContextPool(shared_browser)
    _plant(pool.open(OPTIONS, "kind"), origins)
    after = pool.open(OPTIONS, "kind")
    try:
        assert _probe(after, origins) == EVERY_LEAK
    finally:
        after.context.close()


def test_the_kinds_binding_calls_the_scenario_holding_the_context_and_its_script_runs_once(shared_browser, origins):
    pool = ContextPool(shared_browser)
    calls = []
    for scenario in ("first", "second"):
        ctx = pool.open(OPTIONS, "extension")
        ctx.expose_binding("cardBridge", lambda source, who=scenario: calls.append(who) or who)
        ctx.add_init_script(script="window.__runs = (window.__runs || 0) + 1")
        page = ctx.new_page()
        page.goto(origins[0] + "/")
        assert page.evaluate("() => window.cardBridge()") == scenario
        assert page.evaluate("() => window.__runs") == 1
        ctx.close()
    assert calls == ["first", "second"]


def test_another_scenario_of_the_same_kind_with_another_script_is_refused(shared_browser):
    pool = ContextPool(shared_browser)
    ctx = pool.open(OPTIONS, "extension")
    ctx.add_init_script(script="window.a = 1")
    ctx.new_page()
    ctx.close()
    again = pool.open(OPTIONS, "extension")
    with pytest.raises(RuntimeError, match="differs from the one its kind installed"):
        again.add_init_script(script="window.b = 1")
    again.context.close()


def test_other_options_or_kinds_get_their_own_context(shared_browser):
    pool = ContextPool(shared_browser)
    first = pool.open(OPTIONS, "a")
    first.close()
    assert pool.open(OPTIONS, "b") is not first
    assert pool.open({**OPTIONS, "locale": "en-US"}, "a") is not first
    assert pool.open(OPTIONS, "a") is first


@pytest.mark.parametrize("add", ["init script", "binding", "function", "clock"])
def test_each_thing_that_cannot_be_undone_makes_the_context_one_use(shared_browser, add):
    pool = ContextPool(shared_browser)
    first = pool.open(OPTIONS, "kind")
    first.new_page()
    {"init script": lambda: first.add_init_script(script="window.x = 1"),
     "binding": lambda: first.expose_binding("leak", lambda source: 1),
     "function": lambda: first.expose_function("leak", lambda: 1),
     "clock": lambda: first.clock.install()}[add]()
    first.close()
    after = pool.open(OPTIONS, "kind")
    assert after is not first
    after.close()
