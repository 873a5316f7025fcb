"""Hands commands and button presses to their registered functions, checking permissions."""

from __future__ import annotations

import logging

from bot.core import callbacks
from bot.core.actions import AnswerButton
from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked, Event, FormSubmitted, Role
from bot.core.router import Flow

log = logging.getLogger("bot.core.dispatch")


class CommandDispatch:
    name = "commands"
    events: tuple[type[Event], ...] = (CommandInvoked, ButtonPressed, FormSubmitted)
    where = Where.ANYWHERE

    async def handle(self, ctx: Context, ev: CommandInvoked | ButtonPressed | FormSubmitted, /) -> Flow | None:
        if isinstance(ev, CommandInvoked):
            await self._command(ctx, ev)
        else:
            await self._button(ctx, ev)
        return Flow.CONTINUE

    async def _command(self, ctx: Context, ev: CommandInvoked) -> None:
        cmd = ctx.rt.commands.get(ev.name)
        if cmd is None:
            # In a group, unknown commands are usually meant for another bot: stay quiet.
            if ev.chat.private:
                await ctx.reply(ctx.t.t("core.unknown_command", command=ev.name))
            return
        if cmd.where is Where.GROUP and ev.chat.private:
            await ctx.reply(ctx.t.t("core.group_only", command=cmd.name))
            return
        if cmd.where is Where.PRIVATE and not ev.chat.private:
            await ctx.reply(ctx.t.t("core.private_only", command=cmd.name))
            return
        if ctx.role.rank < cmd.permission.rank:
            key = "core.not_allowed" if cmd.permission >= Role.MANAGER else "core.not_allowed_moderator"
            await ctx.reply(ctx.t.t(key, command=cmd.name))
            return
        await cmd.fn(ctx, ev)

    async def _button(self, ctx: Context, ev: ButtonPressed | FormSubmitted) -> None:
        """Every press (and filled-in form) is answered (the client shows a spinner until then), even a forged,
        refused or failing one."""
        if not callbacks.well_formed(ev.data):
            ctx.after_commit(AnswerButton(ev.callback_id))
            return
        try:
            if isinstance(ev, FormSubmitted):
                found_form = ctx.rt.forms.get(ev.data)
                if found_form is not None:
                    await found_form[0](ctx, ev, found_form[1])
            else:
                found = ctx.rt.buttons.get(ev.data)
                if found is not None:
                    await found[0](ctx, ev, found[1])
        except Exception:
            await ctx.rt.perform(ev.chat.platform, AnswerButton(ev.callback_id))  # the event rolls back; the answer must not wait
            raise
        if not any(isinstance(a, AnswerButton) for a in ctx._after):
            ctx.after_commit(AnswerButton(ev.callback_id))
