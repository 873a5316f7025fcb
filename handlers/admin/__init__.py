"""The manager's toolkit: help, settings, analytics and reports, announcements, privacy.

Spam / not spam belong to the spam feature; /strikes and /pardon here read and
clear its strikes. Rubrics, prompts and events belong to theirs. Features add
figures to /stats and the weekly report with ``rt.add_metric`` (the existing
features' figures are registered in ``feature_metrics``) and their own member
data to /forgetme with ``rt.add_forget_hook``.
"""

from __future__ import annotations

from pathlib import Path

from bot.core.commands import Command, Where
from bot.core.events import Role
from bot.core.runtime import Runtime
from handlers.admin import analytics, announce, dashboard, feature_metrics, help, privacy, reports, settings, strikes


def setup(rt: Runtime) -> None:
    rt.commands.add(Command("help", help.show_help, "cmd.help"))
    rt.commands.add(Command("settings", settings.show, "cmd.settings", permission=Role.MANAGER))
    rt.commands.add(Command("set", settings.change, "cmd.set", permission=Role.MANAGER))
    rt.commands.add(Command("stats", analytics.stats, "admin.cmd.stats", permission=Role.MANAGER, where=Where.GROUP))
    rt.commands.add(Command("export", reports.export, "admin.cmd.export", permission=Role.MANAGER, where=Where.GROUP))
    rt.commands.add(Command("announce", announce.announce, "admin.cmd.announce", permission=Role.MANAGER, where=Where.GROUP))
    rt.commands.add(Command("strikes", strikes.strikes, "admin.cmd.strikes", permission=Role.MODERATOR, where=Where.GROUP))
    rt.commands.add(Command("pardon", strikes.pardon, "admin.cmd.pardon", permission=Role.MODERATOR, where=Where.GROUP))
    rt.commands.add(Command("mydata", privacy.mydata, "admin.cmd.mydata"))
    rt.commands.add(Command("forgetme", privacy.forgetme, "admin.cmd.forgetme"))
    rt.buttons.add(privacy.FORGET, privacy.forget_pressed)
    rt.buttons.add(strikes.PICK, strikes.picked)
    rt.add_ritual(reports.WeeklyReport())
    rt.add_ritual(announce.ScheduledAnnouncements())
    feature_metrics.register(rt)
    dashboard.setup(rt)
    rt.add_locales(Path(__file__).parent / "locales")
