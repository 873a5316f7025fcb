"""Commands and buttons: one registry each, shared by every adapter.

Adapters read the registry to publish command lists (Telegram's
``setMyCommands`` per scope, Discord's slash commands); the router hands
``CommandInvoked`` and ``ButtonPressed`` events to the registered function after
checking who may use it.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked, FormSubmitted, Role


class Where(enum.StrEnum):
    GROUP = "group"
    PRIVATE = "private"
    ANYWHERE = "anywhere"


CommandFn = Callable[[Context, CommandInvoked], Awaitable[None]]
ButtonFn = Callable[[Context, ButtonPressed, str], Awaitable[None]]
FormFn = Callable[[Context, FormSubmitted, str], Awaitable[None]]
E = TypeVar("E", ButtonPressed, FormSubmitted)


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    fn: CommandFn
    description_key: str  # catalog key of the one-line description shown in command menus
    permission: Role = Role.MEMBER
    where: Where = Where.ANYWHERE
    usage_key: str | None = None  # catalog key of an example shown when arguments are wrong


class CommandRegistry:
    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}

    def add(self, command: Command) -> None:
        if command.name in self._commands:
            raise ValueError(f"command /{command.name} is registered twice")
        if not command.name.isascii() or not command.name.replace("_", "").isalnum() or command.name != command.name.lower():
            raise ValueError(f"command name {command.name!r} must be lowercase letters, digits and _")
        self._commands[command.name] = command

    def get(self, name: str) -> Command | None:
        return self._commands.get(name.lower())

    def all(self) -> list[Command]:
        return sorted(self._commands.values(), key=lambda c: (c.permission, c.name))

    def for_role(self, role: Role) -> list[Command]:
        return [c for c in self.all() if c.permission.rank <= role.rank]


class ButtonRegistry(Generic[E]):
    """Button data is ``prefix:rest``; the prefix picks the function (the data of a form, too)."""

    def __init__(self) -> None:
        self._fns: dict[str, Callable[[Context, E, str], Awaitable[None]]] = {}

    def add(self, prefix: str, fn: Callable[[Context, E, str], Awaitable[None]]) -> None:
        if ":" in prefix or prefix in self._fns:
            raise ValueError(f"button prefix {prefix!r} is invalid or taken")
        self._fns[prefix] = fn

    def get(self, data: str) -> tuple[Callable[[Context, E, str], Awaitable[None]], str] | None:
        prefix, _, rest = data.partition(":")
        fn = self._fns.get(prefix)
        return (fn, rest) if fn else None
