"""Interlocks wherever a real card could be touched (issue 10, item 3).

A real card locks after 3 wrong PINs (5 for the signature password), so: the benchmark refuses any reader that is
not one of the harness's virtual slots; a prompt never reads a PIN it would echo; a transport that verified a PIN
resets the card when it lets go, so no other process finds it verified.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bench import bench_apdu
from pcsc_stack import PcscStack

ROOT = Path(__file__).resolve().parents[2]

VIRTUAL = PcscStack(slots=[("Virtual PCD 0 00 00", 35963), ("Virtual PCD 0 00 01", 35964)])


def test_the_benchmark_refuses_a_reader_that_is_not_a_virtual_slot(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(bench_apdu, "start_or_reuse", lambda: VIRTUAL)
    monkeypatch.setattr(bench_apdu, "pcscd_transmitter", lambda reader: pytest.fail(f"connected to {reader!r}"))
    monkeypatch.setattr(bench_apdu, "measure", lambda *a: pytest.fail("measured before checking the reader"))
    code = bench_apdu.main(["--reader", "SCM Microsystems SCR3310 00 00", "--n", "1", "--out", str(tmp_path / "o")])
    assert code == 2
    assert capsys.readouterr().err == (
        "bench_apdu: refused reader 'SCM Microsystems SCR3310 00 00': it is not one of the harness's virtual vpcd "
        "slots, and the benchmark sends VERIFY with a fixed PIN and 50 signatures (three runs would lock a real "
        "card). Name a virtual slot (--slot N, or --reader with one of: 'Virtual PCD 0 00 00', "
        "'Virtual PCD 0 00 01').\n")
    assert not (tmp_path / "o").exists()


def test_the_benchmark_takes_the_port_of_the_virtual_slot_it_was_given():
    assert bench_apdu.virtual_slot(VIRTUAL, "Virtual PCD 0 00 01", None) == ("Virtual PCD 0 00 01", 35964)
    assert bench_apdu.virtual_slot(VIRTUAL, None, 0) == ("Virtual PCD 0 00 00", 35963)


PROMPT_WITHOUT_TERMINAL = """
import sys
from jpki_client.pin import PinPromptUnavailable, PromptPinProvider
from realcard.guards import GuardedPinProvider, PinConsent
providers = {"jpki": PromptPinProvider(), "realcard": GuardedPinProvider(PinConsent(allow_pin=True))}
try:
    value = providers[sys.argv[1]].get_pin("auth")
except PinPromptUnavailable as exc:
    print("refused:", exc)
else:
    print("read a PIN of", len(value), "characters")
"""


@pytest.mark.parametrize("provider", ["jpki", "realcard"])
def test_a_pin_prompt_without_a_terminal_refuses_to_read(provider):
    """No controlling terminal (a new session) and the PIN on stdin: getpass would read it with echo."""
    proc = subprocess.run([sys.executable, "-c", PROMPT_WITHOUT_TERMINAL, provider], input="7391\n", cwd=ROOT,
                          capture_output=True, text=True, timeout=60, start_new_session=True)
    assert proc.stdout == (
        "refused: no terminal to read the PIN without echo (stdin is not a terminal and there is no /dev/tty); "
        "the PIN was not read. Run the command from an interactive terminal, or, for a declared test card, use "
        "--test-card with RAS_E2E_TEST_PIN_AUTH / RAS_E2E_TEST_PIN_SIGN.\n"), proc.stdout + proc.stderr
    assert "7391" not in proc.stderr


@pytest.mark.pcscd
@pytest.mark.parametrize("pin", ["ABC123", None], ids=["verified", "not-verified"])
def test_the_transport_resets_a_card_it_verified_when_it_lets_go(real_slots, monkeypatch, pin):
    """pcscd leaves a card as the last handle left it; a card whose PIN was verified must be reset on the way out,
    or any local process could sign with it. A card nobody verified is left powered (no needless cold start)."""
    import smartcard.pcsc.PCSCCardConnection as pcsc_connection
    from smartcard.scard import SCARD_LEAVE_CARD, SCARD_RESET_CARD

    from jpki_client.client import JpkiClient
    from jpki_client.pin import StaticPinProvider
    from jpki_client.transport import PcscTransport
    from tests.real_card.vcard import make_card

    dispositions = []
    real_disconnect = pcsc_connection.SCardDisconnect
    monkeypatch.setattr(pcsc_connection, "SCardDisconnect",
                        lambda handle, disposition: dispositions.append(disposition) or real_disconnect(handle, disposition))
    reader = real_slots[0].insert(make_card("valid"))
    transport = PcscTransport(reader)
    client = JpkiClient(transport)
    if pin:
        client.sign("sign", b"message", StaticPinProvider({"sign": pin}))
    else:
        client.pin_status()
    transport.disconnect()  # without client.close(): a client that crashed or forgot
    assert dispositions == [SCARD_RESET_CARD if pin else SCARD_LEAVE_CARD]
