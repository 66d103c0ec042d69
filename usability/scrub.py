"""Defensive masking of secrets and personal data in anything the usability report stores.

Why: DESIGN.md's quality bar is "no PIN, password or personal data in any artifact". The recorder only ever gets
counts, never typed values, but error texts, page titles, step texts and URLs come from pages and Gherkin, and a
page might echo a value back. So every text field passes through ``Scrubber`` before it is kept: the known
secrets in every spelling and encoding through the project's one scrubbing core (``secret_scrub``, one mask),
and what looks like personal data whatever the secrets say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, urlsplit, urlunsplit

from secret_scrub import MASK, scrubber_for

# Patterns that look like personal data whatever the secrets set says.
_PATTERNS = (
    re.compile(r"(?<!\d)\d{4}[ -]?\d{4}[ -]?\d{4}(?!\d)"),  # My Number (12 digits)
    re.compile(r"\b[A-Z]{2}\d{8}[A-Z]{2}\b"),  # residence card number
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),  # e-mail address
)
_LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}


class Scrubber:
    """Masks known secrets (exact substrings) and personal-data patterns in text and URLs."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._core = scrubber_for(secrets)

    def text(self, value: object) -> str:
        """A safe copy of ``value`` as text."""
        if value is None:
            return ""
        out = self._core.text(str(value))
        for pattern in _PATTERNS:
            out = pattern.sub(MASK, out)
        return out

    def url(self, value: str | None) -> str:
        """Loopback URLs become path-only (the simulation's port changes every run; a baseline must not);
        query values are masked (mail links carry tokens); fragments are dropped."""
        if not value:
            return ""
        parts = urlsplit(str(value))
        if parts.scheme not in ("http", "https"):
            return self.text(value)
        query = "&".join(f"{quote(k)}=*" for k, _ in parse_qsl(parts.query, keep_blank_values=True))
        if (parts.hostname or "") in _LOOPBACK:
            path = urlunsplit(("", "", parts.path or "/", query, ""))
        else:
            path = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, ""))
        return self.text(path)
