"""Recordings: a vcrpy cassette for the harness's own HTTP, a Playwright HAR for the browser, and a provenance
sidecar. Layout of one recording (``live/recordings/<name>/``)::

    http.yaml         vcrpy cassette (scrubbed; replayed with record_mode="none")
    browser.har       Playwright HAR, content embedded (scrubbed; replayed with route_from_har)
    provenance.yaml   where and when it came from, what generation, recorded_from: live|simulation, harness version,
                      the site map the checks used, the scrub rules, and the check results at recording time
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from .scrub import Scrubber
from .settings import harness_version
from .sites import SiteMap

#: The committed recordings, read by the replayed checks and written by ``record``: part of this package, so
#: found wherever it is installed and whatever the working directory is.
RECORDINGS_DIR = Path(__file__).resolve().parent / "recordings"
CASSETTE = "http.yaml"
HAR = "browser.har"
PROVENANCE = "provenance.yaml"
SCRUB_RULES = [
    "headers Cookie, Set-Cookie, Authorization, *csrf*/*xsrf*/*token*/*session* dropped; HAR cookies emptied",
    "token/session/credential/personal query and form parameters -> SCRUBBED; ;jsessionid= -> SCRUBBED",
    "values of token/personal <input> fields and csrf <meta> -> SCRUBBED",
    "e-mail addresses (except *.go.jp) -> scrubbed@example.invalid; residence card numbers -> XX00000000XX; "
    "12-digit numbers -> 000000000000",
    "loopback origins of a simulation -> the canonical simulation origin",
]


@dataclass
class Provenance:
    name: str
    recorded_from: str  # live | simulation | test
    generation: str  # ras | rasens | both
    date: str
    sites: dict
    source_urls: list[str] = field(default_factory=list)
    harness_version: str = field(default_factory=harness_version)
    tools: dict = field(default_factory=dict)
    scrubbed: list[str] = field(default_factory=lambda: list(SCRUB_RULES))
    requests: int = 0
    checks: list[dict] = field(default_factory=list)
    browser_checks: list[dict] = field(default_factory=list)
    note: str = ""

    def site_map(self) -> SiteMap:
        return SiteMap.from_dict(self.sites)

    def write(self, directory: Path) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / PROVENANCE
        path.write_text(yaml.safe_dump(asdict(self), allow_unicode=True, sort_keys=False), encoding="utf-8")
        return path

    @classmethod
    def read(cls, directory: Path) -> Provenance:
        path = Path(directory) / PROVENANCE
        if not path.exists():
            raise FileNotFoundError(f"{path}: a recording without provenance is not used (see live/recordings)")
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        missing = [k for k in ("name", "recorded_from", "generation", "date", "sites") if k not in data]
        if missing:
            raise ValueError(f"{path}: provenance lacks {', '.join(missing)}")
        if data["recorded_from"] not in ("live", "simulation", "test"):
            raise ValueError(f"{path}: recorded_from must be live, simulation or test, not {data['recorded_from']!r}")
        return cls(**data)


def now_utc() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def tool_versions() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("vcrpy", "playwright", "requests"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def make_vcr(scrubber: Scrubber, record_mode: str = "none"):
    """A vcrpy VCR that scrubs every request and response it records (and every request it matches)."""
    import vcr

    return vcr.VCR(
        record_mode=record_mode,
        match_on=("method", "scheme", "host", "port", "path", "query"),
        before_record_request=scrubber.vcr_request,
        before_record_response=scrubber.vcr_response,
        decode_compressed_response=True,
    )


def use_cassette(path: str | Path, scrubber: Scrubber, record_mode: str = "none"):
    """Context manager: the harness's HTTP inside it is recorded to / replayed from ``path``."""
    return make_vcr(scrubber, record_mode).use_cassette(
        str(path), allow_playback_repeats=True, record_on_exception=False
    )


@dataclass
class Recording:
    directory: Path
    provenance: Provenance

    @classmethod
    def load(cls, directory: str | Path) -> Recording:
        directory = Path(directory)
        return cls(directory, Provenance.read(directory))

    @property
    def cassette(self) -> Path:
        return self.directory / CASSETTE

    @property
    def har(self) -> Path:
        return self.directory / HAR

    def pages(self) -> dict[str, tuple[str, str]]:
        """page key -> (url, html) from the cassette, for the site map the recording used."""
        sites = self.provenance.site_map()
        data = yaml.safe_load(self.cassette.read_text(encoding="utf-8"))
        out: dict[str, tuple[str, str]] = {}
        for interaction in data.get("interactions", []):
            req, resp = interaction["request"], interaction["response"]
            key = sites.page_for_url(req["uri"])
            if key is None or req["method"] != "GET" or resp["status"]["code"] >= 400:
                continue
            body = resp["body"].get("string", "")
            if isinstance(body, bytes):
                body = body.decode("utf-8", "replace")
            out[key] = (req["uri"], body)
        return out


def find_recordings(root: str | Path) -> list[Path]:
    root = Path(root)
    return sorted(p.parent for p in root.glob(f"*/{PROVENANCE}")) if root.is_dir() else []
