"""Reader selection and connection failures map to the JPKI client's codes; several readers are never guessed."""

import pytest

from jpki_client.errors import JpkiClientError, JpkiSeveralReadersError
from jpki_client.transport import PcscTransport


def test_no_reader_is_ew000j0200():
    with pytest.raises(JpkiClientError) as info:
        PcscTransport(list_readers=lambda: []).connect()
    assert info.value.code == "EW000J0200"
    assert "ICカードリーダライタ" in info.value.message


def test_several_readers_without_a_name_lists_them_and_never_connects():
    transport = PcscTransport(list_readers=lambda: ["Reader A 00 00", "Reader B 00 00"])
    with pytest.raises(JpkiSeveralReadersError) as info:
        transport.connect()
    assert info.value.readers == ["Reader A 00 00", "Reader B 00 00"]
    assert "Reader A 00 00" in str(info.value) and "Reader B 00 00" in str(info.value)
    assert not transport.connected


def test_named_reader_missing_is_ew000j0200():
    with pytest.raises(JpkiClientError) as info:
        PcscTransport("Reader C", list_readers=lambda: ["Reader A"]).resolve_reader()
    assert info.value.code == "EW000J0200" and "Reader C" in info.value.message_en


@pytest.mark.pcscd
def test_real_pcscd_several_readers_listed(pcsc_stack, vpcd_slot):
    from smartcard.System import readers

    names = [str(r) for r in readers()]
    assert pcsc_stack.reader_name(vpcd_slot) in names
    if len(names) < 2:
        pytest.skip("this pcscd has a single reader")
    with pytest.raises(JpkiSeveralReadersError) as info:
        PcscTransport().connect()
    assert info.value.readers == names


@pytest.mark.pcscd
def test_real_pcscd_unknown_reader_name(pcsc_stack):
    with pytest.raises(JpkiClientError) as info:
        PcscTransport("No Such Reader 00 00").connect()
    assert info.value.code == "EW000J0200"


@pytest.mark.pcscd
def test_real_pcscd_empty_reader_is_ew000j0200(pcsc_stack, vpcd_slot):
    """The slot next to ours has no card in it (nothing connects to its vpcd port)."""
    empty = pcsc_stack.reader_name(vpcd_slot + 1)
    transport = PcscTransport(empty)
    with pytest.raises(JpkiClientError) as info:
        transport.connect()
    assert info.value.code == "EW000J0200" and not transport.connected
