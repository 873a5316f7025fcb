"""The follow-ups of a question, each at most once: offered to the helpers after ``offer_after`` without a
reply, a line in the moderators' log after ``log_after``, and the asker asked to mark it solved
``nudge_after`` the first reply.

The database says what is due (the question's ``*_at`` columns, and the ritual runner's claim of each
occurrence), so a restart neither repeats nor loses one; a follow-up later than the rituals' grace
(the bot was down) is left out rather than given late.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.core.actions import Button, SendMessage
from bot.core.context import Context
from bot.core.people import listed, mentions
from bot.core.ritual import Occurrence, quiet_until
from bot.core.settings.recognition import QuestionSettings
from handlers.questions.solving import PREFIX
from handlers.questions.texts import question_link, question_ref
from storage.models.recognition import Question
from storage.repos.questions import INTRO, QuestionRepo

STEPS = {"offer": "offered_at", "log": "logged_at", "nudge": "nudged_at"}


def steps(q: Question, s: QuestionSettings) -> list[tuple[str, datetime]]:
    """The follow-ups this question still has coming, with when each is due. An intro has one: offered to the
    helpers to welcome, if nobody said hello within ``welcome_intros``."""
    if q.kind == INTRO:
        return [("offer", q.asked_at + s.welcome_intros)] if q.first_reply_at is None and q.offered_at is None and s.welcome_intros else []
    out = []
    if q.first_reply_at is None:
        if q.offered_at is None:
            out.append(("offer", q.asked_at + s.offer_after))
        if q.logged_at is None:
            out.append(("log", q.asked_at + s.log_after))
    elif q.nudged_at is None:
        out.append(("nudge", q.first_reply_at + s.nudge_after))
    return out


def hours(span: timedelta) -> int:
    return max(1, round(span / timedelta(hours=1)))


class QuestionFollowUps:
    name = "question_follow_ups"

    async def due(self, ctx: Context) -> list[Occurrence]:
        info = ctx.here
        s = info.settings.questions
        if not s.enabled:
            return []
        grace = info.settings.rituals.grace
        look_back = max(s.log_after, s.nudge_after, s.welcome_intros) + timedelta(days=7) + grace
        due: list[Occurrence] = []
        later: datetime | None = None
        for q in await QuestionRepo(ctx.session).unsolved_since(info.id, ctx.now - look_back):
            for step, at in steps(q, s):
                if at > ctx.now:
                    later = at if later is None else min(later, at)
                elif ctx.now - at <= grace:
                    due.append(Occurrence(f"question:{q.id}:{step}", at, {"id": q.id, "step": step}))
        if not due:
            quiet_until(ctx, later)
        return due

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        repo = QuestionRepo(ctx.session)
        q = await repo.get(info.id, int(occurrence.data["id"]))
        step = str(occurrence.data["step"])
        if q is None or q.solved_at is not None or step not in {name for name, _ in steps(q, info.settings.questions)}:
            return  # answered, solved or forgotten meanwhile
        await repo.followed_up(q.id, STEPS[step], ctx.now)
        if step == "offer":
            await self._offer(ctx, q)
        elif step == "log":
            await self._log(ctx, q)
        else:
            await self._nudge(ctx, q)

    async def _offer(self, ctx: Context, q: Question) -> None:
        """A gentle word under the question, mentioning a few helpers (never the asker)."""
        info = ctx.here
        s = info.settings.questions
        helpers = await QuestionRepo(ctx.session).helpers(info.id)
        ids = [u for u in helpers if u != q.author_id][: s.offer_helpers]
        if not ids:
            return
        people = await mentions(ctx, [q.author_id, *ids], helpers)
        key = "questions.offer_intro" if q.kind == INTRO else "questions.offer"
        text = ctx.t.t(key, asker=people[q.author_id], helpers=listed([people[u] for u in ids]), n=hours(ctx.now - q.asked_at))
        ctx.after_commit(SendMessage(info.chat, text, place=q.place, reply_to=question_ref(info, q)))

    async def _log(self, ctx: Context, q: Question) -> None:
        info = ctx.here
        asker = (await mentions(ctx, [q.author_id]))[q.author_id]
        text = ctx.t.t("questions.log", asker=asker, n=hours(ctx.now - q.asked_at), link=question_link(ctx.t, info, q))
        action = info.to_log(text)
        if action is not None:
            ctx.after_commit(action)

    async def _nudge(self, ctx: Context, q: Question) -> None:
        info = ctx.here
        asker = (await mentions(ctx, [q.author_id]))[q.author_id]
        button = Button(ctx.t.s("questions.nudge.button"), data=f"{PREFIX}:{q.id}")
        text = ctx.t.t("questions.nudge", asker=asker)
        ctx.after_commit(SendMessage(info.chat, text, place=q.place, reply_to=question_ref(info, q), buttons=((button,),), silent=True))
