"""The package lines hold: who may import whom, no platform library below the adapters, no import-order luck.

The map (docs/architecture.md tells the why):

- ``storage``: tables, repositories, migrations; imports nothing of ours.
- ``bot.core``: the neutral kernel; imports only itself and ``storage``.
- ``rituals``: the scheduling engine; imports the kernel and ``storage``.
- ``handlers.<feature>``: one feature each; imports the kernel, ``storage``, the engine and itself,
  never another feature (features meet through named registries on the Runtime).
- ``adapters.<platform>``: one platform each; imports the kernel, ``adapters.timing`` and itself.
- the wiring (everything under ``bot/`` but ``bot/core``: app, cli, demo, process, harness, ...): may import
  anything, and nothing but the wiring imports it.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "adapters", "handlers", "rituals", "storage")
PLATFORM_LIBRARIES = ("aiogram", "discord")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> set[str]:
    """Absolute names of everything ``path`` imports, relative imports resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    here = module_name(path).split(".") if path.is_relative_to(ROOT) else [path.stem]
    package = here if path.name == "__init__.py" else here[:-1]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                out.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                out.add(node.module)
    return out


def layer(module: str) -> str:
    """The unit the rules speak of: the kernel, the wiring, one feature, one platform, the engine, storage."""
    parts = module.split(".")
    if parts[0] == "bot":  # bot/core is the kernel; everything else under bot/ is the wiring
        return "bot.core" if parts[1:2] == ["core"] else "wiring"
    if parts[0] in ("handlers", "adapters") and len(parts) > 1:
        return ".".join(parts[:2])
    return parts[0]


def allowed(source: str, target: str) -> bool:
    if source == target or source == "wiring":
        return True
    if target in ("wiring",) or target.startswith("adapters."):
        return source.startswith("adapters.") and target == "adapters.timing"
    if source == "storage":
        return False
    if source == "bot.core":
        return target == "storage"
    if source == "rituals":
        return target in ("bot.core", "storage")
    if source.startswith("handlers.") or source == "handlers":
        return target in ("bot.core", "storage", "rituals")
    if source.startswith("adapters."):
        return target == "bot.core"
    return False


def our_modules() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def test_each_package_imports_only_what_the_map_allows() -> None:
    offenders = []
    for path in our_modules():
        source = layer(module_name(path))
        for target_module in imported_modules(path):
            if target_module.split(".")[0] not in PACKAGES:
                continue
            target = layer(target_module)
            if not allowed(source, target):
                offenders.append(f"{path.relative_to(ROOT)} ({source}) imports {target_module} ({target})")
    assert offenders == []


def test_no_platform_library_below_the_adapters() -> None:
    offenders = []
    for path in our_modules():
        if module_name(path).startswith("adapters."):
            continue
        for mod in imported_modules(path):
            if mod.split(".")[0] in PLATFORM_LIBRARIES:
                offenders.append(f"{path.relative_to(ROOT)} imports {mod}")
    assert offenders == []


def test_every_module_imports_on_its_own() -> None:
    """Each module, imported first with none of ours loaded, imports: no luck of import order.

    One interpreter for all (a fresh one per module would take a minute): before each module every
    module of ours is dropped from ``sys.modules``, so each starts as in a fresh interpreter.
    """
    names = [module_name(p) for p in our_modules() if "migrations" not in p.parts]
    script = (
        "import importlib, sys, traceback\n"
        f"names = {names!r}\n"
        f"ours = {PACKAGES!r}\n"
        "failed = []\n"
        "for name in names:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] in ours]:\n"
        "        del sys.modules[loaded]\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except Exception as exc:\n"
        "        failed.append(f'{name}: {type(exc).__name__}: {exc}')\n"
        "print('\\n'.join(failed))\n"
        "sys.exit(1 if failed else 0)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_rules_catch_what_they_forbid(tmp_path: Path) -> None:
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text("from aiogram import Bot\nimport discord.ext\n", encoding="utf-8")
    assert {"aiogram", "discord.ext"} <= imported_modules(sneaky)
    assert not allowed("bot.core", "handlers.spam")
    assert not allowed("handlers.spam", "handlers.rubrics")
    assert not allowed("handlers.spam", "adapters.telegram")
    assert not allowed("adapters.telegram", "adapters.discord")
    assert not allowed("rituals", "handlers.calendar")
    assert not allowed("storage", "bot.core")
    assert not allowed("bot.core", "wiring")
    assert allowed("wiring", "adapters.telegram")
    assert allowed("handlers.calendar", "rituals")


def test_each_handler_gets_its_event_typed_and_says_where_it_runs(tmp_path: Path) -> None:
    """The router routes by type, so a handler's ``handle`` names exactly the event types it hears."""
    import types
    import typing

    from bot.app import App
    from bot.core.clock import SystemClock
    from bot.core.commands import Where
    from bot.core.config import parse_config
    from storage.db import Database

    app = App(parse_config({}), Database(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"), SystemClock())
    handlers = app.rt.router.handlers
    assert len(handlers) >= 10
    for handler in handlers:
        assert isinstance(handler.where, Where), handler.name
        hint = typing.get_type_hints(type(handler).handle)
        annotated = [p for name, p in hint.items() if name not in ("ctx", "return")]
        assert len(annotated) == 1, handler.name
        kinds = set(typing.get_args(annotated[0])) if isinstance(annotated[0], types.UnionType) else {annotated[0]}
        assert kinds == set(handler.events), f"{handler.name}: handle() takes {kinds}, hears {set(handler.events)}"



async def test_every_action_is_performed_or_named_unsupported_by_each_outbox() -> None:
    """A new action can't be silently ``Unsupported`` everywhere: each outbox performs it or says why not."""
    import inspect
    from datetime import UTC, datetime

    import discord
    from aiogram import Bot

    from adapters.discord.outbox import DiscordOutbox
    from adapters.local.simulator import LocalPlatform
    from adapters.telegram.outbox import TelegramOutbox
    from bot.core import actions
    from bot.core.clock import VirtualClock
    from bot.core.config import parse_config

    declared = {c for _, c in inspect.getmembers(actions, inspect.isclass) if issubclass(c, actions.Action) and c is not actions.Action}
    assert declared == set(actions.ALL_ACTIONS), "add the new action to actions.ALL_ACTIONS"
    bot = Bot("123:abc")
    client = discord.Client(intents=discord.Intents.none())
    outboxes = [
        TelegramOutbox(bot),
        DiscordOutbox(client, parse_config({})),
        LocalPlatform(VirtualClock(datetime(2026, 1, 1, tzinfo=UTC))),
    ]
    try:
        performed: set[type[actions.Action]] = set()
        for box in outboxes:
            ops, unsupported = set(box._ops), set(box.UNSUPPORTED)
            name = type(box).__name__
            assert not ops & unsupported, f"{name} both performs and refuses {ops & unsupported}"
            assert ops | unsupported == set(actions.ALL_ACTIONS), f"{name} says nothing of {set(actions.ALL_ACTIONS) - ops - unsupported}"
            assert all(box.UNSUPPORTED.values()), f"{name}: say why each action is unsupported"
            performed |= ops
        assert performed == set(actions.ALL_ACTIONS)
    finally:
        await bot.session.close()
        await client.close()
