"""``ras-e2e usability ...``: compare a run with the baseline, accept a baseline, render the report.

Exit codes: 0 fine, 1 regression found (compare, or report --fail-on-regression: the CI gate), 2 usage or input
problem (no such run, no baseline, bad thresholds file) — so a pipeline can tell "harder for people" from "broken".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import store


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--reports-dir", type=Path, default=store.DEFAULT_REPORTS_DIR,
                        help="where runs and the report live (default: %(default)s)")
    common.add_argument("--thresholds", type=Path, default=store.DEFAULT_THRESHOLDS, help="thresholds YAML")
    p = argparse.ArgumentParser(prog="ras-e2e usability", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("compare", parents=[common], help="compare RUN (id, directory or 'latest') with BASELINE; exit 1 on regression")
    c.add_argument("run", nargs="?", default="latest")
    c.add_argument("baseline", nargs="?", type=Path, default=store.DEFAULT_BASELINE)
    c.add_argument("--json", action="store_true", help="print the comparison as JSON")
    b = sub.add_parser("baseline", parents=[common], help="accept RUN (default: the latest) as the committed baseline")
    b.add_argument("run", nargs="?", default="latest")
    b.add_argument("--output", type=Path, default=store.DEFAULT_BASELINE, help="baseline file (default: %(default)s)")
    r = sub.add_parser("report", parents=[common], help="write index.html and summary.md for RUN (default: the latest)")
    r.add_argument("run", nargs="?", default="latest")
    r.add_argument("--baseline", type=Path, default=store.DEFAULT_BASELINE)
    r.add_argument("--out", type=Path, default=None, help="output directory (default: the reports dir)")
    r.add_argument("--fail-on-regression", action="store_true", help="exit 1 when there is a regression (CI gate)")
    sub.add_parser("runs", parents=[common], help="list the stored runs")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return _COMMANDS[args.command](args)
    except (FileNotFoundError, ValueError) as exc:
        print(f"ras-e2e usability: {exc}", file=sys.stderr)
        return 2


def _compare(args) -> int:
    from .compare import compare, load_thresholds

    run = store.load_metrics(store.resolve_run(args.run, args.reports_dir))
    if not Path(args.baseline).is_file():
        raise FileNotFoundError(f"no baseline at {args.baseline}; accept one with `ras-e2e usability baseline`")
    result = compare(run, store.load_metrics(args.baseline), load_thresholds(args.thresholds))
    print(json.dumps(result.as_dict(), ensure_ascii=False, indent=1) if args.json else result.to_text())
    return 1 if result.has_regressions else 0


def _baseline(args) -> int:
    source = store.resolve_run(args.run, args.reports_dir)
    metrics = store.load_metrics(source)
    path = store.write_baseline(metrics, args.output)
    print(f"baseline {path} <- {source} ({len(metrics['scenarios'])} scenarios); commit it to accept")
    return 0


def _report(args) -> int:
    from .report import build

    out = args.out or args.reports_dir
    result = build(store.resolve_run(args.run, args.reports_dir), args.baseline, args.reports_dir, out,
                   args.thresholds)
    print(result.md_path.read_text(encoding="utf-8"))
    print(f"report: {result.html_path}")
    return 1 if args.fail_on_regression and result.regressions else 0


def _runs(args) -> int:
    runs = store.list_runs(args.reports_dir)
    for p in runs:
        meta = store.load_metrics(p / store.METRICS_FILE).get("run", {})
        print(f"{p.name}  {meta.get('finished_at', '')}  {meta.get('scenario_count', '?')} scenarios  "
              f"{meta.get('git_commit') or ''}")
    if not runs:
        print(f"no runs under {args.reports_dir / 'runs'}")
    return 0


_COMMANDS = {"compare": _compare, "baseline": _baseline, "report": _report, "runs": _runs}


if __name__ == "__main__":
    sys.exit(main())
