"""The helpers: members happy to be asked about questions nobody answered.

``/helper`` lists them; ``/helper on|off`` is a member's own choice; ``/helper add|remove`` (as a reply,
or naming someone by mention) is the managers'.
"""

from __future__ import annotations

from bot.core.context import Context
from bot.core.events import CommandInvoked, Role
from bot.core.people import listed, mentions
from storage.repos.questions import QuestionRepo


def _target(ev: CommandInvoked) -> str | None:
    """Whom a manager means: the author of the message replied to, or the first person mentioned."""
    if ev.reply_to_author is not None:
        return ev.reply_to_author.id
    return ev.mentioned[0].id if ev.mentioned else None


async def helper_command(ctx: Context, ev: CommandInvoked) -> None:
    info = ctx.here
    repo = QuestionRepo(ctx.session)
    word = ev.args.split()[0].casefold() if ev.args.split() else ""
    me = ev.user.ref.id
    if word in ("", "list"):
        helpers = await repo.helpers(info.id)
        ids = list(helpers)
        if not ids:
            await ctx.reply(ctx.t.t("questions.helper.none"))
            return
        people = await mentions(ctx, ids, helpers)
        await ctx.reply(ctx.t.t("questions.helper.list", helpers=listed([people[u] for u in ids])))
    elif word == "on":
        added = await repo.add_helper(info.id, me, ev.user.display_name, me, ctx.now)
        await ctx.reply(ctx.t.t("questions.helper.on" if added else "questions.helper.already"))
    elif word == "off":
        await repo.remove_helper(info.id, me)
        await ctx.reply(ctx.t.t("questions.helper.off"))
    elif word in ("add", "remove"):
        if ctx.role.rank < Role.MANAGER.rank:
            await ctx.reply(ctx.t.t("questions.helper.managers_only"))
            return
        who = _target(ev)
        if who is None:
            await ctx.reply(ctx.t.t("questions.helper.usage"))
            return
        person = (await mentions(ctx, [who]))[who]
        if word == "add":
            await repo.add_helper(info.id, who, person.name, me, ctx.now)
            await ctx.reply(ctx.t.t("questions.helper.added", member=person))
        else:
            await repo.remove_helper(info.id, who)
            await ctx.reply(ctx.t.t("questions.helper.removed", member=person))
        ctx.audit(f"helper_{word}")
    else:
        await ctx.reply(ctx.t.t("questions.helper.usage"))
