"""/rubrics and /rubric add|edit|remove|list: the registry merges config and managers' changes."""

from __future__ import annotations

from sqlalchemy import select

from bot.core import runtime
from bot.core.context import Context
from bot.harness import LocalBot
from handlers.rubrics.registry import rubrics_for
from storage.models import AuditEntry
from storage.models.rubrics import RubricPost
from tests.rubrics.conftest import last_bot_text


async def registry_tags(bot: LocalBot) -> list[str]:
    from bot.core.events import Tick

    async with bot.app.db.sessions() as s:
        info = bot.app.rt.directory.by_id(1)
        assert info is not None
        ctx = Context(Tick(info.chat, bot.clock.now()), s, bot.app.rt, info, bot.app.rt.catalogs.translator("en"))
        return [r.tag for r in await rubrics_for(ctx)]


async def test_guide_shows_rubrics_with_examples_and_aliases(rbot: LocalBot) -> None:
    await rbot.sim.post("town", "ann", "/rubrics")
    guide = last_bot_text(rbot)
    assert "#question: Questions" in guide and "Example: #question Who has a drill?" in guide and "Also works: #q" in guide
    assert "#问题" in guide and "#kérdés" in guide


async def test_managers_add_edit_and_remove_rubrics(rbot: LocalBot) -> None:
    changed: list[str] = []

    async def listener(ctx: Context, _: None) -> None:
        changed.append("yes")

    rbot.app.rt.on(runtime.RUBRICS_CHANGED, listener)
    await rbot.sim.post("town", "ann", "/rubric add #job Jobs")
    assert "only the community's managers" in last_bot_text(rbot)

    await rbot.sim.post("town", "mia", "/rubric add #Job Jobs | Offers and searches | #job We are hiring")
    assert "#job is now one of our hashtags" in last_bot_text(rbot)
    assert "job" in await registry_tags(rbot)
    await rbot.sim.post("town", "ann", "#job welder wanted")
    async with rbot.app.db.sessions() as s:
        assert [r.tag for r in await s.scalars(select(RubricPost))] == ["job"]

    await rbot.sim.post("town", "mia", "/rubric edit #job aliases #work #gig")
    await rbot.sim.post("town", "ann", "#gig painter for a day")
    await rbot.sim.post("town", "bob", "/find #work")
    assert "painter" in last_bot_text(rbot) and "welder" in last_bot_text(rbot)

    await rbot.sim.post("town", "mia", "/rubric edit #job aliases #q")
    assert "#q already belongs to #question" in last_bot_text(rbot)

    await rbot.sim.post("town", "mia", "/rubric edit #question title Ask us")  # a config rubric, overridden
    await rbot.sim.post("town", "ann", "/rubrics")
    assert "#question: Ask us" in last_bot_text(rbot)

    await rbot.sim.post("town", "mia", "/rubric remove #event")  # a config rubric, hidden
    assert "event" not in await registry_tags(rbot)
    await rbot.sim.post("town", "mia", "/rubric list")
    listing = last_bot_text(rbot)
    assert "#job (also #work #gig): 2 posts" in listing and "#event" not in listing and "required in: intros" in listing

    assert len(changed) == 4
    async with rbot.app.db.sessions() as s:
        actions = [a.action for a in await s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["rubric.add", "rubric.edit", "rubric.edit", "rubric.remove"]


async def test_bad_input_is_explained_not_crashed(rbot: LocalBot) -> None:
    for cmd, expected in (
        ("/rubric", "/rubric add #job"),
        ("/rubric add #not-a-tag x", "is not a hashtag"),
        ("/rubric add #question dup", "#question already exists"),
        ("/rubric edit #nope title x", "There is no hashtag #nope"),
        ("/rubric edit #question colour red", "You can change: title"),
        ("/rubric remove #q", "There is no hashtag #q"),  # an alias is not a rubric
    ):
        await rbot.sim.post("town", "mia", cmd)
        assert expected in last_bot_text(rbot), cmd
    assert rbot.app.rt.router.errors == 0
