"""/strikes and /pardon: moderators see the spam ladder's strikes and clear them; members are refused; audited."""

from __future__ import annotations

from sqlalchemy import select

from bot.harness import LocalBot
from storage.models.spam import SpamRecord, SpamStrike
from tests.admin.seed import at, seed
from tests.admin.test_commands import audit, last_text


async def strikes_history(bot: LocalBot) -> int:
    cid = await seed(bot)
    async with bot.app.db.sessions() as s:
        s.add_all([
            SpamStrike(community_id=cid, user_id="bob", count=2, last_at=at(29, 12)),
            SpamStrike(community_id=cid, user_id="pat", count=1, last_at=at(25, 8)),
            SpamStrike(community_id=cid, user_id="gus", count=3, last_at=at(20, 8, 10)),  # over 30 days ago: decayed
            SpamRecord(community_id=cid, user_id="bob", message_id="m1", action="delete", status="confirmed",
                       reasons="link:0.9", created_at=at(28, 12), place=None),
            SpamRecord(community_id=cid, user_id="bob", message_id="m2", action="mute", status="open",
                       reasons="flood:1.0", created_at=at(29, 12), place=None),
        ])  # fmt: skip
        await s.commit()
    return cid


async def test_strikes_list_and_one_member(bot: LocalBot) -> None:
    await strikes_history(bot)
    await bot.sim.post("town", "mia", "/strikes")
    text = last_text(bot)
    assert "Strikes in Riverside Makers (still counting):" in text
    assert "• Bob (bob): 2 strikes, last 11/29/26, 12:00\u202fPM" in text
    assert "• Pat (pat): 1 strike, last" in text
    assert "gus" not in text.lower()
    await bot.sim.post("town", "mia", "/strikes @bob")
    text = last_text(bot)
    assert text.startswith("Bob (bob): 2 strikes that count, last 11/29/26, 12:00\u202fPM. Latest decisions:")
    assert text.index("mute, open (flood:1.0)") < text.index("delete, confirmed (link:0.9)")  # newest first
    await bot.sim.post("town", "mia", "/strikes Gus")
    assert last_text(bot) == "Gus (gus) has no strikes that count now."
    await bot.sim.post("town", "mia", "/strikes nobody")
    assert last_text(bot).startswith('I don\'t know "nobody" here.')
    assert [(a, act, after) for a, act, _, after in await audit(bot)] == [("mia", "strikes", "all"), ("mia", "strikes", "bob"),
                                                                          ("mia", "strikes", "gus")]  # fmt: skip


async def test_pardon_clears_and_is_audited(bot: LocalBot) -> None:
    cid = await strikes_history(bot)
    await bot.sim.post("town", "mia", "/pardon")
    assert last_text(bot).startswith("Whom should I pardon?")
    await bot.sim.post("town", "mia", "/pardon bob")
    assert last_text(bot).startswith("Done: Bob's 2 strikes are cleared.")
    await bot.sim.post("town", "mia", "/pardon bob")
    assert last_text(bot) == "Bob has no strikes to clear."
    await bot.sim.post("town", "mia", "/pardon gus")  # decayed: nothing that counts
    assert last_text(bot) == "Gus has no strikes to clear."
    async with bot.app.db.sessions() as s:
        counts = {r.user_id: r.count for r in await s.scalars(select(SpamStrike).where(SpamStrike.community_id == cid))}
    assert counts == {"bob": 0, "pat": 1, "gus": 3}
    assert await audit(bot) == [("mia", "pardon", "bob strikes=2", "bob strikes=0")]
    await bot.sim.post("town", "mia", "/strikes")
    assert "Bob" not in last_text(bot) and "Pat (pat)" in last_text(bot)


async def test_members_are_refused(bot: LocalBot) -> None:
    await strikes_history(bot)
    before = len(bot.sim.bot_messages("town"))
    await bot.sim.post("town", "ann", "/pardon bob")
    await bot.sim.post("town", "ann", "/strikes")
    replies = bot.sim.bot_messages("town")[before:]
    assert len(replies) == 2 and all("moderator" in r.text.lower() or "manager" in r.text.lower() for r in replies), replies
    assert await audit(bot) == []
    async with bot.app.db.sessions() as s:
        bob = await s.get(SpamStrike, (1, "bob"))
        assert bob is not None and bob.count == 2
