"""Hints for near-miss tags, nudges where a rubric is required, and no database work for ordinary messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event

from bot.harness import LocalBot
from tests.rubrics.conftest import make_settings


def hints(bot: LocalBot) -> list[str]:
    return [m.text for m in bot.sim.bot_messages("town", include_deleted=True) if "Did you mean" in m.text]


async def test_did_you_mean_once_per_member_tag_and_day_and_it_deletes_itself(rbot: LocalBot) -> None:
    await rbot.sim.post("town", "ann", "#questoin anyone with a drill?")
    assert hints(rbot) == ["Did you mean #question? We don't use #questoin here; with #question your post can be found with /find."]
    await rbot.sim.post("town", "ann", "#Questoin again?")
    await rbot.sim.post("town", "ann", "#random is not close to anything")
    assert len(hints(rbot)) == 1
    await rbot.sim.post("town", "bob", "#questoin me too")  # another member gets their own hint
    assert len(hints(rbot)) == 2
    rbot.clock.advance(timedelta(minutes=3))
    await rbot.tick()
    assert [m for m in rbot.sim.bot_messages("town") if "Did you mean" in m.text] == []  # deleted after hint_lifetime
    rbot.clock.advance(timedelta(days=1))
    await rbot.sim.post("town", "ann", "#questoin next day")
    assert len(hints(rbot)) == 3


async def test_staff_and_correct_tags_get_no_hint(rbot: LocalBot) -> None:
    await rbot.sim.post("town", "mia", "#questoin from a manager")
    await rbot.sim.post("town", "ann", "#question #vopros fine")
    assert hints(rbot) == []


async def test_untagged_post_in_a_required_place_gets_one_polite_nudge(rbot: LocalBot) -> None:
    first = await rbot.sim.post("town", "ann", "Hi, I'm Ann", place="intros")
    nudges = [m for m in rbot.sim.bot_messages("town") if "need a hashtag" in m.text]
    assert len(nudges) == 1 and "#intro" in nudges[0].text and nudges[0].place == "intros"
    assert not first.deleted
    await rbot.sim.post("town", "ann", "forgot again", place="intros")
    await rbot.sim.post("town", "ann", "#intro now with the tag", place="intros")
    await rbot.sim.post("town", "ann", "no tag needed here")
    assert len([m for m in rbot.sim.bot_messages("town", include_deleted=True) if "need a hashtag" in m.text]) == 1


@pytest.mark.parametrize("rubric_settings", [make_settings(delete_untagged=True)])
async def test_deletion_only_when_managers_configure_it(rbot: LocalBot, rubric_settings: dict[str, Any]) -> None:
    post = await rbot.sim.post("town", "ann", "Hi, I'm Ann", place="intros")
    assert post.deleted
    assert any("took yours down" in m.text for m in rbot.sim.bot_messages("town"))
    tagged = await rbot.sim.post("town", "ann", "#introduction Hi, I'm Ann", place="intros")
    assert not tagged.deleted


@contextmanager
def counting_queries(bot: LocalBot) -> Iterator[list[str]]:
    seen: list[str] = []

    def listen(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(statement)

    engine = bot.app.db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


async def test_ordinary_messages_cost_no_query(rbot: LocalBot) -> None:
    q = await rbot.sim.post("town", "ann", "#question warm up the caches")
    await rbot.sim.post("town", "bob", "a reply, warming the recent-posts cache", reply_to=q.id)
    await rbot.sim.post("town", "ann", "hello, warm")
    with counting_queries(rbot) as seen:
        for i in range(20):
            rbot.clock.advance(timedelta(seconds=30))  # a conversation, not a flood (the spam filter would step in)
            await rbot.sim.post("town", "bob", f"just chatting {i}")
        await rbot.sim.post("town", "ann", "untagged in a required place, nudged already?", place="elsewhere")
    assert seen == []
    with counting_queries(rbot) as seen:
        await rbot.sim.post("town", "bob", "#event this one is indexed")
    assert any("rubric_posts" in q for q in seen)  # the probe does see the feature's queries


async def test_replies_to_rubric_posts_are_counted(rbot: LocalBot) -> None:
    from sqlalchemy import select

    from storage.models.rubrics import RubricPost

    q = await rbot.sim.post("town", "ann", "#question who can help?")
    other = await rbot.sim.post("town", "ann", "plain message")
    await rbot.sim.post("town", "bob", "me!", reply_to=q.id)
    await rbot.sim.post("town", "mia", "me too", reply_to=q.id)
    await rbot.sim.post("town", "mia", "reply to something else", reply_to=other.id)
    async with rbot.app.db.sessions() as s:
        row = await s.scalar(select(RubricPost))
    assert row is not None and row.replies == 2


@pytest.mark.parametrize(
    "rubric_settings",
    [{"rubrics": {"rubrics": [{"tag": "intro", "allowed_in": ["intros"]}, {"tag": "question"}]}}],
)
async def test_a_rubric_outside_its_place_is_indexed_with_a_gentle_word(rbot: LocalBot, rubric_settings: dict[str, Any]) -> None:
    from sqlalchemy import func, select

    from storage.models.rubrics import RubricPost

    await rbot.sim.post("town", "ann", "#intro Hi, I'm Ann", place="intros")
    await rbot.sim.post("town", "bob", "#intro Hi, I'm Bob")  # the main chat
    await rbot.sim.post("town", "bob", "#intro and again")
    words = [m for m in rbot.sim.bot_messages("town") if "in its own topic" in m.text]
    assert len(words) == 1 and words[0].reply_to is not None
    async with rbot.app.db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(RubricPost)) == 3
