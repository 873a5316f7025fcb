"""Two processes meet the same new member at once: both events are kept (#25.4).

The race, made deterministic: between this process's look-up (no row) and its insert, another
process inserts and commits the same member. A check-then-add failed on the unique key there and
the whole event (a first message, a join) was rolled back and lost.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage.db import Database
from storage.models import Member
from storage.repos.communities import CommunityRepo
from storage.repos.members import MemberRepo

AT = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize("step", ["ensure", "joined"])
async def test_a_member_created_meanwhile_by_another_process_is_found_not_refused(db_url: str, step: str) -> None:
    db = Database(db_url)
    await db.upgrade()
    try:
        async with db.sessions() as s:
            community = await CommunityRepo(s).get_or_create("local", "town", "Town", AT)
            await s.commit()
        async with db.sessions() as mine:
            repo = MemberRepo(mine)
            looked = repo.get

            async def get_then_lose_the_race(community_id: int, user_id: str) -> Member | None:
                found = await looked(community_id, user_id)
                if found is None and repo.get is get_then_lose_the_race:
                    repo.get = looked  # type: ignore[method-assign]
                    async with db.sessions() as other:  # the other process, first to insert
                        await MemberRepo(other).ensure(community.id, "ann", "Ann", False)
                        await other.commit()
                return found

            repo.get = get_then_lose_the_race  # type: ignore[method-assign]
            if step == "ensure":
                st = await repo.ensure(community.id, "ann", "Ann", False)
            else:
                st, _rejoin = await repo.joined(community.id, "ann", "Ann", False, AT)
                assert st.joined_at == AT
            await mine.commit()
        assert st.user_id == "ann"
    finally:
        await db.dispose()
