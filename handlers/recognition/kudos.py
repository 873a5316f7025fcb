"""Kudos: a short thank-you reply, or the chosen reaction, credits the person thanked (#21.2).

Not oneself, not bots (only members the bot knows as people), one per pair and day (the table's unique key).
A message that replies to nothing costs one attribute test; a reply, one short tokenising.
On Telegram a reaction does not say whose message it was: the questions index is asked (a question or an
answer it recorded), otherwise the reaction is not counted.
"""

from __future__ import annotations

from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, MessageKind, MessagePosted, ReactionAdded, Role
from bot.core.router import Flow
from handlers.recognition.lexicon import is_thanks
from storage.repos.kudos import KudosRepo
from storage.repos.questions import QuestionRepo


async def credit(ctx: Context, giver: str, receiver: str, message_id: str) -> bool:
    """Record the thank-you if it may count; False when it does not (self, a bot, or already today)."""
    if giver == receiver:
        return False
    info = ctx.here
    repo = KudosRepo(ctx.session)
    if not await repo.is_person(info.id, receiver):
        return False
    return await repo.give(info.id, giver, receiver, message_id, ctx.now.astimezone(info.tz).date(), ctx.now)


class ThanksReply:
    name = "recognition.thanks_reply"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        receiver = ev.reply_to_author
        if receiver is None or ev.reply_to is None:
            return None
        if ev.author.is_bot or ev.role is Role.SELF or ev.kind is MessageKind.COMMAND or not is_thanks(ev.text):
            return None
        if ctx.settings.kudos.enabled:
            await credit(ctx, ev.author.ref.id, receiver.id, ev.reply_to.id)
        return None


async def author_of(ctx: Context, message_id: str) -> str | None:
    """Whose message this is, where the questions index knows (a question or an answer)."""
    repo = QuestionRepo(ctx.session)
    answer = await repo.answer_by_message(ctx.here.id, message_id)
    if answer is not None:
        return answer.author_id
    q = await repo.by_message(ctx.here.id, message_id)
    return q.author_id if q is not None else None


class ThanksReaction:
    """The configured reaction (``kudos.reaction``); other reactions cost one comparison."""

    name = "recognition.thanks_reaction"
    events: tuple[type[Event], ...] = (ReactionAdded,)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: ReactionAdded, /) -> Flow | None:
        s = ctx.settings.kudos
        if not s.enabled or not s.reaction or s.reaction not in ev.emoji or ev.user.is_bot:
            return None
        receiver = ev.message_author.id if ev.message_author is not None else await author_of(ctx, ev.message.id)
        if receiver is not None:
            await credit(ctx, ev.user.ref.id, receiver, ev.message.id)
        return None
