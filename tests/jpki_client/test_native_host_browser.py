"""The extension bridge in full Chromium: the test extension gets its pinned ID, its native host is a real process
that lives and dies with the browser, and without the host manifest the page finds no extension — by the mechanism
itself, not by a flag. A static page speaks the page protocol; the card sits behind pcscd.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest

import wiring.extension_browser as extension_browser
from jpki_client.pin import StaticPinProvider
from wiring.extension_browser import (
    ExtensionBrowser,
    PcSetup,
    extension_id,
    host_executable,
    pinned_extension_id,
    register_host,
)

pytestmark = [pytest.mark.pcscd, pytest.mark.browser]
CHALLENGE = base64.b64encode(b"registration-challenge-42").decode()


@pytest.fixture
def launch(browser_type):
    started: list[ExtensionBrowser] = []

    def start(setup: PcSetup, pins=None) -> ExtensionBrowser:
        launcher = ExtensionBrowser(browser_type, setup, pins or StaticPinProvider({}))
        started.append(launcher)
        launcher.start()
        return launcher

    yield start
    for launcher in started:
        launcher.close()


def ask(launcher: ExtensionBrowser, url: str, mode: str = "auth", timeout_ms: int = 1500) -> tuple[dict, str | None]:
    page = launcher.context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    answer = page.evaluate("([m, c, t]) => window.jpkiAsk(m, c, t)", [mode, CHALLENGE, timeout_ms])
    return page.evaluate("() => window.markers()"), answer


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its parent has not collected it yet


def test_chromium_gives_the_extension_the_id_its_manifest_key_pins(launch):
    launcher = launch(PcSetup(host_registered=False))
    worker_url = launcher.context.service_workers[0].url
    assert worker_url == f"chrome-extension://{pinned_extension_id()}/service_worker.js"
    assert extension_id(base64.b64encode(b"\x00" * 8).decode()) == "".join(
        "abcdefghijklmnop"[int(c, 16)] for c in "af5570f5a1810b7af78caf4bc70a660f")  # sha256 of 8 zero bytes


def test_the_host_is_a_process_of_its_own_while_the_browser_runs_and_ends_with_it(launch, page_url, make_card,
                                                                                 pcsc_access):
    access = pcsc_access(make_card("valid"))
    pins = StaticPinProvider({"auth": access.card.profile.pins.auth.value})
    launcher = launch(PcSetup(host={"reader": access.reader_name}), pins)
    markers, answer = ask(launcher, page_url)
    pids = launcher.host_pids()
    assert launcher.ready == {"host": True, "client": "browser", "version": "latest"}
    assert markers == {"extension": "1.0.0", "client": "latest"}
    assert json.loads(answer)["result"] == "0"
    assert len(pids) == 1 and _alive(pids[0])
    launcher.close()
    deadline = time.monotonic() + 15
    while _alive(pids[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(pids[0]), "the native host outlived the browser"
    assert launcher.workdir is not None and not launcher.workdir.exists(), "the private profile was left behind"


def test_without_the_host_manifest_the_page_finds_no_extension(launch, page_url):
    launcher = launch(PcSetup(host_registered=False))
    markers, answer = ask(launcher, page_url)
    assert launcher.ready == {"host": False}
    assert (markers, answer) == ({"extension": None, "client": None}, None)
    assert launcher.host_pids() == []


def test_a_manifest_in_the_users_own_chromium_folder_does_not_count_with_a_private_profile(launch, page_url,
                                                                                         monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    register_host(tmp_path / ".config" / "chromium", host_executable(), pinned_extension_id())
    launcher = launch(PcSetup(host_registered=False))
    assert launcher.ready == {"host": False}


def test_a_system_wide_registration_stops_the_run_with_the_fix(launch, monkeypatch, tmp_path):
    register_host(tmp_path, host_executable(), pinned_extension_id())
    monkeypatch.setattr(extension_browser, "SYSTEM_HOST_DIRS", (tmp_path / "NativeMessagingHosts",))
    with pytest.raises(RuntimeError, match=r"registers the test host for every Chromium profile.*fix: remove"):
        launch(PcSetup())
