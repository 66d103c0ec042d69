"""PC profiles: every shipped profile loads with the expected behaviour; bad profiles name file, field and fix."""

from pathlib import Path

import pytest
import yaml

from jpki_client.environments import (
    DEFAULT_DIRECTORY,
    EnvironmentProfileError,
    list_environments,
    load_environment,
)

EXPECTED = {  # name: (bridge behaviour, supported by ras, supported by rasens)
    "windows-chrome": ("works", True, True),
    "windows-edge": ("works", True, True),
    "windows-standalone-client": ("client_missing", True, True),
    "windows-no-extension": ("silent", True, True),
    "macos-chrome": ("works", False, True),
    "android-smartphone": ("silent", False, False),
    "no-reader": ("no_reader", True, True),
}


def test_all_expected_profiles_exist():
    assert set(EXPECTED) <= set(list_environments())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_profile_loads_with_expected_behaviour(name):
    env = load_environment(name)
    behaviour, ras, rasens = EXPECTED[name]
    assert env.bridge_behaviour == behaviour
    assert (env.is_supported("ras"), env.is_supported("rasens")) == (ras, rasens)
    assert env.user_agent and env.context_options()["user_agent"] == env.user_agent


def test_profile_specifics():
    assert "Edg/" in load_environment("windows-edge").user_agent
    standalone = load_environment("windows-standalone-client")
    assert (standalone.client, standalone.client_version, standalone.extension) == ("standalone", "3.4", True)
    mac = load_environment("macos-chrome")
    assert mac.client_version == "3.9" and any("Rosetta" in p.detail for p in mac.prerequisites)
    phone = load_environment("android-smartphone")
    assert phone.context_options()["is_mobile"] is True and "Mobile" in phone.user_agent
    assert phone.client == "none" and phone.client_version is None
    chrome = load_environment("windows-chrome")
    kinds = [k for k, _ in chrome.prerequisite_items()]
    assert kinds.count("install") == 2 and "fix" in kinds
    assert ("install", "JPKI client (browser version)") in chrome.prerequisite_items()
    # the no-extension PC needed one step fewer than the working one, and that step is the extension
    missing = {p.detail for p in chrome.prerequisites} - {p.detail for p in load_environment("windows-no-extension").prerequisites}
    assert len(missing) == 1 and "extension" in missing.pop()


def _write(tmp_path: Path, name: str, **changes) -> Path:
    data = yaml.safe_load((DEFAULT_DIRECTORY / "windows-chrome.yaml").read_text(encoding="utf-8"))
    data["name"] = name
    for key, value in changes.items():
        if value is ...:
            data.pop(key)
        else:
            data[key] = value
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


BAD = [
    ({"os": ...}, "os", "one of"),
    ({"os": "beos"}, "os", "windows"),
    ({"client": "browserversion"}, "client", "browser"),
    ({"client": "none"}, "client_version", "remove client_version"),
    ({"client_version": ...}, "client_version", "add the version"),
    ({"extension": "yes"}, "extension", "true or false"),
    ({"browser": "firefox"}, "extension", "extension: false"),
    ({"reader": ...}, "reader", "reader: true"),
    ({"os": "macos", "client_version": "3.9", "os_version": "12.7"}, "os_version", "13.5"),
    ({"supported": {"ras": "maybe"}}, "supported", "rasens"),
    ({"prerequisites": ["install the client"]}, "prerequisites[0]", "kind"),
    ({"prerequisites": ["teleport: somewhere"]}, "prerequisites[0]", "install"),
    ({"colour": "blue"}, "colour", "remove it"),
    ({"user_agent": ...}, "user_agent", "User-Agent"),
]


@pytest.mark.parametrize(("changes", "field", "fix"), BAD, ids=[b[1] + "-" + str(i) for i, b in enumerate(BAD)])
def test_bad_profile_names_file_field_and_fix(tmp_path, changes, field, fix):
    path = _write(tmp_path, "bad-pc", **changes)
    with pytest.raises(EnvironmentProfileError) as info:
        load_environment(path)
    err = info.value
    assert err.path == str(path) and err.field == field and fix in err.fix
    assert str(path) in str(err) and f"'{field}'" in str(err) and "fix:" in str(err)


def test_name_must_match_file(tmp_path):
    path = _write(tmp_path, "pc-one")
    path.rename(tmp_path / "pc-two.yaml")
    with pytest.raises(EnvironmentProfileError, match="set `name: pc-two`"):
        load_environment(tmp_path / "pc-two.yaml")


def test_invalid_yaml_and_unknown_name(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("name: broken\nos: [windows\n", encoding="utf-8")
    with pytest.raises(EnvironmentProfileError, match="not valid YAML") as info:
        load_environment(path)
    assert info.value.field.startswith("line ")
    with pytest.raises(EnvironmentProfileError, match="windows-chrome"):
        load_environment("windows-98")
