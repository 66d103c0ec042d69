"""The public-page checks in Chromium: record a HAR (live, staging or simulation) or replay one (CI).

Chromium's traffic never passes through vcrpy (harness-tools.md §2.4), so the browser has its own recording: a
Playwright HAR with content embedded, scrubbed afterwards, replayed with ``route_from_har(not_found="abort")``.
Every browser request first meets the same guards as the harness's own HTTP: a non-GET is aborted before it is
sent unless submission was allowed twice, hosts outside the site map are aborted (no third-party trackers, no
wandering), and when recording, the token bucket and the request cap apply. Every *hop*: Chromium follows a
redirect on its own and Playwright's routes never see the next hop (even after ``route.fetch`` and ``fulfill``), so
each page also gets Chromium's own request interception (CDP ``Fetch``), which pauses every hop of a redirect chain:
the hops meet the same guards there. Pages are opened with ``BrowserGuard.new_page`` so that interception is on
before their first request; a page the guard did not open (a popup) gets nothing. WebSockets are refused.
"""

from __future__ import annotations

import contextlib
import json
import re
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

from wiring.chromium import CHROMIUM_ARGS, chromium_path

from .checks import JPKI_BROWSER_PATTERN, CheckResult
from .gentle import LiveGuardError, RequestBudget, SubmitGate, TokenBucket
from .scrub import Scrubber, scrub_url
from .sites import ENTRY_BUTTON_TEXT, TOP_PAGE_NAMES, SiteMap

#: In replay nothing may reach a network: every host name fails to resolve; the HAR answers before resolution.
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND"]


def launch(playwright, extra_args: list[str] | None = None):
    return playwright.chromium.launch(headless=True, executable_path=chromium_path(),
                                      args=CHROMIUM_ARGS + list(extra_args or []))


class BrowserGuard:
    """A context route that applies the live guards to every request the browser makes."""

    def __init__(self, sites: SiteMap, gate: SubmitGate, budget: RequestBudget | None = None,
                 bucket: TokenBucket | None = None):
        self.hosts = sites.hosts()
        self.gate, self.budget, self.bucket = gate, budget, bucket
        self.refused: list[str] = []
        self.sent: list[str] = []
        self._watched: dict[int, object] = {}  # id(page) -> its CDP session

    def install(self, context) -> None:
        self._context = context
        context.route("**/*", self._handle)
        context.route_web_socket(re.compile(".*"), self._refuse_web_socket)

    def new_page(self):
        """A page of the guarded context whose redirect hops are guarded too (see the module doc)."""
        page = self._context.new_page()
        self._watch_hops(page)
        return page

    def _page_watched(self, request) -> bool:
        try:
            return id(request.frame.page) in self._watched
        except Exception:  # noqa: BLE001 - a worker's request has no frame: its page's hops are not watched
            return False

    def _check(self, method: str, url: str) -> str | None:
        """None when the request may go; otherwise why not (and it is recorded as refused)."""
        host = urlsplit(url).hostname or ""
        where = f"{method} {scrub_url(url)}"
        try:
            if host not in self.hosts:
                raise LiveGuardError(f"host {host!r} is outside the sites under test")
            self.gate.authorize(method, url)
            if self.budget is not None:
                self.budget.take(where)
            if self.bucket is not None:
                self.bucket.acquire()
        except LiveGuardError as exc:
            self.refused.append(f"{where}: {exc}")
            return str(exc)
        self.sent.append(where)
        return None

    def _handle(self, route) -> None:
        request = route.request
        if request.url.startswith(("data:", "blob:")):
            route.fallback()
        elif not self._page_watched(request):
            self.refused.append(f"{request.method} {scrub_url(request.url)}: from a page the guard did not open "
                                "(its redirects would go unchecked); open pages with BrowserGuard.new_page")
            route.abort("blockedbyclient")
        elif self._check(request.method, request.url) is None:
            route.fallback()
        else:
            route.abort("blockedbyclient")

    def _watch_hops(self, page) -> None:
        """Chromium's interception pauses each hop of a redirect (``redirectedRequestId``); first hops are the
        route's and pass straight on. Switched on before the page's first request (a ``page`` event handler would
        race its first navigation)."""
        cdp = self._context.new_cdp_session(page)
        self._watched[id(page)] = cdp

        def paused(event: dict) -> None:
            request, rid = event["request"], {"requestId": event["requestId"]}
            if event.get("redirectedRequestId") and self._check(request["method"], request["url"]) is not None:
                cdp.send("Fetch.failRequest", {**rid, "errorReason": "BlockedByClient"})
            else:
                cdp.send("Fetch.continueRequest", rid)

        cdp.on("Fetch.requestPaused", paused)
        cdp.send("Fetch.enable", {"patterns": [{"urlPattern": "*", "requestStage": "Request"}]})

    def _refuse_web_socket(self, ws) -> None:
        """Not connecting the route to the server means nothing is sent; closing tells the page so."""
        self.refused.append(f"WEBSOCKET {scrub_url(ws.url)}: the harness opens no WebSocket to a live site")
        ws.close(code=1008, reason="refused by ras-e2e")


def _names_present(page, names: list[str]) -> list[str]:
    missing = []
    for name in names:
        if name.startswith("link:"):
            if page.get_by_role("link", name=name[5:], exact=True).count() == 0:
                missing.append(name)
            continue
        if name.startswith("form#"):
            selector = f"form[id='{name[5:]}']"
        elif name.startswith("#"):
            selector = f"[id='{name[1:]}']"
        else:
            selector = f"[name='{name}'], [id='{name}']"
        if page.locator(selector).count() == 0:
            missing.append(name)
    return missing


def browser_checks(page, sites: SiteMap, generations: tuple[str, ...] = ("ras", "rasens")) -> list[CheckResult]:
    """Open the agency page like a person, find the entry button near its end, follow it, check the top page's
    element names; check the JPKI download page and the other generation's top page."""
    agency = sites.url("agency")
    try:
        resp = page.goto(agency, wait_until="domcontentloaded")
        status = resp.status if resp else 0
    except Exception as exc:  # navigation aborted or failed
        return [CheckResult("browser:agency", "fail", f"could not open the page: {type(exc).__name__}", agency)]
    results = [CheckResult("browser:agency", "pass" if 200 <= status < 400 else "fail", f"HTTP {status}", agency)]
    entry, visited = _entry_button_checks(page, sites, generations, agency)
    results += entry
    for gen in generations:
        if gen not in visited and sites.has(f"{gen}_top"):
            results.append(_top_page_check(page, gen, sites.url(f"{gen}_top")))
    if sites.has("jpki_download"):
        results.append(_jpki_download_check(page, sites.url("jpki_download")))
    return results


def _entry_button_checks(page, sites: SiteMap, generations, agency: str) -> tuple[list[CheckResult], set[str]]:
    """Click the agency page's entry button: where it sits, where it leads, and that top page's element names;
    also the generations whose top page this visited."""
    button = page.get_by_role("link", name=ENTRY_BUTTON_TEXT)
    if button.count() == 0:
        button = page.get_by_text(ENTRY_BUTTON_TEXT)
    if button.count() == 0:
        return [CheckResult("browser:entry-button", "fail", f"no element reads {ENTRY_BUTTON_TEXT!r}", agency)], set()
    ratio = button.first.evaluate(
        "e => { const r = e.getBoundingClientRect(); const h = document.documentElement.scrollHeight || 1;"
        " return (r.top + window.scrollY) / h; }")
    button.first.click()
    page.wait_for_load_state("domcontentloaded")
    landed = page.url
    gen = next((g for g in generations if sites.has(f"{g}_top") and landed.rstrip("/").startswith(sites.url(f"{g}_top").rstrip("/"))), None)
    data = {"position": round(ratio, 3), "landed": scrub_url(landed), "generation": gen}
    if gen is None:
        return [CheckResult("browser:entry-button", "fail", f"the button led to {scrub_url(landed)}", agency, data)], set()
    status = "pass" if ratio >= 0.5 else "warn"
    return [CheckResult("browser:entry-button", status,
                        f"clicked; landed on the {gen} top page (button at {ratio:.0%})", agency, data),
            _top_names_check(page, gen, landed)], {gen}


def _top_names_check(page, gen: str, url: str) -> CheckResult:
    missing = _names_present(page, TOP_PAGE_NAMES[gen])
    return CheckResult(f"browser:top:{gen}", "fail" if missing else "pass",
                       ("missing: " + ", ".join(missing)) if missing else "element names present", url,
                       {"missing": missing})


def _top_page_check(page, gen: str, url: str) -> CheckResult:
    """A generation's top page opened directly (the entry button led to the other one)."""
    try:
        resp = page.goto(url, wait_until="domcontentloaded")
    except Exception as exc:  # navigation aborted or failed: the check fails, saying how
        return CheckResult(f"browser:top:{gen}", "fail", f"could not open: {type(exc).__name__}", url)
    if not resp or resp.status >= 400:
        return CheckResult(f"browser:top:{gen}", "fail", f"HTTP {resp.status if resp else '?'}", url)
    return _top_names_check(page, gen, url)


def _jpki_download_check(page, url: str) -> CheckResult:
    """The JPKI download page still offers the browser (Edge/Chrome) version the portal needs."""
    try:
        resp = page.goto(url, wait_until="domcontentloaded")
        text = page.inner_text("body") if resp and resp.ok else ""
    except Exception as exc:  # navigation aborted or failed: the check fails, saying how
        return CheckResult("browser:jpki-download", "fail", f"could not open: {type(exc).__name__}", url)
    m = JPKI_BROWSER_PATTERN.search(text)
    return CheckResult("browser:jpki-download", "pass" if m else "fail",
                       f"offers the browser version ({m.group(0)})" if m else
                       "does not mention the browser (Edge/Chrome) version", url)


def record(sites: SiteMap, har_path: Path, scrubber: Scrubber, gate: SubmitGate, budget: RequestBudget | None,
           bucket: TokenBucket | None, generations=("ras", "rasens"), extra_args: list[str] | None = None,
           user_agent: str | None = None, browser=None) -> tuple[list[CheckResult], BrowserGuard]:
    """Run the browser checks against a site while recording a HAR; scrub it into ``har_path``."""
    har_path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "raw.har"
        with _browser(browser, extra_args) as b:
            context = b.new_context(record_har_path=str(raw), record_har_content="embed",
                                    record_har_mode="full", service_workers="block", user_agent=user_agent)
            guard = BrowserGuard(sites, gate, budget, bucket)
            guard.install(context)
            page = guard.new_page()
            try:
                results = browser_checks(page, sites, generations)
            finally:
                context.close()
        har = json.loads(raw.read_text(encoding="utf-8"))
        har_path.write_text(json.dumps(scrubber.har(har), ensure_ascii=False, indent=1), encoding="utf-8")
    return results, guard


@contextlib.contextmanager
def _browser(existing, extra_args):
    """The caller's browser (a test session's), or one of our own for the command line."""
    if existing is not None:
        yield existing
        return
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        own = launch(pw, extra_args)
        try:
            yield own
        finally:
            own.close()


@contextlib.contextmanager
def replay_context(har_path: Path, sites: SiteMap, gate: SubmitGate | None = None, browser=None):
    """A browser context answered only by the HAR (unmatched requests are aborted; no network at all)."""
    with _browser(browser, OFFLINE_ARGS) as b:
        context = b.new_context(service_workers="block")
        context.route_from_har(str(har_path), not_found="abort")
        guard = BrowserGuard(sites, gate or SubmitGate(False))
        guard.install(context)  # registered last, so it runs first and falls back to the HAR
        try:
            yield context, guard
        finally:
            context.close()


def replay(har_path: Path, sites: SiteMap, generations=("ras", "rasens"), browser=None) -> list[CheckResult]:
    with replay_context(har_path, sites, browser=browser) as (_context, guard):
        return browser_checks(guard.new_page(), sites, generations)
