"""The page's side of the extension protocol, in Chromium, with a fake extension answering jpkiRequest
(the real bridge is jpki_client's): extension missing, client error EW..., and a registration read."""

from __future__ import annotations

import json

import pytest

from tests.portal_mock import cards

pytestmark = pytest.mark.browser

FAKE = """
(() => {
  const cfg = %s;
  document.addEventListener('DOMContentLoaded', () => {
    if (!cfg.installed) return;
    const i = document.createElement('input'); i.type = 'hidden'; i.id = 'jpki-extension-is-installed';
    i.value = '1.0'; document.body.appendChild(i);
  });
  document.addEventListener('jpkiRequest', (ev) => {
    const req = JSON.parse(ev.detail);
    window.__requests = (window.__requests || []).concat([req]);
    const res = cfg.error ? {id: req.id, result: 'E', errorCode: 'EW000J0200',
                             errorMessage: 'ICカードリーダライタが接続されていません。'}
                          : {id: req.id, result: '0', certificate: cfg[req.mode]};
    setTimeout(() => document.dispatchEvent(new CustomEvent('jpkiResponse', {detail: JSON.stringify(res)})), 5);
  });
})();
"""


@pytest.fixture
def chromium(shared_browser):
    """The session's Chromium (Debian's binary, see fixtures/browser.py)."""
    return shared_browser


def test_page_protocol_in_chromium(make_env, chromium):
    e = make_env("ras", http=True)
    e.seed()
    card = e.card()
    for cfg, expect in [({"installed": False}, "拡張機能を確認できません"),
                        ({"installed": True, "error": True}, "EW000J0200")]:
        page = chromium.new_context().new_page()
        page.add_init_script(FAKE % json.dumps(cfg))
        page.goto(e.base_url + "/WC01/WCAAS010/")
        page.get_by_label("外国人本人・その他").check()
        page.get_by_role("button", name="新規利用者登録").click()
        page.get_by_role("alert").filter(has_text=expect).wait_for(timeout=5000)
    assert any(ev["code"] == "EW000J0200" for ev in e.events("error_shown"))
    page = chromium.new_context().new_page()
    page.add_init_script(FAKE % json.dumps({"installed": True, "sign": cards.b64(card.sign_cert), "auth": cards.b64(card.auth_cert)}))
    page.goto(e.base_url + "/isa/applications/online/onlineshinsei.html")
    page.get_by_role("link", name="在留申請オンラインシステムのご利用はこちらから。").click()
    page.get_by_label("外国人本人・その他").check()
    page.get_by_role("button", name="新規利用者登録").click()
    page.get_by_role("button", name="同意する").click()
    page.get_by_label("外国人本人", exact=True).check()
    page.get_by_role("button", name="次へ").click()
    page.get_by_label("在留カード番号").fill("AB12345678CD")
    page.get_by_label("メールアドレス", exact=True).fill("taro@example.co.jp")
    page.get_by_label("メールアドレス（確認用）").fill("taro@example.co.jp")
    page.get_by_role("button", name="確認").click()
    page.get_by_role("button", name="登録").click()
    page.get_by_text("様の利用者情報の登録が完了しました。").wait_for(timeout=5000)
    assert len(e.admin("GET", "registrations")[1]["registrations"]) == 1
