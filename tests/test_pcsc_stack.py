"""The PC/SC stack the harness stands on: pcscd answers and declares vpcd slots with distinct readers."""

import pytest
from smartcard.System import readers

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
