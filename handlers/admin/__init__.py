"""The manager's toolkit: help, settings, analytics and reports, announcements, privacy.

Strikes (view, pardon) and spam / not spam belong to the spam feature; rubrics,
prompts and events to theirs. Features add figures to /stats and the weekly
report with ``rt.add_metric`` and their own member data to /forgetme with
``rt.add_forget_hook``.
"""

from __future__ import annotations

from pathlib import Path

from bot.commands import Command, Where
from bot.events import Role
from bot.runtime import Runtime
from handlers.admin import analytics, announce, help, privacy, reports, settings


def setup(rt: Runtime) -> None:
    rt.commands.add(Command("help", help.show_help, "cmd.help"))
    rt.commands.add(Command("settings", settings.show, "cmd.settings", permission=Role.MANAGER))
    rt.commands.add(Command("set", settings.change, "cmd.set", permission=Role.MANAGER))
    rt.commands.add(Command("stats", analytics.stats, "admin.cmd.stats", permission=Role.MANAGER, where=Where.GROUP))
    rt.commands.add(Command("export", reports.export, "admin.cmd.export", permission=Role.MANAGER, where=Where.GROUP))
    rt.commands.add(Command("announce", announce.announce, "admin.cmd.announce", permission=Role.MANAGER, where=Where.GROUP))
    rt.commands.add(Command("mydata", privacy.mydata, "admin.cmd.mydata"))
    rt.commands.add(Command("forgetme", privacy.forgetme, "admin.cmd.forgetme"))
    rt.buttons.add(privacy.FORGET, privacy.forget_pressed)
    rt.add_ritual(reports.WeeklyReport())
    rt.add_ritual(announce.ScheduledAnnouncements())
    rt.add_locales(Path(__file__).parent / "locales")
