"""/strikes and /pardon for moderators: the spam ladder's strikes, seen and cleared (audited).

The strikes themselves are the spam feature's (``spam_strikes``, ``spam_records``):
this only reads them, and /pardon sets a member's count back to zero. A pardon
does not lift a mute or a ban already applied: that stays a platform action.
"""

from __future__ import annotations

from babel.dates import format_datetime

from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.i18n import Translator
from bot.core.richtext import Rich, join
from storage.models.spam import SpamRecord
from storage.repos.strikes import StrikeQueries, Strikes


def _when(ctx: Context, s: Strikes) -> str:
    assert ctx.community is not None
    return format_datetime(s.last_at.astimezone(ctx.community.tz), format="short", locale=ctx.t.locale)


def _record_line(ctx: Context, t: Translator, rec: SpamRecord) -> Rich:
    assert ctx.community is not None
    at = format_datetime(rec.created_at.astimezone(ctx.community.tz), format="short", locale=t.locale)
    return t.t("admin.strikes.record", at=at, action=rec.action, status=rec.status, reasons=rec.reasons or "—")


async def strikes(ctx: Context, ev: CommandInvoked) -> None:
    """``/strikes``: who has strikes now; ``/strikes @name`` or ``/strikes <id>``: one member, with their latest decisions."""
    info = ctx.community
    assert info is not None
    t, q, decay = ctx.t, StrikeQueries(ctx.session), info.settings.spam.strike_decay
    who = ev.args.strip()
    if not who:
        rows = await q.current(info.id, ctx.now, decay)
        lines = [t.t("admin.strikes.title", community=info.name)]
        lines += [t.t("admin.strikes.line", name=s.name, user_id=s.user_id, n=s.count, at=_when(ctx, s)) for s in rows]
        await ctx.reply(join(lines, blank_line=False) if rows else t.t("admin.strikes.none"))
        ctx.audit("strikes", None, "all")
        return
    member = await q.find_member(info.id, who)
    if member is None:
        await ctx.reply(t.t("admin.strikes.unknown", who=who))
        return
    user_id, name = member
    current = await q.of(info.id, user_id, ctx.now, decay)
    lines = [
        t.t("admin.strikes.member", name=name or user_id, user_id=user_id, n=current.count, at=_when(ctx, current))
        if current and current.count
        else t.t("admin.strikes.member_none", name=name or user_id, user_id=user_id)
    ]
    lines += [_record_line(ctx, t, rec) for rec in await q.records(info.id, user_id)]
    await ctx.reply(join(lines, blank_line=False))
    ctx.audit("strikes", None, user_id)


async def pardon(ctx: Context, ev: CommandInvoked) -> None:
    """``/pardon <user id>``: the member's strikes start again from zero."""
    info = ctx.community
    assert info is not None
    t, q = ctx.t, StrikeQueries(ctx.session)
    who = ev.args.strip()
    if not who:
        await ctx.reply(t.t("admin.pardon.usage"))
        return
    member = await q.find_member(info.id, who)
    if member is None:
        await ctx.reply(t.t("admin.strikes.unknown", who=who))
        return
    user_id, name = member
    current = await q.of(info.id, user_id, ctx.now, info.settings.spam.strike_decay)
    if current is None or current.count == 0:
        await ctx.reply(t.t("admin.pardon.nothing", name=name or user_id))
        return
    await q.clear(info.id, user_id)
    ctx.audit("pardon", f"{user_id} strikes={current.count}", f"{user_id} strikes=0")
    await ctx.reply(t.t("admin.pardon.done", name=name or user_id, n=current.count))
