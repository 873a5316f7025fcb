"""The managers' side of the inbox: ``/feedback list|plan N|done N [public reply]|decline N [reason]|csv``.

The list holds members' words, so it is shown in the moderators' log chat or by DM, never in the community
chat. The author hears back by DM (in their language) when their item is planned, done or declined.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.core.actions import Failed, FailReason, SendFile
from bot.core.context import Context
from bot.core.events import CommandInvoked, Role
from bot.core.ids import UserRef
from bot.core.richtext import Rich, join
from storage.models.listening import FeedbackItem
from storage.models.states import DmState, FeedbackStatus
from storage.repos.listening import FeedbackRepo
from storage.repos.members import PersonRepo

from .intake import author_value, excerpt

VERBS = ("list", "plan", "done", "decline", "csv")
STATUS = {"plan": FeedbackStatus.PLANNED, "done": FeedbackStatus.DONE, "decline": FeedbackStatus.DECLINED}
REPLY_LIMIT = 500
EPHEMERAL = timedelta(minutes=1)
CSV_DAYS = 92


def is_triage(ctx: Context, ev: CommandInvoked) -> bool:
    """A manager's (or, in the log chat, a moderator's) verb; a member's "/feedback list of ideas" is feedback."""
    verb = ev.args.split(maxsplit=1)[0].lower() if ev.args.strip() else ""
    return verb in VERBS and ctx.community is not None and ctx.role.rank >= Role.MODERATOR.rank


def _in_log(ctx: Context, ev: CommandInvoked) -> bool:
    where = ctx.community.log_chat if ctx.community is not None else None
    if where is None or ev.chat != where[0]:
        return False
    return where[1] is None or (ev.message is not None and ev.message.place == where[1])


async def _privately(ctx: Context, ev: CommandInvoked, text: Rich) -> None:
    """In the log chat, here; elsewhere by DM to the manager (a short note in the chat says where it went)."""
    if _in_log(ctx, ev):
        await ctx.reply(text)
    elif (await ctx.direct(ev.user, text)).ok:
        await ctx.reply(ctx.t.t("feedback.list.sent_dm"), delete_after=EPHEMERAL)
    else:
        await ctx.reply(ctx.t.t("feedback.list.open_dm"), delete_after=EPHEMERAL)


async def triage(ctx: Context, ev: CommandInvoked) -> None:
    info = ctx.here
    verb, _, rest = ev.args.strip().partition(" ")
    verb = verb.lower()
    t = ctx.t
    if verb == "list":
        items = await FeedbackRepo(ctx.session).open_items(info.id)
        lines = [_line(ctx, item) for item in items] or [t.t("feedback.list.empty")]
        await _privately(ctx, ev, join([t.t("feedback.list.title", community=info.name), *lines], blank_line=False))
        return
    if verb == "csv":
        await _csv(ctx, ev)
        return
    if ctx.role.rank < Role.MANAGER.rank:
        await ctx.reply(t.t("core.not_allowed", command="feedback " + verb))
        return
    number, _, words = rest.strip().partition(" ")
    item = await FeedbackRepo(ctx.session).by_number(info.id, int(number)) if number.isdigit() and len(number) < 10 else None
    if item is None:
        await ctx.reply(t.t("feedback.not_found", number=number or "?"))
        return
    before = item.status
    item.status = STATUS[verb]
    item.answered_at = item.answered_at or ctx.now
    item.closed_at = ctx.now if verb != "plan" else None
    item.reply = words.strip()[:REPLY_LIMIT] or item.reply
    item.handled_by = ev.user.ref.id
    ctx.audit(f"feedback.{verb}", f"#{item.number} {before}", f"#{item.number} {item.status}")
    told = await _tell_author(ctx, item)
    key = "feedback.marked" if told else "feedback.marked_untold"
    done = t.t(key, number=item.number, status=t.s(f"feedback.status.{item.status}"))
    await ctx.reply(done, delete_after=None if _in_log(ctx, ev) else EPHEMERAL)


def _line(ctx: Context, item: FeedbackItem) -> Rich:
    t = ctx.t
    return t.t(
        "feedback.list.line",
        number=item.number,
        urgent=t.s("feedback.list.urgent") if item.urgent else "",
        status=t.s(f"feedback.status.{item.status}"),
        source=t.s(f"feedback.source.{item.source}"),
        when=t.date(item.created_at, ctx.here.tz, "short"),
        author=author_value(t, item, ctx.here.chat.platform),
        text=excerpt(item.text, 200),
    )


async def _tell_author(ctx: Context, item: FeedbackItem) -> bool:
    """A short DM to the author, in their language where the community allows it; False when unreachable."""
    info = ctx.here
    user = UserRef(info.chat.platform, item.author_id)
    person = await PersonRepo(ctx.session).get(user.platform, user.id)
    if person is not None and person.dm_state == DmState.CLOSED:
        return False
    t = ctx.rt.catalogs.translator(person.language) if person and person.language and info.settings.follow_member_language else ctx.t
    key = f"feedback.author.{item.status}" + ("_reply" if item.reply else "")
    text = t.t(key, number=item.number, community=info.name, text=excerpt(item.text, 200), reply=item.reply)
    return (await ctx.direct(user, text)).ok


async def _csv(ctx: Context, ev: CommandInvoked) -> None:
    """The inbox of the last three months as CSV, by DM (or here, in the log chat); anonymous authors stay unnamed."""
    info = ctx.here
    items = await FeedbackRepo(ctx.session).all_since(info.id, ctx.now - timedelta(days=CSV_DAYS))
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["number", "created_at", "source", "author", "urgent", "status", "answered_at", "closed_at", "text", "reply"])
    for i in items:
        author = "" if i.anonymous else (i.author_name or i.author_id)
        stamps = [x.isoformat() if x else "" for x in (i.created_at, i.answered_at, i.closed_at)]
        w.writerow([i.number, stamps[0], i.source, author, int(i.urgent), i.status, stamps[1], stamps[2], i.text, i.reply])
    data = out.getvalue().encode("utf-8")
    name = f"feedback-{ctx.now.date().isoformat()}.csv"
    caption = ctx.t.t("feedback.csv.caption", community=info.name)
    to = ev.chat if _in_log(ctx, ev) else ev.user.ref
    result = await ctx.perform(SendFile(to, name, data, caption))
    if isinstance(result, Failed) and result.reason is FailReason.DM_CLOSED:
        await ctx.reply(ctx.t.t("feedback.list.open_dm"), delete_after=EPHEMERAL)
    ctx.audit("feedback.csv", None, f"{len(items)} items")
