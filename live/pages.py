"""What a page says, for checks and drift: title, headings, forms, element names, links, visible text.

A tolerant stdlib parser (no lxml/bs4 dependency); it reads government pages written in any decade.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP_TEXT = {"script", "style", "noscript", "template"}
_NAMED = {"form", "input", "button", "select", "textarea", "a", "iframe"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class Link:
    text: str
    href: str  # absolute, fragment removed
    position: int  # offset of the link's text in the page's visible text
    tag: str = "a"


@dataclass
class PageFacts:
    url: str
    title: str = ""
    headings: list[str] = field(default_factory=list)
    forms: list[dict] = field(default_factory=list)  # {"id", "name", "action", "method"}
    names: set[str] = field(default_factory=set)  # "form#WCAAS010Dto", "input[name=clickLogInKjnBtn]", "#hdnUsrCert"
    links: list[Link] = field(default_factory=list)
    buttons: list[str] = field(default_factory=list)  # visible texts of buttons and submit inputs
    text: str = ""  # visible text, whitespace-normalised

    def has_name(self, name: str) -> bool:
        """True when any element has this id or name (with or without the '#'/'name=' spelling)."""
        bare = name.lstrip("#")
        return any(n.endswith(f"#{bare}") or n.endswith(f"[name={bare}]") for n in self.names)

    def find_link(self, text: str) -> Link | None:
        want = _norm(text)
        for link in self.links:
            if want and (want in link.text or link.text and link.text in want and len(link.text) > 4):
                return link
        return None

    def texts(self) -> dict[str, str]:
        """Stable, comparable texts: title, headings, buttons and link texts, by a key that survives re-ordering."""
        out = {"title": self.title}
        out.update({f"h:{i}": h for i, h in enumerate(self.headings)})
        out.update({f"button:{i}": b for i, b in enumerate(self.buttons)})
        return out


class _Parser(HTMLParser):
    def __init__(self, url: str):
        super().__init__(convert_charrefs=True)
        self.facts = PageFacts(url=url)
        self.base = url
        self._text: list[str] = []
        self._len = 0
        self._skip = 0
        self._capture: list[tuple[str, list[str], dict]] = []  # (tag, text parts, attrs)

    def _add_text(self, data: str) -> None:
        piece = _norm(data)
        if not piece:
            return
        self._text.append(piece)
        self._len += len(piece) + 1
        for _, parts, _ in self._capture:
            parts.append(piece)

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag in _SKIP_TEXT:
            self._skip += 1
        if tag == "base" and a.get("href"):
            self.base = urljoin(self.base, a["href"])
        if tag in _NAMED or a.get("id"):
            if a.get("id"):
                self.facts.names.add(f"{tag}#{a['id']}")
            if a.get("name") and tag in _NAMED:
                self.facts.names.add(f"{tag}[name={a['name']}]")
        if tag == "form":
            self.facts.forms.append({"id": a.get("id", ""), "name": a.get("name", ""),
                                     "action": urljoin(self.base, a.get("action", "")) if a.get("action") else "",
                                     "method": (a.get("method") or "get").lower()})
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image") and (a.get("value") or a.get("alt")):
                label = _norm(a.get("value") or a.get("alt"))
                self.facts.buttons.append(label)
                if a.get("onclick") or a.get("formaction"):
                    pass
        if tag == "img" and a.get("alt") and self._capture:
            self._add_text(a["alt"])
        if tag in ("a", "button", "title", "h1", "h2", "h3") and tag not in _VOID:
            self._capture.append((tag, [], {**a, "_pos": self._len}))

    def handle_endtag(self, tag):
        if tag in _SKIP_TEXT and self._skip:
            self._skip -= 1
        for i in range(len(self._capture) - 1, -1, -1):
            if self._capture[i][0] == tag:
                _, parts, a = self._capture.pop(i)
                text = _norm(" ".join(parts))
                if tag == "title":
                    self.facts.title = text
                elif tag in ("h1", "h2", "h3"):
                    if text:
                        self.facts.headings.append(text)
                elif tag == "button":
                    if text:
                        self.facts.buttons.append(text)
                elif tag == "a" and a.get("href") and not a["href"].lower().startswith(("javascript:", "mailto:")):
                    href = urldefrag(urljoin(self.base, a["href"]))[0]
                    self.facts.links.append(Link(text, href, a["_pos"]))
                break

    def handle_data(self, data):
        if not self._skip:
            self._add_text(data)


def parse_page(html: str, url: str) -> PageFacts:
    parser = _Parser(url)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # a broken page still yields what was parsed so far
        pass
    facts = parser.facts
    facts.text = " ".join(parser._text)
    if not facts.title:
        m = re.search(r"<title[^>]*>(.*?)</title>", html, re.I | re.S)
        facts.title = _norm(m.group(1)) if m else ""
    return facts
