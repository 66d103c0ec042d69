from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from portal_mock.app import create_app
from portal_mock.models.urls import PREFIX
from portal_mock.settings import PortalSettings
from tests.portal_mock import cards
from virtual_card.pki import CardCredentials

CLOCK = {"ras": "2025-06-02T10:00:00+09:00", "rasens": "2026-02-02T10:00:00+09:00"}


def parse(s: str) -> datetime:
    return datetime.fromisoformat(s)


class Resp:
    def __init__(self, status: int, text: str, url: str) -> None:
        self.status, self.text, self.url = status, text, url

    def field(self, name: str) -> str | None:
        m = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', self.text)
        return m.group(1) if m else None

    def __repr__(self) -> str:
        return f"<Resp {self.status} {self.url}>"


class FlaskBrowser:
    """The Flask test client behind the same small interface as HttpBrowser."""

    def __init__(self, app, user_agent: str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126") -> None:
        self.app = app
        self.client = app.test_client()
        self.ua = user_agent

    def get(self, path: str, **kw) -> Resp:
        r = self.client.get(path, follow_redirects=True, headers={"User-Agent": self.ua}, **kw)
        return Resp(r.status_code, r.get_data(as_text=True), r.request.path)

    def post(self, path: str, data: dict, csrf_from: Resp | None = None, **kw) -> Resp:
        data = dict(data)
        if csrf_from is not None and "_csrf" not in data:
            data["_csrf"] = csrf_from.field("_csrf")
        r = self.client.post(path, data=data, follow_redirects=True, headers={"User-Agent": self.ua}, **kw)
        return Resp(r.status_code, r.get_data(as_text=True), r.request.path)

    def admin(self, method: str, path: str, json=None):
        r = self.client.open("/__admin/" + path, method=method, json=json)
        return r.status_code, r.get_json()


class Env:
    """One portal (Flask app or real server), its PKI and a browser."""

    def __init__(self, gen: str, tmp: Path, http: bool = False, **overrides) -> None:
        self.gen = gen
        self.prefix = PREFIX[gen]
        self.now = parse(CLOCK[gen])
        self.trust_dir = tmp / "trust"
        self.pki = cards.story_pki()
        self.pki.export_trust(self.trust_dir, self.now)
        self.cards_issued = 0
        self.settings = PortalSettings(db_path=tmp / "portal.sqlite3", trust_dir=self.trust_dir,
                                       clock_start=CLOCK[gen], **overrides)
        self.server = None
        if http:
            from portal_mock.server import PortalServer
            from tests.portal_mock.http_browser import HttpBrowser
            self.server = PortalServer(self.settings)
            self.base_url = self.server.start()
            self.portal = self.server.portal
            self.browser = HttpBrowser(self.base_url)
        else:
            self.app = create_app(self.settings)
            self.portal = self.app.portal
            self.browser = FlaskBrowser(self.app)

    def new_browser(self, **kw):
        if self.server:
            from tests.portal_mock.http_browser import HttpBrowser
            return HttpBrowser(self.base_url, **kw)
        return FlaskBrowser(self.app, **kw)

    def close(self) -> None:
        if self.server:
            self.server.stop()
        else:
            self.portal.store.close()

    # -- helpers ------------------------------------------------------------------------------------------
    def admin(self, method: str, path: str, json=None):
        return self.browser.admin(method, path, json)

    def seed(self, number="AB12345678CD", birth="1990-01-15", status="技術・人文知識・国際業務",
             until="2027-06-01", **kw):
        code, body = self.admin("POST", "residents", {"residence_card_number": number, "birth_date": birth,
                                                     "status_of_residence": status, "period_of_stay_until": until,
                                                     **kw})
        assert code == 201, body
        return number

    def card(self, **person) -> CardCredentials:
        """A new card (its own keys and serials) for the person in `person` (see cards.profile)."""
        self.cards_issued += 1
        return cards.issue(self.pki, self.cards_issued, self.now, **person)

    def read_cards(self, page: Resp, card, kinds=("sign", "auth")) -> dict:
        chal = page.field("challenge")
        data = {}
        for kind in kinds:
            cert, key = (card.sign_cert, card.sign_key) if kind == "sign" else (card.auth_cert, card.auth_key)
            data["hdnSignCert" if kind == "sign" else "hdnUsrCert"] = cards.b64(cert)
            if chal:
                data["hdnSignSig" if kind == "sign" else "hdnUsrSig"] = cards.answer(key, chal)
        return data

    def start_registration(self, card, b=None) -> Resp:
        """-> the terms page (ras: after the card reads on the top page)."""
        b = b or self.browser
        if self.gen == "ras":
            top = b.get(self.prefix + "/")
            return b.post(self.prefix + "/ras", {"usrKbn": "1", "clickTurkKjnBtn": "1", **self.read_cards(top, card)},
                          csrf_from=top)
        return b.get(self.prefix + "/register/terms")

    def to_info(self, card, category="self", b=None) -> Resp:
        b = b or self.browser
        terms = self.start_registration(card, b)
        if terms.status != 200:
            return terms
        cat = b.post(self.prefix + "/register/terms", {"agree": "1"}, csrf_from=terms)
        assert "利用者区分" in cat.text
        page = b.post(self.prefix + "/register/category", {"category": category}, csrf_from=cat)
        if self.gen == "rasens":
            assert "署名用電子証明書を読み取る" in page.text
            page = b.post(self.prefix + "/register/card/sign", self.read_cards(page, card, ("sign",)), csrf_from=page)
            if page.status != 200:
                return page
            assert "利用者証明用電子証明書を読み取る" in page.text
            page = b.post(self.prefix + "/register/card/auth", self.read_cards(page, card, ("auth",)), csrf_from=page)
        return page

    def register(self, card, number="AB12345678CD", email="taro@example.co.jp", category="self", b=None,
                 **extra) -> Resp:
        b = b or self.browser
        info = self.to_info(card, category, b)
        if info.status != 200:
            return info
        assert "メールアドレス（確認用）" in info.text, info.text
        conf = b.post(self.prefix + "/register/info", {"residence_card_number": number, "email": email,
                                                       "email_confirm": email, **extra}, csrf_from=info)
        if conf.status != 200 or "登録内容の確認" not in conf.text:
            return conf
        return b.post(self.prefix + "/register/confirm", {"register": "1"}, csrf_from=conf)

    def mails(self, address: str) -> list[dict]:
        code, body = self.admin("GET", f"mailbox/{address}")
        assert code == 200
        return body["mails"]

    def link(self, address: str, kind: str = "registered") -> str:
        mails = [m for m in self.mails(address) if m["kind"] == kind]
        assert mails, f"no {kind} mail for {address}"
        u = urlsplit(mails[-1]["links"][0])
        return f"{u.path}?{u.query}"

    def set_password(self, address: str, password: str = "Passw0rd!x", kind: str = "registered", b=None) -> Resp:
        b = b or self.browser
        page = b.get(self.link(address, kind))
        assert page.status == 200, page.text
        return b.post(page.url, {"token": page.field("token"), "password": password,
                                                  "password_confirm": password}, csrf_from=page)

    def login(self, card, password: str = "Passw0rd!x", b=None) -> Resp:
        b = b or self.browser
        if self.gen == "ras":
            top = b.get(self.prefix + "/")
            page = b.post(self.prefix + "/ras", {"usrKbn": "1", "clickLogInKjnBtn": "1",
                                                 **self.read_cards(top, card, ("auth",))}, csrf_from=top)
        else:
            lp = b.get(self.prefix + "/login")
            page = b.post(self.prefix + "/login", self.read_cards(lp, card, ("auth",)), csrf_from=lp)
        if page.status != 200 or "パスワードの入力" not in page.text:
            return page
        return b.post(self.prefix + "/login/password", {"password": password}, csrf_from=page)

    def events(self, kind: str | None = None) -> list[dict]:
        _, body = self.admin("GET", "events")
        return [e for e in body["events"] if kind is None or e["kind"] == kind]

    def advance(self, **kw) -> None:
        """Move the portal's clock, and publish the CRLs J-LIS would have published by then (TestPKI's are good for
        a day, so a story that skips days would otherwise meet an out-of-date CRL)."""
        code, body = self.admin("POST", "clock/advance", kw)
        assert code == 200, body
        self.publish_trust()

    def publish_trust(self) -> None:
        """The CAs, fresh CRLs (with the revocations so far) and OCSP responders, as of the portal's clock."""
        self.pki.export_trust(self.trust_dir, parse(self.admin("GET", "clock")[1]["now"]))


