"""The live browser guard sees every hop (issue 10, item 5).

Playwright's routes do not see the hops of a redirect: Chromium follows a 302 on its own, so a page of the site
under test that redirects to another host would reach that host unguarded, uncounted and unthrottled. WebSockets
bypass HTTP routes altogether. Both are shown here against the fake live site (127.0.0.2) and a foreign host
(127.0.0.3) that must never see a request.
"""

from __future__ import annotations

import pytest

from live.browser import BrowserGuard
from live.gentle import RequestBudget, SubmitGate
from live.sites import SiteMap
from tests.live.fake_site import FakeLiveSite, default_pages

pytestmark = pytest.mark.browser


class CountingBucket:
    """A rate limiter that counts instead of waiting (no test asserts a wall-clock time)."""

    def __init__(self) -> None:
        self.acquired = 0

    def acquire(self) -> None:
        self.acquired += 1


@pytest.fixture
def sites_and_guard(shared_browser):
    with FakeLiveSite("127.0.0.3") as foreign:
        redirects = {"/moved-away": foreign.base_url + "/landing", "/moved-here": "/rasens-u/"}
        pages = {**default_pages(), "/socket.html": "<html><body><script>window.ws = new WebSocket("
                                 "'ws://' + location.host + '/socket');</script></body></html>"}
        with FakeLiveSite(redirects=redirects, pages=pages) as site:
            bucket, budget = CountingBucket(), RequestBudget(10)
            guard = BrowserGuard(SiteMap.single(site.base_url), SubmitGate(False), budget, bucket)
            context = shared_browser.new_context()
            guard.install(context)
            yield site, foreign, guard, budget, bucket, guard.new_page()
            context.close()


def test_a_redirect_to_a_foreign_host_is_refused_at_the_hop(sites_and_guard):
    site, foreign, guard, budget, bucket, page = sites_and_guard
    with pytest.raises(Exception, match="ERR_BLOCKED_BY_CLIENT"):
        page.goto(site.base_url + "/moved-away")
    assert foreign.arrivals == []
    assert guard.sent == [f"GET {site.base_url}/moved-away"]
    assert guard.refused == [f"GET {foreign.base_url}/landing: host '127.0.0.3' is outside the sites under test"]


def test_each_hop_of_a_redirect_is_counted_and_rate_limited(sites_and_guard):
    site, foreign, guard, budget, bucket, page = sites_and_guard
    response = page.goto(site.base_url + "/moved-here")
    assert (response.status, page.url) == (200, site.base_url + "/rasens-u/")
    assert guard.sent == [f"GET {site.base_url}/moved-here", f"GET {site.base_url}/rasens-u/"]
    assert [path for _, _, path in site.arrivals] == ["/moved-here", "/rasens-u/"]
    assert (budget.used, bucket.acquired) == (2, 2)


def test_a_websocket_is_refused(sites_and_guard):
    site, foreign, guard, budget, bucket, page = sites_and_guard
    page.goto(site.base_url + "/socket.html")
    page.wait_for_function("window.ws.readyState === WebSocket.CLOSED")
    assert [path for _, _, path in site.arrivals] == ["/socket.html"]
    assert guard.refused == [f"WEBSOCKET ws://{site.base_url.split('//')[1]}/socket: the harness opens no WebSocket "
                             "to a live site"]


def test_a_page_the_guard_did_not_open_gets_nothing(sites_and_guard):
    """A popup (or a page opened around the guard) would have its redirect hops unwatched: it is refused."""
    site, foreign, guard, budget, bucket, page = sites_and_guard
    with pytest.raises(Exception, match="ERR_BLOCKED_BY_CLIENT"):
        page.context.new_page().goto(site.base_url + "/rasens-u/")
    assert site.arrivals == []
    assert guard.refused == [f"GET {site.base_url}/rasens-u/: from a page the guard did not open (its redirects would "
                             "go unchecked); open pages with BrowserGuard.new_page"]
