"""A card that is not there, then one pulled out mid-signature — on the second slot, through pcscd.

Why a separate slot and one test: with pcscd 1.9.9 + vpcd 3.3 here, a slot whose card was removed is not polled
again (reported to the lead), so the destructive steps run last on a slot no other test needs afterwards.
"""

from __future__ import annotations

import pytest

from jpki_client.client import JpkiClient
from jpki_client.errors import JpkiClientError
from jpki_client.pin import StaticPinProvider
from jpki_client.transport import PcscTransport
from tests.jpki_client.support import wait_reader_state
from virtual_card.vpcd import VpcdBridge

pytestmark = pytest.mark.pcscd


def test_no_card_then_card_pulled_out_mid_signature(pcsc_stack, vpcd_slot, make_card):
    slot = vpcd_slot + 1
    reader = pcsc_stack.reader_name(slot)
    bridge = VpcdBridge(pcsc_stack.host, pcsc_stack.vpcd_port(slot)).start()
    try:
        # an empty reader (the bridge stays away from vpcd until a card goes in): EW000J0200 with the message a person sees
        with pytest.raises(JpkiClientError) as info:
            JpkiClient(PcscTransport(reader)).pin_status()
        assert info.value.code == "EW000J0200" and "カード" in info.value.message

        card = make_card("valid")
        bridge.insert(card)
        assert bridge.wait_connected(5.0), "environment problem: vpcd did not accept the second slot"
        wait_reader_state(reader, present=True)
        client = JpkiClient(PcscTransport(reader))
        with client:
            client.read_certificate("auth")
            # sign(auth) = SELECT 0018, VERIFY, SELECT 0017, then COMPUTE SIGNATURE — the card leaves during it
            bridge.fault_drop_after(3)
            with pytest.raises(JpkiClientError) as info:
                client.sign("auth", b"m", StaticPinProvider.from_profile(card.profile))
        assert info.value.code == "EW104J1502"
        assert info.value.message == "カードとの通信中にエラーが発生しました。"
        failed = [line for line in client.apdu_log if "communication failure" in line]
        assert failed and failed[0].startswith("80 2A 00 80")
    finally:
        bridge.stop()
