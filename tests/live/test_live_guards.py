"""The live path against a local server that plays the live site on another loopback host (127.0.0.2)."""

from __future__ import annotations

import datetime as dt

import pytest

from live import drift
from live.checks import PageCheck
from live.gentle import (
    GentleSession,
    LiveHostRefused,
    LiveRequestCapReached,
    LiveSubmitRefused,
    SubmitGate,
    TokenBucket,
)
from live.record import make_recording
from live.recording import Recording
from live.settings import JST, LiveSettings, ServiceHours
from live.sites import SiteMap
from tests.live.fake_site import (
    PLANTED_CARD,
    PLANTED_COOKIE,
    PLANTED_MAIL,
    PLANTED_QUERY_TOKEN,
    PLANTED_TOKEN,
    FakeLiveSite,
    default_pages,
)

PLANTED = [PLANTED_COOKIE, PLANTED_TOKEN, PLANTED_MAIL, PLANTED_CARD, PLANTED_QUERY_TOKEN, "127.0.0.2"]


@pytest.fixture
def site():
    with FakeLiveSite() as s:
        yield s


def test_defaults_are_gentle():
    s = LiveSettings()
    assert s.rate == 0.5 and s.max_requests == 30 and not s.allow_submit
    assert s.user_agent.startswith("ras-e2e/") and "read-only" in s.user_agent
    assert GentleSession().headers["User-Agent"] == s.user_agent


def test_rate_limit_spaces_requests(site):
    """The session waits 1/rate before every request after the first. Measured on a fake clock: gaps between
    arrivals at the server would depend on the scheduler (under load the first request can arrive late)."""
    sites = SiteMap.single(site.base_url)
    session = GentleSession(LiveSettings(rate=4, max_requests=10), allowed_hosts=sites.hosts())
    assert (session.bucket.rate, session.bucket.burst) == (4, 1)
    now, slept = [0.0], []
    session.bucket = TokenBucket(4, 1, clock=lambda: now[0],
                                 sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)))
    for _ in range(5):
        session.get(sites.url("agency"))
    assert slept == pytest.approx([0.25] * 4) and len(site.arrivals) == 5
    assert site.arrivals[0][1] == "GET"


def test_token_bucket_with_a_fake_clock():
    now = [0.0]
    slept = []
    bucket = TokenBucket(0.5, 1, clock=lambda: now[0], sleep=lambda s: (slept.append(s), now.__setitem__(0, now[0] + s)))
    for _ in range(3):
        bucket.acquire()
    assert slept == [2.0, 2.0]


def test_request_cap(site):
    sites = SiteMap.single(site.base_url)
    session = GentleSession(LiveSettings(rate=5, burst=5, max_requests=3), allowed_hosts=sites.hosts())
    for _ in range(3):
        session.get(sites.url("agency"))
    with pytest.raises(LiveRequestCapReached):
        session.get(sites.url("agency"))
    assert len(site.arrivals) == 3
    results = PageCheck(session, sites).run_all()  # the checks degrade to "skip", nothing more is sent
    assert len(site.arrivals) == 3 and {r.status for r in results} <= {"skip"}


def test_a_submission_is_refused_before_it_is_sent(site):
    sites = SiteMap.single(site.base_url)
    session = GentleSession(LiveSettings(rate=5), allowed_hosts=sites.hosts())
    with pytest.raises(LiveSubmitRefused, match="--allow-live-submit"):
        session.post(sites.url("ras_top") + "login", data={"clickLogInKjnBtn": "1"})
    # the option alone is not enough: the typed confirmation must match
    typed = []
    gate = SubmitGate(True, confirm=lambda prompt: typed.append(prompt) or "yes")
    session = GentleSession(LiveSettings(rate=5, allow_submit=True), gate=gate, allowed_hosts=sites.hosts())
    with pytest.raises(LiveSubmitRefused, match="did not match"):
        session.post(sites.url("ras_top"), data={"a": "b"})
    assert typed and "submit to 127.0.0.2" in typed[0]
    assert site.non_get == [] and site.arrivals == []
    # both: option and the exact phrase
    gate = SubmitGate(True, confirm=lambda prompt: "submit to 127.0.0.2")
    session = GentleSession(LiveSettings(rate=5, allow_submit=True), gate=gate, allowed_hosts=sites.hosts())
    session.post(sites.url("ras_top"), data={"a": "b"})
    assert len(site.non_get) == 1


def test_hosts_outside_the_site_map_are_refused(site):
    session = GentleSession(LiveSettings(rate=5), allowed_hosts={"127.0.0.2"})
    with pytest.raises(LiveHostRefused):
        session.get("http://127.0.0.1:9/")


def test_service_hours():
    hours = ServiceHours("mon-fri 08:30-17:15")
    ok, _ = hours.check(dt.datetime(2026, 11, 25, 10, 0, tzinfo=JST))  # Wednesday
    assert ok
    ok, reason = hours.check(dt.datetime(2026, 11, 28, 10, 0, tzinfo=JST))  # Saturday
    assert not ok and "outside the agency's service hours" in reason and "--live-hours" in reason
    ok, _ = hours.check(dt.datetime(2026, 11, 25, 17, 15, tzinfo=JST))
    assert not ok
    maint = ServiceHours(maintenance=((dt.datetime(2026, 12, 15, 3, tzinfo=JST), dt.datetime(2026, 12, 15, 4, tzinfo=JST)),))
    assert not maint.check(dt.datetime(2026, 12, 15, 3, 30, tzinfo=JST))[0]
    assert ServiceHours().check(dt.datetime(2026, 12, 15, 3, 30, tzinfo=JST))[0]


@pytest.fixture(scope="module")
def recorded(tmp_path_factory, shared_browser):
    """One recording of the fake live site (HTTP cassette + HAR), made with the gentle settings."""
    out = tmp_path_factory.mktemp("rec")
    with FakeLiveSite() as s:
        prov = make_recording("fake-live", SiteMap.single(s.base_url), out, recorded_from="test", generation="rasens",
                              settings=LiveSettings(rate=5, burst=2, max_requests=40),
                              origin_map={s.base_url: "http://live.ras-e2e.invalid"},
                              canonical=SiteMap.single("http://live.ras-e2e.invalid"), extra_secrets=("山田太郎",),
                              playwright_browser=shared_browser)
        arrivals = list(s.arrivals)
        non_get = list(s.non_get)
        from_browser = list(s.from_browser)
    return out / "fake-live", prov, arrivals, non_get, from_browser


@pytest.mark.browser
def test_recordings_are_scrubbed(recorded):
    directory, prov, arrivals, non_get, from_browser = recorded
    # The guards' count covers every request of the HTTP checks and every distinct request Chromium sent. Not
    # len(arrivals): under load Chromium resends a request on a fresh connection, below the route that counts.
    assert non_get == [] and len(arrivals) - len(from_browser) + len(set(from_browser)) <= prov.requests <= 40
    assert from_browser, "no request came from Chromium: the browser's part of the count is not tested"
    for name in ("http.yaml", "browser.har", "provenance.yaml"):
        text = (directory / name).read_text(encoding="utf-8")
        for secret in PLANTED:
            assert secret not in text, f"{secret} in {name}"
        if name != "provenance.yaml":  # (the provenance names the scrub rules, which mention the header)
            assert "Set-Cookie" not in text and "JSESSIONID" not in text
    har = (directory / "browser.har").read_text(encoding="utf-8")
    assert "SCRUBBED" in (directory / "http.yaml").read_text(encoding="utf-8") and "SCRUBBED" in har
    p = Recording.load(directory).provenance
    assert p.recorded_from == "test" and p.date and p.harness_version and p.sites["origins"]["agency"].endswith(".invalid")
    assert any(c["name"] == "agency:entry-button" and c["status"] == "pass" for c in p.checks)
    assert any(c["name"] == "links:agency" and c["status"] == "fail" for c in p.checks)  # the planted dead link


@pytest.mark.browser
def test_drift_report_finds_a_planted_change(recorded, tmp_path):
    directory, *_ = recorded
    rec = Recording.load(directory)
    recorded_facts = drift.facts_from_pages(rec.pages())
    same = drift.compare(recorded_facts, drift.facts_from_pages(rec.pages()))
    assert not same.drifted
    pages = default_pages()
    changed = {k: v for k, v in pages.items()}
    changed["/WC01/WCAAS010/"] = changed["/WC01/WCAAS010/"].replace("clickTurkKjnBtn", "clickNewUserBtn")
    changed["/isa/applications/online/onlineshinsei.html"] = changed[
        "/isa/applications/online/onlineshinsei.html"].replace("<h2>オンライン申請</h2>", "<h2>オンライン申請の入口</h2>")
    del changed["/jpki/download/"]
    sim = SiteMap.single("http://sim.invalid")
    simulated = {k: (sim.url(k), changed[sim.paths[k]]) for k in sim.pages() if sim.paths[k] in changed}
    report = drift.compare(recorded_facts, drift.facts_from_pages(simulated), "fake-live", "changed simulation")
    assert report.drifted
    by_page = {p.page: p for p in report.pages}
    assert "button[name=clickTurkKjnBtn]" in by_page["ras_top"].names_added
    assert "button[name=clickNewUserBtn]" in by_page["ras_top"].names_removed
    assert "heading: オンライン申請" in by_page["agency"].texts_added
    assert "heading: オンライン申請の入口" in by_page["agency"].texts_removed
    assert report.pages_added == ["jpki_download"]
    md, html_path, js = report.write(tmp_path)
    assert "clickNewUserBtn" in md.read_text() and "clickNewUserBtn" in html_path.read_text() and js.exists()


@pytest.mark.browser
def test_browser_submission_is_refused(site, shared_browser):
    from live import browser
    from live.gentle import RequestBudget

    sites = SiteMap.single(site.base_url)
    context = shared_browser.new_context()
    guard = browser.BrowserGuard(sites, SubmitGate(False), RequestBudget(10), TokenBucket(5, 5))
    guard.install(context)
    page = guard.new_page()
    page.goto(sites.url("ras_top"))
    page.click("button[name=clickLogInKjnBtn]")
    page.wait_for_timeout(300)
    context.close()
    assert site.non_get == []
    assert any(r.startswith("POST") for r in guard.refused)


def test_rate_and_cap_options_are_validated():
    with pytest.raises(ValueError):
        LiveSettings(rate=50)
    with pytest.raises(ValueError):
        LiveSettings(max_requests=0)
    with pytest.raises(ValueError):
        ServiceHours("weekdays 9-5")


def test_timer_sanity():
    slept = []
    TokenBucket(10, 1, sleep=slept.append).acquire()  # the first token is there: no wait (no wall clock asserted)
    assert slept == []
