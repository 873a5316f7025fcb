"""The welcome campaign: conditions, restarts, late steps, leaving, stop, rejoins."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storage.models import RitualRun

from .conftest import MakeBot, newcomer, run_until, step_outcomes

STEPS = {
    "campaign": [
        {"id": "day1", "after": "1d", "skip_if": "posted_intro"},
        {"id": "day2", "after": "2d", "text": "Day two, {member}: how is it going in {community}?"},
        {"id": "day3", "after": "3d", "skip_if": "posted"},
    ]
}


def campaign_dms(bot, user: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.text for m in bot.sim.dms(user) if "first days" in m.text or m.text.startswith("Day two")]


async def test_steps_follow_their_conditions(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=STEPS) as bot:
        await bot.sim.join("town", "bob")
        await bot.sim.join("town", "chen")
        await bot.sim.post("town", "chen", "#intro Hi, Chen here")
        await run_until(bot, timedelta(days=4))
        assert await step_outcomes(bot) == {
            ("bob", "day1"): "sent",
            ("bob", "day2"): "sent",
            ("bob", "day3"): "sent",
            ("chen", "day1"): "skipped_intro",
            ("chen", "day2"): "sent",
            ("chen", "day3"): "skipped_posted",
        }
        assert len(campaign_dms(bot, "bob")) == 3
        assert campaign_dms(bot, "chen") == ["Day two, Chen: how is it going in Riverside Makers?"]
        assert (await newcomer(bot, "bob")).campaign_state == "done"


async def test_restart_mid_campaign_sends_nothing_twice_and_misses_nothing(make_bot: MakeBot, db_url: str) -> None:
    async with make_bot(onboarding=STEPS) as bot:
        await bot.sim.join("town", "bob")
        await run_until(bot, timedelta(days=1, hours=1))
        assert len(campaign_dms(bot, "bob")) == 1
    # Restarted 2 hours after day2 fell due: within the grace period, so it goes out once.
    async with make_bot(onboarding=STEPS) as bot2:
        bot2.clock.set(bot2.clock.now() + timedelta(days=2, hours=2))
        await bot2.tick()
        await bot2.tick()
        assert len(campaign_dms(bot2, "bob")) == 1  # day2 only; day1 was not repeated
        await run_until(bot2, timedelta(days=2))
        assert await step_outcomes(bot2) == {("bob", "day1"): "sent", ("bob", "day2"): "sent", ("bob", "day3"): "sent"}


async def test_a_step_missed_beyond_grace_is_skipped_and_recorded(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=STEPS) as bot:
        await bot.sim.join("town", "bob")
        bot.clock.advance(timedelta(days=2, hours=12))  # the bot was down: day1 is 36h late, day2 12h late
        await bot.tick()
        assert campaign_dms(bot, "bob") == []
        async with bot.app.db.sessions() as s:
            runs = {r.key.rsplit(":", 1)[1]: r.status for r in await s.scalars(select(RitualRun).where(RitualRun.ritual == "campaign"))}
        assert runs == {"day1": "skipped", "day2": "skipped"}
        await run_until(bot, timedelta(days=1))
        assert len(campaign_dms(bot, "bob")) == 1  # day3 on time


async def test_leaving_or_stop_ends_the_campaign(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=STEPS) as bot:
        await bot.sim.join("town", "bob")
        await bot.sim.join("town", "chen")
        await run_until(bot, timedelta(hours=2))
        await bot.sim.leave("town", "bob")
        stop = bot.sim.dms("chen")[0]
        await bot.sim.press(stop.id, stop.buttons[-1][0].data or "", "chen")
        assert "won't get more welcome messages" in bot.sim.dms("chen")[-1].text
        await run_until(bot, timedelta(days=4))
        assert campaign_dms(bot, "bob") == [] and campaign_dms(bot, "chen") == []
        assert (await newcomer(bot, "bob")).campaign_state == "left"
        assert (await newcomer(bot, "chen")).campaign_state == "stopped"


async def test_rejoin_within_30_days_does_not_restart_the_campaign(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=STEPS) as bot:
        await bot.sim.join("town", "bob")
        await run_until(bot, timedelta(days=1, hours=1))
        await bot.sim.leave("town", "bob")
        bot.clock.advance(timedelta(hours=3))
        await bot.sim.join("town", "bob")
        assert "Welcome back to Riverside Makers, Bob!" in bot.sim.bot_messages("town")[-1].text
        assert len([m for m in bot.sim.dms("bob") if "glad you're here" in m.text]) == 1  # no second welcome DM
        await run_until(bot, timedelta(days=3))
        outcomes = await step_outcomes(bot)
        assert outcomes == {("bob", "day1"): "sent", ("bob", "day2"): "sent", ("bob", "day3"): "sent"}
        assert len(campaign_dms(bot, "bob")) == 3  # day1 once, then the rest of the same campaign


async def test_rejoin_after_30_days_starts_a_new_campaign(make_bot: MakeBot) -> None:
    async with make_bot(onboarding=STEPS) as bot:
        await bot.sim.join("town", "bob")
        await run_until(bot, timedelta(days=1, hours=1))
        await bot.sim.leave("town", "bob")
        bot.clock.advance(timedelta(days=31))
        await bot.tick()
        await bot.sim.join("town", "bob")
        assert "Welcome to Riverside Makers, Bob!" in bot.sim.bot_messages("town")[-1].text
        row = await newcomer(bot, "bob")
        assert row.round == 2 and row.campaign_state == "active"
        await run_until(bot, timedelta(days=1, hours=1))
        assert len(campaign_dms(bot, "bob")) == 2  # day1 of each round
