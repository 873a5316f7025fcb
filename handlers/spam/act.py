"""The one place that acts: perform the step, write the moderation record, post the log card."""

from __future__ import annotations

from datetime import timedelta

from bot.core.actions import BanMember, Button, Buttons, DeleteMessage, Done, EditMessage, RestrictMember, SendMessage
from bot.core.context import Context
from bot.core.events import MessagePosted
from bot.core.i18n import Translator
from bot.core.ids import MessageRef
from bot.core.removal import removed
from bot.core.richtext import Mention, Rich
from handlers.spam.decide import Judgement, Step
from storage.models.spam import SpamRecord
from storage.models.states import SpamStatus
from storage.repos.spam import SpamRepo

PREFIX = "sp"
KEEP_TEXT = 4000


def repo(ctx: Context) -> SpamRepo:
    return SpamRepo(ctx.session)


def reasons_text(t: Translator, reasons: str) -> str:
    """``classifier:0.93,lure:0.55`` -> "text classifier 0.93, lure phrases 0.55" in the community's language."""
    parts = []
    for item in reasons.split(","):
        if not item:
            continue
        name, _, score = item.partition(":")
        parts.append(f"{t.s('spam.reason.' + name)} {score}".strip())
    return ", ".join(parts)


def reason_names(t: Translator, reasons: str) -> str:
    """The reasons that fired, named without scores (for the member's DM)."""
    names = [t.s("spam.reason." + item.partition(":")[0]) for item in reasons.split(",") if item]
    return ", ".join(dict.fromkeys(names))


def left_in_place(rec: SpamRecord) -> bool:
    """The message is still in the chat: shadow mode, or only flagged for the moderators."""
    return rec.shadow or rec.action == "flag"


def card_buttons(t: Translator, rec: SpamRecord) -> Buttons:
    if rec.action == "flag":  # one tap either way: the filter acted on nothing
        return (
            (
                Button(t.s("spam.button.remove"), f"{PREFIX}:ok:{rec.id}"),
                Button(t.s("spam.button.keep"), f"{PREFIX}:ns:{rec.id}"),
                Button(t.s("spam.button.ban"), f"{PREFIX}:ban:{rec.id}"),
            ),
        )
    return (
        (
            Button(t.s("spam.button.not_spam"), f"{PREFIX}:ns:{rec.id}"),
            Button(t.s("spam.button.confirm"), f"{PREFIX}:ok:{rec.id}"),
            Button(t.s("spam.button.ban"), f"{PREFIX}:ban:{rec.id}"),
        ),
    )


def card_text(t: Translator, rec: SpamRecord) -> Rich:
    key = "spam.card_flag" if rec.action == "flag" else "spam.card_shadow" if rec.shadow else "spam.card"
    return t.t(
        key,
        member=rec.display_name or rec.user_id,
        action=t.s("spam.action." + rec.action),
        score=f"{rec.score:.2f}",
        reasons=reasons_text(t, rec.reasons),
        text=rec.text[:1000],
    )


async def post_card(ctx: Context, rec: SpamRecord) -> None:
    """To the community's log place, when one is set; otherwise the record alone keeps the trace."""
    send = ctx.here.to_log(card_text(ctx.t, rec), card_buttons(ctx.t, rec))
    if send is None:
        return
    result = await ctx.perform(send)
    if isinstance(result, Done) and result.message is not None:
        rec.card_id = result.message.id


async def close_card(ctx: Context, rec: SpamRecord, outcome_key: str, moderator: str) -> None:
    """The card shows what a moderator decided and loses its buttons."""
    where = ctx.community.log_chat if ctx.community is not None else None
    if where is None or not rec.card_id:
        return
    text = card_text(ctx.t, rec) + ctx.t.t(outcome_key, moderator=moderator)
    await ctx.perform(EditMessage(MessageRef(where[0], rec.card_id, where[1]), text))


async def act(ctx: Context, ev: MessagePosted, j: Judgement, step: Step) -> bool:
    """Carry out ``step`` for ``ev`` (or only log it in shadow mode). Returns whether the message was removed."""
    s = ctx.settings.spam
    author = ev.author
    rec = SpamRecord(
        community_id=ctx.here.id,
        user_id=author.ref.id,
        display_name=author.display_name,
        message_id=ev.message.id,
        place=ev.message.place,
        text=ev.text[:KEEP_TEXT],
        reasons=j.reasons(),
        score=j.score,
        action=step.value,
        shadow=s.shadow_mode,
        status=SpamStatus.OPEN,
        created_at=ev.at,
    )
    repo(ctx).add_record(rec)
    await ctx.session.flush()  # the record's id goes into the card's and the appeal's buttons
    if ev.images:
        repo(ctx).add_images(rec, ev.images, confirmed=False)  # known spam once moderators confirm the case
    if s.shadow_mode or step is Step.FLAG:
        await post_card(ctx, rec)
        return False
    chat = ctx.here.chat
    await ctx.perform(DeleteMessage(ev.message))
    dm = ctx.translator_for(author)
    why = reason_names(dm, rec.reasons)
    if step is Step.EXPLAIN:
        await ctx.direct(author, dm.t("spam.dm.explain", community=ctx.here.name, reasons=why))
    elif step is Step.MUTE:
        minutes = int(s.mute_for / timedelta(minutes=1))
        await ctx.perform(RestrictMember(chat, author.ref, until=ctx.rt.clock.now() + s.mute_for))  # from now, not from an old message
        await ctx.perform(
            SendMessage(chat, ctx.t.t("spam.warned", member=Mention(author.ref, author.display_name), n=minutes), place=ev.message.place)
        )
        await ctx.direct(author, dm.t("spam.dm.muted", community=ctx.here.name, n=minutes))
    elif step is Step.BAN:
        # The DM first: once banned, a Discord member shares no server with the bot and cannot get it (50007).
        await ctx.direct(
            author,
            dm.t("spam.dm.removed", community=ctx.here.name, reasons=why),
            buttons=((Button(dm.s("spam.button.appeal"), f"{PREFIX}:ap:{rec.id}"),),),
        )
        await ctx.perform(BanMember(chat, author.ref))
        await removed(ctx, ctx.here.id, author.ref)
    await post_card(ctx, rec)
    return True
