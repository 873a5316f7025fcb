"""Feedback arrives: ``/feedback [anon] [urgent|!] <text>`` (in a DM or the chat), a post with the feedback
rubric's hashtag, a farewell answer. Urgent items reach the moderators' log at once, naming the managers."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.core.actions import AnswerButton, DeleteMessage
from bot.core.alerts import alert_moderators
from bot.core.commands import Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import CommandInvoked, Event, MessagePosted, Person, Role
from bot.core.i18n import Translator
from bot.core.ids import Platform, UserRef
from bot.core.richtext import Mention, Value
from bot.core.router import Flow
from bot.core.runtime import FarewellAnswer
from storage.models.listening import FeedbackItem
from storage.repos.listening import FeedbackRepo, home_of

TEXT_LIMIT = 2000
EXCERPT = 300
EPHEMERAL = timedelta(minutes=1)
ANON_WORDS = ("anon", "anonymous")
URGENT_WORDS = ("urgent", "!")


def flags(args: str) -> tuple[str, bool, bool]:
    """(text, anonymous, urgent) from ``[anon] [urgent|!] text`` in any order; a leading ``!`` counts too."""
    words = args.split()
    anonymous = urgent = False
    while words:
        w = words[0].lower()
        if w in ANON_WORDS:
            anonymous = True
        elif w in URGENT_WORDS:
            urgent = True
        elif w.startswith("!"):
            urgent = True
            words[0] = words[0][1:]
            break
        else:
            break
        words.pop(0)
    return " ".join(words).strip(), anonymous, urgent


def author_value(t: Translator, item: FeedbackItem, platform: Platform) -> Value:
    """Who wrote it, as managers see it: a mention, or "anonymous"."""
    if item.anonymous:
        return t.s("feedback.anonymous")
    return Mention(UserRef(platform, item.author_id), item.author_name or item.author_id)


def excerpt(text: str, limit: int = EXCERPT) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


async def take(
    ctx: Context, info: CommunityInfo, source: str, author: Person | tuple[str, str], text: str, *,
    anonymous: bool = False, urgent: bool = False,
) -> FeedbackItem:  # fmt: skip
    """Store one item; an urgent one goes to the moderators' log now."""
    user_id, name = (author.ref.id, author.display_name) if isinstance(author, Person) else author
    anonymous = anonymous or info.settings.feedback.anonymous_by_default
    repo = FeedbackRepo(ctx.session)
    item = await repo.add(info.id, source, user_id, name, text[:TEXT_LIMIT], ctx.now, anonymous=anonymous, urgent=urgent)
    if urgent:
        lt = ctx.rt.catalogs.translator(info.settings.language)
        body = lt.t("feedback.log.urgent", number=item.number, author=author_value(lt, item, info.chat.platform), text=excerpt(item.text))
        await alert_moderators(ctx, info, lt, body)
    return item


async def give(ctx: Context, ev: CommandInvoked, args: str) -> None:
    """A member's ``/feedback``: in a DM it goes to the community they write in; in the chat the command
    message is removed (it was meant for the managers) and the thanks deletes itself."""
    text, anonymous, urgent = flags(args)
    t = ctx.translator_for(ev.user) if ev.chat.private else ctx.t
    if not text:
        await ctx.reply(t.t("feedback.usage"))
        return
    info = ctx.community
    if info is None:
        home = await home_of(ctx.session, ev.user.ref.platform, ev.user.ref.id)
        info = ctx.rt.directory.by_id(home) if home is not None else None
        if info is None:
            await ctx.reply(t.t("feedback.no_community"))
            return
    if not info.settings.feedback.enabled:
        await ctx.reply(t.t("feedback.off"))
        return
    item = await take(ctx, info, "command", ev.user, text, anonymous=anonymous, urgent=urgent)
    if ev.chat.private:
        await ctx.reply(t.t("feedback.thanks_dm", number=item.number, community=info.name))
        return
    if ev.interaction_id is not None:  # a slash command: its own answer, seen by the member alone
        ctx.after_commit(AnswerButton(ev.interaction_id, t.s("feedback.thanks_chat", number=item.number)))
        return
    if ev.message is not None:
        ctx.after_commit(DeleteMessage(ev.message))
    await ctx.reply(t.t("feedback.thanks_chat", number=item.number), delete_after=EPHEMERAL, quote=False)


_TAG_END = re.compile(r"[\w-]")


def has_tag(text: str, tag: str) -> bool:
    """``#tag`` as a whole hashtag (``#feedbacks`` is another tag), in any case."""
    folded, want = text.casefold(), "#" + tag.casefold()
    start = folded.find(want)
    while start != -1:
        end = start + len(want)
        if end >= len(folded) or not _TAG_END.match(folded[end]):
            return True
        start = folded.find(want, end)
    return False


class RubricFeedback:
    """A post with the feedback rubric's hashtag is also an inbox item (one substring test per message)."""

    name = "feedback.rubric"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        info = ctx.here
        if ev.author.is_bot or ev.role is Role.SELF:
            return None
        s = info.settings.feedback
        if not s.enabled or not s.rubric or "#" not in ev.text or not has_tag(ev.text, s.rubric):
            return None
        await take(ctx, info, "rubric", ev.author, ev.text)
        return None


async def farewell(ctx: Context, got: FarewellAnswer) -> None:
    """The farewell answer a member gave by DM (``onboarding``): managers now read it in the inbox."""
    info = ctx.rt.directory.by_id(got.community_id)
    if info is None or not info.settings.feedback.enabled:
        return
    await take(ctx, info, "farewell", (got.user_id, got.display_name), got.text)
