"""The community's open questions, in memory, so a reply costs a dictionary lookup and no query.

Loaded once per community and process (the unsolved questions of the last ``OPEN_FOR``), then kept up
to date by this process's events. A reply to a question older than that, or asked through another
process since the load, is not counted as an answer: the price of no per-message query.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from bot.core.context import Context
from bot.core.runtime import Runtime
from storage.repos.questions import QUESTION, QuestionRepo

OPEN_FOR = timedelta(days=14)
CAP = 20_000  # open questions kept per community; beyond, the oldest go


@dataclass(slots=True)
class OpenQuestion:
    id: int
    author_id: str
    asked_at: datetime
    kind: str = QUESTION


@dataclass(slots=True)
class QuestionState:
    open: dict[int, dict[str, OpenQuestion]] = field(default_factory=dict)  # community id -> message id -> question


_STATES: WeakKeyDictionary[Runtime, QuestionState] = WeakKeyDictionary()


def state(rt: Runtime) -> QuestionState:
    st = _STATES.get(rt)
    if st is None:
        st = _STATES[rt] = QuestionState()
    return st


async def open_questions(ctx: Context) -> dict[str, OpenQuestion]:
    st = state(ctx.rt)
    found = st.open.get(ctx.here.id)
    if found is None:
        rows = await QuestionRepo(ctx.session).unsolved_since(ctx.here.id, ctx.now - OPEN_FOR)
        found = {q.message_id: OpenQuestion(q.id, q.author_id, q.asked_at, q.kind) for q in rows}
        st.open[ctx.here.id] = found
    return found


def remember(rt: Runtime, community_id: int, message_id: str, question: OpenQuestion) -> None:
    """A new question: kept only if the community's questions are loaded (a later load reads it anyway)."""
    found = state(rt).open.get(community_id)
    if found is None:
        return
    found[message_id] = question
    if len(found) > CAP:
        del found[next(iter(found))]


def close(rt: Runtime, community_id: int, message_id: str) -> None:
    found = state(rt).open.get(community_id)
    if found is not None:
        found.pop(message_id, None)
