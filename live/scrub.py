"""Scrubbing for recordings: no cookie, session id, CSRF token, e-mail address, residence card number, name or
other personal data may reach a committed cassette or HAR file.

What is removed or replaced (the same rules for vcrpy cassettes and HAR files):
* headers ``Cookie``, ``Set-Cookie``, ``Authorization``, ``Proxy-Authorization`` and any ``*csrf*``/``*xsrf*``/
  ``*token*``/``*session*`` header: dropped; HAR ``cookies`` arrays: emptied;
* query-string and form parameters whose name looks like a token, session id, credential or personal field:
  value replaced by ``SCRUBBED``; ``;jsessionid=…`` path parameters likewise;
* in bodies: values of such ``<input>`` fields and ``<meta name="csrf-token">``, e-mail addresses (except public
  ``*.go.jp`` institutional addresses), residence card numbers (``AA00000000AA`` shape), 12-digit numbers
  (My Number shape), and any extra literal the caller names (e.g. the holder's name from a card profile);
* the extra literals in every spelling and encoding (URL, ``\\u``, entities, hex, base64…), by the project's one
  scrubbing core (``secret_scrub``) and its mask;
* origins: a recording made against ``http://127.0.0.1:PORT`` is rewritten to a stable canonical origin so that
  replays match whatever port the simulation had.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from secret_scrub import MASK, scrubber_for

SCRUBBED = "SCRUBBED"
SCRUBBED_MAIL = "scrubbed@example.invalid"
SCRUBBED_CARD = "XX00000000XX"

_SECRET_NAME = re.compile(
    r"(?i)(token|csrf|xsrf|session|sess_?id|^sid$|jsessionid|auth|secret|nonce|ticket|passw|pwd|^pin|_pin|"
    r"password|apikey|api_key|signature|^code$|^state$|hdn\w*cert|cert$)"
)
_PERSONAL_NAME = re.compile(
    r"(?i)(mail|e_?mail|name|shimei|simei|kana|address|addr|jusho|juusho|birth|seinengappi|tel|phone|"
    r"zairyu|residence|card_?no|cardnumber|my_?number|kojin)"
)
_SENSITIVE_HEADERS = {"cookie", "set-cookie", "authorization", "proxy-authorization"}
_SENSITIVE_HEADER_RE = re.compile(r"(?i)(csrf|xsrf|token|session|auth)")

EMAIL_RE = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+-]+@([A-Za-z0-9-]+\.)+[A-Za-z]{2,}")
CARD_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{8}[A-Z]{2}(?![A-Za-z0-9])")
MYNUMBER_RE = re.compile(r"(?<![0-9])[0-9]{12}(?![0-9])")
_JSESSION_RE = re.compile(r"(?i);(jsessionid|phpsessid|sid)=[^?#/;]*")
_INPUT_RE = re.compile(r"<input\b[^>]*>", re.I | re.S)
_ATTR_RE = re.compile(r"""(\b[\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""", re.S)
_META_RE = re.compile(r"<meta\b[^>]*>", re.I | re.S)


def is_secret_param(name: str) -> bool:
    return bool(_SECRET_NAME.search(name) or _PERSONAL_NAME.search(name))


def _public_mail(m: re.Match) -> str:
    addr = m.group(0)
    return addr if addr.lower().endswith(".go.jp") else SCRUBBED_MAIL


def scrub_url(url: str) -> str:
    """Scrub token-like and personal query parameters and ``;jsessionid=`` path parameters."""
    if not url:
        return url
    parts = urlsplit(url)
    path = _JSESSION_RE.sub(lambda m: f";{m.group(1)}={SCRUBBED}", parts.path)
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, SCRUBBED if is_secret_param(k) else scrub_text(v)) for k, v in pairs], safe=",:/")
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


def scrub_text(text: str, extra: Iterable[str] = ()) -> str:
    if not text:
        return text
    text = EMAIL_RE.sub(_public_mail, text)
    text = CARD_RE.sub(SCRUBBED_CARD, text)
    text = MYNUMBER_RE.sub("000000000000", text)
    extra = tuple(e for e in extra if e)
    text = scrubber_for(extra).text(text)
    for literal in extra:  # a two- or three-character name is still a name (the core starts at four)
        if 2 <= len(literal) < 4:
            text = text.replace(literal, MASK)
    return text


def _scrub_tag_value(tag: str, value_attr: str, key_attrs: tuple[str, ...]) -> str:
    attrs = {k.lower(): v.strip("\"'") for k, v in _ATTR_RE.findall(tag)}
    if attrs.get("type", "").lower() in {"submit", "button", "reset", "image"}:
        return tag  # a button's value is its visible label, not data
    keys = [attrs.get(a, "") for a in key_attrs]
    if not any(k and is_secret_param(k) for k in keys):
        return tag
    return re.sub(rf"""(\b{value_attr}\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+)""", rf'\1"{SCRUBBED}"', tag, flags=re.I)


_QUERY_PARAM_RE = re.compile(r"([?&;]|&amp;)([A-Za-z0-9_.\-\[\]]+)=([^&\"'#\s<>]*)")


def scrub_query_params_in_text(text: str) -> str:
    """Scrub secret-looking ``name=value`` query parameters wherever URLs appear in text (href, src, action…)."""
    return _QUERY_PARAM_RE.sub(
        lambda m: f"{m.group(1)}{m.group(2)}={SCRUBBED}" if is_secret_param(m.group(2)) else m.group(0), text
    )


def scrub_any(obj):
    """Scrub every string in a JSON-like structure (check results, reports)."""
    if isinstance(obj, str):
        return scrub_text(scrub_query_params_in_text(_JSESSION_RE.sub(lambda m: f";{m.group(1)}={SCRUBBED}", obj)))
    if isinstance(obj, dict):
        return {scrub_any(k): scrub_any(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [scrub_any(v) for v in obj]
    return obj


def scrub_html(html: str, extra: Iterable[str] = ()) -> str:
    html = scrub_query_params_in_text(html)
    html = _INPUT_RE.sub(lambda m: _scrub_tag_value(m.group(0), "value", ("name", "id")), html)
    html = _META_RE.sub(lambda m: _scrub_tag_value(m.group(0), "content", ("name", "property")), html)
    html = _JSESSION_RE.sub(lambda m: f";{m.group(1)}={SCRUBBED}", html)
    return scrub_text(html, extra)


def scrub_form(body: str) -> str:
    pairs = parse_qsl(body, keep_blank_values=True)
    return urlencode([(k, SCRUBBED if is_secret_param(k) else scrub_text(v)) for k, v in pairs])


class Scrubber:
    """One configuration of the rules above, with hooks for vcrpy and a HAR post-processor."""

    def __init__(self, extra_secrets: Iterable[str] = (), origin_map: dict[str, str] | None = None):
        self.extra = tuple(s for s in extra_secrets if s)
        self.origin_map = dict(origin_map or {})

    # -- generic -----------------------------------------------------------------------------------------------
    def origins(self, text: str) -> str:
        for actual, canonical in self.origin_map.items():
            text = text.replace(actual, canonical)
        return text

    def url(self, url: str) -> str:
        return scrub_url(self.origins(url))

    def body(self, text: str, content_type: str = "") -> str:
        text = self.origins(text)
        ct = content_type.lower()
        if "x-www-form-urlencoded" in ct:
            return scrub_form(text)
        if "json" in ct:
            try:
                return json.dumps(self._json(json.loads(text)), ensure_ascii=False)
            except ValueError:
                pass
        return scrub_html(text, self.extra)

    def _json(self, obj):
        if isinstance(obj, dict):
            return {k: (SCRUBBED if is_secret_param(k) and isinstance(v, str | int) else self._json(v))
                    for k, v in obj.items()}
        if isinstance(obj, list):
            return [self._json(v) for v in obj]
        if isinstance(obj, str):
            return scrub_text(obj, self.extra)
        return obj

    # -- vcrpy hooks -------------------------------------------------------------------------------------------
    def vcr_request(self, request):
        request.uri = self.url(request.uri)
        for name in list(request.headers):
            if name.lower() in _SENSITIVE_HEADERS or _SENSITIVE_HEADER_RE.search(name):
                del request.headers[name]
        for name in list(request.headers):
            value = self.origins(str(request.headers[name]))
            for actual, canonical in self.origin_map.items():
                value = value.replace(actual.split("://", 1)[-1], canonical.split("://", 1)[-1])
            request.headers[name] = scrub_any(value)
        if request.body:
            raw = request.body.decode("utf-8", "replace") if isinstance(request.body, bytes) else request.body
            request.body = self.body(raw, request.headers.get("Content-Type", "")).encode("utf-8")
        return request

    def vcr_response(self, response: dict) -> dict:
        headers = response.get("headers", {})
        for name in list(headers):
            if name.lower() in _SENSITIVE_HEADERS or _SENSITIVE_HEADER_RE.search(name):
                del headers[name]
            elif name.lower() == "location":
                headers[name] = [self.url(v) for v in headers[name]]
            else:
                headers[name] = [scrub_any(self.origins(str(v))) for v in headers[name]]
        body = response.get("body", {})
        raw = body.get("string")
        if raw:
            ctype = " ".join(headers.get("Content-Type", headers.get("content-type", [""])))
            if isinstance(raw, bytes):
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError:
                    return response  # binary: keep as is (images); no personal data is expected in public assets
                body["string"] = self.body(text, ctype).encode("utf-8")
            else:
                body["string"] = self.body(raw, ctype)
        for name in list(headers):
            if name.lower() == "content-length" and isinstance(body.get("string"), bytes | str):
                headers[name] = [str(len(body["string"] if isinstance(body["string"], bytes)
                                         else body["string"].encode()))]
        return response

    # -- HAR ---------------------------------------------------------------------------------------------------
    def har(self, har: dict) -> dict:
        for entry in har.get("log", {}).get("entries", []):
            req, resp = entry.get("request", {}), entry.get("response", {})
            req["url"] = self.url(req.get("url", ""))
            req["cookies"] = []
            resp["cookies"] = []
            req["headers"] = [self._har_header(h) for h in req.get("headers", []) if self._keep_header(h.get("name", ""))]
            resp["headers"] = [self._har_header(h) for h in resp.get("headers", []) if self._keep_header(h.get("name", ""))]
            req["queryString"] = [
                {"name": q["name"], "value": SCRUBBED if is_secret_param(q["name"]) else scrub_text(q.get("value", ""))}
                for q in req.get("queryString", [])
            ]
            post = req.get("postData")
            if post:
                if "text" in post:
                    post["text"] = self.body(post["text"], post.get("mimeType", ""))
                if "params" in post:
                    post["params"] = [
                        {**p, "value": SCRUBBED if is_secret_param(p.get("name", "")) else scrub_text(p.get("value", ""))}
                        for p in post["params"]
                    ]
            content = resp.get("content", {})
            if content.get("text") and content.get("encoding") != "base64":
                content["text"] = self.body(content["text"], content.get("mimeType", ""))
                content["size"] = len(content["text"].encode("utf-8"))
            if resp.get("redirectURL"):
                resp["redirectURL"] = self.url(resp["redirectURL"])
            for page_ref in ("serverIPAddress",):
                entry.pop(page_ref, None)
        for page in har.get("log", {}).get("pages", []):
            page["title"] = self.url(page.get("title", ""))
        return har

    def _keep_header(self, name: str) -> bool:
        return name.lower() not in _SENSITIVE_HEADERS and not _SENSITIVE_HEADER_RE.search(name)

    def _har_header(self, header: dict) -> dict:
        value = self.origins(header.get("value", ""))
        for actual, canonical in self.origin_map.items():  # Host headers carry no scheme
            value = value.replace(actual.split("://", 1)[-1], canonical.split("://", 1)[-1])
        return {**header, "value": scrub_any(value)}
