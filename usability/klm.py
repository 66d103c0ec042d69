"""Keystroke-level model (KLM): predicted expert execution time for the journey.

Why: wall time in the simulation is ~0 (the mock answers instantly), so it says nothing about what the journey
costs a person. KLM turns the recorded action log into seconds deterministically, which makes it a stable CI
regression signal (reference/harness-tools.md §4.1).

Operator values (seconds):
  K  0.20  one keystroke, average skilled typist (Card, Moran & Newell 1980, CACM 23(7), 396-410)
  P  1.10  point with the mouse at a target (same source)
  H  0.40  move a hand between keyboard and mouse (same source)
  M  1.35  mental preparation before a unit of action (same source)
  B  0.10  press *or* release a mouse button; a click is BB = 0.20 (Kieras 2001, "Using the Keystroke-Level
           Model to Estimate Execution Times", University of Michigan, operator table)
  R  system response time: 0 by default. The portal simulation answers instantly; real waits (mail latency,
     outages) come from the portal's clock and are reported separately as *waiting time*, never mixed into KLM.
     With the card at realistic latency (virtual_card/latency.py) the card's modelled time is R
     (`ScenarioRecorder.system_response`), added to klm_seconds: the model's seconds, not the measured wait, so
     R does not depend on machine load.

Action kinds and their operator sequences. The model keeps track of where the hand is (mouse or keyboard) so an H
is charged only when the hand actually has to move; every scenario starts with the hand on the mouse.
  click   M [H] P BB                      a button, link or checkbox
  check   M [H] P BB                      a checkbox or radio button (same as click, counted separately)
  select  M [H] P BB P BB                 open a drop-down, point at the option, click it
  fill    M [H] P BB H K*n                click into the field, hand to the keyboard, type n characters
  press   M [H] K                         one key such as Enter or Tab (hand to the keyboard if needed)
  pin     M [H] K*n K                     a PIN dialog: n digits, then Enter (reference: brief, JPKI dialogs)
"""

from __future__ import annotations

from dataclasses import dataclass

OPERATORS: dict[str, float] = {"K": 0.20, "P": 1.10, "H": 0.40, "M": 1.35, "B": 0.10, "R": 0.0}

# kind -> (operators before typing, hand needed at start, hand at end, types n keystrokes)
_SEQUENCES: dict[str, tuple[str, str, str, bool]] = {
    "click": ("PBB", "mouse", "mouse", False),
    "check": ("PBB", "mouse", "mouse", False),
    "select": ("PBBPBB", "mouse", "mouse", False),
    "fill": ("PBBH", "mouse", "keyboard", True),
    "press": ("K", "keyboard", "keyboard", False),
    "pin": ("", "keyboard", "keyboard", True),
}
ACTION_KINDS = frozenset(_SEQUENCES)


@dataclass(frozen=True)
class KlmCost:
    """The operator string charged for one action and its seconds."""

    operators: str
    seconds: float


class KlmModel:
    """Stateful KLM calculator: one per scenario, because the hand position carries over between actions."""

    def __init__(self) -> None:
        self.hand = "mouse"

    def cost(self, kind: str, keystrokes: int = 0) -> KlmCost:
        """Charge one action; raises ValueError for an unknown kind so a typo cannot silently cost 0 s."""
        if kind not in _SEQUENCES:
            raise ValueError(f"unknown action kind {kind!r}; expected one of {sorted(ACTION_KINDS)}")
        if keystrokes < 0:
            raise ValueError("keystrokes must be >= 0")
        body, needs, ends, types = _SEQUENCES[kind]
        ops = "M"
        if self.hand != needs:
            ops += "H"
        ops += body
        if types:
            ops += "K" * keystrokes
            if kind == "pin":
                ops += "K"  # Enter to confirm the dialog
        self.hand = ends
        return KlmCost(ops, seconds_of(ops))


def seconds_of(operators: str) -> float:
    """Sum an operator string such as 'MHPBB' (rounded to 10 ms so JSON stays stable across platforms)."""
    try:
        return round(sum(OPERATORS[o] for o in operators), 2)
    except KeyError as exc:
        raise ValueError(f"unknown KLM operator {exc.args[0]!r} in {operators!r}") from None
