"""PIN providers and SecretStr: a PIN never shows up in a repr, a log line or a traceback."""

import getpass
import logging
import pickle
import traceback
import warnings

import pytest

from jpki_client.errors import JpkiPinIncorrect
from jpki_client.pin import PinEntryCancelled, PinProvider, PromptPinProvider, SecretStr, StaticPinProvider

SENTINEL = "ZQX8831PW"


def test_secret_str_never_shows_itself(caplog):
    secret = SecretStr(SENTINEL)
    assert repr(secret) == "'****'" and str(secret) == "'****'" and f"{secret}" == "****"
    assert f"{secret!r} {[secret]} {({'pin': secret})}".count(SENTINEL) == 0
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("t").warning("pin=%s %r", secret, secret)
    assert SENTINEL not in caplog.text
    assert secret.reveal() == SENTINEL and len(secret) == len(SENTINEL)
    with pytest.raises(TypeError):
        pickle.dumps(secret)


def test_secret_str_not_in_traceback_locals_repr():
    def fail(pin):
        raise RuntimeError(f"failed with {pin}")

    try:
        fail(SecretStr(SENTINEL))
    except RuntimeError as exc:
        text = traceback.format_exc()
        tb = traceback.TracebackException.from_exception(exc, capture_locals=True)
    assert SENTINEL not in text
    assert SENTINEL not in "".join(tb.format())


def test_static_provider_override_cancel_and_count():
    provider = StaticPinProvider({"auth": "1234", "sign": "ABC123"})
    assert isinstance(provider, PinProvider)
    assert provider.get_pin("sign") == "ABC123"
    wrong = provider.with_override("sign", "abc123")
    assert wrong.get_pin("sign") == "abc123" and wrong.get_pin("auth") == "1234"
    assert provider.get_pin("sign") == "ABC123"  # the original is unchanged
    cancelling = provider.cancelling("auth")
    with pytest.raises(PinEntryCancelled):
        cancelling.get_pin("auth")
    assert cancelling.asked == ["auth"] and provider.asked == ["sign", "sign"]
    assert "1234" not in repr(provider) and "ABC123" not in repr(provider)


def test_static_provider_from_profile_shapes():
    provider = StaticPinProvider.from_profile({"pins": {"auth": {"value": "4321"}, "sign": {"value": "PW1234"}}}["pins"])
    assert provider.get_pin("auth") == "4321" and provider.get_pin("sign") == "PW1234"
    with pytest.raises(PinEntryCancelled):
        provider.get_pin("support")


def test_prompt_provider_uses_getpass_and_cancels_on_empty_or_interrupt():
    prompts = []
    provider = PromptPinProvider(getpass_func=lambda p: prompts.append(p) or "1234")
    assert provider.get_pin("auth") == "1234" and "4桁" in prompts[0]
    with pytest.raises(PinEntryCancelled):
        PromptPinProvider(getpass_func=lambda p: "").get_pin("auth")

    def interrupted(_prompt):
        raise KeyboardInterrupt

    with pytest.raises(PinEntryCancelled):
        PromptPinProvider(getpass_func=interrupted).get_pin("sign")


def test_prompt_provider_refuses_to_echo(monkeypatch):
    """Without a terminal getpass would fall back to echoing; the provider refuses instead."""

    def echoing_getpass(prompt, stream=None):
        warnings.warn("Can not control echo on the terminal.", getpass.GetPassWarning, stacklevel=2)
        return "1234"

    monkeypatch.setattr(getpass, "getpass", echoing_getpass)
    with pytest.raises(PinEntryCancelled, match="without echo"):
        PromptPinProvider().get_pin("auth")


def test_pin_errors_carry_tries_not_pins():
    err = JpkiPinIncorrect("auth", 2)
    assert err.tries_left == 2 and "2" in err.message and "2" in err.message_en
