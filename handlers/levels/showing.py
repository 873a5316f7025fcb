"""Levels shown where the platform allows: a Telegram member tag, the Discord role of the level.

``members.level_shown`` says what the platform shows; whatever differs from ``level`` is shown at the next
run, a batch at a time. A refusal for a missing right (Telegram's ``can_manage_tags``, Discord's Manage Roles
or a level role above the bot's own) pauses showing in that community for a while, is logged once and told
to the managers once per process; it never stops a promotion. Other refusals (a Telegram admin, who has no
tag; a member gone) are not tried again for that change.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.core.actions import Action, Failed, FailReason, SendMessage, SetMemberRoles, SetMemberTag
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from storage.repos.levels import LevelRepo

log = logging.getLogger("handlers.levels")

BATCH = 100  # platform changes a run makes at most, per community (Discord's role routes are rate limited)
PAUSE = timedelta(hours=6)  # after a refusal for a missing right, showing waits this long before trying again
TRANSIENT = (FailReason.UNAVAILABLE, FailReason.RATE_LIMITED)


def level_name(t: Translator, level: int) -> str:
    return t.s(f"levels.name.{level}")


def changes(info: CommunityInfo, t: Translator, user_id: str, level: int) -> list[Action]:
    """What shows ``level`` for this member: the tag (the level's own, else its name; none at 0) and the
    level's role, the other levels' roles taken away (only where the managers mapped roles)."""
    rules = info.settings.levels.rules
    user = UserRef(info.chat.platform, user_id)
    tag = (rules[level - 1].tag or level_name(t, level)) if level > 0 else ""
    out: list[Action] = [SetMemberTag(info.chat, user, tag)]
    roles = [r.role for r in rules if r.role]
    if roles:
        own = rules[level - 1].role if level > 0 else None
        out.append(SetMemberRoles(info.chat, user, add=(own,) if own else (), remove=tuple(r for r in roles if r != own)))
    return out


def hidden(info: CommunityInfo, user_id: str) -> list[Action]:
    """What takes a member's level off the platform (``/forgetme``)."""
    user = UserRef(info.chat.platform, user_id)
    roles = tuple(r.role for r in info.settings.levels.rules if r.role)
    return [SetMemberTag(info.chat, user, ""), *([SetMemberRoles(info.chat, user, remove=roles)] if roles else [])]


class Showing:
    """Shows levels on the platform; remembers (per process) where a missing right pauses it."""

    def __init__(self) -> None:
        self._paused: dict[int, datetime] = {}  # community id -> showing waits until then
        self._told: set[int] = set()  # communities whose managers heard of the missing right

    async def catch_up(self, ctx: Context) -> None:
        """Show what the platform does not show yet, a batch at a time."""
        info = ctx.here
        if not info.settings.levels.show or ctx.now < self._paused.get(info.id, ctx.now):
            return
        repo = LevelRepo(ctx.session)
        done: list[tuple[str, int]] = []
        try:
            for user_id, level, _ in await repo.unshown(info.id, BATCH):
                results = [await ctx.perform(a) for a in changes(info, ctx.t, user_id, level)]
                failed = [r for r in results if isinstance(r, Failed)]
                if any(r.reason is FailReason.FORBIDDEN for r in failed):
                    self._refused(ctx, failed)
                    return
                if any(r.reason in TRANSIENT for r in failed):
                    return  # the platform is busy: the rest at the next run
                for r in failed:
                    log.info("level %d of %s in %s not shown: %s (%s)", level, user_id, info.chat, r.reason, r.detail)
                done.append((user_id, level))
        finally:
            await repo.shown(info.id, done)  # one statement for the batch, whatever stopped it

    def _refused(self, ctx: Context, failed: list[Failed]) -> None:
        info = ctx.here
        self._paused[info.id] = ctx.now + PAUSE
        if info.id in self._told:
            return
        self._told.add(info.id)
        detail = "; ".join(r.detail for r in failed)
        log.warning("levels cannot be shown in %s (%s): the managers are told; trying again in %s", info.chat, detail, PAUSE)
        text = ctx.t.t(f"levels.refused.{info.chat.platform}")
        action = info.to_log(text) or SendMessage(info.chat, text, place=info.main_place)
        ctx.after_commit(action)
