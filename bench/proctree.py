"""CPU time and memory of a process and everything it started (the Playwright driver, Chromium's processes,
pcscd), read from /proc.

Why CPU time and not wall time: the machine these numbers come from is shared and loaded, so a wall time says as
much about the neighbours as about the harness; the CPU the harness's own processes spent does not. Children that
ended count too: a process that has waited for its children carries their CPU in its own `cutime`/`cstime`.
"""

from __future__ import annotations

import os
from pathlib import Path

_TCK = os.sysconf("SC_CLK_TCK")


def _stats() -> dict[int, list[str]]:
    out = {}
    for name in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{name}/stat").read_text()
        except OSError:
            continue
        out[int(name)] = [stat[stat.index("(") + 1:stat.rindex(")")], *stat[stat.rindex(")") + 2:].split()]
    return out


def _tree(stats: dict[int, list[str]], root: int) -> set[int]:
    mine, grew = {root}, True
    while grew:
        new = {p for p, f in stats.items() if int(f[2]) in mine and p not in mine}
        mine |= new
        grew = bool(new)
    return mine & set(stats)


def tree_cpu_by_name(root: int | None = None) -> dict[str, float]:
    """User + system seconds of `root` (default: this process) and its descendants, living and reaped, by
    command name (python, node, chrome-headless, pcscd); a reaped child counts under its parent."""
    stats = _stats()
    out: dict[str, float] = {}
    for p in _tree(stats, root or os.getpid()):
        # after the name: state(1) ppid(2) ... utime(12) stime(13) cutime(14) cstime(15)
        out[stats[p][0]] = out.get(stats[p][0], 0.0) + sum(int(stats[p][i]) for i in (12, 13, 14, 15)) / _TCK
    return out


def tree_memory(root: int | None = None) -> list[dict]:
    """One row per process of the tree: pid, command name, a short role, PSS and RSS in MB, largest first."""
    stats = _stats()
    rows = []
    for pid in _tree(stats, root or os.getpid()):
        rows.append({"pid": pid, "name": stats[pid][0], "role": _role(pid), "pss_mb": _kb(pid, "Pss:") / 1024,
                     "rss_mb": _kb(pid, "Rss:") / 1024})
    return sorted(rows, key=lambda r: -r["pss_mb"])


def _role(pid: int) -> str:
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    args = b" ".join(cmd).split()  # Chromium rewrites its command line into one string
    for arg in args:
        if arg.startswith(b"--type="):
            return arg[7:].decode()
    return os.path.basename(args[0].decode(errors="replace")) if args else "?"


def _kb(pid: int, key: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith(key):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
