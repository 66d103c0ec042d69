"""Where the public pages are: the live hosts, or one base URL (a staging portal, the simulation, a test server)."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

#: Live origins (portal-journey.md §2.0, §2.6; §1 item 6 for the JPKI download page).
LIVE_ORIGINS = {
    "agency": "https://www.moj.go.jp",
    "jpki": "https://www.jpki.go.jp",
    "ras": "https://www.ras-immi.moj.go.jp",
    "rasens": "https://www.rasens-immi.moj.go.jp",
}

#: The public pages the read-only checks read: key -> (site, path on the live site).
LIVE_PAGES = {
    "agency": ("agency", "/isa/applications/online/onlineshinsei.html"),  # 在留申請のオンライン手続 (entry button)
    "startup_guide": ("agency", "/isa/applications/online/10_00112.html"),  # 外国人本人・法定代理人・親族の方 (STEP0/1)
    "jpki_download": ("jpki", "/download/"),  # 利用者クライアントソフト download (browser version)
    "ras_top": ("ras", "/WC01/WCAAS010/"),  # old generation top page WCAAS010
    "rasens_top": ("rasens", "/rasens-u/"),  # new generation top page
}

#: The same pages in the portal simulation (one origin). Kept next to the live paths so drift shows both.
SIMULATION_PATHS = {
    "agency": "/isa/applications/online/onlineshinsei.html",
    "startup_guide": "/isa/applications/online/10_00112.html",
    "jpki_download": "/jpki/download/",
    "ras_top": "/WC01/WCAAS010/",
    "rasens_top": "/rasens-u/",
}

#: Canonical origin written into recordings made from the simulation (whatever port it ran on).
SIMULATION_ORIGIN = "http://simulation.ras-e2e.invalid"

ENTRY_BUTTON_TEXT = "在留申請オンラインシステムのご利用はこちらから。"

#: What the top pages must offer. ras: element names seen by a public userscript (portal-journey.md §2.0 item 3).
#: rasens: no public source shows the new generation's DOM ([U]); its top page offers login and registration as
#: links (the simulation's ``top_rasens.html``), so the equivalents are link texts (``link:TEXT``).
TOP_PAGE_NAMES = {
    "ras": ["form#WCAAS010Dto", "clickLogInKjnBtn", "clickTurkKjnBtn", "#hdnUsrCert", "#hdnSignCert"],
    "rasens": ["link:ログイン", "link:新規利用者登録", "link:パスワードを忘れた場合"],
}


@dataclass(frozen=True)
class SiteMap:
    """Origins per site and paths per page. ``single(base)`` serves every site from one base URL."""

    origins: dict[str, str] = field(default_factory=lambda: dict(LIVE_ORIGINS))
    paths: dict[str, str] = field(default_factory=lambda: {k: p for k, (_, p) in LIVE_PAGES.items()})
    kind: str = "live"  # live | base-url | simulation

    @classmethod
    def live(cls) -> SiteMap:
        return cls()

    @classmethod
    def single(cls, base_url: str, paths: dict[str, str] | None = None, kind: str = "base-url") -> SiteMap:
        base = base_url.rstrip("/")
        return cls(origins={site: base for site in LIVE_ORIGINS}, paths=dict(paths or SIMULATION_PATHS), kind=kind)

    def url(self, page: str) -> str:
        site, _ = LIVE_PAGES[page]
        return self.origins[site] + self.paths[page]

    def pages(self) -> list[str]:
        return [k for k in LIVE_PAGES if k in self.paths]

    def has(self, page: str) -> bool:
        return page in self.paths

    def only(self, pages) -> SiteMap:
        """The same site with only some pages (e.g. those a simulation serves)."""
        return SiteMap(dict(self.origins), {k: v for k, v in self.paths.items() if k in set(pages)}, self.kind)

    def hosts(self) -> set[str]:
        return {urlsplit(o).hostname or "" for o in self.origins.values()}

    def page_for_url(self, url: str) -> str | None:
        for key in self.pages():
            if url.split("?")[0].rstrip("/") == self.url(key).rstrip("/"):
                return key
        return None

    def to_dict(self) -> dict:
        return {"kind": self.kind, "origins": dict(self.origins), "paths": dict(self.paths)}

    @classmethod
    def from_dict(cls, data: dict) -> SiteMap:
        return cls(origins=dict(data["origins"]), paths=dict(data["paths"]), kind=data.get("kind", "live"))
