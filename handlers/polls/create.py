"""``/poll``: a native poll where the platform can do what is asked, a message with buttons where it cannot."""

from __future__ import annotations

from datetime import datetime, tzinfo

from bot.core.actions import Button, Buttons, Done, PollSent, SendMessage, SendPoll, Unsupported
from bot.core.context import Context
from bot.core.events import CommandInvoked, Role
from bot.core.i18n import Translator
from bot.core.richtext import Rich, join
from handlers.polls import comments
from handlers.polls.parse import MAX_OPTIONS, OPTION_LIMIT, QUESTION_LIMIT, PollError, PollSpec, parse
from storage.models.polls import Poll
from storage.models.states import PollStatus
from storage.repos.polls import PollRepo

PREFIX = "poll"  # button data: poll:<poll id>:<option index>
LABEL_LIMIT = 40  # characters of an option on its button (the ballot's text names it in full)


async def poll_command(ctx: Context, ev: CommandInvoked) -> None:
    c = ctx.community
    assert c is not None
    t = ctx.t
    if ctx.role.rank < Role.MANAGER.rank and not c.settings.polls.members_may_create:
        await ctx.reply(t.t("polls.managers_only"))
        return
    if not ev.args.strip():
        await ctx.reply(t.t("polls.usage"))
        return
    try:
        spec = parse(ev.args, ctx.now, c.tz, c.settings.polls.default_duration)
    except PollError as err:
        await ctx.reply(error_text(t, err))
        return
    place = ev.message.place if ev.message is not None else c.main_place
    poll = await open_poll(ctx, spec, place, ev.user.ref.id)
    if poll is None:
        await ctx.reply(t.t("polls.not_sent"))
        return
    await ctx.reply(t.t("polls.opened", id=poll.id, when=closing_time(t, spec.closes_at, c.tz)), quote=False)


async def open_poll(ctx: Context, spec: PollSpec, place: str | None, created_by: str | None) -> Poll | None:
    """Store the poll and post it: natively, or with buttons where the platform answers ``Unsupported``.
    None (and nothing stored) when the platform refused it."""
    c = ctx.community
    assert c is not None
    poll = await PollRepo(ctx.session).add(
        Poll(
            community_id=c.id,
            platform=c.chat.platform,
            question=spec.question,
            options=list(spec.options),
            multiple=spec.multiple,
            anonymous=spec.anonymous,
            created_by=created_by,
            created_at=ctx.now,
            closes_at=spec.closes_at,
            status=PollStatus.OPEN,
        )
    )
    result = await ctx.perform(SendPoll(c.chat, spec.question, spec.options, spec.multiple, spec.anonymous, spec.closes_at, place))
    if isinstance(result, Unsupported):
        poll.native = False
        result = await ctx.perform(SendMessage(c.chat, ballot(ctx.t, poll, ctx), place=place, buttons=ballot_buttons(poll)))
    if not isinstance(result, Done) or result.message is None:
        await ctx.session.delete(poll)
        return None
    poll.message_id, poll.place = result.message.id, result.message.place
    comments.remember(ctx.rt, poll.community_id, result.message.id)
    poll.poll_ref = result.poll if isinstance(result, PollSent) else None
    ctx.audit("poll add", None, f"#{poll.id} {spec.question[:150]}")
    await ctx.session.flush()
    return poll


def closing_time(t: Translator, when: datetime, tz: tzinfo) -> str:
    """``Dec 2, 2026 10:34``: the date in the community's language, the time on the 24-hour clock as the calendar writes it."""
    return f"{t.date(when, tz, 'medium')} {t.time(when, tz)}"


def error_text(t: Translator, err: PollError) -> Rich:
    """What was wrong, quoting it, and the example that works."""
    limits = {"max": MAX_OPTIONS, "question_limit": QUESTION_LIMIT, "option_limit": OPTION_LIMIT}
    return join([t.t(f"polls.error.{err.reason}", detail=err.detail, **limits), t.t("polls.example")], blank_line=False)


def ballot(t: Translator, poll: Poll | PollSpec, ctx: Context, closed: bool = False) -> Rich:
    """The text of a button poll: the question and every option in full, numbered as the buttons are."""
    lines = [t.t("polls.ballot.title", question=poll.question)]
    lines += [t.t("polls.ballot.option", i=i, option=o) for i, o in enumerate(poll.options, start=1)]
    if closed:
        lines.append(t.t("polls.ballot.closed"))
    else:
        how = "polls.ballot.multiple" if poll.multiple else "polls.ballot.single"
        lines.append(t.t(how))
        if poll.anonymous:
            lines.append(t.t("polls.ballot.anonymous"))
        lines.append(t.t("polls.ballot.closes", when=closing_time(t, poll.closes_at, ctx.here.tz)))
    return join(lines, blank_line=False)


def ballot_buttons(poll: Poll) -> Buttons:
    """One button per option, two to a row; the label starts with the option's number."""
    buttons = [
        Button(f"{i + 1}. {o if len(o) <= LABEL_LIMIT else o[: LABEL_LIMIT - 1] + '…'}", data=f"{PREFIX}:{poll.id}:{i}")
        for i, o in enumerate(poll.options)
    ]
    return tuple(tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2))
