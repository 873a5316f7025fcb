"""Attacker's checklist, forgetting: /forgetme leaves nothing that names the person, by construction.

Every column of every model that can hold a person's id or name must be covered
by a forget rule (``storage/forget.py``); a whole community's life (joining, a
campaign, a rubric post, an RSVP, a hosted event, a spam case, a pardon) is
then forgotten, and the scheduled work for that person stops.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import String, Text, func, select

from bot.core.i18n import read_catalog
from bot.harness import LocalBot, local_bot, local_config
from handlers.spam.review import Review
from storage import forget
from storage.models import AuditEntry, Base, Member, Person
from storage.models.onboarding import Newcomer
from storage.models.rituals import CalendarEvent, EventRsvp
from storage.models.rubrics import RubricPost
from storage.models.spam import SpamRecord, SpamToken
from storage.repos.housekeeping import AuditRepo
from tests.conftest import START

LANGS = ("en", "ru", "uk", "pl", "hu", "it", "zh_Hans")
ADMIN_LOCALES = Path(__file__).parents[2] / "handlers" / "admin" / "locales"
# Column names that can hold a person's id or name; ids of other things are listed in NOT_THINGS.
PERSONAL = re.compile(r"(_id|_by|_name|^member_ids|answer)$")
NOT_THINGS = {"id", "community_id", "message_id", "event_id", "card_id"}


def test_every_personal_column_of_every_model_has_a_forget_rule() -> None:
    missing = []
    for table in Base.metadata.sorted_tables:
        for col in table.columns:
            if col.name in NOT_THINGS or not PERSONAL.search(col.name):
                continue
            if (table.name, col.name) not in forget.covered():
                missing.append(f"{table.name}.{col.name}")
    assert missing == [], f"declare how these are forgotten in their model module (storage/forget.py): {missing}"


def test_the_coverage_check_sees_a_new_table() -> None:
    """A made-up table with a person's column is reported, so the check above is not vacuous."""
    from sqlalchemy import Column, MetaData, Table

    t = Table("t_new_feature", MetaData(), Column("community_id"), Column("voter_id", String(64)))
    assert [c.name for c in t.columns if c.name not in NOT_THINGS and PERSONAL.search(c.name)] == ["voter_id"]
    assert ("t_new_feature", "voter_id") not in forget.covered()


def test_every_text_column_that_names_someone_is_covered_or_not_personal() -> None:
    """Free-text columns are either community content (listed here) or covered by a rule."""
    community_text = {
        "communities": {"platform", "chat_id", "title"},
        "rubric_posts": {"tag", "place", "excerpt", "folded"},
    }
    for rule in forget.RULES:
        assert rule.how in ("delete", "anonymise", "custom")
        for col, value in rule.values.items():
            assert col in rule.covers
            typ = rule.table.c[col].type
            typ = getattr(typ, "impl_instance", typ)  # a TypeDecorator (Clipped) stores as its impl
            assert value is None or isinstance(typ, String | Text), col
    assert community_text  # documented above; excerpts go with their rubric_posts row


@pytest.mark.parametrize("lang", LANGS)
def test_mydata_names_every_rule_in_every_language(lang: str) -> None:
    # A feature may name its own tables in its own catalog (every catalog is loaded together).
    files = [ADMIN_LOCALES / f"{lang}.po", *sorted(ADMIN_LOCALES.parents[1].glob(f"*/locales/{lang}.po"))]
    catalog = {m.id[0] if isinstance(m.id, tuple) else m.id for f in files for m in read_catalog(f, lang) if m.id}
    keys = {r.label for r in forget.RULES} | {r.why for r in forget.RULES if r.why}
    keys |= {"admin.mydata.deleted_title", "admin.mydata.kept_title", "admin.mydata.row", "admin.mydata.row_kept"}
    assert sorted(k for k in keys if k not in catalog) == []


SETTINGS: dict[str, Any] = {
    "log_place": "modlog",
    "onboarding": {"campaign": [{"id": "day2", "after": "2d", "text": "Day two, {member}: how is it going?"}]},
    "rubrics": {"rubrics": [{"tag": "question", "title": "Questions"}]},
}


async def _count(bot: LocalBot, model: Any, *where: Any) -> int:
    async with bot.app.db.sessions() as s:
        return int(await s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


async def test_forgetme_forgets_every_table_and_stops_scheduled_work(db_url: str) -> None:
    async with local_bot(local_config(SETTINGS), db_url, START) as bot:
        sim = bot.sim
        sim.add_user("mia", "Mia")
        sim.add_user("ann", "Ann Zyxwvut")
        sim.add_user("bob", "Bob")
        sim.chats["town"].members.update({"mia", "bob"})
        await sim.start_bot("ann")
        await sim.post("town", "bob", "hi all")
        await sim.join("town", "ann")  # newcomer row, welcome, a campaign step in two days
        await sim.post("town", "ann", "#question where is the quxbrilliantine soldering iron?")
        await sim.post("town", "mia", "/event add 2026-12-05 18:00 Repair café")
        card = sim.bot_messages("town")[-1]
        event_id = card.buttons[0][0].data.split(":")[1]
        await sim.press(card.id, f"rsvp:{event_id}:going:c", "ann")
        await sim.press(card.id, f"rsvp:{event_id}:going:c", "bob")
        async with bot.app.db.sessions() as s:  # ann hosts it (as /event edit host would store)
            ev = await s.get(CalendarEvent, int(event_id))
            assert ev is not None
            ev.host_id, ev.host_name = "ann", "Ann Zyxwvut"
            await s.commit()
        spam = await sim.post("town", "ann", "buy zyxwvutcoin now at my shop")
        await sim.post("town", "mia", "/spam", reply_to=spam.id)  # a moderator's lesson: her words become tokens
        async with bot.app.db.sessions() as s:  # a moderator's pardon, as /pardon audits it
            cid = await s.scalar(select(Member.community_id).where(Member.user_id == "ann"))
            assert cid is not None
            AuditRepo(s).add(cid, "mia", "pardon", "ann strikes=1", "ann strikes=0", bot.clock.now())
            AuditRepo(s).add(cid, "mia", "pardon", "annabel strikes=1", "annabel strikes=0", bot.clock.now())
            await s.commit()
        await bot.app.rt.flush()
        assert await _count(bot, SpamToken, SpamToken.token.contains("zyxwvutcoin")) >= 1
        assert await _count(bot, RubricPost, RubricPost.author_id == "ann") == 1

        await sim.command_in_dm("ann", "/mydata")
        shown = sim.dms("ann")[-1].text
        assert "/forgetme deletes:" in shown and "answers to events: 1" in shown and "your posts in the rubric index (/find): 1" in shown
        assert "/forgetme keeps, without your id or name:" in shown
        assert "moderation cases about your messages: 1 (moderators keep the case, what was decided" in shown
        assert "events you host: 1" in shown and "entries in the managers' log" in shown

        await sim.post("town", "ann", "/forgetme")
        ask = sim.bot_messages("town")[-1]
        await sim.press(ask.id, ask.buttons[0][0].data, "ann")
        await bot.app.rt.flush()

        # Nothing in any table names her.
        async with bot.app.db.sessions() as s:
            for table in Base.metadata.sorted_tables:
                for col in table.columns:
                    if isinstance(col.type, String | Text):
                        names = (col == "ann") | col.contains("Zyxwvut") | col.contains("zyxwvut") | col.like("ann %")
                        rows = await s.scalar(select(func.count()).select_from(table).where(names))
                        assert not rows, f"{table.name}.{col.name} still names her"
        spam_memory = next(h.__self__.service for h in bot.app.rt.forget_hooks if isinstance(getattr(h, "__self__", None), Review))
        assert not [r for r in spam_memory.recent._items.values() if r.user_id == "ann"]  # her texts left memory too
        assert await _count(bot, Member, Member.user_id == "bob") == 1  # the others stay
        assert await _count(bot, EventRsvp, EventRsvp.user_id == "bob") == 1
        assert await _count(bot, SpamRecord) == 1  # the case stays, anonymised
        assert await _count(bot, Newcomer) == 0 and await _count(bot, Person, Person.user_id == "ann") == 0
        async with bot.app.db.sessions() as s:
            [rec] = await s.scalars(select(SpamRecord))
            assert (rec.user_id, rec.display_name, rec.text, rec.status) == ("forgotten", "", "", "confirmed")
            actions = [(a.actor_id, a.action, a.before, a.after) for a in await s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert ("mia", "pardon", "forgotten strikes=1", "forgotten strikes=0") in actions
        assert ("mia", "pardon", "annabel strikes=1", "annabel strikes=0") in actions  # another member's id is not hers
        assert actions[-1][:2] == ("forgotten", "forgetme")

        # /find no longer lists her post; reminders and the campaign do not write to her.
        await sim.post("town", "bob", "/find #question soldering")
        assert "quxbrilliantine" not in sim.bot_messages("town")[-1].text
        before = len(sim.dms("ann"))
        end = bot.clock.now() + timedelta(days=6)
        while bot.clock.now() < end:
            bot.clock.advance(timedelta(hours=1))
            await bot.tick()
        assert sim.dms("ann")[before:] == []
        assert any("Repair café" in m.text for m in sim.dms("bob"))  # bob, going too, got his reminders
