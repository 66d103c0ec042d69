"""ScenarioRecorder: what one scenario cost a person, collected while it runs.

Why a recorder fed by events (and not metrics written in steps): the numbers must come from what the harness
actually did — every click through the page-object layer, every page load, every simulated wait — so a change in
the portal shows up without anyone editing a scenario. The recorder knows nothing of pytest, the card or the
portal: fixtures call it (see CONTRACTS.md, ``usability``). It stores counts and page texts only, never typed
values, and scrubs every text against the secrets it is given.
"""

from __future__ import annotations

import re
from collections import Counter

from .errors import GRADES, SOURCES, extract_code, judge
from .klm import KlmModel
from .scrub import Scrubber

SCHEMA_VERSION = 1
STAGES = ("preparation", "card", "registration", "login", "recovery", "eligibility")
IMPACTS = ("critical", "serious", "moderate", "minor")
KNOWN_DEFECT_TAGS = frozenset({"known_defect", "known-defect"})

# Prerequisite kind -> cost category. The categories are what a person pays: time at the PC (software), money
# (hardware), a trip (in_person), a call during office hours (phone), days (post).
PREREQUISITE_KINDS: dict[str, str] = {
    "install": "software",
    "download": "software",
    "extension": "software",
    "driver": "software",
    "settings": "software",  # e.g. system locale, administrator rights
    "reboot": "software",
    "hardware": "hardware",  # e.g. an IC card reader
    "city_office": "in_person",
    "counter": "in_person",  # the immigration bureau's counter
    "phone_call": "phone",
    "post": "post",
}
# Other words fixtures and PC profiles use for the same things ("fix: administrator rights", "buy: a reader").
PREREQUISITE_ALIASES: dict[str, str] = {
    "fix": "settings",
    "configure": "settings",
    "buy": "hardware",
    "office_visit": "city_office",
    "city_office_visit": "city_office",
    "visit": "city_office",
    "call": "phone_call",
    "phone": "phone_call",
    "bureau_call": "phone_call",
    "mail_by_post": "post",
}
# Action kinds the bridge and page objects may use for the KLM kinds in usability/klm.py.
ACTION_ALIASES: dict[str, str] = {"pin_dialog": "pin", "type": "fill", "tick": "check", "choose": "select"}
COST_CATEGORIES = ("software", "hardware", "in_person", "phone", "post")
OFFLINE_CATEGORIES = frozenset({"in_person", "phone", "post"})


def _key(value: str) -> str:
    return re.sub(r"[\s-]+", "_", str(value).strip().lower())


class ScenarioRecorder:
    """Collects the usability metrics of one scenario; ``finish`` returns them as a JSON-able dict."""

    def __init__(
        self,
        scenario_id: str,
        name: str,
        feature: str,
        stage: str,
        tags=(),
        secrets=frozenset(),
    ) -> None:
        self._scrub = Scrubber(secrets)
        self.scenario_id = self._scrub.text(scenario_id)
        self.name = self._scrub.text(name)
        self.feature = self._scrub.text(feature)
        self.stage = _key(stage) if stage else "unknown"
        self.tags = sorted({str(t).lstrip("@") for t in tags})
        self._klm = KlmModel()
        self._steps: list[str] = []
        self._actions: list[dict] = []
        self._views: list[dict] = []
        self._errors: list[dict] = []
        self._error_keys: set[tuple] = set()
        self._waits: list[dict] = []
        self._responses: list[dict] = []
        self._prereqs: list[dict] = []
        self._dead_ends: list[dict] = []
        self._a11y: dict[tuple, dict] = {}
        self._scanned: list[str] = []
        self._links_checked = 0
        self._broken: list[dict] = []
        self._defect: dict | None = None
        self._result: dict | None = None
        # Which example ran: the outline's parameters ({} for a plain scenario) and what the world used
        # (generation, card profile, PC), so every report row names the example, not only the outline's title.
        self.example: dict = {}
        self.context: dict = {}

    def activity(self) -> tuple[int, int]:
        """How much the person has done so far: (actions, page views). A reporter compares two readings to tell
        whether a step did anything in the browser."""
        return len(self._actions), len(self._views)

    # -- events -------------------------------------------------------------------------------------------------
    def step(self, text: str) -> None:
        """A Gherkin step was executed (keyword and text, as written)."""
        self._check_open()
        self._steps.append(self._scrub.text(text))

    def action(self, kind: str, target: str, keystrokes: int = 0) -> dict:
        """A user action (kinds in usability/klm.py, aliases in ACTION_ALIASES). ``keystrokes`` is a *count*;
        passing the typed value itself is refused (TypeError). For ``pin`` it is the digits typed: the model adds
        the Enter key itself."""
        self._check_open()
        if isinstance(keystrokes, bool) or not isinstance(keystrokes, int):
            raise TypeError("keystrokes must be an int count, never the typed value")
        kind = ACTION_ALIASES.get(kind, kind)
        cost = self._klm.cost(kind, keystrokes)
        entry = {
            "kind": kind,
            "target": self._scrub.text(target),
            "keystrokes": keystrokes,
            "operators": cost.operators,
            "klm_seconds": cost.seconds,
        }
        self._actions.append(entry)
        return entry

    def page_view(self, url: str, title: str = "") -> int:
        """A document was loaded and shown (not a background request). Returns its index for ``page_title``."""
        self._check_open()
        self._views.append({"url": self._scrub.url(url), "title": self._scrub.text(title)})
        return len(self._views) - 1

    def page_title(self, index: int, title: str) -> None:
        """Fill in a page view's title later (the browser answers asynchronously); ignored once finished."""
        if self._result is None and 0 <= index < len(self._views):
            self._views[index]["title"] = self._scrub.text(title)

    def error(self, code: str | None, text: str, page: str = "", source: str = "portal", links=()) -> dict | None:
        """An error message a person saw. The same message on the same page view is kept once (a step that checks
        the page twice must not double-count). ``links``: hrefs or labels offered next to the message."""
        self._check_open()
        if source not in SOURCES:
            raise ValueError(f"error source must be one of {SOURCES}, not {source!r}")
        safe_text = self._scrub.text(text)
        code = self._scrub.text(code) if code else extract_code(safe_text)
        page = self._scrub.url(page) if page else (self._views[-1]["url"] if self._views else "")
        key = (code, safe_text, page, len(self._views))
        if key in self._error_keys:
            return None
        self._error_keys.add(key)
        entry = {
            "code": code,
            "text": safe_text,
            "page": page,
            "source": source,
            "verdict": judge(safe_text, code, tuple(links)).as_dict(),
        }
        self._errors.append(entry)
        return entry

    def wait(self, seconds: float, reason: str) -> None:
        """Simulated waiting time from the portal's clock (mail latency, an outage, certificate activation)."""
        self._check_open()
        if seconds < 0:
            raise ValueError("waiting time cannot be negative")
        self._waits.append({"seconds": float(seconds), "reason": _key(reason)})

    def system_response(self, seconds: float, what: str) -> None:
        """KLM's R: the time the person waits for the system (a card's modelled time at realistic latency). Only a
        realistic latency profile calls this, so the default (`off`) run keeps R = 0 and the baseline's numbers."""
        if self._result is not None:
            return  # a card still answering after the scenario ended (e.g. teardown): not part of it
        if seconds < 0:
            raise ValueError("a response time cannot be negative")
        # milliseconds: a longer digit run could be mistaken for a 4-digit PIN by the report's secret scrubber
        self._responses.append({"seconds": round(float(seconds), 3), "what": _key(what)})

    @property
    def system_responses(self) -> int:
        """How many system responses (KLM R) were recorded so far."""
        return len(self._responses)

    def prerequisite(self, kind: str, detail: str = "", category: str | None = None) -> None:
        """Something the person had to do or get before going on (install, extension, city office, phone call)."""
        self._check_open()
        kind = _key(kind)
        kind = PREREQUISITE_ALIASES.get(kind, kind)
        if category is None:
            if kind not in PREREQUISITE_KINDS:
                raise ValueError(
                    f"unknown prerequisite kind {kind!r}; use one of {sorted(PREREQUISITE_KINDS)} or pass category="
                )
            category = PREREQUISITE_KINDS[kind]
        if category not in COST_CATEGORIES:
            raise ValueError(f"cost category must be one of {COST_CATEGORIES}, not {category!r}")
        self._prereqs.append({"kind": kind, "detail": self._scrub.text(detail), "category": category})

    def dead_end(self, state: str, reason: str = "", way_out: str = "") -> None:
        """A state whose only way forward is offline (city office, phone call to the bureau, counter, post)."""
        self._check_open()
        page = self._views[-1]["url"] if self._views else ""
        self._dead_ends.append(
            {"state": self._scrub.text(state), "reason": self._scrub.text(reason), "way_out": _key(way_out) if way_out
             else "", "page": page}
        )

    def a11y(self, url: str, violations: list[dict]) -> None:
        """axe-core violations on one page state (from ``usability.a11y.scan``); deduplicated by fingerprint."""
        self._check_open()
        page = self._scrub.url(url)
        self._scanned.append(page)
        for v in violations:
            impact = v.get("impact") or "minor"
            targets = [self._scrub.text(t) for t in v.get("targets", [])]
            key = (page, v["rule"], tuple(targets))
            if key not in self._a11y:
                self._a11y[key] = {
                    "rule": v["rule"],
                    "impact": impact,
                    "nodes": int(v.get("nodes", len(targets))),
                    "targets": targets,
                    "page": page,
                    "help": self._scrub.text(v.get("help", "")),
                }

    def link(self, url: str, status: int | None, error: str = "") -> None:
        """A link or request outcome: ``status`` >= 400, or None for a failed request, counts as broken.

        A broken link counts once per scenario: Chromium silently retries a GET whose connection was reset, and
        a metric that depends on the browser's retries would flag regressions that are noise."""
        self._check_open()
        self._links_checked += 1
        if status is None or int(status) >= 400:
            entry = {"url": self._scrub.url(url), "status": status, "error": self._scrub.text(error)}
            if any(all(b[k] == v for k, v in entry.items()) for b in self._broken):
                return
            entry["page"] = self._views[-1]["url"] if self._views else ""
            self._broken.append(entry)

    def known_defect(self, present: bool, note: str = "") -> None:
        """A step states whether the known trap was met (overrides the status derived from the outcome)."""
        self._check_open()
        self._defect = {"present": bool(present), "note": self._scrub.text(note)}

    # -- result -------------------------------------------------------------------------------------------------
    def finish(self, outcome: str) -> dict:
        """Close the scenario and return its metrics (schema in CONTRACTS.md / usability/README)."""
        self._check_open()
        is_defect = bool(KNOWN_DEFECT_TAGS & set(self.tags))
        defect = None
        if is_defect:
            defect = dict(self._defect) if self._defect else {"present": _present_from(outcome), "note": ""}
        self._result = {
            "schema": SCHEMA_VERSION,
            "scenario_id": self.scenario_id,
            "name": self.name,
            "feature": self.feature,
            "stage": self.stage,
            "tags": self.tags,
            "example": {self._scrub.text(str(k)): self._scrub.text(str(v)) for k, v in self.example.items()},
            "context": {k: self._scrub.text(str(v)) for k, v in self.context.items() if v},
            "outcome": str(outcome),
            "known_defect": defect,
            "steps": list(self._steps),
            "actions": list(self._actions),
            "page_views": [dict(v) for v in self._views],
            "errors": list(self._errors),
            "waits": list(self._waits),
            "system_responses": list(self._responses),
            "prerequisites": list(self._prereqs),
            "dead_ends": list(self._dead_ends),
            "a11y": {"pages_scanned": sorted(set(self._scanned)), "violations": list(self._a11y.values())},
            "links": {"checked": self._links_checked, "broken": list(self._broken)},
        }
        self._result["totals"] = totals(self._result)
        return self._result

    @property
    def finished(self) -> bool:
        return self._result is not None

    def _check_open(self) -> None:
        if self._result is not None:
            raise RuntimeError(f"scenario {self.scenario_id!r} already finished")


CONTEXT_NAMES = {"card_profile": "profile", "generation": "generation", "pc": "PC"}


def scenario_label(s: dict) -> str:
    """The scenario's name, and for an outline example the profile, generation and PC it ran with and its other
    parameters: "A PC that is not set up … [profile: valid, generation: ras, PC: macos-chrome, reason: …]".
    Five examples of one outline are five different rows."""
    example = dict(s.get("example") or {})
    if not example:
        return s.get("name", "")
    context = s.get("context") or {}
    parts = []
    for key, shown in CONTEXT_NAMES.items():
        value = example.pop(shown.lower(), None) or context.get(key)
        if value:
            parts.append(f"{shown}: {value}")
    parts += [f"{k}: {v}" for k, v in sorted(example.items())]
    return f"{s.get('name', '')} [{', '.join(parts)}]"


def _present_from(outcome: str) -> bool | None:
    """A known-defect scenario asserts the trap: passed = the trap is still there; failed = it no longer
    reproduces as asserted (maybe fixed, check); anything else = unknown."""
    return {"passed": True, "failed": False}.get(str(outcome))


def totals(s: dict) -> dict:
    """Scenario totals, the numbers compare.py and the report work with."""
    kinds = Counter(a["kind"] for a in s["actions"])
    waits: Counter = Counter()
    for w in s["waits"]:
        waits[w["reason"]] += w["seconds"]
    grades = Counter(e["verdict"]["grade"] for e in s["errors"])
    impacts = Counter(v["impact"] for v in s["a11y"]["violations"])
    cats = Counter(p["category"] for p in s["prerequisites"])
    response = sum(r["seconds"] for r in s.get("system_responses", []))  # KLM R (usability/klm.py)
    return {
        "steps": len(s["steps"]),
        "actions": len(s["actions"]),
        "clicks": kinds["click"] + kinds["check"],
        "fields_filled": kinds["fill"],
        "selections": kinds["select"],
        "pin_entries": kinds["pin"],
        "keystrokes": sum(a["keystrokes"] for a in s["actions"]),
        "page_views": len(s["page_views"]),
        "unique_pages": len({v["url"] for v in s["page_views"]}),
        "klm_seconds": round(sum(a["klm_seconds"] for a in s["actions"]) + response, 2),
        "system_response_seconds": round(response, 3),
        "wait_seconds": round(sum(waits.values()), 3),
        "waits_by_reason": {k: round(v, 3) for k, v in sorted(waits.items())},
        "prerequisites": len(s["prerequisites"]),
        "prerequisites_by_category": {c: cats[c] for c in COST_CATEGORIES},
        "offline_prerequisites": sum(cats[c] for c in OFFLINE_CATEGORIES),
        "errors": len(s["errors"]),
        "errors_by_grade": {g: grades[g] for g in GRADES},
        "bare_errors": sum(1 for e in s["errors"] if e["verdict"]["bare"]),
        "dead_ends": len(s["dead_ends"]),
        "a11y_violations": len(s["a11y"]["violations"]),
        "a11y_by_impact": {i: impacts[i] for i in IMPACTS},
        "broken_links": len(s["links"]["broken"]),
    }
