"""Audit entries, ritual runs and the bot's own managed messages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry, BotMessage, RitualRun
from storage.models.states import RunStatus
from storage.repos.upsert import add_unless_taken

AUDIT_TEXT = 2000
SETTLED = frozenset({"sent", "skipped", "claimed"})  # what ``RitualRunRepo.settled`` counts as needing nothing


def _cut(text: str | None) -> str | None:
    return text if text is None or len(text) <= AUDIT_TEXT else text[: AUDIT_TEXT - 1] + "…"


class AuditRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(
        self, community_id: int, actor_id: str, action: str, before: str | None, after: str | None, at: datetime, via: str | None = None
    ) -> None:
        """One entry; the texts are cut at ``AUDIT_TEXT`` characters (a 200,000-character argument must not be kept whole).
        ``via``: where it was done from when not in the chat ("dashboard 203.0.113.7")."""
        self.session.add(
            AuditEntry(
                community_id=community_id, actor_id=actor_id[:64], action=action[:64], before=_cut(before), after=_cut(after), at=at,
                via=via[:80] if via else None,
            )
        )  # fmt: skip

    async def recent(self, community_id: int, limit: int = 20) -> list[AuditEntry]:
        q = (
            select(AuditEntry)
            .where(AuditEntry.community_id == community_id)
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(limit)
        )
        return list(await self.session.scalars(q))


class RitualRunRepo:
    """Claims on ritual occurrences. A claim carries a token; only its holder renews or finishes it."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def claim(self, community_id: int, ritual: str, key: str, due_at: datetime, status: str, now: datetime, token: str) -> bool:
        """Insert the occurrence; False when some run (this process or another) already has it."""
        run = RitualRun(community_id=community_id, ritual=ritual, key=key, due_at=due_at, status=status, done_at=now)
        run.claim_token = token
        return await add_unless_taken(self.session, run)

    async def take_over(self, community_id: int, key: str, status: str, now: datetime, stale_before: datetime, token: str) -> bool:
        """Take a failed run, or a claim not renewed since ``stale_before`` (its owner died), atomically:
        only one process wins the UPDATE, and the loser's token no longer matches."""
        res = await self.session.execute(
            update(RitualRun)
            .where(
                RitualRun.community_id == community_id,
                RitualRun.key == key,
                or_(RitualRun.status == RunStatus.FAILED, and_(RitualRun.status == RunStatus.CLAIMED, RitualRun.done_at < stale_before)),
            )
            .values(status=status, done_at=now, claim_token=token)
        )
        return bool(getattr(res, "rowcount", 0))

    async def renew(self, community_id: int, key: str, token: str, now: datetime) -> bool:
        """The owner is still at work: its claim counts from ``now``. False when the claim is no longer its own."""
        res = await self.session.execute(
            update(RitualRun)
            .where(RitualRun.community_id == community_id, RitualRun.key == key, RitualRun.claim_token == token)
            .where(RitualRun.status == RunStatus.CLAIMED)
            .values(done_at=now)
        )
        return bool(getattr(res, "rowcount", 0))

    async def finish(self, community_id: int, key: str, status: str, now: datetime, token: str, detail: str = "") -> bool:
        """Mark the holder's claim sent or failed; False (nothing written) when another process took it over."""
        res = await self.session.execute(
            update(RitualRun)
            .where(RitualRun.community_id == community_id, RitualRun.key == key, RitualRun.claim_token == token)
            .values(status=status, done_at=now, detail=detail[:2000])
        )
        return bool(getattr(res, "rowcount", 0))

    async def settled(self, community_id: int, keys: list[str], stale_before: datetime) -> dict[str, str]:
        """Keys that need nothing more, with their status: sent, skipped, or claimed since ``stale_before``.

        A failed run, and a claim older than that (its process died mid-post), are still due: the
        runner retries them. A ritual that filters its own occurrences must use this, not "has a row".
        """
        return {k: s for k, s in (await self.statuses(community_id, keys, stale_before)).items() if s in SETTLED}

    async def statuses(self, community_id: int, keys: list[str], stale_before: datetime) -> dict[str, str]:
        """Every key that has a run, with its status; a claim not renewed since ``stale_before`` reads ``stale``."""
        out: dict[str, str] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i : i + 500]
            q = select(RitualRun.key, RitualRun.status, RitualRun.done_at).where(
                RitualRun.community_id == community_id, RitualRun.key.in_(chunk)
            )
            for key, status, done_at in await self.session.execute(q):
                stale = status == "claimed" and (done_at is None or done_at < stale_before)
                out[key] = "stale" if stale else str(status)
        return out

    async def abandon(self, community_id: int, untouched_since: datetime, now: datetime) -> None:
        """Mark skipped the runs left claimed or failed and untouched since ``untouched_since`` (past any grace: the
        runner would skip them if they were offered again, and they are not), so none stays open for good."""
        await self.session.execute(
            update(RitualRun)
            .where(
                RitualRun.community_id == community_id,
                RitualRun.status.in_((RunStatus.CLAIMED, RunStatus.FAILED)),
                RitualRun.done_at < untouched_since,
            )
            .values(status=RunStatus.SKIPPED, done_at=now, detail="abandoned: never finished within the grace")
        )

    async def prune(self, community_id: int, ritual: str, before: datetime) -> None:
        """Drop a frequent ritual's settled runs due before ``before``: for a ritual that offers only its latest
        occurrence (the hourly levels run), older rows are never asked about again."""
        await self.session.execute(
            delete(RitualRun).where(
                RitualRun.community_id == community_id,
                RitualRun.ritual == ritual,
                RitualRun.due_at < before,
                RitualRun.status.in_((RunStatus.SENT, RunStatus.SKIPPED)),
            )
        )


class BotMessageRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(
        self, community_id: int, message_id: str, place: str | None, purpose: str, now: datetime, delete_at: datetime | None = None
    ) -> None:
        self.session.add(
            BotMessage(community_id=community_id, message_id=message_id, place=place, purpose=purpose, created_at=now, delete_at=delete_at)
        )

    async def latest(self, community_id: int, purpose: str) -> BotMessage | None:
        q = (
            select(BotMessage)
            .where(BotMessage.community_id == community_id, BotMessage.purpose == purpose)
            .order_by(BotMessage.id.desc())
            .limit(1)
        )
        return await self.session.scalar(q)

    async def due_for_deletion(self, now: datetime, limit: int = 200) -> list[BotMessage]:
        q = (
            select(BotMessage)
            .where(BotMessage.delete_at.is_not(None), BotMessage.delete_at <= now)
            .order_by(BotMessage.delete_at)
            .limit(limit)
        )
        return list(await self.session.scalars(q))

    async def forget(self, ids: list[int]) -> None:
        if ids:
            await self.session.execute(delete(BotMessage).where(BotMessage.id.in_(ids)))

    async def made_for(self, community_id: int, prefix: str) -> list[BotMessage]:
        """The messages kept under a purpose starting with ``prefix`` (a feature's ledger of what it posted)."""
        q = select(BotMessage).where(BotMessage.community_id == community_id, BotMessage.purpose.startswith(prefix, autoescape=True))
        return list(await self.session.scalars(q.order_by(BotMessage.id)))

    async def forget_made(self, community_id: int, purpose: str, message_ids: list[str]) -> None:
        """Forget those messages of a purpose (they are gone from the platform)."""
        if message_ids:
            await self.session.execute(
                delete(BotMessage).where(
                    BotMessage.community_id == community_id, BotMessage.purpose == purpose, BotMessage.message_id.in_(message_ids)
                )
            )
