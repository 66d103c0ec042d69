"""Who may call a control API: this machine only. Both control APIs (the portal simulation's /__admin/ and the
virtual card's control server) can reset, rewind or break the simulation, so they check the same three things:

- the client's address is loopback (whatever address the server was bound to);
- the Host the request names is a loopback name or address: a web page that rebinds its DNS name to 127.0.0.1
  (DNS rebinding) still sends its own name as Host;
- the page that sent the request (Origin), if any, is the API's own origin: a cross-site page's fetch carries its
  origin (or "null"), a script or tool on this machine sends none.

One implementation for both, here, because the two libraries may not import each other. No web framework: the
card's control server is http.server, the portal's is Flask."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit


class NotThisMachine(ValueError):
    """A request from (or naming) another machine or site; ``field`` says which part: client, Host or Origin."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def is_loopback_address(address: str | None) -> bool:
    """127.0.0.0/8, ::1 and an IPv4-mapped loopback (::ffff:127.0.0.1); a zone (``%lo``) is ignored."""
    try:
        ip = ipaddress.ip_address((address or "").split("%")[0])
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return ip.is_loopback or bool(mapped is not None and mapped.is_loopback)


def host_name(host: str) -> str:
    """The name in a Host header (``[::1]:8080`` -> ``::1``, ``localhost:5000`` -> ``localhost``); "" if garbled."""
    try:
        return urlsplit("//" + host).hostname or ""
    except ValueError:  # e.g. an unclosed "[::1"
        return ""


def check_same_machine(client: str | None, host: str, origin: str | None, api: str, scheme: str = "http") -> None:
    """Raise NotThisMachine unless the client, the Host it asked for and the Origin (if sent) are this machine.

    ``api`` names the API in the message ("control API", "card control API"); ``scheme`` is the server's."""
    if not is_loopback_address(client):
        raise NotThisMachine("client", f"the {api} answers loopback clients only")
    check_host_and_origin(host, origin, api, scheme)


def check_host_and_origin(host: str, origin: str | None, api: str, scheme: str = "http") -> None:
    """The Host and Origin part of check_same_machine, for a server that has refused other clients already."""
    name = host_name(host)
    if name != "localhost" and not is_loopback_address(name):
        raise NotThisMachine("Host", f"Host: {host!r} is not a loopback name or address (127.0.0.1, localhost, "
                                     f"[::1]); call the {api} by its loopback URL")
    if origin is not None and origin != f"{scheme}://{host}":
        raise NotThisMachine("Origin", f"Origin: {origin!r} is another site; the {api} takes requests from "
                                       "scripts and tools on this machine, not from web pages")
