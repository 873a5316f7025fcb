"""Tagged posts are indexed in any language, found with /find and /mine, and follow edits and deletions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.harness import LocalBot
from storage.models.rubrics import RubricPost
from tests.rubrics.conftest import last_bot_text, make_settings


async def posts(bot: LocalBot) -> list[RubricPost]:
    async with bot.app.db.sessions() as s:
        return list(await s.scalars(select(RubricPost).order_by(RubricPost.id)))


@pytest.mark.parametrize(
    ("text", "tag", "query"),
    [
        ("#Вопрос где купить паяльник?", "вопрос", "#вопрос паяльник"),
        ("#KÉRDÉS hol lehet forrasztópákát venni?", "kérdés", "#kérdés forrasztópákát"),
        ("Gdzie kupić lutownicę? #pytanie", "pytanie", "#Pytanie LUTOWNICĘ"),
        ("#问题 哪里可以买到烙铁？", "问题", "#问题 烙铁"),
        ("#domanda Dove compro un saldatore?", "domanda", "#domanda saldatore"),
        ("#q Where can I buy a soldering iron?", "question", "#question soldering"),
    ],
)
async def test_tagged_posts_in_many_languages_are_indexed_and_found(rbot: LocalBot, text: str, tag: str, query: str) -> None:
    msg = await rbot.sim.post("town", "ann", text)
    rows = await posts(rbot)
    assert [(r.tag, r.author_id, r.message_id) for r in rows] == [(tag, "ann", msg.id)]
    assert rows[0].excerpt == text
    await rbot.sim.post("town", "bob", f"/find {query}")
    found = last_bot_text(rbot)
    assert text[:20] in found and f"message {msg.id}" in found and "Ann" in found


async def test_platform_entities_win_over_text(rbot: LocalBot) -> None:
    from bot.core.events import MessagePosted
    from bot.core.ids import ChatRef, MessageRef

    chat = ChatRef("local", "town")
    ev = MessagePosted(chat, rbot.clock.now(), rbot.sim.users["ann"].person, MessageRef(chat, "900"), "see #event", hashtags=("#Question",))
    await rbot.app.handle(ev)
    assert [r.tag for r in await posts(rbot)] == ["question"]


async def test_untagged_and_unknown_tags_are_not_indexed(rbot: LocalBot) -> None:
    await rbot.sim.post("town", "ann", "hello all, C# and http://x.org/#event are not tags")
    await rbot.sim.post("town", "ann", "#random thoughts")
    assert await posts(rbot) == []


async def test_edits_and_deletions_update_the_index(rbot: LocalBot) -> None:
    msg = await rbot.sim.post("town", "ann", "#question who has a drill?")
    await rbot.sim.edit_post(msg.id, "#question #event who has a drill? bring it Thursday")
    rows = await posts(rbot)
    assert sorted(r.tag for r in rows) == ["event", "question"]
    assert all(r.excerpt and "Thursday" in r.excerpt for r in rows)
    await rbot.sim.edit_post(msg.id, "#event drill meetup")
    assert [r.tag for r in await posts(rbot)] == ["event"]
    await rbot.sim.delete_post(msg.id)
    assert await posts(rbot) == []
    await rbot.sim.post("town", "bob", "/find #event")
    assert "No posts with #event yet" in last_bot_text(rbot)


async def test_find_pages_with_buttons(rbot: LocalBot) -> None:
    for i in range(7):
        await rbot.sim.post("town", "ann", f"#question number {i}")
        rbot.clock.advance(timedelta(minutes=1))
    await rbot.sim.post("town", "bob", "/find #q number")
    page = rbot.sim.bot_messages("town")[-1]
    assert "number 6" in page.text and "number 4" in page.text and "number 3" not in page.text
    [[older]] = page.buttons
    assert older.data and older.data.startswith("rf:") and len(older.data.encode()) <= 64
    await rbot.sim.press(page.id, older.data, "bob")
    assert "number 3" in page.text and "number 1" in page.text and "number 6" not in page.text
    newer, older = page.buttons[0]
    assert older.data is not None and newer.data is not None
    await rbot.sim.press(page.id, older.data, "bob")
    assert "number 0" in page.text and len(page.buttons[0]) == 1  # last page: only "newer"
    await rbot.sim.press(page.id, page.buttons[0][0].data or "", "bob")
    assert "number 3" in page.text


async def test_long_queries_page_through_a_token(rbot: LocalBot) -> None:
    words = "паяльник " * 6
    for i in range(4):
        await rbot.sim.post("town", "ann", f"#вопрос {words} {i}")
    await rbot.sim.post("town", "bob", f"/find #вопрос {words}")
    page = rbot.sim.bot_messages("town")[-1]
    data = page.buttons[0][0].data or ""
    assert data.startswith("rf:q:") and len(data.encode()) <= 64
    await rbot.sim.press(page.id, data, "bob")
    assert page.text.count("паяльник") >= 1 and " 0" in page.text


async def test_find_explains_unknown_tags(rbot: LocalBot) -> None:
    await rbot.sim.post("town", "bob", "/find #questoin")
    assert "Did you mean #question" in last_bot_text(rbot)
    await rbot.sim.post("town", "bob", "/find")
    assert "/find #question soldering" in last_bot_text(rbot)


async def test_mine_lists_only_own_posts_and_guards_its_buttons(rbot: LocalBot) -> None:
    for i in range(4):
        await rbot.sim.post("town", "ann", f"#event party {i}")
    await rbot.sim.post("town", "bob", "#question mine?")
    await rbot.sim.post("town", "ann", "/mine")
    page = rbot.sim.bot_messages("town")[-1]
    assert "party 3" in page.text and "mine?" not in page.text
    data = page.buttons[0][0].data or ""
    before = page.text
    await rbot.sim.press(page.id, data, "bob")
    assert page.text == before
    assert any(e.what == "answer" and "someone else" in e.text for e in rbot.sim.log)
    await rbot.sim.press(page.id, data, "ann")
    assert "party 0" in page.text


@pytest.mark.parametrize("rubric_settings", [make_settings(store_excerpts=False)])
async def test_excerpts_off_stores_no_text(rbot: LocalBot, rubric_settings: dict[str, Any]) -> None:
    await rbot.sim.post("town", "ann", "#question my secret plans")
    [row] = await posts(rbot)
    assert row.excerpt is None and row.folded is None
    await rbot.sim.post("town", "bob", "/find #question secret")
    text = last_bot_text(rbot)
    assert "no excerpts" in text and "secret" not in text.split("\n", 1)[1] and "Ann" in text


async def test_counts_per_rubric_for_analytics(rbot: LocalBot) -> None:
    from storage.repos.rubrics import RubricRepo

    start = rbot.clock.now()
    for text in ("#q one", "#question two", "#event three", "#问题 四"):
        await rbot.sim.post("town", "ann", text)
    async with rbot.app.db.sessions() as s:
        counts = await RubricRepo(s).counts(1, start, start + timedelta(days=1))
    assert counts == {"question": 2, "event": 1, "问题": 1}
