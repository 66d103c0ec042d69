"""How far the error-message grader agrees with messages graded by hand (usability/labels/errors.yaml).

Why: a verdict is only worth something if a person reading the rubric (usability/rubric.md) would give the same
one. Cohen's kappa corrects the raw agreement for the agreement two graders would reach by chance.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from .errors import GRADES, judge

LABELS = Path(__file__).parent / "labels" / "errors.yaml"


@dataclass(frozen=True)
class Disagreement:
    text: str
    label: str
    graded: str
    rule: str
    why: str


def load_labels(path: Path = LABELS) -> list[dict]:
    messages = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["messages"]
    for m in messages:
        if m.get("label") not in GRADES or not m.get("text") or not m.get("why"):
            raise ValueError(f"{path}: every message needs text, label ({'/'.join(GRADES)}) and why: {m!r}")
    return messages


def cohen_kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa of two gradings of the same items: 1 = full agreement, 0 = what chance gives."""
    if len(first) != len(second) or not first:
        raise ValueError("two gradings of the same, non-empty list of items are needed")
    n = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    ca, cb = Counter(first), Counter(second)
    expected = sum(ca[g] * cb[g] for g in set(ca) | set(cb)) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def measure(path: Path = LABELS) -> tuple[float, list[Disagreement]]:
    """The grader's kappa against the labels, and every message where the two differ."""
    messages = load_labels(path)
    verdicts = [judge(m["text"]) for m in messages]
    off = [Disagreement(m["text"], m["label"], v.grade, v.rule, m["why"])
           for m, v in zip(messages, verdicts, strict=True) if v.grade != m["label"]]
    return cohen_kappa([m["label"] for m in messages], [v.grade for v in verdicts]), off
