"""docs/CARD.md's conformance table is what the card does: regenerate it from a card and compare."""

from __future__ import annotations

from pathlib import Path

from virtual_card import conformance

DOC = Path(__file__).resolve().parents[2] / "docs" / "CARD.md"


def test_conformance_table_in_docs_matches_the_card(make_card):
    table = conformance.markdown(conformance.run(lambda: make_card("valid")))
    assert table in DOC.read_text(encoding="utf-8"), "docs/CARD.md is stale: run `python -m virtual_card.conformance`"
    assert len(conformance.COMMANDS) * len(conformance.STATES) == 168
