"""Clean welcome: the previous welcome goes when the next one comes."""

from __future__ import annotations

from datetime import datetime

from bot.core.actions import DeleteMessage
from bot.core.context import Context
from bot.core.ids import MessageRef
from storage.repos.housekeeping import BotMessageRepo
from storage.repos.onboarding import NewcomerRepo

PURPOSE = "welcome"


async def replace_welcome(ctx: Context, new: MessageRef) -> None:
    """Remember ``new`` as the current welcome; delete the previous one when the community wants clean welcomes."""
    info = ctx.here
    repo = BotMessageRepo(ctx.session)
    old = await repo.latest(info.id, PURPOSE)
    if old is not None:
        if info.settings.onboarding.clean_welcome:
            ctx.after_commit(DeleteMessage(MessageRef(info.chat, old.message_id, old.place), posted_at=old.created_at))
        await repo.forget([old.id])
    ctx.remember_message(new, PURPOSE)  # the latest welcome is known either way (a spammer's is withdrawn)


async def withdraw_welcome(ctx: Context, user_id: str, joined_at: datetime) -> None:
    """A newcomer the moderators (or the spam filter) removed: the welcome that greeted them alone goes too.

    A welcome that may name others (a join wave's, or any posted after someone else joined) stays.
    """
    info = ctx.here
    repo = BotMessageRepo(ctx.session)
    latest = await repo.latest(info.id, PURPOSE)
    if latest is None or latest.created_at < joined_at:
        return
    if await NewcomerRepo(ctx.session).others_joined_since(info.id, joined_at, user_id):
        return
    ctx.after_commit(DeleteMessage(MessageRef(info.chat, latest.message_id, latest.place)))
    await repo.forget([latest.id])
