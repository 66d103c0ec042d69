"""pcscd + vpcd management, shared by the pytest plugin (``fixtures/pcsc.py``), ``ras-e2e walk`` and ``bench/``.

No pytest here. ``start_or_reuse`` gives a running pcscd with vpcd slots (the machine's, or one of our own in a
private state directory with vpcd kept on loopback by ``loopback_bind.c``); ``wait_reader_state`` waits for
pcscd's own view of a reader; reader names are built in ``vpcd_conf`` only.
"""

from pcsc_stack.readers import wait_reader_state
from pcsc_stack.stack import (
    PcscStack,
    PcscUnavailable,
    find_running,
    start_or_reuse,
    system_pcscd,
)

__all__ = ["PcscStack", "PcscUnavailable", "find_running", "start_or_reuse", "system_pcscd", "wait_reader_state"]
