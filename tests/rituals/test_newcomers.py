"""Newcomers of the week: the week's joiners are welcomed and invited to introduce themselves."""

from __future__ import annotations

from datetime import timedelta

from bot.harness import LocalBot
from tests.rituals.conftest import BASE, BotFactory, local, run_until, sent


async def _join(bot: LocalBot, *uids: str) -> None:
    for uid in uids:
        bot.sim.add_user(uid, uid.capitalize())
        await bot.sim.join("town", uid)


async def test_weekly_post_names_the_weeks_joiners(bot: LocalBot) -> None:
    await _join(bot, "zoe", "yan")
    await bot.sim.leave("town", "yan")
    await run_until(bot, local(2026, 12, 1, 12))
    await _join(bot, "xia")
    await run_until(bot, local(2026, 12, 4, 16, 59))
    assert sent(bot, "Newcomers") == []
    await run_until(bot, local(2026, 12, 4, 17, 30))
    [post] = sent(bot, "Newcomers of the week")
    assert "A warm welcome to Zoe, Xia!" in post.text and "#intro" in post.text and "Yan" not in post.text
    assert post.rich is not None
    mentioned = [s.mention.id for line in post.rich.lines for s in line.spans if s.mention]
    assert mentioned == ["zoe", "xia"]
    # The next Friday: nobody new, nothing posted.
    await run_until(bot, local(2026, 12, 11, 18), step=timedelta(hours=6))
    assert len(sent(bot, "Newcomers")) == 1


async def test_uses_the_intro_rubric_and_the_language(make_bot: BotFactory) -> None:
    settings = {
        **BASE,
        "language": "ru",
        "rubrics": {"rubrics": [{"tag": "hello", "aliases": ["intro"], "example": "#hello Я Аня, чиню радиоприёмники"}]},
    }
    async with make_bot(settings=settings) as bot:
        await _join(bot, "zoe")
        await run_until(bot, local(2026, 12, 4, 17, 10))
        [post] = sent(bot, "Новички недели")
        assert "#hello" in post.text and "Например: #hello Я Аня" in post.text


async def test_those_who_introduced_themselves_are_not_asked_again(bot: LocalBot) -> None:
    await _join(bot, "zoe", "xia", "wu")
    await bot.sim.post("town", "zoe", "#intro Hi, I'm Zoe: I knit and code.")
    await bot.sim.post("town", "wu", "#intro Wu here, bikes and bread.")
    await run_until(bot, local(2026, 12, 4, 17, 30))
    [post] = sent(bot, "Newcomer")
    first, _, rest = post.text.partition("\n\n")
    assert "A warm welcome to Xia! Tell us a little about yourself" in first and "Zoe" not in first
    assert "Zoe, Wu have introduced themselves already: say hello!" in rest


async def test_a_week_of_newcomers_who_all_introduced_themselves_is_only_greeted(bot: LocalBot) -> None:
    await _join(bot, "zoe")
    await bot.sim.post("town", "zoe", "#intro Hi, I'm Zoe.")
    await run_until(bot, local(2026, 12, 4, 17, 30))
    [post] = sent(bot, "Newcomer of the week")
    assert "A warm welcome to Zoe, who has told us about themselves already" in post.text and "Tell us" not in post.text
