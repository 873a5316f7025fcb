"""The weekly prompt: posted once at the community's weekday and time, rotating, with replies counted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from adapters.local.simulator import LocalPlatform
from bot.core.actions import Action, Failed, FailReason, Result, SendMessage
from bot.harness import LocalBot
from storage.models import RitualRun
from storage.models.rituals import PromptPost
from storage.repos.prompts import PromptRepo
from tests.rituals.conftest import BASE, HOUR, MONDAY, BotFactory, last, local, run_until, sent


async def _posts(bot: LocalBot) -> list[PromptPost]:
    async with bot.app.db.sessions() as s:
        return list(await s.scalars(select(PromptPost).order_by(PromptPost.id)))


async def test_posted_once_at_ten_and_rotates(bot: LocalBot) -> None:
    await run_until(bot, local(2026, 11, 30, 9, 59))
    assert sent(bot, "Question of the week") == []
    await run_until(bot, local(2026, 12, 7, 12))  # a week of hourly ticks
    prompts = sent(bot, "Question of the week")
    slots = [local(2026, 11, 30, 10), local(2026, 12, 7, 10)]
    assert len(prompts) == 2 and all(slot <= m.at < slot + HOUR for slot, m in zip(slots, prompts, strict=True))
    assert "What are you making this week?" in prompts[0].text
    assert "Show us your workbench!" in prompts[1].text
    # Last week's slot (before the bot was running) was recorded as skipped, not posted late.
    async with bot.app.db.sessions() as s:
        runs = {r.key: r.status for r in await s.scalars(select(RitualRun).where(RitualRun.ritual == "weekly_prompt"))}
    assert runs == {"weekly_prompt:2026-11-23": "skipped", "weekly_prompt:2026-11-30": "sent", "weekly_prompt:2026-12-07": "sent"}


async def test_replies_to_the_prompt_are_counted(bot: LocalBot) -> None:
    await run_until(bot, local(2026, 11, 30, 10))
    prompt = sent(bot, "Question of the week")[0]
    other = await bot.sim.post("town", "bob", "unrelated")
    await bot.sim.post("town", "ann", "A bird house!", reply_to=prompt.id)
    await bot.sim.post("town", "bob", "A bike trailer", reply_to=prompt.id)
    await bot.sim.post("town", "ann", "nice", reply_to=other.id)  # a reply, but not to the prompt
    posts = await _posts(bot)
    assert [(p.message_id, p.responses) for p in posts] == [(prompt.id, 2)]
    async with bot.app.db.sessions() as s:
        assert await PromptRepo(s).responses(posts[0].community_id, MONDAY, MONDAY + timedelta(days=7)) == 2


async def test_reply_counting_survives_a_restart(make_bot: BotFactory) -> None:
    async with make_bot() as first:
        await run_until(first, local(2026, 11, 30, 10))
        prompt = sent(first, "Question of the week")[0]
    async with make_bot(start=local(2026, 11, 30, 11)) as second:
        # The new process knows the prompt's message id from the database, not from memory.
        second.sim.messages[prompt.id] = prompt
        await second.sim.post("town", "ann", "Late answer", reply_to=prompt.id)
        assert [p.responses for p in await _posts(second)] == [1]


async def test_manage_prompts(bot: LocalBot) -> None:
    await bot.sim.post("town", "mia", "/prompt add What did you fix this week?")
    assert "3 prompts" in last(bot).text
    await bot.sim.post("town", "mia", "/prompt list")
    listing = last(bot).text
    assert "1. What are you making this week? ← next" in listing and "3. What did you fix this week?" in listing
    await bot.sim.post("town", "mia", "/prompt remove 1")  # a config prompt: hidden for this community
    assert "Removed" in last(bot).text
    await bot.sim.post("town", "mia", "/prompt skip")
    assert "Skipped “Show us your workbench!”" in last(bot).text
    await bot.sim.post("town", "mia", "/prompt remove 9")
    assert "no prompt number 9" in last(bot).text
    await bot.sim.post("town", "ann", "/prompt add sneaky")
    assert "only the community's managers" in last(bot).text
    await run_until(bot, local(2026, 11, 30, 10))
    assert "What did you fix this week?" in sent(bot, "Question of the week")[0].text


async def test_builtin_prompts_in_the_community_language_and_pinning(make_bot: BotFactory) -> None:
    settings = {**BASE, "language": "hu", "rituals": {"weekly_prompt": {"pin": True}}}
    async with make_bot(settings=settings) as bot:
        await run_until(bot, local(2026, 12, 7, 10))
        prompts = sent(bot, "A hét kérdése")
        assert len(prompts) == 2
        assert "Min dolgozol ezen a héten?" in prompts[0].text
        assert bot.sim.chats["town"].pinned == [prompts[1].id]  # last week's was unpinned


async def test_disabled_posts_nothing(make_bot: BotFactory) -> None:
    settings = {**BASE, "rituals": {"weekly_prompt": {"enabled": False}, "newcomers": {"enabled": False}}}
    async with make_bot(settings=settings) as bot:
        await run_until(bot, local(2026, 12, 7, 12), step=timedelta(hours=1))
        assert sent(bot) == []


class FlakyOnce:
    """The platform is rate-limited for the first message, then fine."""

    def __init__(self, inner: LocalPlatform) -> None:
        self.inner = inner
        self.failed = False

    async def perform(self, action: Action) -> Result:
        if isinstance(action, SendMessage) and not self.failed:
            self.failed = True
            return Failed(FailReason.RATE_LIMITED, "retry_after exhausted")
        return await self.inner.perform(action)


async def test_a_transient_failure_is_retried_next_tick(bot: LocalBot) -> None:
    bot.app.rt.outboxes["local"] = FlakyOnce(bot.sim)
    bot.clock.set(local(2026, 11, 30, 10))
    await bot.tick()
    assert sent(bot, "Question of the week") == []
    bot.clock.set(local(2026, 11, 30, 10, 15))
    await bot.tick()
    [prompt] = sent(bot, "Question of the week")
    assert "What are you making this week?" in prompt.text  # the rotation did not advance on the failed try
    runs = bot.app.rituals
    assert (runs.count("failed", "weekly_prompt"), runs.count("sent", "weekly_prompt")) == (1, 1)
