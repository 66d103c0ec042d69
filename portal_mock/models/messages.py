"""The portal's messages and codes (messages.yaml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "messages.yaml"  # data next to facts.yaml, not code


@dataclass(frozen=True)
class Message:
    key: str
    code: str | None
    text: str
    status: int
    verified: bool

    @property
    def display(self) -> str:
        return f"{self.code} : {self.text}" if self.code else self.text


class Messages:
    def __init__(self, path: str | Path | None = None) -> None:
        data = yaml.safe_load(Path(path or DEFAULT_PATH).read_text(encoding="utf-8"))
        self._raw = data["messages"]
        self.mails = data["mails"]

    def get(self, key: str, **fmt: str) -> Message:
        raw = self._raw[key]
        text = raw["text"].format(**fmt) if fmt else raw["text"]
        return Message(key, raw.get("code"), text, int(raw.get("status", 400)), bool(raw.get("verified")))

    def keys(self) -> list[str]:
        return list(self._raw)

    def subject(self, kind: str, generation: str, **fmt: str) -> str:
        return self.mails[kind]["subject"][generation].format(**fmt)
