"""The simulated stack is put together once (``wiring``): the portal the pytest plugins and ``ras-e2e walk`` start
runs its clock at the one reference time of the generation asked for and trusts the test PKI as of then."""

from __future__ import annotations

import datetime as dt

import pytest
import requests

from virtual_card.pki import TestPKI
from wiring.portal import start_portal
from wiring.reference_time import REFERENCE_TIME


@pytest.mark.parametrize("generation", sorted(REFERENCE_TIME))
def test_the_portal_starts_at_the_reference_time_and_trusts_the_test_pki(tmp_path, generation):
    running = start_portal(TestPKI(), tmp_path, generation)
    try:
        clock = requests.get(f"{running.url}/__admin/clock", timeout=10).json()
    finally:
        running.stop()
    assert dt.datetime.fromisoformat(clock["now"]) == REFERENCE_TIME[generation]
    assert running.trust_dir == tmp_path / "trust" and sorted(p.name for p in running.trust_dir.iterdir())
