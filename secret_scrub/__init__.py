"""The one scrubbing core: a secret is found by what it means, not by how one file happens to spell it.

Why: a PIN, a password or a name leaves a run in many spellings — as typed; with its spaces folded; in full-width
digits; URL-encoded in a form post; as ``\\uXXXX`` in JSON; as HTML entities; in hex in an APDU log; in base64
inside a certificate (the signature certificate carries the holder's name and address, and it is posted as
base64 and kept in traces), at any of the three alignments a longer base64 text can put it, and folded into
lines by PEM or MIME. Reports (``fixtures/secrets.py``), recordings (``live/scrub.py``) and the usability
report (``usability/scrub.py``) all mask through this module, with one mask, and the secret-leak test searches
every file with the same patterns. No pytest, no project imports: any part may use it, the libraries included —
which is why it is a package of its own and not part of the command line (``ras_e2e``) that sits on top of them.

One rule keeps ordinary text intact: a secret made only of digits (a PIN) counts only where it is not part of a
longer number (Allure's millisecond timestamps contain every four digits sooner or later) nor of a hex identifier: a
UUID group (``…-4ce3-8264-9109…``) or a run between two hex letters (``e8264f``). Allure names every result and
attachment by a random UUID, so one run in a few hundred carried a sentinel PIN by chance (seen once in the leak test,
and the mask would have broken the file's name).
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "****"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary text; PINs are 4 digits or longer
MIN_BASE64_RUN = 8  # a base64 piece shorter than this matches by chance inside any certificate
_FOLD = r"(?:\r?\n)?"  # PEM folds base64 every 64 characters, MIME every 76
_DIGITS = "0-9０-９"


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in text)


def spellings(secret: str) -> set[str]:
    """The secret as pages and people write it: literal, spaces folded or dropped, half- and full-width."""
    base = {secret, " ".join(secret.split()), "".join(secret.split())}
    for value in list(base):
        narrow = unicodedata.normalize("NFKC", value)
        base |= {narrow, _full_width(narrow)}
    return {v for v in base if len(v) >= MIN_SECRET_LENGTH}


def _escapes(value: str) -> set[str]:
    """Text encodings: URL (both space styles, both hex cases), JSON ``\\u``, HTML entities (decimal and hex)."""
    out = {quote(value, safe=""), quote_plus(value, safe=""), json.dumps(value)[1:-1], html.escape(value)}
    out |= {v.lower() for v in out if "%" in v} | {v.upper() for v in out if "\\u" in v}
    out |= {v.replace("\\U", "\\u") for v in out}
    out.add("".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in value))
    out.add("".join(f"&#{ord(c)};" for c in value))
    out.add("".join(f"&#x{ord(c):x};" if ord(c) > 127 else c for c in value))
    out.add("".join(f"&#x{ord(c):X};" if ord(c) > 127 else c for c in value))
    return out - {value}


def _hexes(data: bytes) -> set[str]:
    plain = data.hex()
    return {plain, plain.upper(), data.hex(" "), data.hex(" ").upper()}


def _base64s(data: bytes) -> set[str]:
    """The secret alone (padded or not, standard or URL-safe), and the middle of it that any longer base64 text
    shows whatever the alignment: skip 0, 1 or 2 bytes to the next 3-byte boundary, keep whole groups."""
    whole = base64.b64encode(data).decode()
    out = {whole, whole.rstrip("=")}
    for skip in (0, 1, 2):
        chunk = data[skip:]
        chunk = chunk[: len(chunk) // 3 * 3]
        piece = base64.b64encode(chunk).decode()
        if len(piece) >= MIN_BASE64_RUN:
            out.add(piece)
    return out | {v.replace("+", "-").replace("/", "_") for v in out}


def _pattern(text: str, folded: bool = False) -> str:
    body = _FOLD.join(re.escape(c) for c in text) if folded else re.escape(text)
    if text.isdigit():  # a PIN (or its hex) inside a longer number or a hex identifier is not the PIN
        return (rf"(?<![{_DIGITS}])(?<![0-9a-fA-F]-)(?:(?<![a-fA-F]){body}|{body}(?![a-fA-F]))"
                rf"(?![{_DIGITS}])(?!-[0-9a-fA-F])")
    return body


def secret_patterns(secrets: Iterable[str]) -> dict[str, list[str]]:
    """For each secret, the regular-expression sources of all its spellings and encodings (longest first)."""
    out: dict[str, list[str]] = {}
    for secret in {str(s) for s in secrets if s is not None}:
        if len(secret) < MIN_SECRET_LENGTH:
            continue
        found: dict[str, None] = {}
        for spelling in spellings(secret):
            data = spelling.encode("utf-8")
            for text in {spelling} | _escapes(spelling) | _hexes(data):
                found[_pattern(text)] = None
            for text in _base64s(data):
                found[_pattern(text, folded=True)] = None
        out[secret] = sorted(found, key=len, reverse=True)
    return out


class SecretScrubber:
    """Masks every spelling and encoding of the given secrets, in text or in bytes, with ``MASK``."""

    def __init__(self, secrets: Iterable[str], mask: str = MASK) -> None:
        self.mask = mask
        sources = [p for patterns in secret_patterns(secrets).values() for p in patterns]
        sources.sort(key=len, reverse=True)  # the longest spelling first: no half-masked leftovers
        self._text = re.compile("|".join(sources)) if sources else None
        self._bytes = re.compile("|".join(sources).encode("utf-8")) if sources else None

    def text(self, value: str) -> str:
        return self._text.sub(self.mask, value) if self._text and value else value

    def bytes(self, value: bytes) -> bytes:
        return self._bytes.sub(self.mask.encode(), value) if self._bytes and value else value

    def __bool__(self) -> bool:
        return self._text is not None


@functools.lru_cache(maxsize=64)
def _cached(secrets: frozenset[str]) -> SecretScrubber:
    return SecretScrubber(secrets)


def scrubber_for(secrets: Iterable[str]) -> SecretScrubber:
    """The scrubber of a set of secrets, compiled once (a run scrubs many texts with the same few secrets)."""
    return _cached(frozenset(str(s) for s in secrets if s is not None))


@functools.lru_cache(maxsize=256)
def _search(value: str) -> re.Pattern[bytes] | None:
    patterns = secret_patterns([value]).get(value, [])
    return re.compile("|".join(patterns).encode("utf-8")) if patterns else None


def find_secrets(data: bytes, secrets: dict[str, str]) -> list[str]:
    """The names of the secrets whose any spelling or encoding occurs in ``data`` (the leak search)."""
    found = []
    for name, value in secrets.items():
        pattern = _search(str(value))
        if pattern is not None and pattern.search(data):
            found.append(name)
    return found
