"""Trend charts for the report, as base64 PNG data URIs (the HTML page stays one self-contained file).

Why pictures: whether the journey is getting harder over weeks is easier to see in a line than to read in a
table. Matplotlib runs with the Agg backend (no display in CI). Labels are English/ASCII so no CJK font is needed.
"""

from __future__ import annotations

import base64
import io
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from .errors import GRADES  # noqa: E402
from .recorder import IMPACTS, STAGES  # noqa: E402

GRADE_COLOURS = {"good": "#2e7d32", "fair": "#f9a825", "poor": "#c62828"}
IMPACT_COLOURS = {"critical": "#7b1fa2", "serious": "#c62828", "moderate": "#f9a825", "minor": "#90a4ae"}


def _label(run: dict) -> str:
    rid = run.get("run", {}).get("run_id") or "?"
    return rid[4:8] + " " + rid[9:13] if len(rid) >= 13 else rid  # MMDD HHMM from 20260105T093000Z-xxxx


def _png(fig) -> str:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=90)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _per_stage(run: dict, total_key: str, scale: float = 1.0) -> dict[str, float]:
    out: dict[str, float] = defaultdict(float)
    for s in run["scenarios"]:
        out[s.get("stage", "unknown")] += s["totals"].get(total_key, 0) * scale
    return out


def _stages(history: list[dict]) -> list[str]:
    seen = {s.get("stage", "unknown") for r in history for s in r["scenarios"]}
    return [st for st in STAGES if st in seen] + sorted(seen - set(STAGES))


def stage_trend(history: list[dict], total_key: str, title: str, ylabel: str, scale: float = 1.0) -> str:
    """One line per journey stage: a metric summed over the stage's scenarios, run after run."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    labels = [_label(r) for r in history]
    for stage in _stages(history):
        ax.plot(labels, [_per_stage(r, total_key, scale).get(stage, 0) for r in history], marker="o", label=stage)
    ax.set_title(title)
    ax.set_ylabel(ylabel)
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    if history and history[0]["scenarios"]:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    ax.grid(alpha=0.3)
    return _png(fig)


def stacked_trend(history: list[dict], group: str, keys: tuple[str, ...], colours: dict, title: str) -> str:
    """Stacked bars per run of a totals group such as errors_by_grade or a11y_by_impact."""
    fig, ax = plt.subplots(figsize=(7, 3.2))
    labels = [_label(r) for r in history]
    bottom = [0.0] * len(history)
    for key in keys:
        values = [r["totals"].get(group, {}).get(key, 0) for r in history]
        ax.bar(labels, values, bottom=bottom, color=colours[key], label=key)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    ax.set_title(title)
    ax.tick_params(axis="x", labelrotation=45, labelsize=7)
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    ax.grid(alpha=0.3, axis="y")
    return _png(fig)


def all_charts(history: list[dict]) -> list[dict]:
    """The report's charts: [{"title", "src", "alt"}], oldest run on the left."""
    if not history:
        return []
    return [
        {"title": "Predicted expert time (KLM) per stage", "alt": "line chart of KLM seconds per stage over runs",
         "src": stage_trend(history, "klm_seconds", "Predicted expert time per stage (KLM)", "seconds")},
        {"title": "Error messages by verdict", "alt": "stacked bars of good, fair and poor error messages per run",
         "src": stacked_trend(history, "errors_by_grade", GRADES, GRADE_COLOURS, "Error messages met, by verdict")},
        {"title": "Simulated waiting per stage", "alt": "line chart of waiting hours per stage over runs",
         "src": stage_trend(history, "wait_seconds", "Simulated waiting per stage", "hours", 1 / 3600)},
        {"title": "Accessibility violations by impact", "alt": "stacked bars of axe violations by impact per run",
         "src": stacked_trend(history, "a11y_by_impact", IMPACTS, IMPACT_COLOURS, "axe violations, by impact")},
    ]
