"""vpcd's reader.conf entries and the reader names pcscd makes of them — built here and nowhere else.

pcscd names a reader ``<FRIENDLYNAME> <reader index> <slot index>`` (two hex digits each); a vpcd entry has two
slots, the second on the next port. The harness writes its own entries (``write_conf``) and reads the system's
(``parse_vpcd_conf``); both, and every caller that names a reader, go through ``reader_name``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
OWN_READERS = 4  # each vpcd reader line gives two slots: 8 slots, enough for -n 4 and a person's own card serve
SLOTS_PER_READER = 2


def own_friendly_name(index: int) -> str:
    return f"Virtual PCD {index}"


def reader_name(friendly: str, slot: int) -> str:
    """The name pcscd gives slot ``slot`` of the first reader called ``friendly``."""
    return f"{friendly} 00 {slot:02X}"


def entry_slots(friendly: str, port: int) -> list[tuple[str, int]]:
    """(reader name, vpcd port) of both slots of one vpcd entry listening from ``port``."""
    return [(reader_name(friendly, s), port + s) for s in range(SLOTS_PER_READER)]


def own_slots(base: int) -> list[tuple[str, int]]:
    """The slots of the entries ``write_conf`` writes from port ``base``."""
    return [slot for i in range(OWN_READERS) for slot in entry_slots(own_friendly_name(i), base + SLOTS_PER_READER * i)]


def parse_vpcd_conf(directory: Path) -> list[tuple[str, int]]:
    """Slots declared by vpcd entries in a reader.conf.d directory (two slots per entry)."""
    slots: list[tuple[str, int]] = []
    if not directory.is_dir():
        return slots
    for conf in sorted(directory.iterdir()):
        text = conf.read_text(errors="replace")
        for block in re.split(r"\n\s*\n", text):
            if "libifdvpcd" not in block:
                continue
            name = re.search(r'^\s*FRIENDLYNAME\s+"?([^"\n]+)"?', block, re.M)
            dev = re.search(r"^\s*DEVICENAME\s+/dev/null:(0x[0-9a-fA-F]+|\d+)", block, re.M)
            if name and dev:
                slots += entry_slots(name.group(1).strip(), int(dev.group(1), 0))
    return slots


def write_conf(state: Path, base: int) -> Path:
    """Our own vpcd entries in ``state/conf.d`` (0700), one driver copy per reader; returns the directory."""
    conf_dir = state / "conf.d"
    conf_dir.mkdir(mode=0o700)
    entries = []
    for i in range(OWN_READERS):
        port = base + SLOTS_PER_READER * i
        # vpcd keeps its slots in the driver's globals: readers sharing one loaded driver file share one card.
        # A copy of the driver per reader gives each reader its own.
        driver = state / f"libifdvpcd-{i}.so"
        shutil.copyfile(VPCD_DRIVER, driver)
        entries.append(f'FRIENDLYNAME "{own_friendly_name(i)}"\nDEVICENAME   /dev/null:{port}\nLIBPATH      {driver}\n'
                       f"CHANNELID    {port}\n")
    (conf_dir / "vpcd").write_text("\n".join(entries))
    return conf_dir
