"""PC profiles: which OS, browser, JPKI client and extension a person has, and whether a reader is plugged in.

Why data: the first-hand account's worst traps are about the PC, not the card — the standalone client instead of
the browser version, an extension the installer never adds, macOS, a phone.  A profile says what the PC *is*;
the bridge (``bridge.py``) derives what the page can do with it, and the portal simulation sees the user agent.
``prerequisites`` says what a person had to install or fix to get the PC into this state; the usability report
counts them.

Every validation error names the file, the field and the fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

#: The shipped PC profiles, found through the installed package (never the working directory); a user's own
#: come from an explicit ``directory`` argument.
DEFAULT_DIRECTORY = Path(str(resources.files(__package__) / "data" / "environments"))

OSES = ("windows", "macos", "linux", "android", "ios")
BROWSERS = ("chrome", "edge", "firefox", "safari")
CLIENTS = ("browser", "standalone", "none")
DEVICES = ("desktop", "smartphone")
GENERATIONS = ("ras", "rasens")
PREREQUISITE_KINDS = ("install", "download", "fix", "configure", "buy", "visit", "phone")
#: Browsers the JPKI extension 利用者クライアントソフト Edge/Chrome exists for (portal-journey.md §1 item 7).
EXTENSION_BROWSERS = ("chrome", "edge")
#: Known client builds that need a minimum OS (portal-journey.md §1 item 6a: Mac Ver 3.9 needs 13.5+, Rosetta).
CLIENT_MIN_OS = {("macos", "3.9"): "13.5"}

FIELDS = (
    "name", "description", "os", "os_version", "arch", "device", "browser", "browser_version", "user_agent",
    "client", "client_version", "native_host", "extension", "extension_version", "reader", "supported", "prerequisites",
    "unverified", "notes",
)


class EnvironmentProfileError(ValueError):
    """A PC profile is wrong; the message names the file, the field and the fix."""

    def __init__(self, path: Path | str, field_name: str, problem: str, fix: str):
        self.path = str(path)
        self.field = field_name
        self.problem = problem
        self.fix = fix
        super().__init__(f"{self.path}: field '{field_name}': {problem} — fix: {fix}")


@dataclass(frozen=True)
class Prerequisite:
    kind: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclass(frozen=True)
class Environment:
    """One PC profile (``jpki_client/data/environments/<name>.yaml``)."""

    name: str
    description: str
    os: str
    os_version: str | None
    arch: str | None
    device: str
    browser: str
    browser_version: str | None
    user_agent: str
    client: str
    client_version: str | None
    extension: bool
    extension_version: str | None
    reader: bool
    supported: Mapping[str, bool]
    native_host: bool = True  # the client's installer registered its native-messaging host for the extension
    prerequisites: tuple[Prerequisite, ...] = ()
    unverified: tuple[str, ...] = ()
    notes: str = ""
    path: str = field(default="", compare=False)

    @property
    def browser_client_installed(self) -> bool:
        """The browser-version JPKI client (the one the extension talks to) is installed."""
        return self.client == "browser"

    @property
    def bridge_behaviour(self) -> str:
        """What the stand-in extension does: ``silent`` (no extension), ``client_missing``, ``no_reader``, ``works``."""
        if not self.extension or not self.native_host:
            return "silent"  # no extension, or an extension that finds no host: it never announces itself
        if not self.browser_client_installed:
            return "client_missing"
        if not self.reader:
            return "no_reader"
        return "works"

    def is_supported(self, generation: str) -> bool:
        """Whether the portal generation (``ras`` or ``rasens``) supports this PC (a per-generation setting)."""
        return bool(self.supported.get(generation, False))

    def context_options(self) -> dict:
        """Keyword arguments for Playwright's ``browser.new_context`` so the portal sees this PC's browser."""
        options: dict = {"user_agent": self.user_agent, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}
        if self.device == "smartphone":
            options.update(viewport={"width": 412, "height": 915}, is_mobile=True, has_touch=True,
                           device_scale_factor=2.625)
        return options

    def prerequisite_items(self) -> list[tuple[str, str]]:
        """``(kind, detail)`` pairs, as ``usability.recorder.ScenarioRecorder.prerequisite`` takes them."""
        return [(p.kind, p.detail) for p in self.prerequisites]


def _need(path: Path, data: Mapping, name: str, types: type | tuple[type, ...], fix: str, *, optional: bool = False):
    if name not in data or data[name] is None:
        if optional:
            return None
        raise EnvironmentProfileError(path, name, "missing", fix)
    value = data[name]
    if isinstance(value, bool) and bool not in (types if isinstance(types, tuple) else (types,)):
        raise EnvironmentProfileError(path, name, f"expected {types}, got a boolean", fix)
    if not isinstance(value, types):
        raise EnvironmentProfileError(path, name, f"expected {getattr(types, '__name__', types)}, got {value!r}", fix)
    return value


def _choice(path: Path, data: Mapping, name: str, choices: tuple[str, ...]) -> str:
    value = _need(path, data, name, str, f"set {name} to one of {', '.join(choices)}")
    if value not in choices:
        raise EnvironmentProfileError(path, name, f"unknown value {value!r}", f"use one of {', '.join(choices)}")
    return value


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split(".") if p.isdigit())


def parse_environment(data: object, path: Path | str = "<memory>") -> Environment:
    """Validate a profile's parsed YAML and build an ``Environment``. Stops at the first problem, in field order."""
    path = Path(path)
    if not isinstance(data, Mapping):
        raise EnvironmentProfileError(path, "(top level)", "not a mapping", "write the profile as `key: value` lines")
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise EnvironmentProfileError(path, unknown[0], "unknown field", f"remove it or use one of {', '.join(FIELDS)}")
    name = _need(path, data, "name", str, f"add `name: {path.stem}`")
    if path.suffix in (".yaml", ".yml") and name != path.stem:
        raise EnvironmentProfileError(path, "name", f"{name!r} differs from the file name", f"set `name: {path.stem}`")
    os_ = _choice(path, data, "os", OSES)
    device = _choice(path, data, "device", DEVICES) if "device" in data else (
        "smartphone" if os_ in ("android", "ios") else "desktop")
    browser = _choice(path, data, "browser", BROWSERS)
    client, client_version = _client(path, data)
    extension = _extension(path, data, browser)
    reader = _need(path, data, "reader", bool, "set reader: true or false")
    native_host = _native_host(path, data, client)
    os_version = _os_version(path, data, os_, client_version)
    supported = _supported(path, data)
    prerequisites = _prerequisites(path, data)
    unverified = data.get("unverified") or []
    if not isinstance(unverified, list) or not all(isinstance(u, str) for u in unverified):
        raise EnvironmentProfileError(path, "unverified", "expected a list of field names", "write e.g. [supported.rasens]")
    return Environment(
        name=name,
        description=_need(path, data, "description", str, "add a one-line description"),
        os=os_,
        os_version=os_version,
        arch=_need(path, data, "arch", str, "use x86_64 or arm64", optional=True),
        device=device,
        browser=browser,
        browser_version=_optional_text(data, "browser_version"),
        user_agent=_need(path, data, "user_agent", str, "add the browser's User-Agent string"),
        client=client,
        client_version=client_version,
        extension=extension,
        extension_version=_optional_text(data, "extension_version"),
        reader=reader,
        native_host=native_host,
        supported=supported,
        prerequisites=prerequisites,
        unverified=tuple(unverified),
        notes=str(data.get("notes") or ""),
        path=str(path),
    )


def _optional_text(data: Mapping, name: str) -> str | None:
    return str(data[name]) if data.get(name) is not None else None


def _client(path: Path, data: Mapping) -> tuple[str, str | None]:
    """Which JPKI client is installed, and its version (required exactly when there is a client)."""
    client = _choice(path, data, "client", CLIENTS)
    client_version = _need(path, data, "client_version", (str, int, float),
                           "quote the client version, e.g. client_version: \"3.4\"", optional=True)
    client_version = None if client_version is None else str(client_version)
    if client == "none" and client_version is not None:
        raise EnvironmentProfileError(path, "client_version", "set although client is none",
                                      "remove client_version or set client: browser|standalone")
    if client != "none" and client_version is None:
        raise EnvironmentProfileError(path, "client_version", f"missing for client: {client}",
                                      "add the version, e.g. client_version: \"latest\"")
    return client, client_version


def _extension(path: Path, data: Mapping, browser: str) -> bool:
    extension = _need(path, data, "extension", bool, "set extension: true or false")
    if extension and browser not in EXTENSION_BROWSERS:
        raise EnvironmentProfileError(path, "extension", f"the JPKI extension does not exist for {browser}",
                                      f"set extension: false or browser: one of {', '.join(EXTENSION_BROWSERS)}")
    return extension


def _native_host(path: Path, data: Mapping, client: str) -> bool:
    """Whether the client's installer registered its native-messaging host (default: there is a client)."""
    native_host = _need(path, data, "native_host", bool, "set native_host: true or false", optional=True)
    native_host = client != "none" if native_host is None else native_host
    if native_host and client == "none":
        raise EnvironmentProfileError(path, "native_host", "true although client is none (the host is the client)",
                                      "set native_host: false or client: browser|standalone")
    return native_host


def _os_version(path: Path, data: Mapping, os_: str, client_version: str | None) -> str | None:
    """The OS version, checked against the minimum some client builds need."""
    os_version = _need(path, data, "os_version", (str, int, float), "quote it, e.g. os_version: \"14.5\"", optional=True)
    os_version = None if os_version is None else str(os_version)
    min_os = CLIENT_MIN_OS.get((os_, client_version or ""))
    if min_os and (os_version is None or _version_tuple(os_version) < _version_tuple(min_os)):
        raise EnvironmentProfileError(path, "os_version", f"JPKI client {client_version} needs {os_} {min_os} or later",
                                      f"set os_version to {min_os} or later, or use another client_version")
    return os_version


def _supported(path: Path, data: Mapping) -> dict[str, bool]:
    """Per portal generation: does it support this PC (``true``/``false`` stands for both)."""
    supported = data.get("supported")
    if isinstance(supported, bool):
        supported = {g: supported for g in GENERATIONS}
    if not isinstance(supported, Mapping) or set(supported) - set(GENERATIONS) or not all(
            isinstance(v, bool) for v in supported.values()):
        raise EnvironmentProfileError(path, "supported", f"expected true/false or a mapping of {GENERATIONS} to booleans",
                                      "write e.g. `supported: {ras: false, rasens: true}`")
    return dict(supported)


def _prerequisites(path: Path, data: Mapping) -> tuple[Prerequisite, ...]:
    prerequisites = []
    for i, item in enumerate(data.get("prerequisites") or []):
        kind, sep, detail = str(item).partition(":")
        if not sep or kind.strip() not in PREREQUISITE_KINDS or not detail.strip():
            raise EnvironmentProfileError(path, f"prerequisites[{i}]", f"{item!r} is not `kind: detail`",
                                          f"write `<kind>: <what>` with kind one of {', '.join(PREREQUISITE_KINDS)}")
        prerequisites.append(Prerequisite(kind.strip(), detail.strip()))
    return tuple(prerequisites)


def _resolve(name_or_path: str | Path, directory: Path) -> Path:
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") or candidate.is_file():
        return candidate
    return Path(directory) / f"{name_or_path}.yaml"


def load_environment(name_or_path: str | Path, directory: Path | str = DEFAULT_DIRECTORY) -> Environment:
    """Load and validate a PC profile by name (``windows-chrome``) or path."""
    path = _resolve(name_or_path, Path(directory))
    if not path.is_file():
        names = ", ".join(list_environments(directory)) or "none"
        raise EnvironmentProfileError(path, "(file)", "no such profile", f"use one of: {names}")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise EnvironmentProfileError(path, where, f"not valid YAML: {getattr(exc, 'problem', exc)}",
                                      "fix the YAML syntax (indentation, quotes)") from None
    return parse_environment(data, path)


def list_environments(directory: Path | str = DEFAULT_DIRECTORY) -> list[str]:
    """Names of the profiles in ``directory``."""
    directory = Path(directory)
    return sorted(p.stem for p in directory.glob("*.yaml")) if directory.is_dir() else []
