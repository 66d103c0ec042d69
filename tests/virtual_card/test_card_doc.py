"""docs/CARD.md's conformance table is what the card does: regenerate it from a card and compare."""

from __future__ import annotations

from pathlib import Path

from virtual_card import conformance
from virtual_card.card import MyNumberCard

DOC = Path(__file__).resolve().parents[2] / "docs" / "CARD.md"


def test_conformance_table_in_docs_matches_the_card(make_card):
    first = make_card("valid")  # one issuance; a fresh card object (fresh state) per cell
    table = conformance.markdown(conformance.run(lambda: MyNumberCard(first.profile, first.credentials)))
    assert table in DOC.read_text(encoding="utf-8"), "docs/CARD.md is stale: run `python -m virtual_card.conformance`"
    assert len(conformance.COMMANDS) * len(conformance.STATES) == 168
