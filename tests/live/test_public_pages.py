"""The read-only public-page checks. By default they replay the committed recordings (no network: vcrpy
record_mode="none", Playwright route_from_har); with --portal=live --i-accept-live-risk they run live."""

from __future__ import annotations

import pytest

from live.checks import PageCheck


def _by_name(results):
    return {r["name"] if isinstance(r, dict) else r.name: (r["status"] if isinstance(r, dict) else r.status)
            for r in results}


def test_public_pages_http(public_site):
    with public_site.http() as session:
        results = PageCheck(session, public_site.sites).run_all()
    got = _by_name(results)
    assert got["agency:entry-button"] == "pass", results
    failed = {n: s for n, s in got.items() if s == "fail"}
    if public_site.mode == "replay":
        assert got == _by_name(public_site.recording.provenance.checks), "replay differs from the recording"
        assert not failed, failed
        assert session.budget.used <= public_site.recording.provenance.requests
    else:
        assert not failed, f"the live site drifted: {failed}"


@pytest.mark.browser
def test_public_pages_browser(public_site, shared_browser):
    from live import browser

    if public_site.mode != "replay":
        pytest.skip("the browser part runs live only through `python -m live.record --live` (it records)")
    results = browser.replay(public_site.recording.har, public_site.sites, browser=shared_browser)
    got = _by_name(results)
    assert got == _by_name(public_site.recording.provenance.browser_checks)
    assert got.get("browser:entry-button") == "pass" and "fail" not in got.values()


def test_recordings_carry_provenance(public_site):
    if public_site.mode != "replay":
        pytest.skip("replay only")
    p = public_site.recording.provenance
    assert p.recorded_from in ("live", "simulation")
    assert p.date and p.harness_version and p.sites and p.scrubbed
    if p.recorded_from == "simulation":
        assert "simulation" in p.note and all(".invalid" in u for u in p.source_urls)
