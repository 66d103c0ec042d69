"""What a run left running or listening, read from /proc (Linux): the process tree below a pid and the TCP
sockets those processes listen on."""

from __future__ import annotations

import contextlib
import ipaddress
import os
from pathlib import Path


def descendants(root: int) -> set[int]:
    """`root` and every process below it (xdist workers, pcscd, Playwright's driver, Chromium, servers)."""
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(proc.name))
    pids, todo = set(), [root]
    while todo:
        pid = todo.pop()
        pids.add(pid)
        todo += children.get(pid, [])
    return pids


def listening_sockets_of(pids: set[int]) -> list[tuple[str, int]]:
    """(address, port) of every listening TCP socket (from /proc/net/tcp{,6}) whose inode one of `pids` holds."""
    inodes = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    link = os.readlink(fd)
                    if link.startswith("socket:["):
                        inodes.add(link[8:-1])
    found = []
    for table, size in (("tcp", 4), ("tcp6", 16)):
        for line in Path(f"/proc/net/{table}").read_text().splitlines()[1:]:
            fields = line.split()
            local, state, inode = fields[1], fields[3], fields[9]
            if state == "0A" and inode in inodes:  # 0A: LISTEN
                addr, port = local.split(":")
                raw = bytes.fromhex(addr)
                raw = b"".join(raw[i:i + 4][::-1] for i in range(0, size, 4))  # /proc prints host-order words
                found.append((str(ipaddress.ip_address(raw)), int(port, 16)))
    return found


def alive(pids: set[int]) -> list[str]:
    """The processes of `pids` that still run (zombies count as gone), with their names."""
    left = []
    for pid in pids:
        with contextlib.suppress(OSError):
            stat = Path(f"/proc/{pid}/stat").read_text()
            if stat.rsplit(")", 1)[1].split()[0] != "Z":
                left.append(f"{pid} {stat[stat.index('(') + 1:stat.rindex(')')]}")
    return left


def names(pids: set[int]) -> set[str]:
    found = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            found.add(Path(f"/proc/{pid}/comm").read_text().strip())
    return found
