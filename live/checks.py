"""The read-only checks of public pages. The same code runs live, against a staging base URL, against the
simulation, and in CI against a recorded cassette (the session's HTTP is then answered by vcrpy)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from urllib.parse import urlsplit

import requests

from .gentle import GentleSession, LiveGuardError
from .pages import PageFacts, parse_page
from .scrub import scrub_any
from .sites import ENTRY_BUTTON_TEXT, TOP_PAGE_NAMES, SiteMap

#: What "offers the browser version" means on the JPKI download page: the text names the browser (Edge/Chrome)
#: version of the 利用者クライアントソフト, and it links to the per-OS download pages.
JPKI_BROWSER_PATTERN = re.compile(r"ブラウザ版|Edge\s*[/／・]\s*Chrome|ブラウザ(?:拡張|で)")
JPKI_OS_LINK_PATTERN = re.compile(r"(?i)(win|mac)(dows)?[^/]*\.html|windows|macos|mac版|windows版")


@dataclass
class CheckResult:
    name: str
    status: str  # pass | fail | warn | skip
    detail: str
    url: str = ""
    data: dict = field(default_factory=dict)

    def __post_init__(self) -> None:  # results go into reports and provenance: never a token or an address
        self.detail = scrub_any(self.detail)
        self.url = scrub_any(self.url)
        self.data = scrub_any(self.data)

    def to_dict(self) -> dict:
        return asdict(self)


class PageCheck:
    """One run of the public-page checks through one gentle session."""

    def __init__(self, session: GentleSession, sites: SiteMap, generations: tuple[str, ...] = ("ras", "rasens")):
        self.session = session
        self.sites = sites
        self.generations = generations
        self._pages: dict[str, tuple[requests.Response | None, PageFacts | None, str]] = {}

    # -- fetching ------------------------------------------------------------------------------------------------
    def fetch(self, key: str) -> tuple[requests.Response | None, PageFacts | None, str]:
        """(response, facts, error); each page is fetched at most once per run."""
        if not self.sites.has(key):
            return None, None, f"not requested: the page {key!r} is not part of this site map"
        if key not in self._pages:
            url = self.sites.url(key)
            try:
                resp = self.session.get(url)
                resp.encoding = resp.encoding if "charset" in resp.headers.get("Content-Type", "") \
                    else (resp.apparent_encoding or "utf-8")
                facts = parse_page(resp.text, resp.url) if resp.ok else None
                self._pages[key] = (resp, facts, "" if resp.ok else f"HTTP {resp.status_code}")
            except LiveGuardError as exc:
                self._pages[key] = (None, None, f"not requested: {exc}")
            except requests.RequestException as exc:
                self._pages[key] = (None, None, f"{type(exc).__name__}: {exc}")
        return self._pages[key]

    # -- checks --------------------------------------------------------------------------------------------------
    def availability(self, key: str) -> CheckResult:
        resp, _, error = self.fetch(key)
        url = self.sites.url(key) if self.sites.has(key) else ""
        if resp is None:
            status = "skip" if error.startswith("not requested") else "fail"
            return CheckResult(f"availability:{key}", status, error, url)
        data = {"status": resp.status_code, "seconds": round(resp.elapsed.total_seconds(), 3),
                "redirects": [r.status_code for r in resp.history]}
        if resp.ok:
            return CheckResult(f"availability:{key}", "pass", f"HTTP {resp.status_code}", url, data)
        return CheckResult(f"availability:{key}", "fail", f"HTTP {resp.status_code}", url, data)

    def entry_button(self) -> CheckResult:
        resp, facts, error = self.fetch("agency")
        url = self.sites.url("agency") if self.sites.has("agency") else ""
        if facts is None:
            return CheckResult("agency:entry-button", "fail" if resp is not None else "skip", error, url)
        link = facts.find_link(ENTRY_BUTTON_TEXT)
        if link is None:
            return CheckResult("agency:entry-button", "fail",
                               f"no link or button reads {ENTRY_BUTTON_TEXT!r} on the online-procedures page", url)
        ratio = link.position / max(1, len(facts.text))
        tops = {g: self.sites.url(f"{g}_top") for g in self.generations if self.sites.has(f"{g}_top")}
        target = next((g for g, top in tops.items() if _same_page(link.href, top)), None)
        data = {"text": link.text, "href": link.href, "position": round(ratio, 3), "generation": target}
        if target is None:
            return CheckResult("agency:entry-button", "fail",
                               f"the entry button leads to {link.href}, not to a known top page", url, data)
        if ratio < 0.5:
            return CheckResult("agency:entry-button", "warn",
                               f"the entry button moved: it is at {ratio:.0%} of the page, no longer near its end",
                               url, data)
        return CheckResult("agency:entry-button", "pass",
                           f"entry button near the end ({ratio:.0%}) leads to the {target} top page", url, data)

    def links(self, key: str) -> CheckResult:
        resp, facts, error = self.fetch(key)
        url = self.sites.url(key) if self.sites.has(key) else ""
        if facts is None:
            return CheckResult(f"links:{key}", "fail" if resp is not None else "skip", error, url)
        hosts = self.sites.hosts()
        seen: list[str] = []
        for link in facts.links:
            if link.href not in seen and link.href != resp.url and urlsplit(link.href).scheme in ("http", "https"):
                seen.append(link.href)
        inside = [h for h in seen if urlsplit(h).hostname in hosts]
        outside = [h for h in seen if urlsplit(h).hostname not in hosts]
        checked: dict[str, str] = {}
        broken: dict[str, str] = {}
        for href in sorted(inside)[: self.session.settings.max_links]:
            try:
                r = self.session.get(href, stream=True)
                r.close()
                checked[href] = str(r.status_code)
                if r.status_code >= 400:
                    broken[href] = f"HTTP {r.status_code}"
            except LiveGuardError as exc:
                checked[href] = "not requested"
                if "cap" in str(exc):
                    break
            except requests.RequestException as exc:
                checked[href] = type(exc).__name__
                broken[href] = type(exc).__name__
        data = {"links": len(seen), "checked": checked, "broken": broken, "not_checked_outside_sites": outside,
                "not_checked_over_limit": sorted(inside)[self.session.settings.max_links:]}
        if broken:
            return CheckResult(f"links:{key}", "fail", f"{len(broken)} broken link(s): " + ", ".join(broken), url, data)
        return CheckResult(f"links:{key}", "pass", f"{len(checked)} link(s) checked, none broken", url, data)

    def jpki_download(self) -> CheckResult:
        resp, facts, error = self.fetch("jpki_download")
        url = self.sites.url("jpki_download") if self.sites.has("jpki_download") else ""
        if facts is None:
            return CheckResult("jpki:browser-version", "fail" if resp is not None else "skip", error, url)
        m = JPKI_BROWSER_PATTERN.search(facts.text)
        os_links = [lk.href for lk in facts.links if JPKI_OS_LINK_PATTERN.search(lk.href + " " + lk.text)]
        data = {"mention": m.group(0) if m else None, "os_links": os_links}
        if m and os_links:
            return CheckResult("jpki:browser-version", "pass",
                               f"the download page offers the browser version ({m.group(0)})", url, data)
        what = "does not mention the browser (Edge/Chrome) version" if not m else "has no per-OS download link"
        return CheckResult("jpki:browser-version", "fail", f"the JPKI download page {what}", url, data)

    def top_page(self, generation: str) -> CheckResult:
        key = f"{generation}_top"
        resp, facts, error = self.fetch(key)
        url = self.sites.url(key) if self.sites.has(key) else ""
        if facts is None:
            return CheckResult(f"top:{generation}", "fail" if resp is not None else "skip", error, url)
        expected = TOP_PAGE_NAMES[generation]
        missing = [n for n in expected if not _has(facts, n)]
        data = {"expected": expected, "missing": missing, "forms": facts.forms}
        if missing:
            return CheckResult(f"top:{generation}", "fail", "element names missing: " + ", ".join(missing), url, data)
        return CheckResult(f"top:{generation}", "pass", "all element names present: " + ", ".join(expected), url, data)

    def run_all(self) -> list[CheckResult]:
        results = [self.availability(k) for k in self.sites.pages()]
        results.append(self.entry_button())
        results.append(self.jpki_download())
        results += [self.top_page(g) for g in self.generations]
        results += [self.links("agency"), self.links("startup_guide")]
        return results


def _has(facts: PageFacts, name: str) -> bool:
    if name.startswith("link:"):
        return any(lk.text == name[5:] for lk in facts.links)
    if name.startswith("form#"):
        return f"form#{name[5:]}" in facts.names or any(f.get("id") == name[5:] for f in facts.forms)
    return facts.has_name(name)


def _same_page(a: str, b: str) -> bool:
    pa, pb = urlsplit(a), urlsplit(b)
    return (pa.hostname, pa.port, pa.path.rstrip("/")) == (pb.hostname, pb.port, pb.path.rstrip("/")) or (
        pa.hostname == pb.hostname and pa.path.rstrip("/").startswith(pb.path.rstrip("/"))
    )
