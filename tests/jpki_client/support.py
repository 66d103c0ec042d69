"""Helpers shared by the jpki_client tests (imported as tests.jpki_client.support)."""

from __future__ import annotations

import pytest


def wait_reader_state(reader: str, present: bool, timeout: float = 5.0) -> None:
    """pcscd's own view of the reader (pcsc_stack), as an environment problem when it never comes."""
    from pcsc_stack import wait_reader_state as wait

    try:
        wait(reader, present, timeout)
    except TimeoutError as exc:
        pytest.fail(f"environment problem: {exc}", pytrace=False)

