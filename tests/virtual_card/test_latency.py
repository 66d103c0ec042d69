"""The latency model (virtual_card/latency.py): numbers derived from the ATR, and the card's hook. No test here
measures a wall-clock time: the card's wait is replaced by a recorder of how long it would wait."""

from __future__ import annotations

import threading

import pytest

from virtual_card import latency
from virtual_card.profiles import ATR_ALIASES

ETU_DEFAULT = 372 / 3_571_200  # ISO/IEC 7816-3: F = 372, D = 1 at the assumed 3.5712 MHz → 9,600 bit/s


@pytest.mark.parametrize("alias,expected", [
    ("old-contact", latency.AtrTiming(protocol=1, f=372, d=1, n=255, ifsc=254, contactless=False)),
    ("new-contact", latency.AtrTiming(protocol=1, f=372, d=4, n=255, ifsc=251, contactless=False)),
    ("contactless", latency.AtrTiming(protocol=1, f=372, d=1, n=0, ifsc=32, contactless=True)),
])
def test_atr_interface_bytes(alias, expected):
    assert latency.parse_atr(bytes.fromhex(ATR_ALIASES[alias])) == expected


def test_default_atr_is_9600_bit_per_second_at_11_etu_per_byte():
    model = latency.LatencyModel.realistic(bytes.fromhex(ATR_ALIASES["old-contact"]))
    assert model.byte_seconds == pytest.approx(11 * ETU_DEFAULT)
    assert round(1 / model.byte_seconds) == 873
    # TA1 = 13 (new contact ATR): D = 4, four times faster
    fast = latency.LatencyModel.realistic(bytes.fromhex(ATR_ALIASES["new-contact"]))
    assert fast.byte_seconds == pytest.approx(11 * ETU_DEFAULT / 4)
    contactless = latency.LatencyModel.realistic(bytes.fromhex(ATR_ALIASES["contactless"]))
    assert contactless.byte_seconds == pytest.approx(10 * 128 / 13_560_000)


def test_a_certificate_read_takes_over_a_second_and_a_signature_hundreds_of_ms():
    model = latency.LatencyModel.realistic(bytes.fromhex(ATR_ALIASES["old-contact"]))
    chunk = model.seconds(bytes.fromhex("00B0000000"), bytes(258))
    # 258 response bytes exceed IFSD 254: two T=1 blocks back, one out, 4 bytes of prologue+epilogue each
    assert chunk == pytest.approx((5 + 258 + 3 * 4) * 11 * ETU_DEFAULT + 22 * ETU_DEFAULT)
    assert 5 * chunk > 1.0  # a 1.3 KB certificate in 256-byte chunks
    sign = model.seconds(bytes.fromhex("802A008033") + bytes(51) + b"\x00", bytes(258))
    assert sign == pytest.approx(latency.SIGN_SECONDS + (57 + 258 + 3 * 4) * 11 * ETU_DEFAULT + 22 * ETU_DEFAULT)
    query = model.seconds(bytes.fromhex("00200080"), b"\x63\xc3")
    assert query < latency.VERIFY_SECONDS  # a counter query computes nothing


def test_off_by_default_and_a_bad_mode_names_the_fix(monkeypatch, make_card):
    monkeypatch.delenv(latency.ENV, raising=False)
    assert make_card("valid").latency is None
    monkeypatch.setenv(latency.ENV, "realistic")
    assert make_card("valid").latency == latency.LatencyModel.realistic(make_card("valid").atr)
    monkeypatch.setenv(latency.ENV, "slow")
    with pytest.raises(ValueError, match="fix: use one of off, realistic"):
        make_card("valid")


class _RecordingWait:
    """Stands in for the card's pull-out event: records each wait instead of sleeping."""

    def __init__(self):
        self.waits: list[float] = []

    def wait(self, timeout: float) -> bool:
        self.waits.append(timeout)
        return False

    def set(self) -> None: ...

    def clear(self) -> None: ...


def test_the_card_waits_what_the_model_says_for_every_command(make_card):
    card = make_card("valid")
    card.set_latency("realistic")
    card._pulled = _RecordingWait()
    seen: list[float] = []
    card.latency_listeners.append(seen.append)
    commands = [bytes.fromhex(h) for h in ("00A4040C0AD392F000260100000001", "00A4020C02000A", "00B0000004")]
    responses = [card.transmit(c) for c in commands]
    assert card._pulled.waits == [card.latency.seconds(c, r) for c, r in zip(commands, responses, strict=True)]
    assert len(seen) == 3


def test_a_card_pulled_out_while_signing_never_answers(make_card):
    card = make_card("valid")
    card.set_latency("realistic")
    card.power_on()
    for h in ("00A4040C0AD392F000260100000001", "00A4020C020018", "002000800431323334", "00A4020C020017"):
        card.transmit(bytes.fromhex(h))
    started = threading.Event()
    card.command_started.append(lambda raw: started.set())
    heard: list[float] = []
    card.latency_listeners.append(heard.append)
    outcome: list[object] = []

    def sign():
        try:
            outcome.append(card.transmit(bytes.fromhex("802A008033") + bytes(51) + b"\x00"))
        except ConnectionResetError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=sign)
    worker.start()
    assert started.wait(10)
    card.pull_out()
    worker.join(10)
    assert isinstance(outcome[0], ConnectionResetError)
    assert not card.powered
    assert heard == []  # it never answered: its wait ended when she pulled it, which no model knows


def test_a_truncated_atr_names_the_problem_and_the_fix():
    with pytest.raises(ValueError, match="fix: use a published ATR"):
        latency.parse_atr(bytes.fromhex("3BE000"))


# -- what the card reports: the model's seconds, never the machine's (KLM R must not depend on machine load) ----

# (command, response length incl. SW, compute seconds) for the valid profile: select the JPKI AP, select and read
# 4 bytes of the auth certificate EF, verify the auth PIN (computes VERIFY_SECONDS). Responses are data‖SW.
SEQUENCE = [
    ("00A4040C0AD392F000260100000001", 2, 0.0),
    ("00A4020C02000A", 2, 0.0),
    ("00B0000004", 6, 0.0),
    ("00A4020C020018", 2, 0.0),
    ("002000800431323334", 2, latency.VERIFY_SECONDS),
]


def _modelled_total_for_the_old_contact_atr() -> float:
    """From the profile by hand, not from `LatencyModel`: 11 etu per byte at F = 372, D = 1; one T=1 block each
    way with 4 bytes of prologue+epilogue; 22 etu block guard time; plus the command's compute time."""
    total = 0.0
    for command, response_length, compute in SEQUENCE:
        wire_bytes = len(bytes.fromhex(command)) + response_length + 2 * 4
        total += wire_bytes * 11 * ETU_DEFAULT + 22 * ETU_DEFAULT + compute
    return total


class _OverloadedMachine:
    """Stands in for both the card's pull-out event and its clock: every wait overruns what was asked, as a wait
    does on a machine busy with other work (here by half again plus 0.3 s)."""

    def __init__(self):
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def wait(self, timeout: float) -> bool:
        self.now += timeout * 1.5 + 0.3
        return False

    def set(self) -> None: ...

    def clear(self) -> None: ...


def _run_sequence(card) -> list[float]:
    heard: list[float] = []
    card.latency_listeners.append(heard.append)
    for command, response_length, _ in SEQUENCE:
        response = card.transmit(bytes.fromhex(command))
        assert (len(response), response[-2:]) == (response_length, b"\x90\x00")
    return heard


def test_a_card_on_an_overloaded_machine_reports_the_modelled_seconds_not_the_overrun(make_card, monkeypatch):
    import virtual_card.card as card_module

    card = make_card("valid")
    assert card.atr == bytes.fromhex(ATR_ALIASES["old-contact"])
    card.set_latency("realistic")
    machine = _OverloadedMachine()
    card._pulled = machine
    monkeypatch.setattr(card_module, "time", machine, raising=False)  # whatever clock the card might read is the overloaded one
    heard = _run_sequence(card)
    assert len(heard) == len(SEQUENCE)
    assert sum(heard) == pytest.approx(_modelled_total_for_the_old_contact_atr(), abs=1e-12)


def test_two_realistic_runs_of_the_same_commands_report_identical_seconds(make_card):
    """Real waits this time (about 0.1 s each run): what the card reports must not vary with them."""
    first, second = make_card("valid"), make_card("valid")
    first.set_latency("realistic")
    second.set_latency("realistic")
    assert _run_sequence(first) == _run_sequence(second)
