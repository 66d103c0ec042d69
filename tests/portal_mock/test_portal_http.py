"""Real HTTP against PortalServer (requests): the journey in both generations, the outage that drops only the
agency's connections, cookies, loopback control API, clean stop."""

from __future__ import annotations

import threading

import pytest
import requests


@pytest.mark.parametrize("gen", ["ras", "rasens"])
def test_journey_over_real_http_and_smtp(make_env, gen):
    e = make_env(gen, http=True)
    assert e.base_url.startswith("http://127.0.0.1:")
    assert e.server.smtp_port and e.server.smtp_port != 8025
    e.seed()
    card = e.card()
    done = e.register(card, email="taro@docomo.ne.jp")
    assert done.status == 200 and "登録が完了しました" in done.text
    e.advance(minutes=2)
    mail = e.mails("taro@docomo.ne.jp")[0]
    assert mail["links"][0].startswith(e.base_url + e.prefix + "/password?token=")
    assert e.set_password("taro@docomo.ne.jp").status == 200
    menu = e.login(card)
    assert menu.status == 200 and "様" in menu.text
    r = requests.get(e.base_url + e.prefix + "/", timeout=5)
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_outage_resets_agency_connections_only(make_env):
    e = make_env("ras", http=True)
    code, _ = e.admin("POST", "faults", {"kind": "outage", "duration_seconds": 5 * 86400})
    assert code == 201
    for path in ("/isa/applications/online/onlineshinsei.html", "/WC01/WCAAS010/", "/rasens-u/"):
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(e.base_url + path, timeout=5)
    assert requests.get(e.base_url + "/elsewhere/", timeout=5).status_code == 200
    assert e.admin("GET", "clock")[0] == 200  # the control API keeps working
    assert any(ev["kind"] == "outage_drop" for ev in e.events())
    e.advance(days=5)
    assert requests.get(e.base_url + "/WC01/WCAAS010/", timeout=5).status_code == 200


def test_control_api_refuses_non_loopback(make_env):
    e = make_env("ras")
    r = e.browser.client.get("/__admin/clock", environ_base={"REMOTE_ADDR": "192.0.2.10"})
    assert r.status_code == 403
    assert e.browser.client.get("/__admin/clock").status_code == 200


def test_stop_leaves_no_thread(make_env, tmp_path):
    from portal_mock.server import PortalServer
    from portal_mock.settings import PortalSettings
    before = set(threading.enumerate())
    s = PortalServer(PortalSettings(db_path=tmp_path / "x.sqlite3", trust_dir=None))
    url = s.start()
    assert requests.get(url + "/elsewhere/", timeout=5).status_code == 200
    s.stop()
    left = [t for t in set(threading.enumerate()) - before if t.is_alive()]
    assert left == []
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url + "/elsewhere/", timeout=2)


def test_cli_serve_prints_url_and_stops(tmp_path, capsys):
    from portal_mock import cli
    from tests.portal_mock import cards
    stop = threading.Event()
    result = {}

    def provider(directory, now):
        cards.story_pki().export_trust(directory, now)

    t = threading.Thread(target=lambda: result.setdefault("rc", cli.main(
        ["serve", "--generation", "rasens", "--db", str(tmp_path / "c.sqlite3")], trust_provider=provider,
        stop_event=stop)))
    t.start()
    import time
    for _ in range(100):
        if "portal simulation:" in capsys.readouterr().out + result.get("out", ""):
            break
        time.sleep(0.05)
    stop.set()
    t.join(10)
    assert result["rc"] == 0
    assert cli.main(["serve", "--trust-dir", str(tmp_path / "none")]) == 2


def test_a_slow_page_is_logged_without_its_query(make_env, monkeypatch, caplog):
    """A scenario that times out on a page must be able to say the page was slow (and never log a token)."""
    import portal_mock.app

    monkeypatch.setattr(portal_mock.app, "SLOW_REQUEST_SECONDS", -1.0)
    e = make_env("rasens", http=True)
    with caplog.at_level("WARNING", logger="portal_mock"):
        requests.get(e.base_url + e.prefix + "/password?token=secret-token", timeout=5)
    slow = [r.getMessage() for r in caplog.records if r.getMessage().startswith("slow page")]
    assert slow and "/rasens-u/password" in slow[0] and "secret-token" not in slow[0]
