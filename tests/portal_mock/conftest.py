from __future__ import annotations

import pytest

from tests.portal_mock.harness import Env


@pytest.fixture(params=["ras", "rasens"])
def env(request, tmp_path):
    e = Env(request.param, tmp_path)
    yield e
    e.close()


@pytest.fixture
def make_env(tmp_path):
    made = []

    def factory(gen: str, http: bool = False, **overrides) -> Env:
        e = Env(gen, tmp_path / f"{gen}-{len(made)}", http=http, **overrides)
        made.append(e)
        return e

    yield factory
    for e in made:
        e.close()
