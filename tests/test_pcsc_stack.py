"""The PC/SC stack the harness stands on: pcscd answers and declares vpcd slots with distinct readers; it logs no
APDU, keeps its state where no other user can plant anything, and listens on loopback only."""

import ipaddress
import json
import os
import stat
import tempfile
from pathlib import Path

import pytest
from smartcard.System import readers

from fixtures import pcsc as pcsc_plugin
from pcsc_stack import stack as pcsc
from tests.process_tree import descendants, listening_sockets_of

pytestmark = pytest.mark.pcscd


def test_pcscd_lists_the_slot_reader(pcsc_stack, vpcd_slot):
    assert pcsc_stack.reader_name(vpcd_slot) in [str(r) for r in readers()]


def test_slots_have_distinct_names_and_ports(pcsc_stack):
    names = [n for n, _ in pcsc_stack.slots]
    ports = [p for _, p in pcsc_stack.slots]
    assert len(set(names)) == len(names) and len(set(ports)) == len(ports)


def test_unknown_slot_names_the_fix(pcsc_stack):
    with pytest.raises(Exception, match="RAS_E2E_VPCD_SLOT"):
        pcsc_stack.reader_name(len(pcsc_stack.slots))


# -- no secret on disk, nothing trusted from shared places, nothing on the network (docs/SECURITY.md) ---------------

def _pcscd_pid() -> int:
    pid = pcsc._running_pid()
    assert pid is not None, "pcscd wrote no pid file"
    return pid


def test_pcscd_logs_no_apdus(pcsc_stack):
    """pcscd --apdu writes every VERIFY (the PIN) and READ BINARY answer (her name) in hex to its log."""
    argv = Path(f"/proc/{_pcscd_pid()}/cmdline").read_bytes().split(b"\0")
    assert b"--apdu" not in argv and b"-a" not in argv, argv


def test_pcscd_state_is_private_and_fresh(pcsc_stack):
    state = os.environ.get(pcsc.STATE_ENV)
    if state is None:
        pytest.skip("this pcscd is the system's: the harness keeps no state for it")
    st = os.lstat(state)
    assert stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid() and stat.S_IMODE(st.st_mode) == 0o700
    assert Path(state).name.startswith("ras-e2e-pcscd-") and Path(state).name != "ras-e2e-pcscd"  # mkdtemp's name
    for child in Path(state).iterdir():
        assert os.lstat(child).st_mode & 0o022 == 0, child


@pytest.fixture
def planted(tmp_path):
    state = tmp_path / "state"
    state.mkdir(mode=0o700)
    (state / "slots.json").write_text(json.dumps({"pid": 1, "slots": [["Real Reader 00 00", 35963]]}))
    (state / "slots.json").chmod(0o600)
    return state


def test_own_state_is_read(planted):
    assert pcsc._read_state(planted)["slots"] == [["Real Reader 00 00", 35963]]


@pytest.mark.parametrize("plant", ["group-writable state", "world-readable dir", "symlinked state", "symlinked dir",
                                   "other owner"])
def test_planted_state_is_refused(planted, tmp_path, plant):
    """Another local user's slots.json could map "slot 0" to a real reader: the wrong-PIN scenarios would then
    spend someone's real PIN tries. Only a state this user wrote, that nobody else can change, is read."""
    target = planted
    if plant == "group-writable state":
        (planted / "slots.json").chmod(0o620)
    elif plant == "world-readable dir":
        planted.chmod(0o755)
    elif plant == "symlinked state":
        real = tmp_path / "elsewhere.json"
        (planted / "slots.json").rename(real)
        (planted / "slots.json").symlink_to(real)
    elif plant == "symlinked dir":
        target = tmp_path / "link"
        target.symlink_to(planted)
    else:
        if os.geteuid() != 0:
            pytest.skip("only root can give a file to another user")
        os.chown(planted / "slots.json", 65534, 65534)
    with pytest.raises((pcsc.PcscUnavailable, OSError)):
        pcsc._read_state(target)


def test_private_state_dir_is_fresh_each_time(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path / "absent"))
    a, b = pcsc.private_state_dir(), pcsc.private_state_dir()
    try:
        assert a != b and stat.S_IMODE(os.lstat(a).st_mode) == 0o700 and a.parent == Path(tempfile.gettempdir())
    finally:
        a.rmdir(), b.rmdir()
    runtime = tmp_path / "run"
    runtime.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    c = pcsc.private_state_dir()
    assert c.parent == runtime
    c.rmdir()


class _Config:
    def __init__(self, card):
        self.card = card

    def getoption(self, name, default=None):
        return {"card": self.card, "no_pcscd": False}.get(name, default)


def test_real_card_never_starts_our_pcscd(monkeypatch):
    """Our pcscd would serve the person's real reader with our configuration: with --card=pcsc the harness uses
    the system's daemon, or stops and says how to start it."""
    def start_own():
        raise AssertionError("started a pcscd of its own for a real card")

    monkeypatch.setattr(pcsc, "_daemon_alive", lambda: False)
    monkeypatch.setattr(pcsc, "_start_own", start_own)
    config = _Config("pcsc")
    pcsc_plugin.pytest_configure(config)
    assert config._ras_pcsc is None and "systemctl start pcscd.socket" in config._ras_pcsc_error


def test_nothing_of_the_harness_listens_beyond_loopback(pcsc_stack, vpcd_slot, portal, shared_browser):
    """During a run (pcscd with its vpcd readers, the portal's HTTP and SMTP, Chromium): every listening TCP
    socket of this process tree and of pcscd is on loopback. vpcd itself would listen on every interface."""
    page = shared_browser.new_page()
    try:
        page.goto(portal[1] + "/isa/applications/online/onlineshinsei.html")
        ours = listening_sockets_of(descendants(os.getpid()) | {_pcscd_pid()})
    finally:
        page.close()
    ports = {port for _addr, port in ours}
    assert pcsc_stack.vpcd_port(vpcd_slot) in ports and int(portal[1].rsplit(":", 1)[1]) in ports  # it looks
    assert [(a, p) for a, p in ours if not _loopback(a)] == []


def _loopback(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    return ip.is_loopback or (ip.version == 6 and ip.ipv4_mapped is not None and ip.ipv4_mapped.is_loopback)


def test_reader_names_of_our_conf_are_the_names_read_back(tmp_path, monkeypatch):
    """The slots the harness announces for its own pcscd are the slots a reader of that conf finds: the names are
    built in one place (pcsc_stack.vpcd_conf), for the conf written and the conf read alike."""
    from pcsc_stack import vpcd_conf

    driver = tmp_path / "libifdvpcd.so"
    driver.write_bytes(b"")
    monkeypatch.setattr(vpcd_conf, "VPCD_DRIVER", driver)
    state = tmp_path / "state"
    state.mkdir()
    conf_dir = vpcd_conf.write_conf(state, 40000)
    assert vpcd_conf.parse_vpcd_conf(conf_dir) == vpcd_conf.own_slots(40000)
    assert vpcd_conf.own_slots(40000)[:3] == [("Virtual PCD 0 00 00", 40000), ("Virtual PCD 0 00 01", 40001),
                                              ("Virtual PCD 1 00 00", 40002)]
