"""Clean welcome: the previous welcome goes when the next one comes."""

from __future__ import annotations

from bot.core.actions import DeleteMessage
from bot.core.context import Context
from bot.core.ids import MessageRef
from storage.repos.housekeeping import BotMessageRepo

PURPOSE = "welcome"


async def replace_welcome(ctx: Context, new: MessageRef) -> None:
    """Remember ``new`` as the current welcome; delete the previous one when the community wants clean welcomes."""
    info = ctx.community
    assert info is not None
    if not info.settings.onboarding.clean_welcome:
        return
    repo = BotMessageRepo(ctx.session)
    old = await repo.latest(info.id, PURPOSE)
    if old is not None:
        ctx.after_commit(DeleteMessage(MessageRef(info.chat, old.message_id, old.place)))
        await repo.forget([old.id])
    ctx.remember_message(new, PURPOSE)
