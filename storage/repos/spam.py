"""The spam feature's storage: learnt counts, records to undo decisions, strikes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.spam import SpamImage, SpamRecord, SpamStrike, SpamToken
from storage.repos.upsert import insert_for

DOCS = "#docs"  # the token row that counts learnt messages
# A record's status -> whether its text was learnt as spam (True) or as not spam (False).
LEARNT = {"confirmed": True, "restored": False, "approved": False}


class SpamRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---- learning ----
    async def tokens(self, community_id: int) -> dict[str, tuple[int, int]]:
        rows = await self.session.execute(
            select(SpamToken.token, SpamToken.spam, SpamToken.ham).where(SpamToken.community_id == community_id)
        )
        return {t: (s, h) for t, s, h in rows}

    async def learn(self, community_id: int, tokens: Iterable[str], spam: bool) -> None:
        """Add one message's features; one statement for all of them."""
        rows = [{"community_id": community_id, "token": t[:128], "spam": int(spam), "ham": int(not spam)} for t in {*tokens, DOCS}]
        stmt = insert_for(self.session, SpamToken.__table__)
        col = "spam" if spam else "ham"
        stmt = stmt.on_conflict_do_update(index_elements=["community_id", "token"], set_={col: getattr(SpamToken.__table__.c, col) + 1})
        await self.session.execute(stmt, rows)

    async def unlearn(self, community_id: int, tokens: Iterable[str], spam: bool) -> None:
        """Take one learnt message's features back (``/forgetme``); a token no lesson holds any more goes."""
        t = SpamToken
        col = t.spam if spam else t.ham
        names = list({x[:128] for x in tokens} | {DOCS})
        for i in range(0, len(names), 500):
            part = names[i : i + 500]
            where = (t.community_id == community_id) & t.token.in_(part)
            await self.session.execute(update(t).where(where & (col > 0)).values({col.key: col - 1}))
            await self.session.execute(delete(t).where(where & (t.spam <= 0) & (t.ham <= 0)))

    async def learnt_from(self, community_id: int, user_id: str) -> list[SpamRecord]:
        """The person's records whose text taught the model: confirmed as spam, or restored / approved as not spam."""
        r = SpamRecord
        q = select(r).where(r.community_id == community_id, r.user_id == user_id, r.status.in_(LEARNT))
        return list(await self.session.scalars(q))

    # ---- records ----
    def add_record(self, record: SpamRecord) -> SpamRecord:
        self.session.add(record)
        return record

    async def record(self, record_id: int) -> SpamRecord | None:
        return await self.session.get(SpamRecord, record_id)

    async def record_for_message(self, community_id: int, message_id: str) -> SpamRecord | None:
        return await self.session.scalar(
            select(SpamRecord)
            .where(SpamRecord.community_id == community_id, SpamRecord.message_id == message_id)
            .order_by(SpamRecord.id.desc())
            .limit(1)
        )

    # ---- pictures ----
    def add_images(self, record: SpamRecord, keys: Iterable[str], confirmed: bool) -> None:
        for key in dict.fromkeys(keys):
            row = SpamImage(community_id=record.community_id, record_id=record.id, key=key[:80], confirmed=confirmed)
            row.created_at = record.created_at
            self.session.add(row)

    async def confirm_images(self, record_id: int, confirmed: bool) -> bool:
        """A case's pictures become known spam (or stop being it: the case was restored). Whether it had any."""
        t = SpamImage
        result = await self.session.execute(update(t).where(t.record_id == record_id).values(confirmed=confirmed))
        return bool(getattr(result, "rowcount", 0))

    async def case_images(self, record_id: int) -> list[str]:
        return list(await self.session.scalars(select(SpamImage.key).where(SpamImage.record_id == record_id)))

    async def confirmed_image_rows(self, community_id: int) -> list[tuple[int, str]]:
        t = SpamImage
        rows = await self.session.execute(select(t.id, t.key).where(t.community_id == community_id, t.confirmed.is_(True)))
        return [(i, k) for i, k in rows]

    async def unconfirm_images(self, ids: list[int]) -> None:
        if ids:
            await self.session.execute(update(SpamImage).where(SpamImage.id.in_(ids)).values(confirmed=False))

    async def known_images(self, community_id: int | None, limit: int = 20_000) -> list[str]:
        """Confirmed spam pictures of a community (``None``: of every community), newest first."""
        t = SpamImage
        q = select(t.key).where(t.confirmed.is_(True))
        if community_id is not None:
            q = q.where(t.community_id == community_id)
        return list(await self.session.scalars(q.order_by(t.id.desc()).limit(limit)))

    # ---- strikes ----
    async def strike(self, community_id: int, user_id: str, now: datetime, decay: timedelta) -> int:
        """Add a strike (after forgetting decayed ones) and return the member's count."""
        row = await self.session.get(SpamStrike, (community_id, user_id))
        if row is None:
            row = SpamStrike(community_id=community_id, user_id=user_id, count=0, last_at=now)
            self.session.add(row)
        elif now - row.last_at > decay:
            row.count = 0
        row.count += 1
        row.last_at = now
        await self.session.flush()
        return row.count

    async def forgive(self, community_id: int, user_id: str) -> None:
        """Take back one strike (a moderator said it was not spam)."""
        row = await self.session.get(SpamStrike, (community_id, user_id))
        if row is not None and row.count > 0:
            row.count -= 1
