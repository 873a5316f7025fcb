"""Marking a question solved: ``/solved`` as a reply (by the asker or staff), the asker's ✅ reaction, or
the nudge's button.

``/solved`` or ✅ on an answer credits that answer's author; on the question itself, the first replier.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core import callbacks
from bot.core.actions import AnswerButton, EditMessage, SendMessage
from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked, Event, ReactionAdded, Role
from bot.core.people import mentions
from bot.core.richtext import join
from bot.core.router import Flow
from handlers.questions.state import close
from handlers.questions.texts import question_ref
from storage.models.recognition import Question
from storage.repos.kudos import KudosRepo
from storage.repos.members import MemberRepo
from storage.repos.questions import QUESTION, QuestionRepo

PREFIX = "qs"  # button data: qs:<question id>
NEWCOMER_FOR = timedelta(days=30)  # a member this new whose answer first solves a question is celebrated


def may_mark(ctx: Context, user_id: str, q: Question) -> bool:
    return user_id == q.author_id or ctx.role.rank >= Role.MODERATOR.rank


async def mark_solved(ctx: Context, q: Question, answer_by: str | None) -> bool:
    """Solve it and say thanks under the question; False when it was solved already."""
    info = ctx.here
    if answer_by == q.author_id:
        answer_by = None  # the asker found it themselves
    if not await QuestionRepo(ctx.session).solve(q.id, ctx.now, answer_by):
        return False
    close(ctx.rt, info.id, q.message_id)
    if answer_by:
        who = (await mentions(ctx, [answer_by]))[answer_by]
        text = ctx.t.t("questions.solved.thanks", helper=who)
        if await _first_from_newcomer(ctx, answer_by):
            text = join([text, ctx.t.t("questions.solved.first", helper=who)], blank_line=False)
    else:
        text = ctx.t.t("questions.solved.done")
    ref = question_ref(info, q)
    ctx.after_commit(SendMessage(info.chat, text, place=q.place, reply_to=ref, silent=True))
    return True


async def _first_from_newcomer(ctx: Context, user_id: str) -> bool:
    """A newcomer's (joined within ``NEWCOMER_FOR``) first answer that solved a question here, and they did not
    ask not to be named: worth a word more (#21.2)."""
    info = ctx.here
    member = await MemberRepo(ctx.session).get(info.id, user_id)
    if member is None or member.joined_at is None or ctx.now - member.joined_at > NEWCOMER_FOR:
        return False
    if user_id in await KudosRepo(ctx.session).opted_out(info.id):
        return False
    return await QuestionRepo(ctx.session).solved_by_count(info.id, user_id) == 1


async def _question_of(ctx: Context, message_id: str) -> tuple[Question | None, str | None]:
    """The question a message is (or answers), and whose answer that is (the first replier for the question)."""
    repo = QuestionRepo(ctx.session)
    q = await repo.by_message(ctx.here.id, message_id)
    if q is not None and q.kind != QUESTION:
        return None, None  # an intro is welcomed, not solved
    if q is not None:
        return q, q.first_replier_id
    answer = await repo.answer_by_message(ctx.here.id, message_id)
    if answer is None:
        return None, None
    return await repo.get(ctx.here.id, answer.question_id), answer.author_id


async def solved_command(ctx: Context, ev: CommandInvoked) -> None:
    if ev.reply_to is None:
        await ctx.reply(ctx.t.t("questions.solved.usage"))
        return
    q, answer_by = await _question_of(ctx, ev.reply_to.id)
    if q is None:
        await ctx.reply(ctx.t.t("questions.solved.not_question"))
    elif not may_mark(ctx, ev.user.ref.id, q):
        await ctx.reply(ctx.t.t("questions.solved.not_yours"))
    elif not await mark_solved(ctx, q, answer_by):
        await ctx.reply(ctx.t.t("questions.solved.already"))


async def solved_pressed(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    info = ctx.community
    parsed = callbacks.parse(rest, callbacks.ID)
    q = await QuestionRepo(ctx.session).get(info.id, parsed[0]) if parsed and info is not None else None
    if q is None or not may_mark(ctx, ev.user.ref.id, q):
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("questions.solved.not_yours"), alert=True))
        return
    done = await mark_solved(ctx, q, q.first_replier_id)
    ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("questions.solved.pressed" if done else "questions.solved.already")))
    if ev.message is not None:
        ctx.after_commit(EditMessage(ev.message, ctx.t.t("questions.nudge.closed")))


class SolvedReaction:
    """The asker's ✅ (``questions.solved_reaction``) on an answer or on the question marks it solved.

    Other reactions cost one comparison; only the chosen one looks in the database.
    """

    name = "questions.solved_reaction"
    events: tuple[type[Event], ...] = (ReactionAdded,)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: ReactionAdded, /) -> Flow | None:
        if ev.user.is_bot:
            return None
        s = ctx.settings.questions
        if not s.enabled or s.solved_reaction not in ev.emoji:
            return None
        q, answer_by = await _question_of(ctx, ev.message.id)
        if q is not None and q.author_id == ev.user.ref.id:
            await mark_solved(ctx, q, answer_by)
        return None
