"""The JPKI client as a Chrome native-messaging host, driven the way Chromium drives it: a real process, frames on
its stdin and stdout. Every bad frame gets an error reply and the host reads on; PINs come over the private channel
and are never logged; its config is refused when others could read it.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

from jpki_client import settings
from jpki_client.environments import DEFAULT_DIRECTORY, EnvironmentProfileError, load_environment, parse_environment
from jpki_client.native_host import CONFIG_ENV
from jpki_client.native_messaging import MAX_FROM_BROWSER, MAX_TO_BROWSER, encode_message, read_message
from jpki_client.pin import StaticPinProvider
from jpki_client.pin_channel import PinChannelServer
from wiring.extension_browser import EXTENSION_DIR, PcSetup, host_executable

SENTINEL_AUTH = "7391"
SENTINEL_SIGN = "ZQX7V3K9WJ"


def frame(body: bytes) -> bytes:
    return len(body).to_bytes(4, sys.byteorder) + body


def message(obj: dict) -> bytes:
    return frame(json.dumps(obj).encode("utf-8"))


class HostProcess:
    """The host as Chromium starts it: its own process, the config named in its environment."""

    def __init__(self, workdir: Path, config: dict, provider=None, events: list | None = None, mode: int = 0o600):
        self.pins = PinChannelServer(workdir, provider or StaticPinProvider({}),
                                     events.append if events is not None else None).start()
        self.config = workdir / "host.json"
        self.config.write_text(json.dumps({**config, "pin_socket": str(self.pins.path)}), encoding="utf-8")
        self.config.chmod(mode)
        self.proc = subprocess.Popen([str(host_executable()), "chrome-extension://test/"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env={**os.environ, CONFIG_ENV: str(self.config)})

    def send(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def reply(self) -> dict:
        header = self.proc.stdout.read(4)
        assert len(header) == 4, f"host closed its stdout; stderr: {self.proc.stderr.read().decode()}"
        return json.loads(self.proc.stdout.read(int.from_bytes(header, sys.byteorder)).decode("utf-8"))

    def finish(self) -> tuple[int, str]:
        self.proc.stdin.close()
        status = self.proc.wait(timeout=30)
        self.pins.stop()
        return status, self.proc.stderr.read().decode("utf-8", "replace")


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    directory = tmp_path / "private"
    directory.mkdir(mode=0o700)
    return directory


# ------------------------------------------------------------------ framing on its own


def test_a_frame_is_a_native_endian_length_then_utf8_json():
    data = encode_message({"id": 1, "text": "署名"})
    body = json.dumps({"id": 1, "text": "署名"}, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert data == len(body).to_bytes(4, sys.byteorder) + body
    assert read_message(io.BytesIO(data)) == {"id": 1, "text": "署名"}


def test_a_message_over_chromes_limit_is_replaced_by_an_error_naming_its_size():
    big = {"id": 7, "blob": "x" * MAX_TO_BROWSER}
    size = len(json.dumps(big, separators=(",", ":")))
    data = encode_message(big)
    (length,) = struct.unpack("=I", data[:4])
    answer = json.loads(data[4:])
    assert length == len(data) - 4 <= MAX_TO_BROWSER
    assert (answer["id"], answer["errorCode"]) == (7, "JPKI_RESPONSE_TOO_LARGE")
    assert re.search(rf"response of {size} bytes", answer["errorMessage"])


# ------------------------------------------------------------------ the host process

BAD_FRAMES = {
    "short": (frame(b"{"), "JPKI_FRAME_TOO_SHORT"),
    "empty": (frame(b""), "JPKI_FRAME_TOO_SHORT"),
    "oversize": (frame(b" " * (MAX_FROM_BROWSER + 1)), "JPKI_FRAME_TOO_LARGE"),
    "not JSON": (frame(b"PIN please"), "JPKI_FRAME_NOT_JSON"),
    "not UTF-8": (frame(b"\xff\xfe{}"), "JPKI_FRAME_NOT_JSON"),
    "JSON but not an object": (frame(b"[1, 2]"), "JPKI_FRAME_NOT_JSON"),
    "unknown command": (message({"command": "format-card", "id": 5}), "JPKI_UNKNOWN_COMMAND"),
}


def test_each_bad_frame_gets_an_error_and_the_host_reads_on(workdir):
    host = HostProcess(workdir, {})
    for name, (data, code) in BAD_FRAMES.items():
        host.send(data)
        answer = host.reply()
        assert (answer["result"], answer["errorCode"]) == ("E", code), name
        host.send(message({"command": "hello", "id": name}))
        assert host.reply() == {"id": name, "ok": True, "client": "browser", "version": "latest", "protocol": 1}
    status, _ = host.finish()
    assert status == 0


def test_a_frame_cut_short_by_the_end_of_input_is_answered_then_the_host_ends(workdir):
    host = HostProcess(workdir, {})
    host.send((100).to_bytes(4, sys.byteorder) + b'{"command": "hel')
    host.proc.stdin.close()
    answer = host.reply()
    assert answer["errorCode"] == "JPKI_FRAME_TRUNCATED"
    assert host.proc.wait(timeout=30) == 0
    host.pins.stop()


def test_the_standalone_client_answers_hello_as_itself_and_cannot_serve_the_browser(workdir):
    host = HostProcess(workdir, {"client": "standalone", "version": "3.4"})
    host.send(message({"command": "hello", "id": 1}))
    assert host.reply() == {"id": 1, "ok": True, "client": "standalone", "version": "3.4", "protocol": 1}
    host.send(message({"command": "read", "id": 2, "mode": "auth"}))
    assert host.reply()["errorCode"] == "JPKI_CLIENT_NOT_RUNNING"
    host.finish()


def test_a_config_others_can_read_is_refused_with_the_fix(workdir):
    host = HostProcess(workdir, {}, mode=0o644)
    status, stderr = host.finish()
    assert status == 2
    assert f"has mode 0o644; fix: chmod 600 {host.config}" in stderr


def test_the_pin_channel_refuses_a_directory_others_can_enter(tmp_path):
    open_dir = tmp_path / "open"
    open_dir.mkdir(mode=0o755)
    open_dir.chmod(0o755)
    with pytest.raises(PermissionError, match=r"mode 0o755.*fix: chmod 700"):
        PinChannelServer(open_dir, StaticPinProvider({}))


@pytest.mark.pcscd
def test_the_host_signs_through_pcsc_asking_the_channel_and_never_logs_a_pin(workdir, make_card, pcsc_access):
    access = pcsc_access(make_card("valid", auth_pin=SENTINEL_AUTH, sign_password=SENTINEL_SIGN))
    events: list[dict] = []
    provider = StaticPinProvider({"auth": SENTINEL_AUTH, "sign": SENTINEL_SIGN})
    host = HostProcess(workdir, {"reader": access.reader_name}, provider, events)
    challenge = base64.b64encode(b"login-challenge").decode()
    host.send(message({"command": "read", "id": 3, "mode": "auth", "challenge": challenge}))
    answer = host.reply()
    host.send(message({"command": "read", "id": 4, "mode": "sign", "challenge": challenge}))
    signed = host.reply()
    status, stderr = host.finish()
    assert (answer["id"], answer["result"], signed["result"]) == (3, "0", "0")
    assert {"kind": "pin_dialog", "pin_kind": "auth", "digits": 4} in events
    assert status == 0 and "command 'read' id 3" in stderr  # the log is there, and it is about commands
    leaks = [p for p in (stderr, json.dumps(events), *(f.read_text("utf-8", "replace") for f in workdir.iterdir()
                                                       if f.is_file())) if SENTINEL_AUTH in p or SENTINEL_SIGN in p]
    assert leaks == []


@pytest.mark.parametrize(("constant", "code"), [("NOT_RUNNING", "JPKI_CLIENT_NOT_RUNNING"),
                                                ("HOST_EXITED", "JPKI_HOST_EXITED")])
def test_the_extension_says_what_the_clients_message_table_says(constant, code):
    script = (EXTENSION_DIR / "service_worker.js").read_text(encoding="utf-8")
    text = "".join(re.findall(r'"([^"]*)"', script.split(f"const {constant} =", 1)[1].split(";", 1)[0]))
    assert text == settings.message(code)


# ------------------------------------------------------------------ what a PC profile installs


@pytest.mark.parametrize(("pc", "extension", "registered", "client"), [
    ("windows-chrome", True, True, ("browser", "latest")),
    ("windows-no-extension", False, True, ("browser", "latest")),
    ("windows-host-not-registered", True, False, ("browser", "latest")),
    ("windows-standalone-client", True, True, ("standalone", "3.4")),
    ("android-smartphone", False, False, ("browser", "latest")),
])
def test_the_pc_profile_decides_what_chromium_gets(pc, extension, registered, client):
    setup = PcSetup.from_environment(load_environment(pc), "Virtual PCD 0 00 00")
    assert (setup.extension, setup.host_registered, (setup.host["client"], setup.host["version"])) == (
        extension, registered, client)


def test_a_host_without_a_client_is_refused_with_the_fix():
    data = yaml.safe_load((DEFAULT_DIRECTORY / "android-smartphone.yaml").read_text(encoding="utf-8"))
    with pytest.raises(EnvironmentProfileError, match="native_host.*the host is the client.*fix: set native_host: false"):
        parse_environment({**data, "native_host": True}, "android-smartphone.yaml")


def test_a_deep_tmpdir_does_not_break_the_pin_channel(monkeypatch, tmp_path):
    from wiring.extension_browser import _private_workdir

    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    workdir = _private_workdir()
    try:
        server = PinChannelServer(workdir, StaticPinProvider({})).start()
        server.stop()
        assert oct(workdir.stat().st_mode & 0o777) == "0o700"
    finally:
        workdir.rmdir()
