"""KLM's R in every scenario of a realistic run (issue 11, item 4): the card in the slot tells the slot how long each
command took, and the slot tells whoever listens (the scenario's usability recorder, wired by the `world` fixture).

Why through the slot: the per-run setting (`RAS_E2E_CARD_LATENCY=realistic`) makes every card slow when it is built,
and the per-scenario step makes one card slow later; both cards go into the same slot, so the slot is the one place
where either becomes the person's waiting time. No test here measures a wall-clock time: only whether a time was
reported, and how many."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from virtual_card import latency
from virtual_card.card import MyNumberCard
from virtual_card.pki import TestPKI
from virtual_card.profiles import load_profile
from wiring.card_slot import CardSlot

REPO = Path(__file__).resolve().parents[2]
SELECT_JPKI = bytes.fromhex("00A4040C0AD392F000260100000001")


@pytest.fixture(scope="module")
def pki() -> TestPKI:
    return TestPKI(REPO / ".cache" / "ras-e2e" / "keys")


def _card(pki: TestPKI) -> MyNumberCard:
    profile = load_profile("valid")
    return MyNumberCard(profile, pki.issue_card(profile, dt.datetime.now(dt.UTC)))


def _slot_hearing(heard: list[float]) -> CardSlot:
    slot = CardSlot(mode="virtual-direct", reader_name="virtual-direct")
    slot.card_time = heard.append
    return slot


def test_a_card_made_slow_by_the_run_reports_its_time_through_the_slot(monkeypatch, pki):
    monkeypatch.setenv(latency.ENV, "realistic")
    heard: list[float] = []
    slot = _slot_hearing(heard)
    slot.insert(_card(pki))
    slot.client()  # connects and selects the JPKI AP: one command
    assert len(heard) == 1


def test_a_card_made_slow_by_a_step_reports_through_the_same_slot(monkeypatch, pki):
    monkeypatch.delenv(latency.ENV, raising=False)
    heard: list[float] = []
    slot = _slot_hearing(heard)
    card = _card(pki)
    slot.insert(card)
    card.set_latency("realistic")
    card.transmit(SELECT_JPKI)
    assert len(heard) == 1


def test_a_card_swapped_in_reports_too_and_the_default_run_reports_nothing(monkeypatch, pki):
    monkeypatch.delenv(latency.ENV, raising=False)
    heard: list[float] = []
    slot = _slot_hearing(heard)
    slot.insert(_card(pki))
    slot.client()
    assert heard == []  # latency off: R stays 0, the baseline's numbers
    monkeypatch.setenv(latency.ENV, "realistic")
    renewed = _card(pki)
    slot.swap(renewed)
    renewed.transmit(SELECT_JPKI)
    assert len(heard) == 1
