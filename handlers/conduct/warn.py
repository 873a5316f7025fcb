"""``/warn <reason>`` as a reply: a moderator's strike for conduct, on the spam filter's own ladder.

Step one educates (a kind public reply quoting the rule), step two warns (the next one means removal),
step three applies the ladder's action. The warned message stays: moderators delete what they want gone.
Every warning is a line in the moderators' log.
"""

from __future__ import annotations

from babel.dates import format_timedelta

from bot.core import roles
from bot.core.actions import BanMember, Failed, RestrictMember
from bot.core.context import Context
from bot.core.events import CommandInvoked, Person, Role
from bot.core.ladder import Rung, rung
from bot.core.removal import removed
from bot.core.richtext import Mention, Rich, join
from handlers.conduct.rules import find
from storage.repos.spam import SpamRepo
from storage.repos.strikes import StrikeQueries


async def warn(ctx: Context, ev: CommandInvoked) -> None:
    info, t = ctx.here, ctx.t
    if ev.reply_to is None:
        await ctx.reply(t.t("conduct.warn.usage"))
        return
    target = ev.reply_to_author
    if target is None:  # the message is the bot's own
        await ctx.reply(t.t("conduct.warn.not_bot"))
        return
    if target.id == ev.user.ref.id or roles.named(info, Person(target, "")) is not Role.MEMBER:
        await ctx.reply(t.t("conduct.warn.not_staff"))
        return
    reason = ev.args.strip()
    if not reason:
        await ctx.reply(t.t("conduct.warn.usage"))
        return
    name = await StrikeQueries(ctx.session).name_of(info.id, target.id) or target.id
    s = info.settings.spam
    count = await SpamRepo(ctx.session).strike(info.id, target.id, ctx.now, s.strike_decay)
    step = rung(count)
    member = Mention(target, name)
    found = find(info.settings.pinned.rules, reason)
    why: Rich = t.t("conduct.rule", number=found[0], rule=found[1]) if found else t.t("conduct.reason", reason=reason)
    if step is Rung.EXPLAIN:
        await ctx.reply(join([t.t("conduct.educate", member=member), why], blank_line=False))
    elif step is Rung.MUTE:
        duration = format_timedelta(s.mute_for, locale=t.locale)
        await ctx.reply(join([t.t("conduct.warned", member=member, duration=duration), why], blank_line=False))
        if isinstance(await ctx.perform(RestrictMember(info.chat, target, until=ctx.rt.clock.now() + s.mute_for)), Failed):
            await ctx.reply(t.t("conduct.refused"))
    else:
        await ctx.reply(join([t.t("conduct.removed", member=member), why], blank_line=False))
        if isinstance(await ctx.perform(BanMember(info.chat, target)), Failed):
            await ctx.reply(t.t("conduct.refused"))  # the strike stays; the member is still here
        else:
            await removed(ctx, info.id, target)
    what = t.s("conduct.step." + step.value)
    line = t.t("conduct.log", moderator=ev.user.display_name, member=name, user_id=target.id, strikes=count, step=what)
    log = info.to_log(join([line, why], blank_line=False))
    if log is not None:
        await ctx.perform(log)
    ctx.audit("warn", None, f"{target.id} strikes={count} {step.value}")
