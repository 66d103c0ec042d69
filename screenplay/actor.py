"""The applicant, Screenplay-style: an actor who holds abilities and remembers what the journey gave her.

What she does is a task (`screenplay.tasks`), what she checks is a question (`screenplay.questions`); the actor
knows neither the portal's pages nor its control API. Steps read like the Gherkin line:

    amira.attempts_to(RunTheOperationCheck())
    amira.should_see(TheOperationCheck.passed())
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

A = TypeVar("A")
T = TypeVar("T")


class Task(Protocol):
    def perform_as(self, actor: Actor) -> None: ...


class Question(Protocol[T]):
    def answered_by(self, actor: Actor) -> T: ...


class Check(Protocol):
    """A question that checks itself: it raises AssertionError naming what was seen instead."""

    def verified_by(self, actor: Actor) -> None: ...


class Actor:
    def __init__(self, name: str) -> None:
        self.name = name
        self._abilities: dict[type, object] = {}
        self._memory: dict[str, Any] = {}

    @classmethod
    def named(cls, name: str) -> Actor:
        return cls(name)

    def who_can(self, *abilities: object) -> Actor:
        for ability in abilities:
            self._abilities[type(ability)] = ability
        return self

    def ability_to(self, kind: type[A]) -> A:
        try:
            return self._abilities[kind]  # type: ignore[return-value]
        except KeyError:
            raise LookupError(f"{self.name} has no ability {kind.__name__}; she can "
                              f"{', '.join(k.__name__ for k in self._abilities) or 'nothing'}") from None

    def attempts_to(self, *tasks: Task) -> Actor:
        for task in tasks:
            task.perform_as(self)
        return self

    def asks(self, question: Question[T]) -> T:
        return question.answered_by(self)

    def should_see(self, check: Check) -> None:
        check.verified_by(self)

    # ------------------------------------------------------------ memory
    def remember(self, **facts: Any) -> None:
        self._memory.update(facts)

    def recall(self, key: str, default: Any = None) -> Any:
        return self._memory.get(key, default)

    def forget(self, key: str) -> Any:
        return self._memory.pop(key, None)

    def __repr__(self) -> str:
        return f"Actor({self.name!r})"
