"""The error-message grader agrees with messages graded by hand against the written rubric (usability/rubric.md).

Cohen's kappa over the labelled set (usability/labels/errors.yaml) must be at least 0.8; the test prints it and
every disagreement with the rule that fired, so a change to the grader or to a label is visible in the log.
"""

from usability.agreement import cohen_kappa, load_labels, measure
from usability.errors import judge

KAPPA_MIN = 0.8


def test_the_labelled_set_is_large_and_mixed_enough():
    messages = load_labels()
    sources = {m["source"] for m in messages}
    assert len(messages) >= 40
    assert {"portal", "client", "browser", "govuk"} <= sources
    assert {m["label"] for m in messages} == {"good", "fair", "poor"}


def test_the_grader_agrees_with_the_labels():
    kappa, off = measure()
    print(f"\ngrader vs labels: Cohen's kappa = {kappa:.3f} over {len(load_labels())} messages, "
          f"{len(off)} disagreement(s)")
    for d in off:
        print(f"  labelled {d.label}, graded {d.graded} ({d.rule}): {d.text[:80]!r} — label: {d.why}")
    assert kappa >= KAPPA_MIN, f"kappa {kappa:.3f} < {KAPPA_MIN}"


def test_kappa_is_one_for_agreement_and_zero_for_chance():
    assert cohen_kappa(["good", "poor", "fair"], ["good", "poor", "fair"]) == 1.0
    assert abs(cohen_kappa(["good", "good", "poor", "poor"], ["good", "poor", "good", "poor"])) < 1e-9


def test_the_issues_example_names_the_cause_and_the_plain_fix():
    v = judge("WZBAM202E：パスワードに認証IDを含めることはできません。")
    assert (v.grade, v.rule) == ("good", "good: cause, what to do, and she can go on now")


def test_every_verdict_names_the_rule_that_fired():
    for m in load_labels():
        v = judge(m["text"])
        assert v.rule.startswith(v.grade + ":"), (m["text"], v.rule)
