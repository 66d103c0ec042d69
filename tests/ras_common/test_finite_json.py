"""The one NaN/Infinity finder both control APIs use: it names the field, however deep."""

import math

import pytest

from ras_common.finite_json import first_non_finite


@pytest.mark.parametrize(("value", "path"), [
    ({"a": 1, "b": math.nan}, "b"),
    ({"a": {"b": [1, 2, math.inf]}}, "a.b[2]"),
    ([{"x": -math.inf}], "[0].x"),
    (math.nan, "body"),
])
def test_names_the_first_non_finite_field(value, path):
    assert first_non_finite(value) == path


def test_finite_json_passes():
    assert first_non_finite({"a": [1, 2.5, {"b": "NaN"}], "c": None, "d": True}) is None
