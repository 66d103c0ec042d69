"""Wiring for the jpki_client tests: virtual cards from profiles, in a vpcd slot behind pcscd or in-process.

The client under test only ever gets a transport: ``PcscTransport(reader)`` for ``pcsc`` (the real PC/SC stack:
pyscard → pcscd → vpcd → ``virtual_card``) or ``InProcessTransport(card)`` for ``direct``.  Run with
``RAS_E2E_VPCD_SLOT=2`` on the shared development machine (slot 2 holds the card, slot 3 stays empty).
"""

from __future__ import annotations

import http.server
import threading
from dataclasses import dataclass

import pytest

from jpki_client.client import JpkiClient
from jpki_client.transport import PcscTransport
from tests.jpki_client.support import wait_reader_state
from virtual_card.card import MyNumberCard
from virtual_card.pki import TestPKI
from virtual_card.profiles import load_profile
from virtual_card.transport import InProcessTransport
from virtual_card.vpcd import VpcdBridge


@pytest.fixture(scope="session")
def test_pki() -> TestPKI:
    return TestPKI()  # keys cached under .cache/ras-e2e/keys, shared with the rest of the suite


@pytest.fixture
def make_card(test_pki):
    """``make_card("valid", sign_password=...)`` → a fresh MyNumberCard for that profile."""

    def make(name: str = "valid", **secrets) -> MyNumberCard:
        profile = load_profile(name)
        if secrets:
            profile = profile.with_secrets(**secrets)
        return MyNumberCard(profile, test_pki.issue_card(profile))

    return make


@pytest.fixture(scope="session")
def vpcd_slot():
    """Slots base+2 (the card) and base+3 (left empty): in one `pytest tests` run the virtual_card tests hold
    base+0/1 and the real-card tests base+4/5, and vpcd serves one connection per slot."""
    from fixtures.pcsc import worker_slot

    return worker_slot() + 2


@pytest.fixture(scope="session")
def vpcd_bridge(pcsc_stack, vpcd_slot, test_pki):
    # The slot starts with a card in it and is never emptied: in this set-up (pcscd 1.9.9 + vpcd 3.3) a slot whose
    # first or any later presence poll found no card is not polled again (reported to the lead); each test puts its
    # own card in over the previous one, and every client session re-selects the AP anyway.
    profile = load_profile("valid")
    bridge = VpcdBridge(pcsc_stack.host, pcsc_stack.vpcd_port(vpcd_slot),
                        card=MyNumberCard(profile, test_pki.issue_card(profile))).start()
    if not bridge.wait_connected(5.0):
        bridge.stop()
        pytest.fail(f"environment problem: vpcd on port {pcsc_stack.vpcd_port(vpcd_slot)} did not accept the card",
                    pytrace=False)
    yield bridge
    bridge.stop()


@dataclass
class CardAccess:
    """A card in a reader, as the client reaches it; ``mode`` is ``pcsc`` or ``direct``."""

    mode: str
    card: MyNumberCard
    reader_name: str
    bridge: VpcdBridge | None = None

    def transport(self):
        return PcscTransport(self.reader_name) if self.mode == "pcsc" else InProcessTransport(self.card)

    def client(self, allow_pin: bool = True, **options) -> JpkiClient:
        return JpkiClient(self.transport(), allow_pin=allow_pin, **options)


@pytest.fixture
def pcsc_access(request, vpcd_bridge, pcsc_stack, vpcd_slot):
    """``pcsc_access(card)`` inserts the card into our vpcd slot and returns a CardAccess through pcscd."""

    def access(card: MyNumberCard) -> CardAccess:
        reader = pcsc_stack.reader_name(vpcd_slot)
        vpcd_bridge.clear_faults()
        # over the previous card, never remove + insert (see vpcd_bridge)
        vpcd_bridge.insert(card)
        wait_reader_state(reader, present=True)
        return CardAccess("pcsc", card, reader, vpcd_bridge)

    yield access
    vpcd_bridge.clear_faults()


@pytest.fixture(params=["pcsc", "direct"])
def card_access(request, make_card):
    """Parametrised: ``card_access(profile_name, **secrets)`` in both modes."""

    def access(name: str = "valid", **secrets) -> CardAccess:
        card = make_card(name, **secrets)
        if request.param == "pcsc":
            return request.getfixturevalue("pcsc_access")(card)
        return CardAccess("direct", card, InProcessTransport.reader_name)

    access.mode = request.param
    return access


#: The page both browser tests open (the binding's and the real extension's): it speaks the page protocol the way
#: the portal's page does, and shows the presence markers.
PAGE = """<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>JPKI bridge test page</title></head>
<body>
<p id="status">idle</p><pre id="response"></pre>
<script>
window.markers = () => ({
  extension: document.getElementById("jpki-extension-is-installed")?.value ?? null,
  client: document.getElementById("jpki-client-is-installed")?.value ?? null,
});
window.jpkiAsk = (mode, challenge, timeoutMs) => new Promise((resolve) => {
  const id = "req-" + Math.random().toString(36).slice(2);
  const status = document.getElementById("status");
  const timer = setTimeout(() => { status.textContent = "no answer"; resolve(null); }, timeoutMs || 1500);
  document.addEventListener("jpkiResponse", function onResponse(event) {
    const data = JSON.parse(event.detail);
    if (data.id !== id) return;
    document.removeEventListener("jpkiResponse", onResponse);
    clearTimeout(timer);
    status.textContent = "answered " + data.result;
    document.getElementById("response").textContent = event.detail;
    console.log("jpkiResponse", event.detail);
    resolve(event.detail);
  });
  const request = { id, mode };
  if (challenge) request.challenge = challenge;
  console.log("jpkiRequest", JSON.stringify(request));
  document.dispatchEvent(new CustomEvent("jpkiRequest", { detail: JSON.stringify(request) }));
});
</script>
</body></html>
"""


@pytest.fixture(scope="module")
def page_url():
    """A loopback HTTP server for PAGE (the extension's content scripts match only http://127.0.0.1/*)."""
    body = PAGE.encode("utf-8")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/portal.html"
    server.shutdown()
    server.server_close()
