"""The portal's session id changes at each step of login (issue 10, item 5): an id that someone planted or read
before login (session fixation) is worth nothing after it."""

from __future__ import annotations

from portal_mock.app import COOKIE
from portal_mock.models.urls import PREFIX
from tests.portal_mock.harness import FlaskBrowser


def sid(browser: FlaskBrowser, gen: str) -> str:
    return browser.client.get_cookie(COOKIE[gen], path=PREFIX[gen]).value


def test_the_session_id_rotates_at_login_and_the_old_one_is_worthless(env):
    env.seed()
    card = env.card()
    env.register(card)
    env.advance(minutes=2)
    env.set_password("taro@example.co.jp")
    b = env.new_browser()
    b.get(env.prefix + ("/" if env.gen == "ras" else "/login"))
    before = sid(b, env.gen)
    menu = env.login(card, b=b)
    assert (menu.status, menu.url, 'id="welcome"' in menu.text) == (200, env.prefix + "/menu", True), menu.text[-600:]
    after = sid(b, env.gen)
    assert after != before
    planted = env.new_browser()
    planted.client.set_cookie(COOKIE[env.gen], before, path=PREFIX[env.gen])
    page = planted.get(env.prefix + "/menu")
    assert (page.status, "WZBAM903E" in page.text) == (401, True), page.text[-600:]
