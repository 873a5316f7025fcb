"""Something the moderators should see at once (a low survey score, urgent feedback), naming who can help."""

from __future__ import annotations

from datetime import datetime, timedelta
from weakref import WeakKeyDictionary

from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from bot.core.richtext import Mention, Rich, join, markup
from bot.core.runtime import Runtime
from storage.repos.members import MemberRepo

NAMES_FOR = timedelta(minutes=10)  # how long the managers' names are trusted (an alert per low score must not query)
_NAMES: WeakKeyDictionary[Runtime, dict[int, tuple[datetime, dict[str, str]]]] = WeakKeyDictionary()


async def _manager_names(ctx: Context, info: CommunityInfo) -> dict[str, str]:
    """The managers' names as the community knows them, read at most every ``NAMES_FOR`` per community: a
    survey's low scores alert one after another, and a renamed manager may read the old name that long."""
    per = _NAMES.setdefault(ctx.rt, {})
    cached = per.get(info.id)
    if cached is not None and ctx.now - cached[0] < NAMES_FOR:
        return cached[1]
    known = await MemberRepo(ctx.session).names(info.id, sorted(info.managers))
    per[info.id] = (ctx.now, known)
    return known


async def helpers(ctx: Context, info: CommunityInfo) -> Rich | None:
    """The managers named in the config, as mentions (their names as the community knows them); None without any.

    On Discord the config may name a role instead of a person: an id the community has never seen as a
    member is such a role, and a user mention of it would read "@unknown-user", so it is left out.
    """
    known = await _manager_names(ctx, info)
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
