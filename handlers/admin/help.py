"""/help: the commands this person may use, in the community's language."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.events import CommandInvoked, Role
from bot.core.richtext import Rich, join


async def show_help(ctx: Context, ev: CommandInvoked) -> None:
    t = ctx.t
    member_lines: list[Rich] = [t.t("core.help.title")]
    staff_lines: list[Rich] = [t.t("core.help.manager_title")]
    for cmd in ctx.rt.commands.for_role(ctx.role):
        line = t.t("core.help.line", command=cmd.name, description=t.s(cmd.description_key))
        (member_lines if cmd.permission is Role.MEMBER else staff_lines).append(line)
    parts = [join(member_lines, blank_line=False)]
    if len(staff_lines) > 1:
        parts.append(join(staff_lines, blank_line=False))
    await ctx.reply(join(parts))
