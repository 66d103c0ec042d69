"""Profile scenarios end to end: where the wall time of a journey goes, by harness part and by browser call.

Why not cProfile alone: the sync Playwright API waits on a greenlet that runs the driver's event loop, so a
deterministic profiler charges the wait to whatever frame happened to switch, and a 300 ms `goto` shows as 15 ms.
Wall clocks around the calls that cross a process boundary (the Playwright driver, the portal's control API, the
card bridge) and around the harness's own hooks say where the time goes; each browser call is charged to the
harness part that made it (a step, the after-step hook, the world's set-up, its teardown).

Usage (inside the isolation wrapper on a shared machine):
    .venv/bin/python -m bench.profile_scenario -k whole_story [--trace-browser] [--without axe,screenshot] [pytest args]
(``-m`` from the repository's root: the harness's pytest plugins in ``fixtures/`` are found there, as pytest
finds them from the root conftest; they are not an installed package.)
Writes reports/bench/profile.json; `--trace-browser` also records Chromium's own trace (chrome://tracing, Perfetto)
of the first scenario to reports/bench/chromium-trace.json. Measures; asserts nothing.
"""

from __future__ import annotations

import functools
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from bench.proctree import tree_cpu_by_name, tree_memory

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "reports" / "bench"


class Profile:
    """Inclusive wall time per (harness part, call), and per harness part."""

    def __init__(self) -> None:
        self.parts: dict[str, list[float]] = defaultdict(list)
        self.calls: dict[tuple[str, str], list[float]] = defaultdict(list)
        self.stack: list[str] = ["pytest"]
        self.messages: dict[tuple[str, str], int] = defaultdict(int)

    def part(self, label: str, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            self.stack.append(label)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.parts[label].append(time.perf_counter() - start)
                self.stack.pop()
        return wrapper

    def call(self, label: str, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.calls[(self.stack[-1], label)].append(time.perf_counter() - start)
        return wrapper

    def table(self) -> dict:
        def rows(data):
            return sorted(({"name": k if isinstance(k, str) else f"{k[0]} → {k[1]}", "count": len(v),
                            "total_s": round(sum(v), 3), "mean_ms": round(1000 * sum(v) / len(v), 1)}
                           for k, v in data.items()), key=lambda r: -r["total_s"])
        messages = sorted(({"name": f"{part} → {method}", "count": n} for (part, method), n in self.messages.items()),
                          key=lambda r: -r["count"])
        return {"parts": rows(self.parts), "calls": rows(self.calls), "protocol_messages": messages}

    def count_protocol_messages(self) -> None:
        """Every message the Python client sends to the Playwright driver (``__waitInfo__`` bookkeeping left out),
        charged to the harness part that sent it: the per-call traffic both processes pay CPU for."""
        from playwright._impl.connection import Connection

        original = Connection.send_message_to_server

        def send(connection, owner, method, params, options):
            if method != "__waitInfo__":
                self.messages[(self.stack[-1], f"{type(owner).__name__}.{method}")] += 1
            return original(connection, owner, method, params, options)

        Connection.send_message_to_server = send


def instrument(profile: Profile) -> None:
    """Wrap the sync Playwright classes' public methods, the control API and the harness's hooks."""
    from playwright.sync_api import _generated as gen

    for cls_name in ("Page", "Frame", "Locator", "BrowserContext", "Browser", "Tracing", "LocatorAssertions",
                     "PageAssertions", "ElementHandle"):
        cls = getattr(gen, cls_name)
        for name, value in list(vars(cls).items()):
            if callable(value) and not name.startswith("_"):
                setattr(cls, name, profile.call(f"{cls_name}.{name}", value))

    import fixtures.reporting as reporting
    import fixtures.world as world
    import fixtures.world_fixture as world_fixture
    import portal_mock.admin_client as portal_admin
    import screenplay.pages as pages
    import usability.a11y as a11y

    original_call = portal_admin.PortalAdmin._call

    def admin_call(self, method, path, **kwargs):
        return profile.call(f"control API {method} {path.split('/')[0]}", original_call)(self, method, path, **kwargs)

    portal_admin.PortalAdmin._call = admin_call
    world.World.ready = profile.part("world set-up (context, bridge, card)", world.World.ready)
    world.World.close = profile.part("world close (trace, context)", world.World.close)
    world_fixture.report_scenario = profile.part("scenario teardown (attachments, metrics)",
                                                 world_fixture.report_scenario)
    reporting.masked_screenshot = profile.part("screenshot (masked)", reporting.masked_screenshot)
    reporting.screenshot_of_marked = profile.part("screenshot (masked)", reporting.screenshot_of_marked)
    reporting._look_at_page = profile.part("look at the page (state, marks, findings)", reporting._look_at_page)
    reporting._collect_page_findings = profile.part("page findings", reporting._collect_page_findings)
    a11y.scan = profile.call("axe scan", a11y.scan)
    pages.PortalUI._click_card_button = profile.part("card button (bridge + wait)", pages.PortalUI._click_card_button)


class ScenarioCost:
    """Per scenario: wall time and the CPU seconds of the whole process tree (pytest, the Playwright driver,
    Chromium, pcscd) from the end of its set-up to the end of its world's teardown — the number to compare between
    paired runs on a loaded machine. Session set-up and teardown (pcscd, launching and closing Chromium) fall
    outside: they happen in the first scenario's set-up and the last one's teardown, once per run."""

    def __init__(self) -> None:
        self.rows: list[dict] = []
        self._start: tuple[float, dict] = (0.0, {})
        self._failed: set[str] = set()
        self.peak: dict = {}

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        yield
        self._start = (time.perf_counter(), tree_cpu_by_name())

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item):
        """Memory while the scenario's browser context is still open: the peak, and who holds it."""
        rows = tree_memory()
        total = sum(r["pss_mb"] for r in rows)
        if total > self.peak.get("total_mb", 0):
            roles: dict[str, list[float]] = {}
            for r in rows:
                roles.setdefault(f"{r['name']} ({r['role']})", []).append(r["pss_mb"])
            self.peak = {"total_mb": round(total, 1), "scenario": item.name, "by_process": sorted(
                ({"process": k, "count": len(v), "pss_mb": round(sum(v), 1)} for k, v in roles.items()),
                key=lambda r: -r["pss_mb"])}
        yield

    def pytest_runtest_logreport(self, report):
        """Set-up and call reports come before the world's teardown writes the row, the teardown's after it."""
        if report.failed:
            self._failed.add(report.nodeid.split("::")[-1])
            if self.rows and self.rows[-1]["scenario"] in self._failed:
                self.rows[-1]["outcome"] = "FAILED"

    def pytest_fixture_post_finalizer(self, fixturedef, request):
        if fixturedef.argname != "world" or not self._start[1]:
            return
        wall0, cpu0 = self._start
        self._start = (0.0, {})
        cpu = {k: round(v - cpu0.get(k, 0.0), 3) for k, v in tree_cpu_by_name().items()}
        self.rows.append({"scenario": request.node.name, "outcome": "FAILED" if request.node.name in self._failed else "passed", "wall_s": round(time.perf_counter() - wall0, 3),
                          "cpu_s": round(sum(cpu.values()), 3), "cpu_by_process": cpu})


class StepTimer:
    """A pytest plugin: the steps themselves, and the after-step hook, as harness parts."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self._t = 0.0

    @pytest.hookimpl(tryfirst=True)
    def pytest_bdd_before_step_call(self, request, feature, scenario, step, step_func, step_func_args):
        self.profile.stack.append(f"step: {step.type}")
        self._t = time.perf_counter()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_bdd_after_step(self, request, feature, scenario, step, step_func, step_func_args):
        """A wrapper runs before every other implementation: the step has just returned."""
        self.profile.parts[f"step: {step.type}"].append(time.perf_counter() - self._t)
        self.profile.stack.pop()
        yield

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        start = time.perf_counter()
        yield
        self.profile.parts["scenario call (all steps and hooks)"].append(time.perf_counter() - start)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        start = time.perf_counter()
        yield
        self.profile.parts["scenario setup"].append(time.perf_counter() - start)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_teardown(self, item):
        self.profile.stack[:] = ["teardown"]
        start = time.perf_counter()
        yield
        self.profile.parts["scenario teardown"].append(time.perf_counter() - start)
        self.profile.stack[:] = ["pytest"]


def _time_after_step_hook(profile: Profile) -> None:
    """The reporting plugin's after-step hook (screenshot, page findings) as a harness part of its own."""
    import fixtures.reporting as reporting

    reporting.pytest_bdd_after_step = profile.part("after-step hook (screenshot, findings)",
                                                   reporting.pytest_bdd_after_step)


WHAT_IF = ("axe", "screenshot", "findings")


def _without(parts: list[str]) -> None:
    """What a part costs: run without it and compare the CPU of paired runs. Measuring only — a run without
    axe records no accessibility findings, so its usability numbers are not the suite's."""
    import fixtures.reporting as reporting
    import usability.a11y as a11y

    for part in parts:
        if part not in WHAT_IF:
            raise SystemExit(f"--without {part}: not a part this script can leave out; choose from {WHAT_IF}")
    if "axe" in parts:
        a11y.scan = lambda page, context=None: []
    if "screenshot" in parts:
        reporting.masked_screenshot = lambda page, secrets, **kwargs: b""
        reporting.screenshot_of_marked = lambda page, marked, **kwargs: b""
    if "findings" in parts:
        reporting._collect_page_findings = lambda w, reports, look=None: None


def main(argv: list[str]) -> int:
    trace_browser = "--trace-browser" in argv
    argv = [a for a in argv if a != "--trace-browser"]
    without = [p for i, a in enumerate(argv) if a == "--without" for p in argv[i + 1].split(",")]
    argv = [a for i, a in enumerate(argv) if a != "--without" and (i == 0 or argv[i - 1] != "--without")]
    profile = Profile()
    instrument(profile)
    profile.count_protocol_messages()
    _time_after_step_hook(profile)
    _without(without)
    if trace_browser:
        _trace_first_context(OUT / "chromium-trace.json")
    start = time.perf_counter()
    cost = ScenarioCost()
    rc = pytest.main(["features", "-q", "-p", "no:randomly", *argv], plugins=[StepTimer(profile), cost])
    wall = time.perf_counter() - start
    result = {"wall_s": round(wall, 2), "pytest_args": argv, "scenarios": cost.rows, "peak_memory": cost.peak,
              **profile.table()}
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "profile.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
    print(f"\nwall {wall:.2f} s — harness parts (inclusive):")
    for r in result["parts"][:20]:
        print(f"  {r['total_s']:8.3f} s  {r['count']:5d} × {r['mean_ms']:7.1f} ms  {r['name']}")
    print("browser and control-API calls, charged to the part that made them:")
    for r in result["calls"][:30]:
        print(f"  {r['total_s']:8.3f} s  {r['count']:5d} × {r['mean_ms']:7.1f} ms  {r['name']}")
    print(f"protocol messages to the driver: {sum(r['count'] for r in result['protocol_messages'])}, by part:")
    for r in result["protocol_messages"][:25]:
        print(f"  {r['count']:5d}  {r['name']}")
    print("per scenario, set-up start to teardown end (CPU: the whole process tree):")
    for r in cost.rows:
        print(f"  wall {r['wall_s']:7.3f} s  CPU {r['cpu_s']:7.3f} s  {r['outcome']}  {r['scenario']}  {r['cpu_by_process']}")
    if cost.rows:
        print(f"  total: wall {sum(r['wall_s'] for r in cost.rows):.2f} s, CPU {sum(r['cpu_s'] for r in cost.rows):.2f} s "
              f"over {len(cost.rows)} scenarios")
    if cost.peak:
        print(f"peak memory (PSS of the process tree at a scenario's teardown): {cost.peak['total_mb']} MB "
              f"in {cost.peak['scenario']}")
        for r in cost.peak["by_process"]:
            print(f"  {r['pss_mb']:7.1f} MB  {r['count']:2d} × {r['process']}")
    print(f"written: {OUT / 'profile.json'}")
    return int(rc)


def _trace_first_context(path: Path) -> None:
    """Chromium's own trace (CDP Tracing) around the first scenario's browser context: what the renderer and the
    browser process did, for chrome://tracing or ui.perfetto.dev."""
    import fixtures.world as world

    original_ready, original_close = world.World.ready, world.World.close
    state = {"done": False}

    def ready(self):
        result = original_ready(self)
        if not state["done"] and "tracing" not in state and self.page is not None:  # ready() runs every step
            self.services.browser.start_tracing(page=self.page, path=str(path), screenshots=False)
            state["tracing"] = self.services.browser
        return result

    def close(self, trace_path):
        browser = state.pop("tracing", None)
        if browser is not None:
            state["done"] = True
            path.parent.mkdir(parents=True, exist_ok=True)
            browser.stop_tracing()
        return original_close(self, trace_path)

    world.World.ready, world.World.close = ready, close


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
