"""The manager's toolkit: help, settings. (Analytics and reports join here.)"""

from __future__ import annotations

from bot.commands import Command
from bot.events import Role
from bot.runtime import Runtime
from handlers.admin import help, settings


def setup(rt: Runtime) -> None:
    rt.commands.add(Command("help", help.show_help, "cmd.help"))
    rt.commands.add(Command("settings", settings.show, "cmd.settings", permission=Role.MANAGER))
    rt.commands.add(Command("set", settings.change, "cmd.set", permission=Role.MANAGER))
