"""The scrubbing core finds and masks a secret in every spelling a run can write it in (issue 10, item 4).

Each encoding is planted on its own, inside ordinary text, so a regression names the encoding that slipped.
"""

from __future__ import annotations

import base64
import json
import re
import textwrap
from urllib.parse import quote, quote_plus

import pytest

from fixtures.world import sentinel_secrets
from secret_scrub import MASK, SecretScrubber, find_secrets

SECRETS = sentinel_secrets()


def _b64_at(value: str, skip: int) -> str:
    """The secret inside a longer base64 text, ``skip`` bytes after a 3-byte boundary."""
    return base64.b64encode(b"\x30\x82"[:skip] + b"<cert>" + value.encode() + b"</cert>").decode()


ENCODINGS = {
    "literal": lambda v: v,
    "whitespace-folded": lambda v: " ".join(v.split()),
    "whitespace-dropped": lambda v: "".join(v.split()),
    "half-width": lambda v: __import__("unicodedata").normalize("NFKC", v),
    "full-width": lambda v: "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in v),
    "url-encoded": lambda v: quote(v, safe=""),
    "url-encoded-plus": lambda v: quote_plus(v),
    "url-encoded-lower": lambda v: re.sub("%[0-9A-F]{2}", lambda m: m.group(0).lower(), quote(v, safe="")),
    "json-u-escapes": lambda v: json.dumps(v)[1:-1],
    "html-decimal-entities": lambda v: "".join(f"&#{ord(c)};" if ord(c) > 127 else c for c in v),
    "html-hex-entities": lambda v: "".join(f"&#x{ord(c):x};" if ord(c) > 127 else c for c in v),
    "hex-lower": lambda v: v.encode().hex(),
    "hex-upper-spaced": lambda v: v.encode().hex(" ").upper(),
    "base64": lambda v: base64.b64encode(v.encode()).decode(),
    "base64-offset-0": lambda v: _b64_at(v, 0),
    "base64-offset-1": lambda v: _b64_at(v, 1),
    "base64-offset-2": lambda v: _b64_at(v, 2),
    "pem-folded": lambda v: "\n".join(textwrap.wrap(_b64_at(v, 1) * 3, 64)),
}
# A PIN's base64 piece at an offset is too short to tell from chance; its whole-base64 form still counts.
SKIP = {(k, e) for k in ("auth_pin", "support_pin")
        for e in ("base64-offset-0", "base64-offset-1", "base64-offset-2", "pem-folded")}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("name", sorted(SECRETS))
def test_the_search_finds_and_the_scrubber_masks_each_encoding(name, encoding):
    if (name, encoding) in SKIP:
        pytest.skip("too short to find at this alignment without false alarms")
    planted = f"before {ENCODINGS[encoding](SECRETS[name])} after"
    assert find_secrets(planted.encode(), SECRETS) == [name]
    scrubbed = SecretScrubber(SECRETS.values()).text(planted)
    assert find_secrets(scrubbed.encode(), SECRETS) == [], scrubbed
    assert scrubbed.startswith("before ") and scrubbed.endswith(" after") and MASK in scrubbed


def test_a_pin_inside_a_longer_number_is_not_a_pin():
    text = f'{{"start": 1795693{SECRETS["auth_pin"]}1}}'
    assert find_secrets(text.encode(), SECRETS) == []
    assert SecretScrubber(SECRETS.values()).text(text) == text


def test_html_escaped_markup_and_short_values():
    scrubber = SecretScrubber(["123", "R&D<9>X"])
    assert scrubber.text("pin 123; R&amp;D&lt;9&gt;X") == f"pin 123; {MASK}"


def test_the_holder_name_in_a_real_signature_certificate_is_found_and_masked():
    """The signature certificate posted as base64 (hdnSignCert) and kept in traces carries her name."""
    import datetime as dt

    from virtual_card.pki import TestPKI
    from virtual_card.profiles import load_profile

    profile = load_profile("valid").with_secrets(**SECRETS)
    der = TestPKI().issue_card(profile, dt.datetime.now(dt.UTC)).sign_cert
    post = "hdnSignCert=" + quote(base64.b64encode(der).decode(), safe="")
    pem = "-----BEGIN CERTIFICATE-----\n" + "\n".join(textwrap.wrap(base64.b64encode(der).decode(), 64))
    for text in (base64.b64encode(der).decode(), post, pem):
        assert "holder_name" in find_secrets(text.encode(), SECRETS)
        assert "holder_name" not in find_secrets(SecretScrubber(SECRETS.values()).text(text).encode(), SECRETS)


@pytest.mark.parametrize("text", ["a1eab016-36f2-4ce3-8264-91091bf55b02", "a1ea8264-36f2-4ce3-b936-91091bf55b02",
                                  "a1eab016-36f2-4ce3-b936-8264bf55b02a", "sha1 e8264f0c", "ts 1764238264123"])
def test_a_pin_inside_an_identifier_or_a_number_is_chance(text):
    """Allure names files by random UUIDs: a 4-digit PIN turns up in one run in a few hundred."""
    assert find_secrets(text.encode(), {"support_pin": "8264"}) == []
    assert SecretScrubber(["8264"]).text(text) == text


@pytest.mark.parametrize("text", ["PIN 8264", "pin=8264&x", "pin%3A8264%26", '"8264"', "pin-8264", "８２６４"])
def test_a_pin_standing_alone_is_found(text):
    assert find_secrets(text.encode(), {"support_pin": "8264"}) == ["support_pin"]
