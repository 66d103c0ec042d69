"""The house rules of docs/ARCHITECTURE.md that no linter checks by itself.

ruff's too-many-statements (PLR0915) counts statements, not lines, so the project's rule "no function over 60
lines" is measured here on the syntax tree. And import-linter only checks the rooms it is told about, so a new
top-level package that nobody added to its root_packages would sit outside every contract without a word.
"""

from __future__ import annotations

import ast
import functools
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 60
SKIPPED_DIRS = {".venv", "node_modules", "reports", "build", ".git"}

# Functions over the limit when the rule arrived (issue 15), each split by the helper who owns its room. The lead
# deletes a line when its function is split; the list must end empty. A line whose function is gone (split, renamed
# or moved) fails the test too, so the list cannot silently outlive its entries.
ALLOWED_LONG: set[tuple[str, str]] = set()


def python_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if not SKIPPED_DIRS.intersection(p.relative_to(root).parts))


@functools.cache
def long_functions(root: Path, limit: int = MAX_LINES) -> dict[tuple[str, str], int]:
    """(path, function name) -> lines, for every function or method (nested ones too) longer than ``limit``.

    A function's lines run from its ``def`` to its last line: docstring and comments count, decorators do not.
    """
    found = {}
    for path in python_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = node.end_lineno - node.lineno + 1
                if lines > limit:
                    found[(path.relative_to(root).as_posix(), node.name)] = lines
    return found


def test_no_function_is_longer_than_60_lines():
    offenders = {key: n for key, n in long_functions(ROOT).items() if key not in ALLOWED_LONG}
    assert not offenders, (
        f"functions over {MAX_LINES} lines: "
        + ", ".join(f"{path}::{name} ({n} lines)" for (path, name), n in sorted(offenders.items()))
        + ". Split them into functions with one job each (docs/ARCHITECTURE.md, house rules)."
    )


def test_the_allow_list_names_only_functions_that_are_still_long():
    stale = ALLOWED_LONG - set(long_functions(ROOT))
    assert not stale, (
        f"{sorted(stale)} are no longer functions over {MAX_LINES} lines (split, renamed or moved): "
        "delete them from ALLOWED_LONG in tests/test_architecture.py"
    )


def test_the_length_check_sees_a_long_function(tmp_path):
    """The check itself can fail: a 61-line function is reported, a 60-line one is not."""
    body = "\n".join(f"    x{i} = {i}" for i in range(59))
    (tmp_path / "long.py").write_text(f"def too_long():\n{body}\n    return 0\n")
    (tmp_path / "ok.py").write_text(f"def just_right():\n{body}\n")
    assert long_functions(tmp_path) == {("long.py", "too_long"): 61}


def top_level_packages(root: Path) -> set[str]:
    return {p.parent.name for p in root.glob("*/__init__.py")} - {"tests"}


def test_every_room_is_under_the_import_contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    missing = top_level_packages(ROOT) - set(config["root_packages"])
    assert not missing, (
        f"packages {sorted(missing)} are outside the import contracts: add them to root_packages and to the "
        "contracts of their layer in pyproject.toml [tool.importlinter] (lines marked AT MERGE there, if any)"
    )
