"""The bridge in a real Chromium: a page speaks the extension protocol; per PC profile it works, sees nothing, or
gets the client's error — through pcscd and the virtual card.  And no PIN reaches the page, its console or the trace.
"""

from __future__ import annotations

import base64
import json
import zipfile

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from jpki_client.bridge import install
from jpki_client.environments import list_environments, load_environment
from jpki_client.pin import StaticPinProvider
from jpki_client.transport import PcscTransport

pytestmark = [pytest.mark.pcscd, pytest.mark.browser]

CHALLENGE = b"registration-challenge-42"
B64 = base64.b64encode(CHALLENGE).decode()


def open_page(browser, url, env, access, pin_provider, events, client_factory=None):
    context = browser.new_context(**env.context_options())
    handle = install(context, client_factory or access.client, pin_provider, env, on_event=events.append)
    page = context.new_page()
    page.goto(url)
    return context, page, handle


def ask(page, mode, challenge=B64, timeout_ms=1500):
    raw = page.evaluate("([m, c, t]) => jpkiAsk(m, c, t)", [mode, challenge, timeout_ms])
    return None if raw is None else json.loads(raw)


@pytest.mark.parametrize("env_name", list_environments())
def test_each_pc_profile(browser, page_url, pcsc_access, make_card, env_name):
    env = load_environment(env_name)
    access = pcsc_access(make_card("valid"))
    provider = StaticPinProvider.from_profile(access.card.profile)
    events: list[dict] = []
    context, page, handle = open_page(browser, page_url, env, access, provider, events)
    try:
        assert page.evaluate("navigator.userAgent") == env.user_agent
        markers = page.evaluate("markers()")
        response = ask(page, "sign")
        behaviour = env.bridge_behaviour
        if behaviour == "silent":
            assert markers == {"extension": None, "client": None}
            assert response is None and page.text_content("#status") == "no answer"
            assert not handle.installed and handle.requests == 0
        else:
            assert markers["extension"] == (env.extension_version or "1.0.0")
            assert markers["client"] == (env.client_version if env.client == "browser" else None)
            assert response is not None and response["id"].startswith("req-")
        if behaviour == "works":
            assert response["result"] == "0"
            cert_der = base64.b64decode(response["certificate"])
            assert cert_der == access.card.credentials.sign_cert
            x509.load_der_x509_certificate(cert_der).public_key().verify(
                base64.b64decode(response["signature"]), CHALLENGE, padding.PKCS1v15(), hashes.SHA256())
            auth = ask(page, "auth")
            assert auth["result"] == "0" and base64.b64decode(auth["certificate"]) == access.card.credentials.auth_cert
            kinds = [e["kind"] for e in events]
            assert kinds.count("pin_dialog") == 2 and kinds.count("sign") == 2 and "error" not in kinds
        elif behaviour == "client_missing":
            assert response["result"] == "E" and response["errorCode"] == "JPKI_CLIENT_NOT_RUNNING"
            assert "ブラウザ版" in response["errorMessage"]
        elif behaviour == "no_reader":
            assert response["result"] == "E" and response["errorCode"] == "EW000J0200"
            assert "カードリーダライタ" in response["errorMessage"]
        if behaviour != "works":
            assert access.card.apdu_log == []  # the card was never reached
            assert not [e for e in events if e["kind"] == "pin_dialog"]
        assert not handle.internal_errors
    finally:
        context.close()


def test_errors_reach_the_page(browser, page_url, pcsc_access, make_card):
    env = load_environment("windows-chrome")
    access = pcsc_access(make_card("valid"))
    provider = StaticPinProvider.from_profile(access.card.profile)
    events: list[dict] = []
    context, page, _ = open_page(browser, page_url, env, access, provider.with_override("sign", "WRONG9"), events)
    try:
        wrong = ask(page, "sign")
        assert wrong["result"] == "E" and wrong["errorCode"] == "JPKI_PIN_INCORRECT" and wrong["triesLeft"] == 4
        assert access.card.pin_tries("sign") == 4
        assert page.text_content("#status") == "answered E"
    finally:
        context.close()
    context, page, _ = open_page(browser, page_url, env, access, provider.cancelling("auth"), events)
    try:
        assert ask(page, "auth")["result"] == "9"
    finally:
        context.close()
    def no_reader_factory():
        from jpki_client.client import JpkiClient

        transport = PcscTransport("Unplugged Reader 00 00")
        transport.connect()
        return JpkiClient(transport)

    context, page, _ = open_page(browser, page_url, env, access, provider, events, client_factory=no_reader_factory)
    try:
        assert ask(page, "auth")["errorCode"] == "EW000J0200"
    finally:
        context.close()
    codes = [e.get("code") for e in events if e["kind"] == "error"]
    assert codes == ["JPKI_PIN_INCORRECT", "EW000J0200"]


def test_pin_never_reaches_dom_console_or_trace(browser, page_url, pcsc_access, make_card, tmp_path):
    sign_password, auth_pin = "SNTL4PW9X7Q", "8073"
    access = pcsc_access(make_card("valid", sign_password=sign_password, auth_pin=auth_pin))
    provider = StaticPinProvider.from_profile(access.card.profile)
    env = load_environment("windows-chrome")
    events: list[dict] = []
    context = browser.new_context(**env.context_options())
    context.tracing.start(screenshots=True, snapshots=True, sources=False)
    console: list[str] = []
    install(context, access.client, provider, env, on_event=events.append)
    page = context.new_page()
    page.on("console", lambda message: console.append(message.text))
    page.goto(page_url)
    responses = [ask(page, "sign"), ask(page, "auth"), ask(page, "auth", challenge=None)]
    assert [r["result"] for r in responses] == ["0", "0", "0"]
    dom = page.content()
    trace_path = tmp_path / "trace.zip"
    context.tracing.stop(path=str(trace_path))
    context.close()
    assert provider.asked == ["sign", "auth", "auth"]
    assert [e["digits"] for e in events if e["kind"] == "pin_dialog"] == [len(sign_password), 4, 4]
    texts = {"dom": dom, "console": "\n".join(console), "events": json.dumps(events)}
    assert "jpkiResponse" in texts["console"]  # the console really was captured
    for where, text in texts.items():
        assert sign_password not in text, where
        assert auth_pin not in text, where
    with zipfile.ZipFile(trace_path) as trace:
        blob = b"".join(trace.read(name) for name in trace.namelist())
    assert len(blob) > 10_000 and B64.encode() in blob  # the trace recorded the page's traffic
    for needle in (sign_password.encode(), sign_password.encode().hex().encode(), f'"{auth_pin}"'.encode(),
                   auth_pin.encode().hex().encode()):
        assert needle not in blob
