"""Answers to the survey DMs: a score (low ones reach the moderators at once), "why?", skip, and opting out."""

from __future__ import annotations

from datetime import timedelta

from bot.core import callbacks
from bot.core.actions import AnswerButton, Button, EditMessage
from bot.core.alerts import alert_moderators
from bot.core.commands import Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked, Event, MessagePosted, Person
from bot.core.i18n import Translator
from bot.core.richtext import Mention, Rich
from bot.core.router import Flow
from storage.models.listening import SurveyAnswer
from storage.models.states import SurveyState
from storage.repos.listening import FeedbackRepo, SurveyRepo
from storage.repos.members import PersonRepo

from .asking import PREFIX, SKIP, START_CHOICES, STOP, highest

COMMENT_LIMIT = 2000
EPHEMERAL = timedelta(minutes=1)


async def _mine(ctx: Context, ev: ButtonPressed, answer_id: int) -> tuple[SurveyAnswer, CommunityInfo] | None:
    """The answer row, if it is the presser's own on this platform."""
    row = await SurveyRepo(ctx.session).get(answer_id)
    info = ctx.rt.directory.by_id(row.community_id) if row is not None else None
    if row is None or info is None or row.user_id != ev.user.ref.id or info.chat.platform != ev.user.ref.platform:
        return None
    return row, info


def _score_text(t: Translator, row: SurveyAnswer) -> str:
    return str(row.score) if row.kind == "nps" else t.s(START_CHOICES[row.score or 0])


def _low(info: CommunityInfo, row: SurveyAnswer) -> bool:
    return row.score is not None and (row.score <= info.settings.surveys.low_score if row.kind == "nps" else row.score == 0)


async def on_button(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``svy:<answer id>:<score|skip|stop>``."""
    parsed = callbacks.parse(rest, callbacks.ID, callbacks.text(8))
    found = await _mine(ctx, ev, parsed[0]) if parsed is not None else None
    t = ctx.translator_for(ev.user)
    if parsed is None or found is None:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("surveys.not_yours"), alert=True))
        return
    row, info = found
    choice = parsed[1]
    if choice == STOP:
        await opt_out(ctx, ev.user)
        await _close(ctx, ev, t.t("surveys.stopped"))
    elif choice == SKIP:
        row.comment_until = None
        await _close(ctx, ev, t.t("surveys.skipped"))
    elif row.score is not None:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("surveys.answered_already")))
    else:
        score = callbacks.number(highest(row.kind))(choice)
        if score is None:
            ctx.after_commit(AnswerButton(ev.callback_id, t.s("surveys.not_yours"), alert=True))
            return
        await _scored(ctx, ev, row, info, score, t)


async def _scored(ctx: Context, ev: ButtonPressed, row: SurveyAnswer, info: CommunityInfo, score: int, t: Translator) -> None:
    s = info.settings.surveys
    row.score, row.state, row.answered_at = score, SurveyState.ANSWERED, ctx.now
    if s.ask_why:
        row.comment_until = ctx.now + s.comment_window
    await _close(ctx, ev, t.t("surveys.thanks", score=_score_text(t, row)))
    if _low(info, row):
        lt = ctx.rt.catalogs.translator(info.settings.language)
        member = Mention(ev.user.ref, ev.user.display_name)
        key = "surveys.log.low_nps" if row.kind == "nps" else "surveys.log.hard_start"
        await alert_moderators(ctx, info, lt, lt.t(key, member=member, score=_score_text(lt, row), community=info.name))
    if s.ask_why:
        await ctx.direct(ev.user, t.t("surveys.why"), buttons=((Button(t.s("surveys.button.skip"), f"{PREFIX}:{row.id}:{SKIP}"),),))


async def _close(ctx: Context, ev: ButtonPressed, text: Rich) -> None:
    """The question's message says what happened and loses its buttons."""
    if ev.message is not None:
        ctx.after_commit(EditMessage(ev.message, text))
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
        if row is None or info is None:
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
