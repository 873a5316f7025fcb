"""The bot removed someone (a spam ban, the last rung of a moderator's /warn): one way to say so."""

from __future__ import annotations

from bot.core.context import Context
from bot.core.events import LeaveKind
from bot.core.ids import UserRef
from bot.core.runtime import MEMBER_REMOVED, RemovedMember
from storage.repos.members import MemberRepo


async def removed(ctx: Context, community_id: int, user: UserRef, kind: str = LeaveKind.BANNED) -> None:
    """Record the leave and tell the other features (onboarding stops its campaign)."""
    await MemberRepo(ctx.session).left(community_id, user.id, kind, ctx.now)
    await ctx.rt.signal(MEMBER_REMOVED, ctx, RemovedMember(community_id, user.id, kind))
