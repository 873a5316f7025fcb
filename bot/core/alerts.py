"""Something the moderators should see at once (a low survey score, urgent feedback), naming who can help."""

from __future__ import annotations

from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from bot.core.richtext import Mention, Rich, join, markup
from storage.repos.members import MemberRepo


async def helpers(ctx: Context, info: CommunityInfo) -> Rich | None:
    """The managers named in the config, as mentions (their names as the community knows them); None without any.

    On Discord the config may name a role instead of a person: an id the community has never seen as a
    member is such a role, and a user mention of it would read "@unknown-user", so it is left out.
    """
    known = await MemberRepo(ctx.session).names(info.id, sorted(info.managers))
    values: dict[str, Mention] = {}
    for manager in sorted(info.managers):
        name = known.get(manager)
        if name is None and info.chat.platform == "discord":
            continue
        values[f"m{len(values)}"] = Mention(UserRef(info.chat.platform, manager), name or manager)
        if len(values) == 10:
            break
    if not values:
        return None
    return markup(", ".join("{" + k + "}" for k in values), values)


async def alert_moderators(ctx: Context, info: CommunityInfo, t: Translator, text: Rich) -> bool:
    """Post ``text`` to the moderators' log, not silently, with the managers to ask, once the event's work is
    committed (nothing waits on the platform meanwhile); False without a log."""
    who = await helpers(ctx, info)
    body = join([text, t.t("core.alert.helpers", managers=who)], blank_line=False) if who is not None else text
    send = info.to_log(body, silent=False)
    if send is None:
        return False
    ctx.after_commit(send)
    return True
