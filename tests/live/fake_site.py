"""A local server that plays the live site on another loopback host (127.0.0.2), with planted secrets.

It serves the public pages under the simulation's paths (a "staging portal" base URL), sets a session cookie on
every answer, puts a CSRF token and a personal e-mail address and residence card number into the agency page,
records when each request arrived, and counts every non-GET it receives (there must be none). ``redirects`` maps a
path to a Location it answers 302 with (a redirect hop the browser follows on its own).
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PLANTED_COOKIE = "PLANTEDSESSION7f3a9c"
PLANTED_TOKEN = "PLANTEDCSRF5e1d2b"
PLANTED_MAIL = "taro.planted@example.com"
PLANTED_CARD = "AB12345678CD"
PLANTED_QUERY_TOKEN = "PLANTEDQUERY0c4e"

FILLER = "".join(f"<p>在留申請のオンライン手続についての説明 {i}。オンラインで申請できる手続の一覧です。</p>" for i in range(30))


def default_pages() -> dict[str, str]:
    return {
        "/isa/applications/online/onlineshinsei.html": f"""<!doctype html><html lang="ja"><head><meta charset="utf-8">
<meta name="csrf-token" content="{PLANTED_TOKEN}"><title>在留申請のオンライン手続 | 出入国在留管理庁</title></head>
<body><h1>在留申請のオンライン手続</h1>{FILLER}
<p>お問い合わせ: {PLANTED_MAIL}（在留カード番号 {PLANTED_CARD} の例）</p>
<ul><li><a href="/isa/applications/online/10_00112.html">外国人本人・法定代理人・親族の方</a></li>
<li><a href="/jpki/download/">利用者クライアントソフトのダウンロード</a></li>
<li><a href="/isa/applications/online/missing.html?sid={PLANTED_QUERY_TOKEN}">古い案内</a></li></ul>
<form id="search" method="get"><input type="hidden" name="csrf_token" value="{PLANTED_TOKEN}"></form>
<h2>オンライン申請</h2>
<p><a class="btn-green" href="/rasens-u/">在留申請オンラインシステムのご利用はこちらから。</a></p>
<p>フッター</p></body></html>""",
        "/isa/applications/online/10_00112.html": """<!doctype html><html lang="ja"><head><meta charset="utf-8">
<title>外国人本人・法定代理人・親族の方 | 出入国在留管理庁</title></head><body><h1>STEP0 事前準備</h1>
<p><a href="/jpki/download/">利用者クライアントソフト</a> <a href="/isa/applications/online/onlineshinsei.html">戻る</a>
<a href="https://elsewhere.example.org/">外部</a></p></body></html>""",
        "/jpki/download/": """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>ダウンロード | 公的個人認証サービス</title>
</head><body><h1>利用者クライアントソフトのダウンロード</h1>
<p>ブラウザ版（Edge/Chrome）の利用者クライアントソフトを提供しています。</p>
<ul><li><a href="/jpki/download/win.html">Windows版</a></li><li><a href="/jpki/download/mac.html">Mac版</a></li></ul>
</body></html>""",
        "/jpki/download/win.html": "<html><head><title>Windows</title></head><body><h1>Windows版</h1></body></html>",
        "/jpki/download/mac.html": "<html><head><title>Mac</title></head><body><h1>Mac版</h1></body></html>",
        "/WC01/WCAAS010/": """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>在留申請オンラインシステム</title></head>
<body><h1>在留申請オンラインシステム</h1><form id="WCAAS010Dto" method="post" action="/WC01/WCAAS010/login">
<input type="hidden" id="hdnUsrCert" name="hdnUsrCert" value=""><input type="hidden" id="hdnSignCert" name="hdnSignCert" value="">
<button type="submit" name="clickLogInKjnBtn">ログイン</button><button type="submit" name="clickTurkKjnBtn">新規利用者登録</button>
</form></body></html>""",
        "/rasens-u/": """<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>在留申請オンラインシステム（新）</title></head>
<body><h1>在留申請オンラインシステム</h1><ul><li><a href="/rasens-u/login">ログイン</a></li>
<li><a href="/rasens-u/register/terms">新規利用者登録</a></li><li><a href="/rasens-u/password/forgot">パスワードを忘れた場合</a></li>
</ul></body></html>""",
    }


class FakeLiveSite:
    def __init__(self, host: str = "127.0.0.2", pages: dict[str, str] | None = None,
                 redirects: dict[str, str] | None = None):
        self.host = host
        self.pages = pages if pages is not None else default_pages()
        self.redirects = dict(redirects or {})
        self.arrivals: list[tuple[float, str, str]] = []  # (monotonic, method, path)
        self.non_get: list[tuple[str, str]] = []
        self.from_browser: list[tuple[str, str]] = []  # (method, path) of arrivals that Chromium sent (Sec-Fetch-*)
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self, body: bytes | None):
                site.arrivals.append((time.monotonic(), self.command, self.path))
                if self.headers.get("Sec-Fetch-Mode"):  # requests (the HTTP checks) sends no Sec-Fetch-* header
                    site.from_browser.append((self.command, self.path))
                path = self.path.split("?")[0]
                html = site.pages.get(path)
                if path in site.redirects:
                    self.send_response(302)
                    self.send_header("Location", site.redirects[path])
                    data = b""
                elif html is None:
                    self.send_response(404)
                    data = b"<html><title>404</title><body>Not Found</body></html>"
                else:
                    self.send_response(200)
                    data = html.encode("utf-8")
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Set-Cookie", f"JSESSIONID={PLANTED_COOKIE}; Path=/; HttpOnly")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if body is None:
                    self.wfile.write(data)

            def do_GET(self):
                self._answer(None)

            def do_HEAD(self):
                self._answer(b"")

            def do_POST(self):
                site.non_get.append(("POST", self.path))
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                self._answer(None)

            do_PUT = do_POST
            do_DELETE = do_POST

        self.server = ThreadingHTTPServer((host, 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.server.server_address[1]}"

    def __enter__(self) -> FakeLiveSite:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
