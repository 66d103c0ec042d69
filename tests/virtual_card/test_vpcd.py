"""The vpcd bridge through the real pcscd: insertion, removal, swap, faults, reconnect, a second slot."""

from __future__ import annotations

import time

import pytest
from smartcard.scard import (
    SCARD_S_SUCCESS,
    SCARD_SCOPE_USER,
    SCARD_STATE_PRESENT,
    SCARD_STATE_UNAWARE,
    SCardEstablishContext,
    SCardGetStatusChange,
    SCardReleaseContext,
)

from virtual_card.vpcd import VpcdBridge

pytestmark = pytest.mark.pcscd
SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")


def reader_state(name: str) -> tuple[bool, bytes]:
    hr, ctx = SCardEstablishContext(SCARD_SCOPE_USER)
    try:
        hr, states = SCardGetStatusChange(ctx, 0, [(name, SCARD_STATE_UNAWARE)])
        assert hr == SCARD_S_SUCCESS
        _, state, atr = states[0]
        return bool(state & SCARD_STATE_PRESENT), bytes(atr)
    finally:
        SCardReleaseContext(ctx)


@pytest.fixture
def slot_bridge(pcsc_stack, vpcd_slot):
    """A bridge of its own on the worker's second slot (slot+1), so the session bridge is not disturbed."""
    slot = vpcd_slot + 1
    bridge = VpcdBridge(pcsc_stack.host, pcsc_stack.vpcd_port(slot)).start()
    yield bridge, pcsc_stack.reader_name(slot)
    bridge.stop()


def test_insert_remove_swap_seen_by_pcscd(slot_bridge, make_card):
    from tests.virtual_card.support import PcscClient
    bridge, reader = slot_bridge
    bridge.remove()
    assert reader_state(reader)[0] is False
    bridge.insert(make_card("atr-new-contact"))
    present, atr = reader_state(reader)
    assert present and atr.hex().upper() == "3BDA13FF8131FB468012392F31C173C601C03B"
    client = PcscClient(reader)
    assert client.transmit(SELECT_JPKI)[-2:] == b"\x90\x00"
    assert client.transmit(bytes.fromhex("0020009B06414243313233"))[-2:] == b"\x90\x00"
    client.close()
    bridge.swap(make_card("atr-contactless"))
    present, atr = reader_state(reader)
    assert present and atr.hex().upper() == "3B888001000005E0B381A1007F"
    client = PcscClient(reader)
    client.transmit(SELECT_JPKI)
    assert client.transmit(bytes.fromhex("00B0810004"))[-2:] == b"\x69\x82"  # a new card: not verified
    client.close()
    bridge.remove()
    assert reader_state(reader)[0] is False


def test_security_state_survives_between_clients_without_reset(slot_bridge, make_card):
    """pcscd does not reset the card between processes (LEAVE_CARD): the state survives, as on the real stack."""
    from tests.virtual_card.support import PcscClient
    bridge, reader = slot_bridge
    bridge.insert(make_card())
    a = PcscClient(reader)
    a.transmit(SELECT_JPKI)
    a.transmit(bytes.fromhex("0020009B06414243313233"))
    a.close()
    b = PcscClient(reader)
    assert b.transmit(bytes.fromhex("00B0810004"))[-2:] == b"\x90\x00"
    b.reconnect("reset")
    b.transmit(SELECT_JPKI)
    assert b.transmit(bytes.fromhex("00B0810004"))[-2:] == b"\x69\x82"
    b.close()


def test_faults_delay_status_word_and_drop_with_reconnect(slot_bridge, make_card):
    from tests.virtual_card.support import PcscClient
    bridge, reader = slot_bridge
    bridge.insert(make_card())
    client = PcscClient(reader)
    bridge.fault_delay(30)
    start = time.perf_counter()
    client.transmit(SELECT_JPKI)
    assert time.perf_counter() - start >= 0.03
    bridge.clear_faults()
    bridge.fault_status_word(0x6F00, ins=0xB0)
    assert client.transmit(bytes.fromhex("00B08A0004")) == b"\x6f\x00"
    assert client.transmit(SELECT_JPKI)[-2:] == b"\x90\x00"  # other INS untouched
    bridge.clear_faults()
    connections = bridge.connections
    bridge.fault_drop_after(1)
    assert client.transmit(SELECT_JPKI)[-2:] == b"\x90\x00"
    try:  # dropped mid-command: pcscd reports a failure, or (vpcd 3.3) an empty response without status word
        assert len(client.transmit(SELECT_JPKI)) < 2
    except OSError:
        pass
    client.close()
    deadline = time.monotonic() + 5
    while bridge.connections == connections and time.monotonic() < deadline:
        time.sleep(0.02)
    assert bridge.connections > connections  # reconnected by itself
    bridge.insert(bridge.card)  # wait for pcscd to see the card again
    client = PcscClient(reader)
    assert client.transmit(SELECT_JPKI)[-2:] == b"\x90\x00"
    client.close()


def test_stop_closes_everything(pcsc_stack, vpcd_slot, make_card):
    slot = vpcd_slot + 1
    bridge = VpcdBridge(pcsc_stack.host, pcsc_stack.vpcd_port(slot)).start()
    bridge.insert(make_card())
    assert bridge.wait_connected(5)
    assert reader_state(pcsc_stack.reader_name(slot))[0]
    bridge.stop()
    assert not bridge.connected.is_set() and bridge._thread is None
    deadline = time.monotonic() + 3
    while reader_state(pcsc_stack.reader_name(slot))[0] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert reader_state(pcsc_stack.reader_name(slot))[0] is False
