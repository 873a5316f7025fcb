"""#question posts become questions; replies by others become their answers (the first one timed).

The rubrics feature indexes the post and signals ``RUBRIC_POSTED`` with its tags: no second
hashtag parse here. A message that replies to nothing costs one attribute test.
"""

from __future__ import annotations

from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import Event, MessageKind, MessagePosted, Role
from bot.core.router import Flow
from handlers.questions.state import OPEN_FOR, OpenQuestion, close, open_questions, remember
from storage.repos.questions import INTRO, QUESTION, QuestionRepo


async def rubric_posted(ctx: Context, tags: tuple[str, ...]) -> None:
    """A post indexed under rubrics: a question when one of them is the community's question rubric."""
    ev = ctx.event
    info = ctx.community
    if info is None or not isinstance(ev, MessagePosted) or not info.settings.questions.enabled:
        return
    if info.settings.rubrics.question_tag in tags:
        kind = QUESTION
    elif info.settings.rubrics.intro_tag in tags and info.settings.questions.welcome_intros:
        kind = INTRO  # a newcomer's introduction: followed until someone says hello
    else:
        return
    qid = await QuestionRepo(ctx.session).ask(info.id, ev.message.id, ev.message.place, ev.author.ref.id, ev.at, kind)
    remember(ctx.rt, info.id, ev.message.id, OpenQuestion(qid, ev.author.ref.id, ev.at, kind))


class AnswerTracker:
    name = "questions"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.GROUP

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        if ev.reply_to is None:
            return None
        if ev.author.is_bot or ev.role is Role.SELF or ev.kind is MessageKind.COMMAND or not ctx.settings.questions.enabled:
            return None
        question = (await open_questions(ctx)).get(ev.reply_to.id)
        if question is None or question.author_id == ev.author.ref.id:
            return None
        if ev.at - question.asked_at > OPEN_FOR:
            close(ctx.rt, ctx.here.id, ev.reply_to.id)
            return None
        counted = question.kind == QUESTION  # a hello under an intro is its first reply, not an answer
        await QuestionRepo(ctx.session).answer(ctx.here.id, question.id, ev.message.id, ev.author.ref.id, ev.at, counted=counted)
        if not counted:
            close(ctx.rt, ctx.here.id, ev.reply_to.id)  # welcomed: nothing more to follow
        return None
