"""The one place that decides what a person may do in a community.

Adapters report only what the platform says of the sender (``event.role``: the bot itself, an anonymous
admin, a linked channel, the platform's admins as managers and Discord's *Moderate Members* as moderators)
and the platform's groups they are in (``Person.groups``: Discord role ids). The config's ``managers`` and
``moderators`` lists (user ids, or Discord role ids) and ``[unlisted] admins`` are applied here, for every
platform alike: by the router for each event, and by features that ask about someone who did not act
(the rules gate about a newcomer).
"""

from __future__ import annotations

from bot.core.community import CommunityInfo
from bot.core.events import Person, Role


def named(info: CommunityInfo, person: Person) -> Role:
    """What the config's staff lists make of the person: MANAGER, MODERATOR or MEMBER."""
    ids = {person.ref.id, *person.groups}
    if ids & info.managers:
        return Role.MANAGER
    if ids & info.moderators:
        return Role.MODERATOR
    return Role.MEMBER


def decide(info: CommunityInfo, person: Person, platform_role: Role, unlisted_cap: Role) -> Role:
    """The role the person acts with: the higher of the platform's and the config's.

    In a chat the config does not list, the chat's own admins are at most ``unlisted_cap`` (``[unlisted]
    admins``); whoever must never be moderated (anonymous admins, linked channels) stays so.
    """
    if platform_role is not Role.MEMBER and not info.listed:
        return _capped(platform_role, unlisted_cap)
    config_role = named(info, person)
    if platform_role.is_staff and platform_role > Role.MANAGER:
        return platform_role  # the bot itself, anonymous admins and linked channels keep what they are
    return max(platform_role, config_role)


def _capped(role: Role, cap: Role) -> Role:
    """``role`` limited to ``cap``'s commands; staff that must never be moderated stay staff."""
    if role.rank <= cap.rank:
        return role
    if role is Role.ANONYMOUS_ADMIN and cap is Role.MEMBER:
        return Role.LINKED_CHANNEL  # still never moderated, and no commands (rank 0)
    return cap if role <= Role.MANAGER else Role.LINKED_CHANNEL
