"""One place decides a member's role (``bot.core.roles``): the platform's word and the config's lists."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.core import roles
from bot.core.community import CommunityInfo
from bot.core.events import Person, Role
from bot.core.ids import ChatRef, UserRef
from bot.core.settings.community import CommunitySettings


def info(listed: bool = True) -> CommunityInfo:
    return CommunityInfo(
        1, ChatRef("discord", "g1"), "Town", CommunitySettings(), ZoneInfo("UTC"),
        managers=frozenset({"42", "role-admins"}), moderators=frozenset({"7", "role-mods"}), listed=listed,
    )  # fmt: skip


def who(user: str, *groups: str) -> Person:
    return Person(UserRef("discord", user), user, groups=groups)


def test_the_config_names_people_or_their_platform_groups() -> None:
    assert roles.decide(info(), who("42"), Role.MEMBER, Role.MANAGER) is Role.MANAGER
    assert roles.decide(info(), who("5", "role-admins"), Role.MEMBER, Role.MANAGER) is Role.MANAGER  # a Discord role id
    assert roles.decide(info(), who("6", "role-mods"), Role.MEMBER, Role.MANAGER) is Role.MODERATOR
    assert roles.decide(info(), who("9", "other"), Role.MEMBER, Role.MANAGER) is Role.MEMBER


def test_the_higher_of_the_platforms_and_the_configs_role() -> None:
    # Discord's Moderate Members named a manager in the config: a manager (both said so; the config said more).
    assert roles.decide(info(), who("42"), Role.MODERATOR, Role.MANAGER) is Role.MANAGER
    assert roles.decide(info(), who("7"), Role.MANAGER, Role.MANAGER) is Role.MANAGER
    # Whoever must never be moderated keeps what they are.
    assert roles.decide(info(), who("42"), Role.SELF, Role.MANAGER) is Role.SELF
    assert roles.decide(info(), who("1"), Role.LINKED_CHANNEL, Role.MANAGER) is Role.LINKED_CHANNEL


def test_an_unlisted_chats_own_admins_are_capped() -> None:
    assert roles.decide(info(listed=False), who("1"), Role.MANAGER, Role.MODERATOR) is Role.MODERATOR
    assert roles.decide(info(listed=False), who("1"), Role.ANONYMOUS_ADMIN, Role.MEMBER) is Role.LINKED_CHANNEL
    assert roles.named(info(), who("5", "role-mods")) is Role.MODERATOR
