"""The storage vocabulary: names cut to their column once, states read back as their enums."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text

from storage.db import Database
from storage.models.core import Community, Person
from storage.models.spam import SpamRecord
from storage.models.states import DmState, SpamStatus
from storage.repos.members import PersonRepo

AT = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)


async def test_a_long_name_is_cut_to_its_column_and_states_come_back_as_enums(db_url: str) -> None:
    db = Database(db_url)
    await db.upgrade()
    try:
        async with db.sessions() as s:
            community = Community(platform="local", chat_id="town", title="T" * 300, created_at=AT)
            s.add(community)
            await s.flush()
            name = "Д" * 400
            rec = SpamRecord(community_id=community.id, user_id="u1", display_name=name, message_id="m1", text="buy", action="delete")
            rec.created_at = AT
            s.add(rec)
            await PersonRepo(s).touch("local", "u1", AT, dm_state=DmState.CLOSED)
            await s.commit()
        async with db.sessions() as s:
            rec = await s.scalar(select(SpamRecord))
            assert rec is not None and rec.display_name == "Д" * 256  # PostgreSQL would refuse 400 (VARCHAR(256))
            assert rec.status is SpamStatus.OPEN and rec.status == "open"
            assert (await s.scalar(select(Community.title))) == "T" * 256
            person = await s.scalar(select(Person))
            assert person is not None and person.dm_state is DmState.CLOSED
            # A state this version does not know (written by a newer one) is read as it is, not an error.
            await s.execute(text("UPDATE spam_records SET status = 'later'"))
            await s.commit()
        async with db.sessions() as s:
            assert (await s.scalar(select(SpamRecord.status))) == "later"
    finally:
        await db.dispose()
