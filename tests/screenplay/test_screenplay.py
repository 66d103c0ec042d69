"""The Screenplay's actor: abilities by type, tasks in order, memory; and every step is one statement through it.

(Which modules a step may import is the import-linter contract `steps-through-actor` in pyproject.toml.)

No browser and no portal: a task here is a plain object, which is all the actor may assume of one.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

from screenplay.actor import Actor

ROOT = Path(__file__).resolve().parents[2]
# Real-card steps check a person's own card through the opt-in guarded client (fixtures/opt_in.py): no actor there.
NOT_THE_JOURNEY = {"real_card_steps.py"}


class Notebook:
    def __init__(self) -> None:
        self.lines: list[str] = []


@dataclass(frozen=True)
class Write:
    line: str

    def perform_as(self, actor: Actor) -> None:
        actor.ability_to(Notebook).lines.append(self.line)


class Lines:
    def answered_by(self, actor: Actor) -> list[str]:
        return actor.ability_to(Notebook).lines


@dataclass(frozen=True)
class HasWritten:
    count: int

    def verified_by(self, actor: Actor) -> None:
        assert len(actor.asks(Lines())) == self.count, f"{actor.asks(Lines())}"


def test_tasks_run_in_the_order_given_and_questions_see_their_effect():
    amira = Actor.named("Amira").who_can(Notebook())
    amira.attempts_to(Write("first"), Write("second")).attempts_to(Write("third"))
    assert amira.asks(Lines()) == ["first", "second", "third"]
    amira.should_see(HasWritten(3))
    with pytest.raises(AssertionError):
        amira.should_see(HasWritten(2))


def test_a_missing_ability_names_what_she_can_do():
    amira = Actor.named("Amira").who_can(Notebook())
    with pytest.raises(LookupError, match=r"Amira has no ability int; she can Notebook"):
        amira.ability_to(int)


def test_memory_is_hers_alone():
    amira, bob = Actor.named("Amira"), Actor.named("Bob")
    amira.remember(email="amira@example.co.jp", auth_id="A1")
    assert amira.recall("email") == "amira@example.co.jp" and bob.recall("email") is None
    assert amira.forget("auth_id") == "A1" and amira.recall("auth_id", "gone") == "gone"


def _steps() -> list[tuple[str, ast.FunctionDef]]:
    found = []
    for path in sorted((ROOT / "steps").glob("*_steps.py")):
        if path.name in NOT_THE_JOURNEY:
            continue
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and getattr(d.func, "id", "") in ("given", "when", "then")
                    for d in node.decorator_list):
                found.append((f"{path.name}::{node.name}", node))
    return found


def test_every_step_is_one_statement_through_the_actor():
    assert len(_steps()) > 80  # the journey's steps were found
    long = [name for name, fn in _steps() if len([s for s in fn.body if not isinstance(s, ast.Expr)
                                                  or not isinstance(s.value, ast.Constant)]) != 1]
    past_the_actor = [name for name, fn in _steps()
                      if any(isinstance(n, ast.Attribute) and n.attr in ("world", "ui", "admin", "recorder")
                             for n in ast.walk(fn))]
    assert long == [], f"steps with more than one statement: {long}"
    assert past_the_actor == [], f"steps reaching past the actor (world, ui, admin, recorder): {past_the_actor}"
