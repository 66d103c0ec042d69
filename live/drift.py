"""Drift report: does the live site (a recording) still look like the simulation?

Compares two sets of public pages by page key (agency page, start-up guide, JPKI download page, top pages):
pages missing or added, element names (ids, names, form ids) removed or added, texts (title, headings, buttons,
link texts) that changed, and the entry button. Renders Markdown and HTML.

``python -m live.drift RECORDING [--against RECORDING2 | --against-simulation] [--out DIR]``
"""

from __future__ import annotations

import argparse
import html
import json
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .pages import PageFacts, parse_page
from .sites import ENTRY_BUTTON_TEXT


@dataclass
class PageDrift:
    page: str
    names_removed: list[str] = field(default_factory=list)  # in the simulation, not in the recording
    names_added: list[str] = field(default_factory=list)  # in the recording, not in the simulation
    texts_removed: list[str] = field(default_factory=list)
    texts_added: list[str] = field(default_factory=list)
    title: tuple[str, str] | None = None  # (simulation, recording) when different
    entry_button: tuple[bool, bool] | None = None  # (simulation has it, recording has it) when different
    link_targets: list[tuple[str, str, str]] = field(default_factory=list)  # (link text, simulation path, recorded)

    @property
    def changed(self) -> bool:
        return bool(self.names_removed or self.names_added or self.texts_removed or self.texts_added
                    or self.title or self.entry_button
                    or self.link_targets)


@dataclass
class DriftReport:
    recording: str
    against: str
    pages_missing: list[str] = field(default_factory=list)  # the simulation has them, the recording does not
    pages_added: list[str] = field(default_factory=list)  # the recording has them, the simulation does not
    pages: list[PageDrift] = field(default_factory=list)

    @property
    def drifted(self) -> bool:
        return bool(self.pages_missing or self.pages_added or any(p.changed for p in self.pages))

    def to_dict(self) -> dict:
        return {**asdict(self), "drifted": self.drifted}

    # -- rendering ---------------------------------------------------------------------------------------------------
    def markdown(self) -> str:
        out = [f"# Drift report: {self.recording} vs {self.against}", ""]
        out.append("**Drift found.**" if self.drifted else "**No drift**: the pages match.")
        out.append("")
        if self.pages_missing:
            out += ["## Pages missing from the recording", *[f"- `{p}`" for p in self.pages_missing], ""]
        if self.pages_added:
            out += ["## Pages only in the recording", *[f"- `{p}`" for p in self.pages_added], ""]
        for p in self.pages:
            if not p.changed:
                continue
            out += [f"## Page `{p.page}`", ""]
            if p.title:
                out.append(f"- title changed: `{p.title[0]}` → `{p.title[1]}`")
            if p.entry_button:
                out.append(f"- entry button ({ENTRY_BUTTON_TEXT}): simulation {'has' if p.entry_button[0] else 'lacks'}"
                           f" it, recording {'has' if p.entry_button[1] else 'lacks'} it")
            out += [f"- link “{t}” now leads to `{b}` (simulation: `{a}`)" for t, a, b in p.link_targets]
            out += [f"- element name removed: `{n}`" for n in p.names_removed]
            out += [f"- element name added: `{n}`" for n in p.names_added]
            out += [f"- text removed: “{t}”" for t in p.texts_removed]
            out += [f"- text added: “{t}”" for t in p.texts_added]
            out.append("")
        unchanged = [p.page for p in self.pages if not p.changed]
        if unchanged:
            out += ["## Unchanged pages", ", ".join(f"`{p}`" for p in unchanged), ""]
        return "\n".join(out)

    def html(self) -> str:
        e = html.escape
        rows = []
        for p in self.pages_missing:
            rows.append(f"<tr class=missing><td>{e(p)}</td><td>page missing from the recording</td><td></td></tr>")
        for p in self.pages_added:
            rows.append(f"<tr class=added><td>{e(p)}</td><td>page only in the recording</td><td></td></tr>")
        for p in self.pages:
            items = []
            if p.title:
                items.append(("title changed", f"{p.title[0]} → {p.title[1]}"))
            if p.entry_button:
                items.append(("entry button", f"simulation {p.entry_button[0]}, recording {p.entry_button[1]}"))
            items += [("link target", f"{t}: {a} → {b}") for t, a, b in p.link_targets]
            items += [("name removed", n) for n in p.names_removed] + [("name added", n) for n in p.names_added]
            items += [("text removed", t) for t in p.texts_removed] + [("text added", t) for t in p.texts_added]
            for kind, what in items:
                rows.append(f"<tr><td>{e(p.page)}</td><td>{e(kind)}</td><td>{e(what)}</td></tr>")
        verdict = "Drift found" if self.drifted else "No drift"
        return (
            "<!doctype html><html lang=en><meta charset=utf-8><title>Drift report</title>"
            "<style>body{font-family:sans-serif;margin:2em}td,th{border:1px solid #ccc;padding:4px 8px}"
            "table{border-collapse:collapse}.missing{background:#fdd}.added{background:#dfd}</style>"
            f"<h1>Drift report</h1><p>{e(self.recording)} vs {e(self.against)}</p><p><strong>{verdict}</strong></p>"
            "<table><tr><th>page</th><th>change</th><th>detail</th></tr>" + "".join(rows) + "</table></html>"
        )

    def write(self, out_dir: Path) -> tuple[Path, Path, Path]:
        out_dir.mkdir(parents=True, exist_ok=True)
        md, ht, js = out_dir / "drift.md", out_dir / "drift.html", out_dir / "drift.json"
        md.write_text(self.markdown(), encoding="utf-8")
        ht.write_text(self.html(), encoding="utf-8")
        js.write_text(json.dumps(self.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
        return md, ht, js


def _texts(facts: PageFacts) -> set[str]:
    out = {f"heading: {h}" for h in facts.headings}
    out |= {f"button: {b}" for b in facts.buttons}
    out |= {f"link: {lk.text}" for lk in facts.links if lk.text}
    return out


def _targets(facts: PageFacts) -> dict[str, str]:
    """link text -> path and query (origins differ between live and simulation, paths should not)."""
    from urllib.parse import urlsplit

    out = {}
    for lk in facts.links:
        if lk.text and lk.text not in out:
            u = urlsplit(lk.href)
            out[lk.text] = u.path + (f"?{u.query}" if u.query else "")
    return out


def compare(recorded: dict[str, PageFacts], simulated: dict[str, PageFacts], recording: str = "recording",
            against: str = "simulation") -> DriftReport:
    report = DriftReport(recording, against)
    report.pages_missing = sorted(set(simulated) - set(recorded))
    report.pages_added = sorted(set(recorded) - set(simulated))
    for key in sorted(set(recorded) & set(simulated)):
        r, s = recorded[key], simulated[key]
        d = PageDrift(key)
        d.names_removed = sorted(s.names - r.names)
        d.names_added = sorted(r.names - s.names)
        d.texts_removed = sorted(_texts(s) - _texts(r))
        d.texts_added = sorted(_texts(r) - _texts(s))
        r_targets, s_targets = _targets(r), _targets(s)
        d.link_targets = sorted((t, s_targets[t], r_targets[t]) for t in set(r_targets) & set(s_targets)
                                if r_targets[t] != s_targets[t])
        if r.title != s.title:
            d.title = (s.title, r.title)
        rb, sb = r.find_link(ENTRY_BUTTON_TEXT) is not None, s.find_link(ENTRY_BUTTON_TEXT) is not None
        if key == "agency" and rb != sb:
            d.entry_button = (sb, rb)
        report.pages.append(d)
    return report


def facts_from_pages(pages: dict[str, tuple[str, str]]) -> dict[str, PageFacts]:
    return {k: parse_page(body, url) for k, (url, body) in pages.items()}


def simulation_pages(generation: str | None = None) -> dict[str, tuple[str, str]]:
    """Fetch the public pages from a freshly started portal simulation (loopback only)."""
    import requests

    from .record import simulation_server
    from .sites import SiteMap

    with simulation_server(generation) as base_url:
        sites = SiteMap.single(base_url, kind="simulation")
        out = {}
        for key in sites.pages():
            r = requests.get(sites.url(key), timeout=10)
            if r.ok:
                r.encoding = "utf-8"
                out[key] = (r.url, r.text)
        return out


def main(argv: list[str] | None = None) -> int:
    from .recording import Recording

    ap = argparse.ArgumentParser(prog="ras-e2e live drift", description=__doc__.splitlines()[0])
    ap.add_argument("recording", help="a recording directory (live/recordings/NAME)")
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--against", help="another recording directory to compare with")
    group.add_argument("--against-simulation", action="store_true", help="start the portal simulation (default)")
    ap.add_argument("--out", default="reports/drift", help="output directory (drift.md, drift.html, drift.json)")
    ap.add_argument("--fail-on-drift", action="store_true", help="exit 1 when drift is found")
    args = ap.parse_args(argv)
    rec = Recording.load(args.recording)
    recorded = facts_from_pages(rec.pages())
    if args.against:
        other = Recording.load(args.against)
        simulated, against = facts_from_pages(other.pages()), str(args.against)
    else:
        gen = rec.provenance.generation if rec.provenance.generation in ("ras", "rasens") else None
        simulated, against = facts_from_pages(simulation_pages(gen)), "the portal simulation"
    report = compare(recorded, simulated, str(args.recording), against)
    md, ht, _ = report.write(Path(args.out))
    print(report.markdown())
    print(f"\nwritten: {md} {ht}")
    return 1 if (args.fail_on_drift and report.drifted) else 0


if __name__ == "__main__":
    sys.exit(main())
