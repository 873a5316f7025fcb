"""A manager's /set in one process reaches the others at their next tick.

Two processes on one database: the command reaches the first; the second had the community cached
with the old settings. Its next tick (one query for every community's settings change) reloads it,
and what it posts follows the new settings.
"""

from __future__ import annotations

from datetime import timedelta

from adapters.local.simulator import LocalPlatform
from bot.core.clock import VirtualClock
from bot.core.ids import ChatRef
from bot.harness import bot_on, local_config
from tests.rituals.conftest import BASE, local, people

TOWN = ChatRef("local", "town")


async def test_a_setting_changed_in_one_process_reaches_the_other_at_its_next_tick(db_url: str) -> None:
    clock = VirtualClock(local(2026, 11, 30, 9))
    sim = LocalPlatform(clock)
    sim.add_chat("town", "Riverside Makers", admins=("mia",))
    config = local_config(BASE)
    async with bot_on(sim, config, db_url, clock) as first, bot_on(sim, config, db_url, clock) as second:
        people(first)
        await first.tick()
        await second.tick()
        before = second.app.rt.directory.cached(TOWN)
        assert before is not None and before.settings.language == "en"
        sim.connect(first.app.handle)  # the command reaches the first process
        await sim.post("town", "mia", "/set language ru")
        assert "language" in sim.bot_messages("town")[-1].text
        clock.advance(timedelta(seconds=30))
        await second.tick()
        info = second.app.rt.directory.cached(TOWN)
        assert info is not None and info.settings.language == "ru", "the other process still serves the old settings"
        clock.set(local(2026, 11, 30, 10))
        await second.tick()  # the second process posts the weekly prompt: in Russian
    prompts = [m.text for m in sim.bot_messages("town") if "Вопрос недели" in m.text or "Question of the week" in m.text]
    assert len(prompts) == 1 and "Вопрос недели" in prompts[0]
