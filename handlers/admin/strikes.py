"""/strikes and /pardon for moderators: the spam ladder's strikes, seen and cleared (audited).

The strikes themselves are the spam feature's (``spam_strikes``, ``spam_records``):
this only reads them, and /pardon sets a member's count back to zero. A pardon
does not lift a mute or a ban already applied: that stays a platform action.
"""

from __future__ import annotations

from babel.dates import format_datetime

from bot.core import callbacks
from bot.core.actions import AnswerButton, Button
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked, Role
from bot.core.i18n import Translator
from bot.core.richtext import Rich, join
from storage.models.spam import SpamRecord
from storage.repos.strikes import StrikeQueries, Strikes

PICK = "stk"  # button prefix: which of the members sharing a name


def _when(ctx: Context, s: Strikes) -> str:
    return format_datetime(s.last_at.astimezone(ctx.here.tz), format="short", locale=ctx.t.locale)


def _record_line(ctx: Context, t: Translator, rec: SpamRecord) -> Rich:
    at = format_datetime(rec.created_at.astimezone(ctx.here.tz), format="short", locale=t.locale)
    return t.t("admin.strikes.record", at=at, action=rec.action, status=rec.status, reasons=rec.reasons or "—")


async def _target(ctx: Context, ev: CommandInvoked, op: str) -> tuple[str, str] | None:
    """Whom the command means: the author of the message it replies to, a mention, or a name that fits one member.

    A name several members share is asked back, with one button each (``stk:<op>:<user id>``); None then.
    """
    t, q, cid = ctx.t, StrikeQueries(ctx.session), ctx.here.id
    person = ev.reply_to_author or (ev.mentioned[0] if ev.mentioned else None)
    if person is not None and person.platform == ctx.here.chat.platform:
        return person.id, await q.name_of(cid, person.id)
    who = ev.args.strip()
    found = await q.find_members(cid, who)
    if not found:
        await ctx.reply(t.t("admin.strikes.unknown", who=who))
        return None
    if len(found) == 1:
        return found[0]
    buttons = tuple((Button(t.s("admin.pick.button", name=name or uid, user_id=uid), f"{PICK}:{op}:{uid}"),) for uid, name in found)
    await ctx.reply(t.t("admin.pick.which", n=len(found), who=who), buttons=buttons)
    return None


async def strikes(ctx: Context, ev: CommandInvoked) -> None:
    """``/strikes``: who has strikes now; ``/strikes @name``, ``/strikes <id>`` or as a reply: one member, with their latest decisions."""
    info = ctx.here
    t, q, decay = ctx.t, StrikeQueries(ctx.session), info.settings.spam.strike_decay
    if not ev.args.strip() and ev.reply_to_author is None and not ev.mentioned:
        rows = await q.current(info.id, ctx.now, decay)
        lines = [t.t("admin.strikes.title", community=info.name)]
        lines += [t.t("admin.strikes.line", name=s.name, user_id=s.user_id, n=s.count, at=_when(ctx, s)) for s in rows]
        await ctx.reply(join(lines, blank_line=False) if rows else t.t("admin.strikes.none"))
        ctx.audit("strikes", None, "all")
        return
    member = await _target(ctx, ev, "s")
    if member is not None:
        await _show(ctx, *member)


async def _show(ctx: Context, user_id: str, name: str) -> None:
    info = ctx.here
    t, q = ctx.t, StrikeQueries(ctx.session)
    current = await q.of(info.id, user_id, ctx.now, info.settings.spam.strike_decay)
    lines = [
        t.t("admin.strikes.member", name=name or user_id, user_id=user_id, n=current.count, at=_when(ctx, current))
        if current and current.count
        else t.t("admin.strikes.member_none", name=name or user_id, user_id=user_id)
    ]
    lines += [_record_line(ctx, t, rec) for rec in await q.records(info.id, user_id)]
    await ctx.reply(join(lines, blank_line=False))
    ctx.audit("strikes", None, user_id)


async def pardon(ctx: Context, ev: CommandInvoked) -> None:
    """``/pardon <user id or name>``, or as a reply: the member's strikes start again from zero."""
    if not ev.args.strip() and ev.reply_to_author is None and not ev.mentioned:
        await ctx.reply(ctx.t.t("admin.pardon.usage"))
        return
    member = await _target(ctx, ev, "p")
    if member is not None:
        await _pardon(ctx, *member)


async def _pardon(ctx: Context, user_id: str, name: str) -> None:
    info = ctx.here
    t, q = ctx.t, StrikeQueries(ctx.session)
    current = await q.of(info.id, user_id, ctx.now, info.settings.spam.strike_decay)
    if current is None or current.count == 0:
        await ctx.reply(t.t("admin.pardon.nothing", name=name or user_id))
        return
    await q.clear(info.id, user_id)
    ctx.audit("pardon", f"{user_id} strikes={current.count}", f"{user_id} strikes=0")
    await ctx.reply(t.t("admin.pardon.done", name=name or user_id, n=current.count))


async def picked(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """A moderator chose one of the members who share a name: ``stk:<s|p>:<user id>``."""
    parsed = callbacks.parse(rest, callbacks.one_of("s", "p"), callbacks.USER)
    if ctx.community is None or parsed is None:
        ctx.after_commit(AnswerButton(ev.callback_id))
        return
    if ctx.role.rank < Role.MODERATOR.rank:
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("admin.pick.not_allowed"), alert=True))
        return
    op, user_id = parsed
    name = await StrikeQueries(ctx.session).name_of(ctx.community.id, user_id)
    if not name:  # not a member of this community (a forged id, or forgotten since)
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("admin.strikes.unknown", who=user_id), alert=True))
        return
    await (_show(ctx, user_id, name) if op == "s" else _pardon(ctx, user_id, name))
    ctx.after_commit(AnswerButton(ev.callback_id))
