"""The welcome DM: rules in short, how to start, buttons; and what to do when DMs are closed."""

from __future__ import annotations

from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from bot.core.richtext import Mention, Rich, join, markup
from storage.models.onboarding import Newcomer
from storage.models.states import GateState

from . import texts


def welcome_dm(t: Translator, info: CommunityInfo, member: Mention, row: Newcomer) -> Rich:
    ob = info.settings.onboarding
    vals = texts.values(t, info, member)
    parts = [texts.template_or_key(t, ob.welcome_dm_text, "onboarding.dm", vals)]
    rules = info.settings.pinned.rules
    if rules:
        parts.append(join([markup("- {rule}", rule=r) for r in rules], blank_line=False))
    parts.append(t.t("onboarding.dm.start", vals))
    if row.gate_state == GateState.PENDING and ob.gate.mode == "answer":
        parts.append(t.t("onboarding.gate.dm_question", community=info.name, question=ob.gate.question))
    return join(parts)


async def send_welcome_dm(ctx: Context, info: CommunityInfo, t: Translator, user: UserRef, name: str, row: Newcomer) -> bool:
    """Try the DM now; when it can't be delivered, mark it pending for the member's Start. True when delivered."""
    result = await ctx.direct(user, welcome_dm(t, info, Mention(user, name), row), buttons=texts.dm_buttons(t, info))
    if result.ok:
        row.dm_pending = False
        row.dm_sent_at = ctx.now
        return True
    row.dm_pending = True  # closed, refused or the platform hiccuped: it goes out when they start the bot
    return False
