"""The facts ledger (portal_mock/facts.yaml, jpki_client/facts.yaml, virtual_card/facts.yaml) covers every rule,
message, code and setting the simulation asserts about the real system, and no entry claims a verification it
cannot show.

Why a test: a fact added to the code without an entry is a fact nobody can challenge; the test names the missing
entry and the file to add it to."""

from __future__ import annotations

import copy
import datetime as dt
import inspect
from pathlib import Path

import pytest
import yaml

import jpki_client.apdu
import jpki_client.settings
import virtual_card.applets
import virtual_card.pki
import virtual_card.profiles
from portal_mock import settings as portal_settings
from portal_mock.models import rules
from portal_mock.models.messages import Messages

ROOT = Path(__file__).resolve().parent.parent
LEDGERS = {"portal": ROOT / "portal_mock/facts.yaml", "client": ROOT / "jpki_client/facts.yaml",
           "card": ROOT / "virtual_card/facts.yaml"}

# rules.py functions that compute rather than assert something about the real system (why each is not a fact)
NOT_FACTS = {
    "require": "a required field is refused: the message is the fact (message.required)",
    "parse_date": "the date format of the control API and forms: the message is the fact (message.date_format)",
    "age_on": "arithmetic",
    "hash_password": "how the simulation stores a password",
    "check_password": "how the simulation compares a password",
    "password_expires_at": "arithmetic behind rule.password_expired",
}
# constants of the card that describe the harness's profile format, not the card
CARD_HARNESS = {"DEFAULT_DIRECTORY", "DEFAULT_CACHE_DIR", "APPLETS", "SEXES", "STATUSES"}
CLIENT_APDU = ("JPKI_AID", "CERT_EF", "PIN_EF", "KEY_EF", "TOKEN_INFO_EF", "AVAILABILITY_EF", "MAX_TRIES")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["facts"]


def _constants(module) -> list[str]:
    return [n for n in vars(module) if n.isupper() and not n.startswith("_")]


def required_ids() -> dict[str, list[str]]:
    """The entry every fact of the code needs, per ledger."""
    messages = Messages()
    rule_functions = [n for n, f in vars(rules).items() if inspect.isfunction(f) and f.__module__ == rules.__name__
                      and not n.startswith("_") and n not in NOT_FACTS]
    portal = ([f"message.{k}" for k in messages.keys()] + [f"mail.{k}" for k in messages.mails]
              + [f"setting.{n}" for n in portal_settings.overridable()]
              + ["setting.RASENS_START", "setting.SENDERS"]
              + [f"mail_rule.{r['domain']}" for r in portal_settings.DEFAULT_MAIL_RULES]
              + [f"rule.{n}" for n in _constants(rules)] + [f"rule.{n}" for n in rule_functions])
    client = ([f"client.message.{c}" for c in jpki_client.settings.MESSAGES]
              + [f"client.{n}" for n in _constants(jpki_client.settings) if n != "MESSAGES"]
              + [f"client.{n}" for n in CLIENT_APDU if hasattr(jpki_client.apdu, n)])
    card = sorted({f"card.{n}" for m in (virtual_card.profiles, virtual_card.applets, virtual_card.pki)
                   for n in _constants(m) if n not in CARD_HARNESS})
    return {"portal": portal, "client": client, "card": card}


def problems(ledgers: dict[str, dict]) -> list[str]:
    """Every missing entry and every entry that claims more than it shows, each naming the file to fix."""
    out = []
    for name, ids in required_ids().items():
        for fact_id in ids:
            if fact_id not in ledgers[name]:
                out.append(f"{LEDGERS[name].relative_to(ROOT)}: no entry {fact_id!r} (add claim, source, read, verified)")
    for name, facts in ledgers.items():
        for fact_id, e in facts.items():
            where = f"{LEDGERS[name].relative_to(ROOT)}: {fact_id}"
            if not isinstance(e, dict) or not str(e.get("claim") or "").strip():
                out.append(f"{where}: needs a claim")
                continue
            if not isinstance(e.get("verified"), bool):
                out.append(f"{where}: verified must be true or false")
            if e.get("verified") and not str(e.get("source") or "").strip():
                out.append(f"{where}: verified: true with an empty source (give the source or say verified: false)")
            if e.get("source") and not isinstance(e.get("read"), (str, dt.date)):
                out.append(f"{where}: a source needs the date it was read (read: YYYY-MM-DD)")
    return out


@pytest.fixture(scope="module")
def ledgers() -> dict[str, dict]:
    return {name: load(path) for name, path in LEDGERS.items()}


def test_every_fact_of_the_code_has_an_entry_with_its_source(ledgers):
    found = problems(ledgers)
    assert not found, "\n".join(found)
    print(f"facts ledger: {sum(len(f) for f in ledgers.values())} entries, "
          f"{sum(bool(e['verified']) for f in ledgers.values() for e in f.values())} verified")


@pytest.mark.parametrize("fact_id", ["rule.EXCLUDED_STATUSES", "message.link_expired", "setting.link_ttl_hours",
                                     "client.message.EW000J0200", "card.PIN_MAX_TRIES"])
def test_removing_an_entry_fails(ledgers, fact_id):
    name = {"rule": "portal", "message": "portal", "setting": "portal", "client": "client", "card": "card"}[
        fact_id.split(".")[0]]
    broken = copy.deepcopy(ledgers)
    del broken[name][fact_id]
    assert [p for p in problems(broken) if repr(fact_id) in p], f"removing {fact_id} went unnoticed"


def test_a_verified_entry_without_a_source_fails(ledgers):
    broken = copy.deepcopy(ledgers)
    broken["portal"]["setting.link_ttl_hours"].update(source="", verified=True)
    assert any("setting.link_ttl_hours: verified: true with an empty source" in p for p in problems(broken))


def test_messages_yaml_and_the_ledger_agree_on_what_is_verified(ledgers):
    """One truth: a message marked verified in messages.yaml is verified in the ledger, and the other way round."""
    messages = Messages()
    differ = [k for k in messages.keys() if messages.get(k).verified != ledgers["portal"][f"message.{k}"]["verified"]]
    assert not differ, f"messages.yaml and portal_mock/facts.yaml disagree on: {differ}"
