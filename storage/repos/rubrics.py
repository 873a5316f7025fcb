"""The rubrics feature's queries: managers' definitions, the post index, counts, hint throttling."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import Table, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models.rubrics import RubricDef, RubricHint, RubricPost
from storage.repos.upsert import insert_for

_DEFS, _POSTS, _HINTS = (cast(Table, m.__table__) for m in (RubricDef, RubricPost, RubricHint))
SEARCH_WINDOW = 10_000  # a word search reads at most this many of a tag's latest posts


@dataclass(frozen=True, slots=True)
class IndexEntry:
    """What the index keeps of one post under one rubric."""

    tag: str
    author_id: str
    author_name: str
    message_id: str
    place: str | None
    posted_at: datetime
    excerpt: str | None  # None: excerpts are off


def _row(community_id: int, e: IndexEntry) -> dict[str, Any]:
    return {
        "community_id": community_id,
        "tag": e.tag,
        "author_id": e.author_id,
        "author_name": e.author_name[:128],
        "message_id": e.message_id,
        "place": e.place,
        "posted_at": e.posted_at,
        "excerpt": e.excerpt,
        "folded": e.excerpt.casefold() if e.excerpt is not None else None,
        "replies": 0,
    }


class RubricRepo:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # ---- definitions managers added with /rubric ----
    async def definitions(self, community_id: int) -> list[RubricDef]:
        q = select(RubricDef).where(RubricDef.community_id == community_id).order_by(RubricDef.id)
        return list(await self.session.scalars(q))

    async def save_definition(self, community_id: int, tag: str, data: dict[str, Any], removed: bool, by: str, now: datetime) -> None:
        stmt = insert_for(self.session, _DEFS).values(
            community_id=community_id, tag=tag, data=data, removed=removed, updated_by=by, updated_at=now
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["community_id", "tag"], set_={"data": data, "removed": removed, "updated_by": by, "updated_at": now}
        )
        await self.session.execute(stmt)

    # ---- the index ----
    async def index(self, community_id: int, entries: Sequence[IndexEntry]) -> None:
        """Add posts; an entry already there (same message and tag) gets the new excerpt."""
        if not entries:
            return
        stmt = insert_for(self.session, _POSTS).values([_row(community_id, e) for e in entries])
        stmt = stmt.on_conflict_do_update(
            index_elements=["community_id", "message_id", "tag"],
            set_={"excerpt": stmt.excluded.excerpt, "folded": stmt.excluded.folded, "author_name": stmt.excluded.author_name},
        )
        await self.session.execute(stmt)

    async def reindex(self, community_id: int, message_id: str, entries: Sequence[IndexEntry]) -> None:
        """After an edit: the message is indexed under exactly ``entries``' tags (none: removed from the index)."""
        keep = [e.tag for e in entries]
        q = delete(RubricPost).where(RubricPost.community_id == community_id, RubricPost.message_id == message_id)
        if keep:
            q = q.where(RubricPost.tag.not_in(keep))
        await self.session.execute(q)
        await self.index(community_id, entries)

    async def forget(self, community_id: int, message_id: str) -> int:
        res = await self.session.execute(
            delete(RubricPost).where(RubricPost.community_id == community_id, RubricPost.message_id == message_id)
        )
        return int(getattr(res, "rowcount", 0) or 0)

    async def add_reply(self, community_id: int, message_id: str) -> None:
        await self.session.execute(
            update(RubricPost)
            .where(RubricPost.community_id == community_id, RubricPost.message_id == message_id)
            .values(replies=RubricPost.replies + 1)
        )

    async def add_reactions(self, community_id: int, message_id: str, delta: int) -> None:
        """Reactions added (or, negative, taken back) on a post; never below zero."""
        p = RubricPost
        q = update(p).where(p.community_id == community_id, p.message_id == message_id)
        if delta < 0:
            q = q.where(p.reactions >= -delta)
        await self.session.execute(q.values(reactions=p.reactions + delta))

    async def set_reactions(self, community_id: int, message_id: str, total: int) -> None:
        p = RubricPost
        await self.session.execute(update(p).where(p.community_id == community_id, p.message_id == message_id).values(reactions=total))

    async def message_ids_since(self, community_id: int, since: datetime) -> set[str]:
        q = select(RubricPost.message_id).where(RubricPost.community_id == community_id, RubricPost.posted_at >= since)
        return set(await self.session.scalars(q))

    # ---- finding ----
    async def find(
        self, community_id: int, tag: str, words: Sequence[str] = (), offset: int = 0, limit: int = 5, window: int = SEARCH_WINDOW
    ) -> list[RubricPost]:
        """Newest first. ``words`` (casefolded) must all occur in the excerpt.

        A word search reads excerpts one by one, so it looks at the tag's latest
        ``window`` posts only: a rare word then costs a bounded scan, not the whole history.
        """
        q = select(RubricPost).where(RubricPost.community_id == community_id, RubricPost.tag == tag)
        if words:
            cutoff = await self.session.scalar(
                select(RubricPost.posted_at)
                .where(RubricPost.community_id == community_id, RubricPost.tag == tag)
                .order_by(RubricPost.posted_at.desc())
                .offset(window)
                .limit(1)
            )
            if cutoff is not None:
                q = q.where(RubricPost.posted_at > cutoff)
        for w in words:
            q = q.where(RubricPost.folded.contains(w, autoescape=True))
        q = q.order_by(RubricPost.posted_at.desc(), RubricPost.id.desc()).offset(offset).limit(limit)
        return list(await self.session.scalars(q))

    async def by_author(self, community_id: int, author_id: str, offset: int = 0, limit: int = 5) -> list[RubricPost]:
        q = (
            select(RubricPost)
            .where(RubricPost.community_id == community_id, RubricPost.author_id == author_id)
            .order_by(RubricPost.posted_at.desc(), RubricPost.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return list(await self.session.scalars(q))

    async def between(self, community_id: int, start: datetime, end: datetime) -> list[RubricPost]:
        """Posts in [start, end), by tag, most replied first, then newest."""
        q = (
            select(RubricPost)
            .where(RubricPost.community_id == community_id, RubricPost.posted_at >= start, RubricPost.posted_at < end)
            .order_by(RubricPost.tag, RubricPost.replies.desc(), RubricPost.posted_at.desc())
        )
        return list(await self.session.scalars(q))

    async def counts(self, community_id: int, start: datetime, end: datetime) -> dict[str, int]:
        """Posts per rubric in [start, end): for /rubric list and the analytics feature."""
        q = (
            select(RubricPost.tag, func.count())
            .where(RubricPost.community_id == community_id, RubricPost.posted_at >= start, RubricPost.posted_at < end)
            .group_by(RubricPost.tag)
        )
        return {tag: int(n) for tag, n in (await self.session.execute(q)).all()}

    # ---- hint throttling ----
    async def hint_once(self, community_id: int, user_id: str, key: str, day: date) -> bool:
        """Record a hint; False when this member already had this one today."""
        stmt = insert_for(self.session, _HINTS).values(community_id=community_id, user_id=user_id, key=key[:80], day=day)
        res = await self.session.execute(stmt.on_conflict_do_nothing())
        return bool(getattr(res, "rowcount", 0))
