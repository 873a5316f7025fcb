"""Every bench script runs the way the README says, ``python bench/x.py``, not only as a module."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p for p in (ROOT / "bench").glob("*.py") if p.name not in ("__init__.py", "common.py"))
PROJECT = ("bench", "bot", "adapters", "handlers", "rituals", "storage", "tests")


def test_the_one_the_issue_names_runs_as_a_script() -> None:
    done = subprocess.run([sys.executable, "bench/stats.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "--json" in done.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_the_project_root_is_on_the_path_before_any_project_import(script: Path) -> None:
    """(Starting twelve interpreters costs a minute; the same property, read from the source.)"""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    path_set = None
    for i, node in enumerate(tree.body):
        if isinstance(node, ast.Expr) and "sys.path.insert" in ast.unparse(node):
            path_set = i
        modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in getattr(node, "names", [])]
        if isinstance(node, ast.Import | ast.ImportFrom) and any(m.split(".")[0] in PROJECT for m in modules):
            assert path_set is not None and path_set < i, f"{script.name}: imports {modules} before putting the root on sys.path"
