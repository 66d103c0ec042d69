"""The page protocol has one definition (extension/page_protocol.js) that both bridges use: the Playwright binding
inlines it, the test extension registers it before its content script. Two copies once drifted apart."""

from __future__ import annotations

import json
from pathlib import Path

import jpki_client
from jpki_client.bridge import _script
from jpki_client.environments import load_environment

PACKAGE = Path(jpki_client.__file__).parent
PROTOCOL = PACKAGE / "extension" / "page_protocol.js"
#: What the page sees (the worker's internal message type, also called jpkiRequest, is not the page protocol).
PROTOCOL_WORDS = ('addEventListener("jpkiRequest"', '"jpkiResponse"', "jpki-extension-is-installed",
                  "jpki-client-is-installed")


def _code(path: Path) -> str:
    """The script without its comments (they may name the protocol's words)."""
    return "\n".join(line.split("//", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())


def test_only_page_protocol_js_speaks_the_protocol():
    speakers = sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.js")
                      if any(word in _code(p) for word in PROTOCOL_WORDS))
    assert speakers == ["extension/page_protocol.js"]


def test_the_binding_inlines_the_protocol_and_its_config():
    script = _script(load_environment("windows-chrome"), "1.0.0")
    assert PROTOCOL.read_text(encoding="utf-8") in script
    assert "__RAS_E2E_" not in script
    assert 'const cfg = {"extensionVersion": "1.0.0", "clientInstalled": true, "clientVersion": "latest"};' in script


def test_the_extension_registers_the_protocol_before_its_content_script():
    worker = (PACKAGE / "extension" / "service_worker.js").read_text(encoding="utf-8")
    assert 'js: ["page_protocol.js", "content.js"]' in worker
    manifest = json.loads((PACKAGE / "extension" / "manifest.json").read_text(encoding="utf-8"))
    assert "content_scripts" not in manifest  # registered by the worker once the host answered, not statically
