"""Participation levels on Discord (#21.3): the roles the managers mapped to levels, given and taken by discord.py
against the fake, which refuses as Discord does (no Manage Roles, or a level role not below the bot's own)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.conftest import START
from tests.discord.conftest import ANN, BOB, MIA
from tests.discord.fakes import BOT_INVITE_PERMISSIONS, LOG, MANAGE_ROLES, MANAGER_ROLE
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

WITH_ROLES = BOT_INVITE_PERMISSIONS | MANAGE_ROLES  # the invite URL, and Manage Roles as docs/discord.md asks for levels
MEMBERS_ROLE, REGULARS_ROLE, PILLARS_ROLE = "940000000000000011", "940000000000000012", "940000000000000013"


def settings() -> dict[str, Any]:
    return {
        "log_place": LOG,
        "admin": {"weekly_report": False},
        "levels": {
            "enabled": True,
            "window": "7d",
            "member": {"days_active": 2, "posts": 2, "role": MEMBERS_ROLE},
            "regular": {"days_active": 2, "posts": 3, "replies": 1, "role": REGULARS_ROLE},
            "pillar": {"days_active": 5, "posts": 9, "replies": 5, "kudos": 3, "role": PILLARS_ROLE},
        },
    }


async def two_days(h: DiscordHarness) -> None:
    """Ann earns Regular, Bob Member; Mia (a manager by the config's role) posts more and holds none."""
    for uid, name, roles in ((ANN, "Ann", []), (MIA, "Mia", [MANAGER_ROLE]), (BOB, "Bob", [])):
        h.add_member(uid, name, roles=roles)
        await h.post(uid, "good morning")
    h.clock.advance(timedelta(days=1))
    tip = await h.post(BOB, "the hardware shop has solder on sale")
    reply = {"type": 19, "message_reference": {"message_id": tip["id"], "channel_id": tip["channel_id"]}, "referenced_message": tip}
    await h.post(ANN, "the lead-free one is good", **reply)
    await h.post(ANN, "see you at the repair café")
    for text in ("café on Friday", "bring your toasters", "and kettles"):
        await h.post(MIA, text, **reply)
    h.clock.advance(timedelta(hours=1))
    await h.app.rituals.tick(h.clock.now())


def role_calls(h: DiscordHarness) -> list[tuple[str, str, int]]:
    template = "/guilds/{guild_id}/members/{user_id}/roles/{role_id}"
    return [(r.method, r.path.rsplit("/", 1)[-1], r.status) for m in ("PUT", "DELETE") for r in h.fake.calls(m, template)]


async def test_levels_are_given_as_the_mapped_roles(db_url: str) -> None:
    async with discord_bot(discord_config(settings(), managers=[MANAGER_ROLE]), db_url, START, bot_permissions=WITH_ROLES) as h:
        for role_id, name in ((MEMBERS_ROLE, "Members"), (REGULARS_ROLE, "Regulars"), (PILLARS_ROLE, "Pillars")):
            h.fake.add_role(role_id, name, position=1)  # below the bot's role, as docs/discord.md asks
        await two_days(h)
        assert h.fake.member_roles[ANN] == [REGULARS_ROLE] and h.fake.member_roles[BOB] == [MEMBERS_ROLE]
        assert h.fake.member_roles[MIA] == [MANAGER_ROLE]
        assert all(status == 204 for _, _, status in role_calls(h))


async def test_a_level_role_above_the_bot_is_refused_told_once_and_nothing_breaks(db_url: str) -> None:
    async with discord_bot(discord_config(settings(), managers=[MANAGER_ROLE]), db_url, START, bot_permissions=WITH_ROLES) as h:
        h.fake.add_role(MEMBERS_ROLE, "Members", position=1)
        h.fake.add_role(REGULARS_ROLE, "Regulars", position=3)  # above the bot's own role (2): Discord refuses
        h.fake.add_role(PILLARS_ROLE, "Pillars", position=1)
        await two_days(h)
        refused = [c for c in role_calls(h) if c[2] == 403]
        assert len(refused) == 1  # the first refusal pauses showing in the server
        told = [m["content"] for m in h.fake.posted if m["channel_id"] == LOG and "Manage Roles" in m["content"]]
        assert len(told) == 1 and "above the level roles" in told[0]
        h.clock.advance(timedelta(hours=1))
        await h.app.rituals.tick(h.clock.now())
        assert len([c for c in role_calls(h) if c[2] == 403]) == 1
        assert len([m for m in h.fake.posted if "Manage Roles" in m["content"]]) == 1


async def test_without_manage_roles_no_role_is_given(db_url: str) -> None:
    async with discord_bot(discord_config(settings(), managers=[MANAGER_ROLE]), db_url, START) as h:
        [told] = [m["content"] for m in h.fake.posted if "missing some permissions" in m["content"]]  # at start-up
        assert "Manage Roles" in told
        for role_id, name in ((MEMBERS_ROLE, "Members"), (REGULARS_ROLE, "Regulars"), (PILLARS_ROLE, "Pillars")):
            h.fake.add_role(role_id, name, position=1)
        await two_days(h)
        assert [c[2] for c in role_calls(h)] == [403]
        assert h.fake.member_roles[ANN] == [] and h.fake.member_roles[BOB] == []
        await h.slash(ANN, "level")
        answer = [r.body for r in h.fake.requests if "/callback" in r.path][-1]
        assert "Regular" in str(answer)  # the level holds; only its role is missing
