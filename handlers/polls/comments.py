"""Comments on a poll (#20.3): a member's reply to one of the bot's polls lands in the feedback inbox (source
"poll"), beside /feedback, the #feedback rubric, farewell answers and survey comments, so what people say next
to their vote reaches the managers. Nothing is said in the chat (a reply to a poll is talk, not a command).

The community's recent polls' message ids are kept in memory (loaded once per community and process, added to
as polls are asked here), so a reply costs a set lookup and no query. A poll asked by another process since
the load is not seen: the price of no per-message query, as for questions.
"""

from __future__ import annotations

from datetime import timedelta
from weakref import WeakKeyDictionary

from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, MessageKind, MessagePosted, Role
from bot.core.router import Flow
from bot.core.runtime import Runtime
from storage.repos.listening import FeedbackRepo
from storage.repos.polls import PollRepo

OPEN_FOR = timedelta(days=30)  # replies to older polls are talk, not comments on a vote
COMMENT_LIMIT = 2000

_POLLS: WeakKeyDictionary[Runtime, dict[int, set[str]]] = WeakKeyDictionary()


def remember(rt: Runtime, community_id: int, message_id: str) -> None:
    """A poll just asked: its replies are comments (kept only if the community's polls are loaded)."""
    known = _POLLS.get(rt, {}).get(community_id)
    if known is not None:
        known.add(message_id)


async def _poll_messages(ctx: Context) -> set[str]:
    per = _POLLS.setdefault(ctx.rt, {})
    known = per.get(ctx.here.id)
    if known is None:
        known = per[ctx.here.id] = set(await PollRepo(ctx.session).message_ids_since(ctx.here.id, ctx.now - OPEN_FOR))
    return known


class PollComments:
    name = "polls.comments"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        if ev.reply_to is None or ev.author.is_bot or ev.role is Role.SELF or ev.kind is MessageKind.COMMAND:
            return None
        s = ctx.settings
        if not s.polls.comments_to_inbox or not s.feedback.enabled or ev.reply_to.id not in await _poll_messages(ctx):
            return None
        text = ev.text.strip()
        if text:
            await FeedbackRepo(ctx.session).add(
                ctx.here.id, "poll", ev.author.ref.id, ev.author.display_name, text[:COMMENT_LIMIT], ctx.now,
                anonymous=s.feedback.anonymous_by_default,
            )  # fmt: skip
        return None
