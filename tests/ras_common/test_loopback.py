"""The one Host/Origin check of both control APIs (ras_common/loopback.py): what it lets through and what it
refuses, field by field. The portal's and the card's hostile-input tests check it through their servers."""

from __future__ import annotations

import pytest

from ras_common.loopback import NotThisMachine, check_host_and_origin, check_same_machine, is_loopback_address


@pytest.mark.parametrize("address", ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1", "::1%lo"])
def test_loopback_addresses(address):
    assert is_loopback_address(address)


@pytest.mark.parametrize("address", ["192.168.1.10", "10.0.0.1", "::ffff:10.0.0.1", "localhost", "garbage", "", None])
def test_other_addresses(address):
    assert not is_loopback_address(address)


@pytest.mark.parametrize("host, origin", [("127.0.0.1:8080", None), ("127.0.0.1:8080", "http://127.0.0.1:8080"),
                                          ("[::1]:8080", None), ("localhost", None), ("localhost:5000", None)])
def test_this_machine_is_served(host, origin):
    check_same_machine("127.0.0.1", host, origin, "control API")


@pytest.mark.parametrize("client, host, origin, field", [
    ("192.168.1.10", "127.0.0.1", None, "client"),
    ("127.0.0.1", "rebound.example.com", None, "Host"),
    ("127.0.0.1", "127.0.0.1.nip.io", None, "Host"),
    ("127.0.0.1", "[::1", None, "Host"),
    ("127.0.0.1", "", None, "Host"),
    ("127.0.0.1", "127.0.0.1:8080", "http://evil.example", "Origin"),
    ("127.0.0.1", "127.0.0.1:8080", "http://localhost:9", "Origin"),
    ("127.0.0.1", "127.0.0.1:8080", "null", "Origin"),
    ("127.0.0.1", "127.0.0.1:8080", "https://127.0.0.1:8080", "Origin"),
])
def test_another_machine_or_site_is_refused_naming_the_field(client, host, origin, field):
    with pytest.raises(NotThisMachine) as refused:
        check_same_machine(client, host, origin, "control API")
    assert refused.value.field == field
    assert str(refused.value).startswith({"client": "the control API", "Host": "Host: ",
                                          "Origin": "Origin: "}[field])


def test_the_origin_is_compared_with_the_servers_scheme():
    check_host_and_origin("localhost:443", "https://localhost:443", "control API", scheme="https")
    with pytest.raises(NotThisMachine):
        check_host_and_origin("localhost:443", "http://localhost:443", "control API", scheme="https")


def test_the_module_needs_no_web_framework():
    """The card's control server is http.server: the shared check must not pull Flask into it."""
    import subprocess
    import sys

    code = "import sys, ras_common.loopback; print(sorted(m for m in sys.modules if m.split('.')[0] in " \
           "('flask', 'werkzeug')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
