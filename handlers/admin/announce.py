"""/announce: post now, or at a set local time (the tick posts it exactly once); list and cancel."""

from __future__ import annotations

import re
from datetime import datetime

from bot.core.actions import SendMessage
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.i18n import Translator
from bot.core.richtext import Rich, join
from bot.core.ritual import Occurrence, quiet_until
from storage.models.states import AnnouncementStatus
from storage.repos.announcements import AnnouncementRepo

_WHEN = re.compile(r"^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})\s+(.+)$", re.DOTALL)
_CANCEL = re.compile(r"^cancel\s+#?(\d+)$")
MAX_TEXT = 3500


def _post(t: Translator, info: CommunityInfo, text: str) -> SendMessage:
    return SendMessage(info.chat, t.t("admin.announce.post", text=text), place=info.main_place)


async def announce(ctx: Context, ev: CommandInvoked) -> None:
    info = ctx.here
    args = ev.args.strip()
    if not args:
        await ctx.reply(ctx.t.t("admin.announce.usage"))
        return
    if args == "list":
        await _list(ctx, info)
        return
    if m := _CANCEL.match(args):
        await _cancel(ctx, info, int(m.group(1)))
        return
    if len(args) > MAX_TEXT:
        await ctx.reply(ctx.t.t("admin.announce.too_long", limit=MAX_TEXT))
        return
    m = _WHEN.match(args)
    if m is None:
        ctx.audit("announce", None, args)
        ctx.after_commit(_post(ctx.t, info, args))
        return
    try:
        local = datetime.fromisoformat(f"{m.group(1)} {m.group(2).zfill(5)}").replace(tzinfo=info.tz)
    except ValueError:
        await ctx.reply(ctx.t.t("admin.announce.bad_time", given=f"{m.group(1)} {m.group(2)}"))
        return
    if local <= ctx.now:
        await ctx.reply(ctx.t.t("admin.announce.past", when=ctx.t.datetime(local, info.tz, "short")))
        return
    text = m.group(3).strip()
    row = await AnnouncementRepo(ctx.session).add(info.id, ev.user.ref.id, text, local, ctx.now)
    ctx.audit("announce scheduled", None, f"#{row.id} {local.isoformat()} {text}")
    await ctx.reply(ctx.t.t("admin.announce.scheduled", id=row.id, when=ctx.t.datetime(local, info.tz, "short")))


async def _list(ctx: Context, info: CommunityInfo) -> None:
    rows = await AnnouncementRepo(ctx.session).pending(info.id)
    if not rows:
        await ctx.reply(ctx.t.t("admin.announce.none"))
        return
    lines: list[Rich] = [ctx.t.t("admin.announce.list_title")]
    for r in rows:
        text = r.text if len(r.text) <= 60 else r.text[:59] + "…"
        lines.append(ctx.t.t("admin.announce.list_line", id=r.id, when=ctx.t.datetime(r.due_at, info.tz, "short"), text=text))
    await ctx.reply(join(lines, blank_line=False))


async def _cancel(ctx: Context, info: CommunityInfo, announcement_id: int) -> None:
    row = await AnnouncementRepo(ctx.session).get(info.id, announcement_id)
    if row is None or row.status != AnnouncementStatus.PENDING:
        await ctx.reply(ctx.t.t("admin.announce.not_found", id=announcement_id))
        return
    row.status = AnnouncementStatus.CANCELLED
    ctx.audit("announce cancelled", f"#{row.id} {row.due_at.isoformat()} {row.text}", "cancelled")
    await ctx.reply(ctx.t.t("admin.announce.cancelled", id=row.id))


class ScheduledAnnouncements:
    """Posts announcements whose time has come; the runner's claim makes each one happen once."""

    name = "announcements"

    async def due(self, ctx: Context) -> list[Occurrence]:
        rows = await AnnouncementRepo(ctx.session).pending(ctx.here.id)  # the earliest first
        due = [Occurrence(f"announce:{r.id}", r.due_at, {"id": r.id}) for r in rows if r.due_at <= ctx.now]
        if not due:
            quiet_until(ctx, rows[0].due_at if rows else None)
        return due

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        row = await AnnouncementRepo(ctx.session).get(info.id, int(occurrence.data["id"]))
        if row is None or row.status != AnnouncementStatus.PENDING:
            return  # cancelled in the meantime
        result = await ctx.perform(_post(ctx.t, info, row.text))
        if not result.ok:
            raise RuntimeError(f"announcement #{row.id} was not posted: {result}")
        row.status = AnnouncementStatus.SENT
