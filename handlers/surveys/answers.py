"""Answers to the survey DMs: a score (low ones reach the moderators at once), "why?", skip, and opting out."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core import callbacks
from bot.core.actions import AnswerButton, Button, Buttons, EditMessage
from bot.core.alerts import alert_moderators
from bot.core.commands import Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked, Event, MessagePosted, Person
from bot.core.i18n import Translator
from bot.core.richtext import Mention, Rich, join
from bot.core.router import Flow
from storage.models.listening import SurveyAnswer
from storage.repos.listening import FeedbackRepo, SurveyRepo
from storage.repos.members import PersonRepo

from .asking import PREFIX, SKIP, START_CHOICES, STOP, highest, kinds_taking

COMMENT_LIMIT = 2000
EPHEMERAL = timedelta(minutes=1)


async def _mine(ctx: Context, ev: ButtonPressed, answer_id: int) -> SurveyAnswer | None:
    """The answer row, if it is the presser's own on this platform."""
    row = await SurveyRepo(ctx.session).get(answer_id)
    info = ctx.rt.directory.by_id(row.community_id) if row is not None else None
    if row is None or info is None or row.user_id != ev.user.ref.id or info.chat.platform != ev.user.ref.platform:
        return None
    return row


def _score_text(t: Translator, kind: str, score: int) -> str:
    return str(score) if kind == "nps" else t.s(START_CHOICES[score])


def _low(info: CommunityInfo, kind: str, score: int) -> bool:
    return score <= info.settings.surveys.low_score if kind == "nps" else score == 0


async def on_button(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``svy:<answer id>:<score|skip|stop>``."""
    parsed = callbacks.parse(rest, callbacks.ID, callbacks.text(8))
    t = ctx.translator_for(ev.user)
    score = callbacks.number(highest("nps"))(parsed[1]) if parsed is not None else None
    if parsed is not None and score is not None and await _scored(ctx, ev, parsed[0], score, t):
        return
    row = await _mine(ctx, ev, parsed[0]) if parsed is not None else None
    if parsed is None or row is None:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("surveys.not_yours"), alert=True))
        return
    choice = parsed[1]
    if choice == STOP:
        await opt_out(ctx, ev.user)
        await _close(ctx, ev, t.t("surveys.stopped"))
    elif choice == SKIP:
        row.comment_until = ctx.now
        await _close(ctx, ev, t.t("surveys.skipped"))
    elif row.score is not None:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("surveys.answered_already")))
    else:  # a score this kind of question does not have
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("surveys.not_yours"), alert=True))


async def _scored(ctx: Context, ev: ButtonPressed, answer_id: int, score: int, t: Translator) -> bool:
    """Record a score on the presser's own unanswered question and say thanks; False when it is not that."""
    recorded = await SurveyRepo(ctx.session).score(answer_id, ev.user.ref.id, score, kinds_taking(score), ctx.now)
    info = ctx.rt.directory.by_id(recorded[0]) if recorded is not None else None
    if recorded is None or info is None or info.chat.platform != ev.user.ref.platform:
        if recorded is not None:  # the same user id on another platform: not this presser's
            await ctx.session.rollback()
        return False
    kind, s = recorded[1], info.settings.surveys
    thanks = t.t("surveys.thanks", score=_score_text(t, kind, score))
    if s.ask_why:
        # "why?" goes into the question's own message (one edit, no second DM): the member is looking at it,
        # and a survey to thousands costs one platform call less per answer. The window opens by itself.
        skip = ((Button(t.s("surveys.button.skip"), f"{PREFIX}:{answer_id}:{SKIP}"),),)
        await _close(ctx, ev, join([thanks, t.t("surveys.why")]), buttons=skip)
    else:
        await _close(ctx, ev, thanks)
    if _low(info, kind, score):
        lt = ctx.rt.catalogs.translator(info.settings.language)
        member = Mention(ev.user.ref, ev.user.display_name)
        key = "surveys.log.low_nps" if kind == "nps" else "surveys.log.hard_start"
        await alert_moderators(ctx, info, lt, lt.t(key, member=member, score=_score_text(lt, kind, score), community=info.name))
    return True


async def _close(ctx: Context, ev: ButtonPressed, text: Rich, buttons: Buttons = ()) -> None:
    """The question's message says what happened and loses its buttons (or keeps only ``buttons``)."""
    if ev.message is not None:
        ctx.after_commit(EditMessage(ev.message, text, buttons))
    ctx.after_commit(AnswerButton(ev.callback_id))


async def opt_out(ctx: Context, person: Person, out: bool = True) -> None:
    """No more unasked DMs from the bot (surveys, campaign steps, welcome DMs all read ``people.dm_opt_out``)."""
    await PersonRepo(ctx.session).touch(person.ref.platform, person.ref.id, ctx.now, dm_opt_out=out)


async def optout_command(ctx: Context, ev: CommandInvoked) -> None:
    await opt_out(ctx, ev.user)
    await _confirm(ctx, ev, "surveys.optout.done")


async def optin_command(ctx: Context, ev: CommandInvoked) -> None:
    await opt_out(ctx, ev.user, out=False)
    await _confirm(ctx, ev, "surveys.optin.done")


async def _confirm(ctx: Context, ev: CommandInvoked, key: str) -> None:
    if ev.chat.private:  # a DM has no community to reply in: answer the person directly
        await ctx.direct(ev.user, ctx.translator_for(ev.user).t(key))
    else:
        await ctx.reply(ctx.t.t(key), delete_after=EPHEMERAL)


def _open(info: CommunityInfo, row: SurveyAnswer, now: datetime) -> bool:
    """Whether the member's next DM still answers this row's "why?"."""
    s = info.settings.surveys
    if row.comment_until is not None:
        return row.comment_until > now
    return s.ask_why and row.answered_at is not None and row.answered_at + s.comment_window > now


class SurveyComment:
    """A member's next DM after "why?" is their comment: it lands in the feedback inbox."""

    name = "surveys.comment"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.PRIVATE

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        if ev.author.is_bot:
            return None
        text = ev.text.strip()
        if not text or text.startswith("/"):
            return None
        row = await SurveyRepo(ctx.session).awaiting_comment(ev.author.ref.platform, ev.author.ref.id, ctx.now)
        info = ctx.rt.directory.by_id(row.community_id) if row is not None else None
        if row is None or info is None or not _open(info, row, ctx.now):
            return None
        repo = FeedbackRepo(ctx.session)
        item = await repo.add(
            info.id, "survey", ev.author.ref.id, ev.author.display_name, text[:COMMENT_LIMIT], ctx.now,
            anonymous=info.settings.feedback.anonymous_by_default,
        )  # fmt: skip
        await ctx.session.flush()
        await repo.link_comment(row.id, item.id)
        await ctx.direct(ev.author, ctx.translator_for(ev.author).t("surveys.comment.thanks"))
        return Flow.STOP
