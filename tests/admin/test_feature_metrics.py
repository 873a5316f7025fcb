"""The other features' figures in /stats: rubric usage, prompt answers, RSVPs, spam, newcomers' first steps.

Rows are written straight into each feature's tables (as their handlers would) around the
seeded history of seed.py; now is Monday 30 Nov 2026 09:00 UTC, /stats 7d is Nov 24-30
against Nov 17-23.
"""

from __future__ import annotations

from datetime import datetime

from bot.harness import LocalBot
from storage.models.onboarding import Newcomer
from storage.models.rituals import CalendarEvent, EventRsvp, PromptPost
from storage.models.rubrics import RubricPost
from storage.models.spam import SpamRecord
from tests.admin.seed import at, seed
from tests.admin.test_metrics import figures


async def history(bot: LocalBot) -> int:
    cid = await seed(bot)
    async with bot.app.db.sessions() as s:
        rubric_posts = [("question", 24), ("question", 25), ("intro", 26), ("question", 28), ("question", 18), ("event", 2)]
        for i, (tag, day) in enumerate(rubric_posts):
            s.add(RubricPost(community_id=cid, tag=tag, author_id="ann", message_id=f"r{i}", posted_at=at(day, 10), place=None))
        s.add(PromptPost(community_id=cid, week="2026-11-24", text="?", message_id="p1", place=None, posted_at=at(24, 9), responses=7))
        s.add(PromptPost(community_id=cid, week="2026-11-17", text="?", message_id="p0", place=None, posted_at=at(17, 9), responses=3))

        def event(title: str, starts: datetime, status: str = "scheduled") -> CalendarEvent:
            return CalendarEvent(community_id=cid, title=title, starts_at=starts, timezone="UTC", status=status,
                                 created_at=at(1), updated_at=at(1))  # fmt: skip

        events = [event("Repair cafe", at(28, 15)), event("Cancelled", at(27, 15), "cancelled"), event("Next month", at(3, 15, 12))]
        s.add_all(events)
        await s.flush()
        for event, who, status in [(0, "ann", "going"), (0, "bob", "going"), (0, "cat", "maybe"), (0, "dan", "waitlist"),
                                   (1, "eve", "going"), (2, "fay", "going")]:  # fmt: skip
            s.add(EventRsvp(event_id=events[event].id, user_id=who, status=status, at=at(20)))

        def spam(day: int, status: str, shadow: bool = False) -> SpamRecord:
            return SpamRecord(community_id=cid, user_id="x", message_id=f"s{day}{status}", action="delete", status=status,
                              shadow=shadow, created_at=at(day, 12), place=None)  # fmt: skip

        s.add_all([spam(24, "confirmed"), spam(25, "restored"), spam(26, "open"), spam(27, "approved"), spam(28, "open", shadow=True),
                   spam(18, "confirmed")])  # fmt: skip
        # Newcomers' first steps (onboarding's milestones): in the period and before it.
        for uid, joined, first, intro, reply in [
            ("cat", at(24, 10), at(25, 9), at(25, 9), None),  # first message 23 hours after joining
            ("dan", at(26, 12), at(27, 10), None, at(27, 10)),  # 22 hours
            ("kim", at(19, 9), at(20, 10), at(21, 8), at(24, 8)),  # first message the week before; first reply this week
        ]:
            s.add(Newcomer(community_id=cid, user_id=uid, joined_at=joined, first_message_at=first, first_intro_at=intro,
                           first_reply_at=reply))  # fmt: skip
        await s.commit()
    return cid


async def test_the_features_figures_with_last_weeks(bot: LocalBot) -> None:
    await history(bot)
    f = await figures(bot)
    assert f.extra["rubric_posts"] == (4, 1)
    assert f.rubrics == [("question", 3), ("intro", 1)]
    assert f.extra["prompt_responses"] == (7, 3)
    assert f.extra["event_rsvps"] == (2, 0)  # going only; not the cancelled event's, not next month's
    assert f.extra["spam_caught"] == (4, 1)  # the shadow-mode record did nothing
    assert f.extra["spam_undone"] == (2, 0)  # "not spam" and an approved appeal
    assert f.extra["newcomer_first_messages"] == (2, 1)
    assert f.extra["newcomer_intros"] == (1, 1)
    assert f.extra["newcomer_first_replies"] == (2, 0)
    hours, before = f.extra["newcomer_hours_to_first_message"]
    assert hours == (23 + 22) / 2 and before == 25  # kim: Nov 19 09:00 to Nov 20 10:00


async def test_stats_shows_them_and_hides_quiet_ones(bot: LocalBot) -> None:
    await history(bot)
    await bot.sim.post("town", "mia", "/stats")
    text = bot.sim.bot_messages("town")[-1].text
    assert "Rubric posts: 4 (+300%)\n  by rubric: #question 3, #intro 1" in text
    assert "Answers to the weekly question: 7 (+133%)" in text
    assert "Going to events: 2 (—)" in text
    assert "Spam caught: 4 (+300%)" in text and "Spam decisions undone (false alarms): 2 (—)" in text
    assert "Hours from joining to the first message (median): 22.5 (-10%)" in text
    await bot.sim.post("town", "mia", "/stats week")  # Nov 23-29 against Nov 16-22: the same, one day shifted
    bot.clock.set(datetime(2027, 3, 1, 9, tzinfo=at(1).tzinfo))
    await bot.sim.post("town", "mia", "/stats 7d")  # months later nothing happens: the features' lines are left out
    quiet = bot.sim.bot_messages("town")[-1].text
    assert "Rubric posts" not in quiet and "Spam caught" not in quiet and "Active members: 0" in quiet
