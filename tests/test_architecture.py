"""The core stays platform-neutral: no platform library below the adapters."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEUTRAL = ("bot", "handlers", "rituals", "storage")
FORBIDDEN = ("aiogram", "discord")
# bot/process.py is the composition root that starts adapters; it imports them lazily by design.
ALLOWED = {("bot", "service.py"): ("adapters",)}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module)
    return out


def test_neutral_packages_import_no_platform_library() -> None:
    offenders = []
    for pkg in NEUTRAL:
        for path in (ROOT / pkg).rglob("*.py"):
            for mod in imported_modules(path):
                if mod.split(".")[0] in FORBIDDEN:
                    offenders.append(f"{path.relative_to(ROOT)} imports {mod}")
    assert offenders == []


def test_handlers_and_storage_do_not_import_adapters() -> None:
    offenders = []
    for pkg in ("handlers", "rituals", "storage"):
        for path in (ROOT / pkg).rglob("*.py"):
            offenders += [f"{path.relative_to(ROOT)} imports {m}" for m in imported_modules(path) if m.split(".")[0] == "adapters"]
    assert offenders == []


def test_the_check_itself_catches_an_import(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from aiogram import Bot\nimport discord.ext\n", encoding="utf-8")
    assert {"aiogram", "discord.ext"} <= imported_modules(sneaky)
