from __future__ import annotations

import requests

from tests.portal_mock.harness import Resp


class HttpBrowser:
    """Real HTTP against PortalServer (requests keeps cookies like a browser)."""

    def __init__(self, base_url: str, user_agent: str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/126") -> None:
        self.base_url = base_url
        self.s = requests.Session()
        self.s.headers["User-Agent"] = user_agent

    def get(self, path: str, **kw) -> Resp:
        r = self.s.get(self.base_url + path, timeout=10, **kw)
        return Resp(r.status_code, r.text, r.url.replace(self.base_url, "").split("?")[0])

    def post(self, path: str, data: dict, csrf_from: Resp | None = None, **kw) -> Resp:
        data = dict(data)
        if csrf_from is not None and "_csrf" not in data:
            data["_csrf"] = csrf_from.field("_csrf")
        r = self.s.post(self.base_url + path, data=data, timeout=10, **kw)
        return Resp(r.status_code, r.text, r.url.replace(self.base_url, "").split("?")[0])

    def admin(self, method: str, path: str, json=None):
        r = requests.request(method, self.base_url + "/__admin/" + path, json=json, timeout=10)
        return r.status_code, r.json()
