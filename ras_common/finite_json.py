"""The first NaN or Infinity in a JSON body, by its field path. Python's JSON reader accepts both, but neither is
a number a control API may keep (a NaN clock offset or PIN count would poison every later answer). One
implementation for both control APIs (the portal's /__admin/ and the card's control server), which may not import
each other."""

from __future__ import annotations

import math


def first_non_finite(value: object, path: str = "") -> str | None:
    """The path (``a.b[2]``) of the first NaN or Infinity in ``value``, ``"body"`` for the value itself, or None."""
    if isinstance(value, float) and not math.isfinite(value):
        return path or "body"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = first_non_finite(item, f"{path}[{key}]" if isinstance(key, int) else f"{path}.{key}".lstrip("."))
        if found:
            return found
    return None
