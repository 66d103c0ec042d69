"""Chromium as a person's PC has it: the JPKI test extension loaded, the JPKI client registered as its native host.

Why: the Playwright binding (``jpki_client/bridge.py``) is fast but cannot fail the way real PCs fail — an extension
that is not there, a host that is not registered, the wrong client, a host that dies or hangs. Here each of those is
the real thing: Chromium loads the unpacked extension (``--load-extension``, only the full browser can), the host
manifest lies in the profile's own ``NativeMessagingHosts/`` folder, and the host is a real process Chromium starts.
With ``--user-data-dir`` Chromium 156 reads per-user manifests from ``<user-data-dir>/NativeMessagingHosts`` and
not from ``~/.config/chromium``, but it still reads the system folder ``/etc/chromium/native-messaging-hosts``
(tried on this machine 2026-11-27; tests/jpki_client/test_native_host_browser.py keeps the first part true). So a
system-wide manifest for our host would register it on every "PC": ``start()`` refuses to run then.

Everything is private to one launch: a 0700 work directory holding the profile, the host's config file (0600) and
the PIN channel's socket; ``close()`` removes it all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jpki_client
from jpki_client.native_host import CONFIG_ENV, HOST_NAME
from jpki_client.pin_channel import SOCKET_NAME, PinChannelServer
from wiring.chromium import CHROMIUM_ARGS, full_chromium_path

EXTENSION_DIR = Path(jpki_client.__file__).resolve().parent / "extension"
HOST_COMMAND = "ras-e2e-jpki-host"
READY_TIMEOUT_S = 60
AF_UNIX_PATH_MAX = 107
#: Folders Chromium reads host manifests from whatever the user-data dir (Debian's chromium, Linux).
SYSTEM_HOST_DIRS = (Path("/etc/chromium/native-messaging-hosts"),)


def extension_id(public_key_b64: str) -> str:
    """Chrome's ID for an extension whose manifest ``key`` is this base64 DER public key: the first 32 hex digits of
    its SHA-256, each digit 0-f written as a-p. Chrome's page on ``key`` (developer.chrome.com/docs/extensions/
    reference/manifest/key, read 2026-11-27) says the key pins the ID but not how; the test suite checks this
    derivation against the ID Chromium itself gives the extension."""
    digest = hashlib.sha256(base64.b64decode(public_key_b64)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def pinned_extension_id(extension_dir: Path = EXTENSION_DIR) -> str:
    manifest = json.loads((extension_dir / "manifest.json").read_text(encoding="utf-8"))
    return extension_id(manifest["key"])


def host_executable() -> Path:
    """The console script pip installed next to this Python (pyproject ``[project.scripts]``)."""
    path = Path(sys.executable).parent / HOST_COMMAND
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing: the native host is a console script of this project; "
                                "fix: run `make setup` (pip install -e .)")
    return path


def register_host(profile_dir: Path, host_path: Path, ext_id: str) -> Path:
    """Write the host manifest where Chromium looks for it with this user-data dir; returns its path."""
    folder = Path(profile_dir) / "NativeMessagingHosts"
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / f"{HOST_NAME}.json"
    manifest.write_text(json.dumps({
        "name": HOST_NAME,
        "description": "ras-e2e JPKI client (browser version) native host",
        "path": str(Path(host_path).resolve()),
        "type": "stdio",
        "allowed_origins": [f"chrome-extension://{ext_id}/"],
    }, indent=2), encoding="utf-8")
    return manifest


@dataclass(frozen=True)
class PcSetup:
    """What the PC has, as extension mode makes it real. ``host`` holds the host's config (``HostConfig`` fields
    but ``pin_socket``): client kind and version, the reader, and the faults a scenario asked for."""

    extension: bool = True
    host_registered: bool = True
    host: dict = field(default_factory=dict)

    @classmethod
    def from_environment(cls, environment, reader: str | None, **faults: Any) -> PcSetup:
        """From a PC profile (``jpki_client.environments.Environment``)."""
        return cls(
            extension=environment.extension,
            host_registered=environment.native_host,
            host={"client": "standalone" if environment.client == "standalone" else "browser",
                  "version": environment.client_version or "latest", "reader": reader,
                  "reader_present": environment.reader, **faults},
        )


def _no_system_registration() -> None:
    for folder in SYSTEM_HOST_DIRS:
        manifest = folder / f"{HOST_NAME}.json"
        if manifest.exists():
            raise RuntimeError(f"{manifest} registers the test host for every Chromium profile, so no PC profile could "
                               f"lack it; fix: remove {manifest} (the harness registers the host per profile)")


def _private_workdir() -> Path:
    """A new 0700 directory; in /tmp when $TMPDIR is too deep for the PIN channel's socket path (Linux: 107 bytes)."""
    workdir = Path(tempfile.mkdtemp(prefix="ras-e2e-ext-"))
    if len(str(workdir / SOCKET_NAME).encode()) <= AF_UNIX_PATH_MAX:
        return workdir
    workdir.rmdir()
    return Path(tempfile.mkdtemp(prefix="ras-e2e-ext-", dir="/tmp"))


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


class ExtensionBrowser:
    """One persistent Chromium context per PC: ``start()`` returns the Playwright ``BrowserContext``."""

    def __init__(self, browser_type, setup: PcSetup, pin_provider, on_event: Callable[[dict], None] | None = None,
                 *, headless: bool = True, context_options: dict | None = None):
        self.browser_type = browser_type
        self.setup = setup
        self.pin_provider = pin_provider
        self.on_event = on_event
        self.headless = headless
        self.context_options = context_options or {}
        self.workdir: Path | None = None
        self.context = None
        self.ready: dict | None = None  # the service worker's verdict: {"host": bool, "client"?, "version"?}
        self._pins: PinChannelServer | None = None

    @property
    def config_path(self) -> Path:
        return self.workdir / "host.json"

    def start(self):
        _no_system_registration()
        self.workdir = _private_workdir()
        profile = self.workdir / "profile"
        profile.mkdir(mode=0o700)
        self._pins = PinChannelServer(self.workdir, self.pin_provider, self.on_event).start()
        _write_private(self.config_path, json.dumps({**self.setup.host, "pin_socket": str(self._pins.path)}))
        if self.setup.host_registered:
            register_host(profile, host_executable(), pinned_extension_id())
        args = list(CHROMIUM_ARGS) + (["--headless=new"] if self.headless else [])
        if self.setup.extension:
            args += [f"--disable-extensions-except={EXTENSION_DIR}", f"--load-extension={EXTENSION_DIR}"]
        self.context = self.browser_type.launch_persistent_context(
            str(profile), executable_path=full_chromium_path(), headless=self.headless, args=args,
            env={**os.environ, CONFIG_ENV: str(self.config_path)}, **self.context_options)
        if self.setup.extension:
            self.ready = self._wait_ready()
        return self.context

    def _wait_ready(self) -> dict:
        """Wait until the extension's service worker has tried its host (a person opens the portal after the
        browser has started; a page opened earlier could miss the extension's content script)."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        waited = 0
        while not self.context.service_workers:
            try:
                self.context.wait_for_event("serviceworker", timeout=1000)
            except PlaywrightTimeout:
                waited += 1
                if waited >= READY_TIMEOUT_S:
                    raise RuntimeError("the JPKI test extension's service worker never started "
                                       f"(is {EXTENSION_DIR} a valid extension?)") from None
        worker = self.context.service_workers[0]
        return worker.evaluate("() => self.rasE2eReady")

    def host_pids(self) -> list[int]:
        """Processes of this launch's native host: the host command, with this launch's config path in its
        environment (Chromium's own processes have that too, and a parallel worker's host has another path)."""
        marker = f"{CONFIG_ENV}={self.config_path}".encode()
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                command = (entry / "cmdline").read_bytes()
                if HOST_COMMAND.encode() in command and marker in (entry / "environ").read_bytes().split(b"\0"):
                    pids.append(int(entry.name))
            except OSError:
                continue
        return pids

    def close(self) -> None:
        try:
            if self.context is not None:
                self.context.close()
        finally:
            self.context = None
            if self._pins is not None:
                self._pins.stop()
                self._pins = None
            if self.workdir is not None:
                shutil.rmtree(self.workdir, ignore_errors=True)


# What a scenario can ask of the native host (steps/extension_steps.py). The slow host waits until the browser goes
# away, so "slower than the page" does not depend on how fast the machine is; the page's patience is made short so
# the scenario does not wait the portal's default minute.
HOST_FAULTS = {
    "exit in the middle of the signature": {"exit_during_sign": True},
    "answer only after the page has stopped waiting": {"delay_seconds": 3600, "page_timeout_seconds": 2},
}
PAGE_TIMEOUT = "page_timeout_seconds"  # not the host's: the portal's extension timeout (its admin settings)


def host_fault(behaviour: str) -> dict:
    """The host settings (and page timeout) that make the native host misbehave as ``behaviour`` says."""
    if behaviour not in HOST_FAULTS:
        raise ValueError(f"unknown host behaviour {behaviour!r}; known: {', '.join(HOST_FAULTS)}")
    return dict(HOST_FAULTS[behaviour])


def split_page_timeout(faults: dict) -> tuple[dict, int | None]:
    """The faults for the host's config, and the page timeout the portal must be set to (None: its default)."""
    host = dict(faults)
    return host, host.pop(PAGE_TIMEOUT, None)
