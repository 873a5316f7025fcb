"""Every question gets an answer: first replies, the solved mark, helpers, the moderators' log, the figures."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.harness import LocalBot
from storage.models.recognition import Helper, Question, QuestionAnswer
from tests.questions.conftest import texts


async def questions(bot: LocalBot) -> list[Question]:
    async with bot.app.db.sessions() as s:
        return list(await s.scalars(select(Question).order_by(Question.id)))


async def test_a_question_records_its_first_reply_from_someone_else(qbot: LocalBot) -> None:
    q = await qbot.sim.post("town", "ann", "#question who has a drill?")
    await qbot.sim.post("town", "bob", "hello everyone")  # not a reply: nothing
    await qbot.sim.post("town", "ann", "anyone? it's for a shelf", reply_to=q.id)  # the asker's own: not an answer
    [row] = await questions(qbot)
    assert (row.author_id, row.first_reply_at) == ("ann", None)
    qbot.clock.advance(timedelta(minutes=30))
    await qbot.sim.post("town", "bob", "I have one, come by", reply_to=q.id)
    qbot.clock.advance(timedelta(minutes=5))
    await qbot.sim.post("town", "cat", "me too", reply_to=q.id)
    [row] = await questions(qbot)
    assert row.first_replier_id == "bob" and row.first_reply_at is not None
    assert row.first_reply_at - row.asked_at == timedelta(minutes=30)
    async with qbot.app.db.sessions() as s:
        assert sorted(a.author_id for a in await s.scalars(select(QuestionAnswer))) == ["bob", "cat"]


async def test_an_unanswered_question_goes_to_the_helpers_then_the_log_each_once(qbot: LocalBot) -> None:
    await qbot.sim.post("town", "bob", "/helper on")
    assert "one of our helpers" in texts(qbot)[-1]
    q = await qbot.sim.post("town", "ann", "#question where can I recycle batteries?")
    qbot.clock.advance(timedelta(hours=1, minutes=59))
    await qbot.tick()
    assert not [t for t in texts(qbot) if "waited" in t]
    qbot.clock.advance(timedelta(minutes=2))
    await qbot.tick()
    await qbot.tick()
    offers = [m for m in qbot.sim.bot_messages("town") if "waited" in m.text]
    assert len(offers) == 1 and "Bob" in offers[0].text and "2 hours" in offers[0].text and offers[0].reply_to == q.id
    qbot.clock.advance(timedelta(hours=22))
    await qbot.tick()
    await qbot.tick()
    logged = [t for t in texts(qbot, "mods") if "no reply" in t]
    assert len(logged) == 1 and "Ann" in logged[0] and "24 hours" in logged[0]
    await qbot.sim.post("town", "bob", "the town hall takes them", reply_to=q.id)
    qbot.clock.advance(timedelta(hours=30))
    await qbot.tick()
    assert len([t for t in texts(qbot) if "waited" in t or "no reply" in t]) == 2


async def test_no_offer_without_helpers_and_none_to_the_asker_who_is_one(qbot: LocalBot) -> None:
    await qbot.sim.post("town", "ann", "/helper on")
    await qbot.sim.post("town", "ann", "#question is the lathe fixed?")
    qbot.clock.advance(timedelta(hours=3))
    await qbot.tick()
    assert not [t for t in texts(qbot) if "waited" in t]
    assert (await questions(qbot))[0].offered_at is not None  # given up on, once


async def test_the_follow_ups_survive_a_restart_without_repeating(db_url: str) -> None:
    from adapters.local.simulator import LocalPlatform
    from bot.core.clock import VirtualClock
    from bot.harness import bot_on, local_config
    from tests.conftest import START
    from tests.questions.conftest import SETTINGS

    clock = VirtualClock(START)
    sim = LocalPlatform(clock)
    sim.add_chat("town", "Riverside Makers", admins=("mia",))
    for uid in ("mia", "ann", "bob"):
        sim.add_user(uid, uid.title())
        sim.chats["town"].members.add(uid)
    async with bot_on(sim, local_config(SETTINGS), db_url, clock) as bot:
        await sim.post("town", "bob", "/helper on")
        await sim.post("town", "ann", "#question who fixes bikes?")
        clock.advance(timedelta(hours=2, minutes=1))
        await bot.tick()
    async with bot_on(sim, local_config(SETTINGS), db_url, clock) as bot:
        await bot.tick()
        clock.advance(timedelta(minutes=1))
        await bot.tick()
    assert len([m for m in sim.bot_messages("town") if "waited" in m.text]) == 1


async def test_the_asker_is_nudged_once_and_the_button_marks_it_solved(qbot: LocalBot) -> None:
    q = await qbot.sim.post("town", "ann", "#question which glue for PLA?")
    qbot.clock.advance(timedelta(minutes=10))
    await qbot.sim.post("town", "bob", "superglue works", reply_to=q.id)
    qbot.clock.advance(timedelta(hours=12, minutes=1))
    await qbot.tick()
    await qbot.tick()
    nudges = [m for m in qbot.sim.bot_messages("town") if "did the replies answer" in m.text]
    assert len(nudges) == 1 and "Ann" in nudges[0].text
    [[button]] = nudges[0].buttons
    await qbot.sim.press(nudges[0].id, button.data or "", "cat")  # not the asker: refused
    assert (await questions(qbot))[0].solved_at is None
    await qbot.sim.press(nudges[0].id, button.data or "", "ann")
    [row] = await questions(qbot)
    assert row.solved_at is not None and row.answer_by == "bob"
    assert "Solved, thanks to Bob" in texts(qbot)[-1]


async def test_solved_as_a_reply_to_an_answer_credits_its_author(qbot: LocalBot) -> None:
    q = await qbot.sim.post("town", "ann", "#question best soldering temperature?")
    await qbot.sim.post("town", "bob", "350", reply_to=q.id)
    good = await qbot.sim.post("town", "cat", "330 for leaded solder", reply_to=q.id)
    await qbot.sim.post("town", "bob", "/solved", reply_to=good.id)
    assert "Only the person who asked" in texts(qbot)[-1]
    await qbot.sim.post("town", "ann", "/solved", reply_to=good.id)
    [row] = await questions(qbot)
    assert row.answer_by == "cat" and row.first_replier_id == "bob"
    await qbot.sim.post("town", "ann", "/solved", reply_to=q.id)
    assert "already marked solved" in texts(qbot)[-1]
    qbot.clock.advance(timedelta(days=1))
    await qbot.tick()
    assert not [t for t in texts(qbot) if "did the replies answer" in t]  # solved: no nudge


async def test_managers_add_and_remove_helpers_members_only_themselves(qbot: LocalBot) -> None:
    hello = await qbot.sim.post("town", "cat", "hi all")
    await qbot.sim.post("town", "bob", "/helper add", reply_to=hello.id)
    assert "Only managers" in texts(qbot)[-1]
    await qbot.sim.post("town", "mia", "/helper add", reply_to=hello.id)
    assert "Cat is one of our helpers" in texts(qbot)[-1]
    await qbot.sim.post("town", "bob", "/helper")
    assert "Our helpers: Cat" in texts(qbot)[-1]
    await qbot.sim.post("town", "mia", "/helper remove", reply_to=hello.id)
    async with qbot.app.db.sessions() as s:
        assert list(await s.scalars(select(Helper))) == []


async def test_stats_show_the_questions_figures(qbot: LocalBot) -> None:
    fast = await qbot.sim.post("town", "ann", "#question where is the key?")
    qbot.clock.advance(timedelta(hours=1))
    await qbot.sim.post("town", "bob", "under the mat", reply_to=fast.id)
    slow = await qbot.sim.post("town", "cat", "#question who has a ladder?")
    qbot.clock.advance(timedelta(hours=5))
    await qbot.sim.post("town", "bob", "I do", reply_to=slow.id)
    await qbot.sim.post("town", "ann", "#question any 3D printer free?")
    await qbot.sim.post("town", "mia", "/stats 7d")
    stats = texts(qbot)[-1]
    assert "Questions asked: 3" in stats
    assert "Hours to the first reply (median): 3" in stats
    assert "Questions answered within 2 hours: 33%" in stats
    assert "Questions answered within 24 hours: 67%" in stats
    assert "Questions still without a reply: 1" in stats


async def test_forgetme_removes_questions_answers_and_helper_status(qbot: LocalBot) -> None:
    await qbot.sim.post("town", "bob", "/helper on")
    mine = await qbot.sim.post("town", "bob", "#question who lends a saw?")
    theirs = await qbot.sim.post("town", "ann", "#question glue?")
    await qbot.sim.post("town", "bob", "epoxy", reply_to=theirs.id)
    await qbot.sim.post("town", "cat", "I do", reply_to=mine.id)
    await qbot.sim.post("town", "bob", "/mydata")
    mydata = qbot.sim.dms("bob")[-1].text
    assert "#question posts" in mydata and "helper" in mydata and "replies to questions" in mydata
    await qbot.sim.post("town", "bob", "/forgetme")
    confirm = qbot.sim.bot_messages("town")[-1]
    await qbot.sim.press(confirm.id, confirm.buttons[0][0].data or "", "bob")
    rows = await questions(qbot)
    assert [(r.author_id, r.first_replier_id) for r in rows] == [("ann", "forgotten")]
    async with qbot.app.db.sessions() as s:
        assert list(await s.scalars(select(Helper))) == []
        assert list(await s.scalars(select(QuestionAnswer))) == []


async def test_the_askers_check_mark_on_an_answer_solves_it(qbot: LocalBot) -> None:
    q = await qbot.sim.post("town", "ann", "#question which drill bit for tiles?")
    answer = await qbot.sim.post("town", "bob", "a spear-point one", reply_to=q.id)
    await qbot.sim.react(answer.id, "cat", "✅")  # not the asker: nothing
    await qbot.sim.react(answer.id, "ann", "👍")  # not the chosen reaction: nothing
    assert (await questions(qbot))[0].solved_at is None
    await qbot.sim.react(answer.id, "ann", "✅")
    [row] = await questions(qbot)
    assert row.solved_at is not None and row.answer_by == "bob"
    assert "Solved, thanks to Bob" in texts(qbot)[-1]


async def test_an_intro_nobody_greeted_for_a_day_is_offered_to_the_helpers_once(qbot: LocalBot) -> None:
    await qbot.sim.post("town", "bob", "/helper on")
    intro = await qbot.sim.post("town", "ann", "#intro Hi! I'm Ann, I fix old radios.")
    greeted = await qbot.sim.post("town", "cat", "#intro Cat here, I sew.")
    await qbot.sim.post("town", "bob", "Welcome, Cat!", reply_to=greeted.id)
    qbot.clock.advance(timedelta(hours=23, minutes=59))
    await qbot.tick()
    assert not [t for t in texts(qbot) if "said hello" in t]
    qbot.clock.advance(timedelta(minutes=2))
    await qbot.tick()
    await qbot.tick()
    offers = [m for m in qbot.sim.bot_messages("town") if "nobody has said hello yet" in m.text]
    assert len(offers) == 1 and offers[0].reply_to == intro.id and "Ann introduced themselves 24 hours ago" in offers[0].text
    qbot.clock.advance(timedelta(days=3))
    await qbot.tick()
    assert not [t for t in texts(qbot, "mods") if "no reply" in t]  # an intro never goes to the log
    rows = {q.author_id: q for q in await questions(qbot)}
    assert (rows["ann"].kind, rows["cat"].kind, rows["cat"].first_replier_id) == ("intro", "intro", "bob")
    async with qbot.app.db.sessions() as s:
        assert list(await s.scalars(select(QuestionAnswer))) == []  # a hello is no answer: no helper credit, no figures
    await qbot.sim.post("town", "mia", "/stats")
    assert "Questions asked" not in texts(qbot)[-1]  # no questions this week: intros are not counted as some


async def test_a_newcomers_first_solving_answer_is_celebrated_once(qbot: LocalBot) -> None:
    await qbot.sim.join("town", "cat")  # a newcomer
    q = await qbot.sim.post("town", "ann", "#question best soldering temperature?")
    good = await qbot.sim.post("town", "cat", "330 for leaded solder", reply_to=q.id)
    await qbot.sim.post("town", "ann", "/solved", reply_to=good.id)
    assert "Solved, thanks to Cat" in texts(qbot)[-1] and "first answer here that solved a question, Cat" in texts(qbot)[-1]
    q2 = await qbot.sim.post("town", "bob", "#question which flux?")
    again = await qbot.sim.post("town", "cat", "rosin", reply_to=q2.id)
    await qbot.sim.post("town", "bob", "/solved", reply_to=again.id)
    assert "Solved, thanks to Cat" in texts(qbot)[-1] and "first answer" not in texts(qbot)[-1]  # only the first
    q3 = await qbot.sim.post("town", "cat", "#question where is the glue?")
    old = await qbot.sim.post("town", "bob", "top shelf", reply_to=q3.id)  # Bob was here before the bot: no joined date
    await qbot.sim.post("town", "cat", "/solved", reply_to=old.id)
    assert "Solved, thanks to Bob" in texts(qbot)[-1] and "first answer" not in texts(qbot)[-1]
