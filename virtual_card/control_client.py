"""A client of a served card's control API (``virtual_card.control``), shipped with the server, WireMock-style.

Why here and not in the tests: whoever starts ``card serve`` (a person at a desk, a script, the harness) should
not have to hand-write HTTP to insert, swap or fault the card; the client and the routes live side by side, so a
route change breaks this module's tests at once. Why the standard library: the card package carries no web
framework on purpose (see ``control.py``). Each method is one route; the server's answer comes back as parsed JSON.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


class CardControlError(RuntimeError):
    """The control API refused a request; carries the HTTP status, the server's message and the field it named."""

    def __init__(self, method: str, path: str, status: int, error: str, field: str | None = None):
        super().__init__(f"{method} {path} -> {status}: {error}")
        self.status, self.error, self.field = status, error, field


class CardControlClient:
    """Talks to ``http://127.0.0.1:PORT`` as printed by ``card serve --control-port``."""

    def __init__(self, base_url: str, timeout: float = 10.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Content-Type": "application/json"} if data is not None else {}
        request = urllib.request.Request(self.base_url + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as err:
            with err:
                answer = json.loads(err.read() or b"{}")
            raise CardControlError(method, path, err.code, answer.get("error", ""), answer.get("field")) from None

    def status(self) -> dict:
        """Slot port, profile, whether a card is inserted and pcscd connected, faults, APDU count."""
        return self._call("GET", "/status")

    def insert(self, profile: str | None = None) -> dict:
        """Insert the current profile's card, or the named one's."""
        return self._call("POST", "/insert", {"profile": profile} if profile else {})

    def remove(self) -> dict:
        return self._call("POST", "/remove")

    def swap(self, profile: str) -> dict:
        """Another profile's card in the same slot, without an empty moment in between."""
        return self._call("POST", "/swap", {"profile": profile})

    def set_faults(self, *, delay_ms: float | None = None, drop_after: int | None = None,
                   status_word: str | None = None, ins: str | None = None) -> dict:
        """Only the faults given change; ``status_word``/``ins`` are hex (``"6A82"``, ``"B0"``)."""
        fields = {"delay_ms": delay_ms, "drop_after": drop_after, "status_word": status_word, "ins": ins}
        return self._call("POST", "/faults", {k: v for k, v in fields.items() if v is not None})

    def clear_faults(self) -> dict:
        return self._call("DELETE", "/faults")

    def city_office_reset(self, pin: str) -> dict:
        """What the city office does for a blocked PIN: ``auth``, ``sign`` or ``support`` tries back to the maximum."""
        return self._call("POST", "/city-office/reset", {"pin": pin})

    def apdu_log(self) -> list[dict]:
        """The APDUs the card saw, PINs masked."""
        return self._call("GET", "/apdu-log")

    def clear_apdu_log(self) -> dict:
        return self._call("DELETE", "/apdu-log")
