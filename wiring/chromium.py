"""Which Chromium, with which flags, for which need — one definition, with the reason for each.

Debian's binaries, because Playwright cannot download its own browser on these machines. Three needs:

* ``headless`` (the journey suite, the harness's tests, live checks): Debian's ``chromium-headless-shell`` — the
  binary family Playwright itself uses for headless runs. Measured on a 2-core machine, the 61 scenarios serially:
  140 s with full ``chromium`` (new headless), 86 s with the shell, every scenario unchanged; a new context with a
  page costs a sixth of the CPU (bench/bench_suite.py measures both in one run).
* ``headed`` (``ras-e2e walk`` with a window): full ``chromium``; the shell has no window.
* ``extension`` (the real MV3 extension and its native-messaging host): full ``chromium`` in a persistent context;
  the shell cannot load extensions, and Chromium loads them only into a persistent profile.

``RAS_E2E_CHROMIUM=/path`` replaces the binary of the ``headless`` need (e.g. to compare with full ``chromium``),
``RAS_E2E_FULL_CHROMIUM=/path`` the full binary of the ``headed`` and ``extension`` needs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from functools import lru_cache

# Chromium keeps only the LAST --disable-features switch on its command line (a second one replaces the first
# whole), and Playwright puts its own list first. So the harness passes ONE switch: Playwright's defaults (as in
# playwright 1.65's chromiumSwitches; tests/test_chromium.py fails, naming the missing names, when an upgrade
# adds some) plus the harness's own.
PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "TcpPortRandomizationWin", "OptimizationHints",
    "NetworkTimeServiceQuerying", "AimEnabled", "PreconnectToSearch", "msForceBrowserSignIn",
    "msEdgeUpdateLaunchServicesPreferredVersion",
)
HARNESS_DISABLED_FEATURES = (
    # A new renderer document (and frame) for every cross-document navigation. Off, a same-site navigation
    # reuses the frame as Chromium did for years; the page cannot tell. Measured: a goto plus a form post costs
    # ~25 % less browser CPU (bench/profile_scenario.py, the CPU column of bench/bench_suite.py).
    "RenderDocument",
)

CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-background-networking",  # the closed network refuses Chromium's own calls home
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Chromium reloads a network-error page by itself (after about 1, 6, 7… s). After the simulated outage that
    # reload raced the scenario's own navigation ("interrupted by another navigation") and added page views nobody
    # made. A person would see the reload, but the scenario decides when she tries again.
    "--disable-auto-reload",
    "--disable-features=" + ",".join(PLAYWRIGHT_DISABLED_FEATURES + HARNESS_DISABLED_FEATURES),
]

SHELL = "chromium-headless-shell"
FULL = "chromium"


@dataclass(frozen=True)
class BrowserSpec:
    """How to launch Chromium for one need; ``launch_kwargs()`` goes to Playwright's launch (or, for
    ``persistent``, to ``launch_persistent_context`` with a profile directory)."""

    need: str
    package: str  # the Debian package that provides the binary
    headless: bool
    persistent: bool
    reason: str
    extra_args: tuple[str, ...] = ()
    ignore_default_args: tuple[str, ...] = field(default=())

    @property
    def binary(self) -> str:
        return _binary(self.need, self.package)

    @property
    def args(self) -> list[str]:
        return [*CHROMIUM_ARGS, *self.extra_args]

    def launch_kwargs(self) -> dict:
        kwargs = {"executable_path": self.binary, "args": self.args, "headless": self.headless}
        if self.ignore_default_args:
            kwargs["ignore_default_args"] = list(self.ignore_default_args)
        return kwargs

    def describe(self) -> str:
        """One line for reports and `make e2e`: version, binary, need."""
        return f"{version(self.binary)} ({self.binary}; {self.need})"


NEEDS = {
    "headless": BrowserSpec(
        "headless", SHELL, headless=True, persistent=False,
        reason="the fastest headless Chromium (no window, no extensions): the journey suite and the tests"),
    "headed": BrowserSpec(
        "headed", FULL, headless=False, persistent=False,
        reason="a window a person can use (ras-e2e walk); the headless shell has none"),
    "extension": BrowserSpec(
        "extension", FULL, headless=True, persistent=True,
        reason="loads the real MV3 extension (persistent profile, new headless); the shell cannot load extensions",
        ignore_default_args=("--disable-extensions",)),
}


def spec(need: str = "headless") -> BrowserSpec:
    if need not in NEEDS:
        raise ValueError(f"unknown browser need {need!r}: one of {', '.join(NEEDS)}")
    return NEEDS[need]


def _binary(need: str, package: str) -> str:
    variable = "RAS_E2E_CHROMIUM" if need == "headless" else "RAS_E2E_FULL_CHROMIUM"
    override = os.environ.get(variable)
    path = override or shutil.which(package) or f"/usr/bin/{package}"
    if not os.path.exists(path):
        source = variable if override else f"the Debian package {package}"
        raise FileNotFoundError(f"Chromium for the {need!r} need not found at {path}: run `make setup` "
                                f"(installs {package}) or fix {source}")
    return path


def chromium_path(need: str = "headless") -> str:
    return spec(need).binary


def full_chromium_path() -> str:
    """Debian's full Chromium, whatever the suite runs on: only the full browser loads extensions (the headless
    shell cannot), so the extension bridge and a headed `ras-e2e walk` launch this one."""
    return spec("extension").binary


@lru_cache(maxsize=8)
def version(binary: str) -> str:
    try:
        out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=20).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:  # the report says so rather than failing the run
        return f"unknown ({exc.__class__.__name__})"
    return out or "unknown"
