"""Debian's Chromium for Playwright: Playwright cannot download its own browser on these machines."""

from __future__ import annotations

import os
import shutil

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
]


def chromium_path() -> str:
    path = os.environ.get("RAS_E2E_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise FileNotFoundError(f"Chromium not found at {path}: run `make setup` (Debian package chromium)")
    return path


def full_chromium_path() -> str:
    """Debian's full Chromium, whatever `chromium_path()` picks for the suite: only the full browser loads
    extensions (a headless shell cannot), so the extension bridge and `ras-e2e walk` always launch this one."""
    path = os.environ.get("RAS_E2E_FULL_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.path.exists(path):
        raise FileNotFoundError(f"full Chromium not found at {path}: run `make setup` (Debian package chromium)")
    return path
