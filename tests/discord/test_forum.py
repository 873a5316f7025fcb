"""Forum channels (#18.8): a forum post's place is its thread, and rubric places named by the forum still apply to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.conftest import START
from tests.discord.conftest import ANN, BOB
from tests.discord.fakes import FORUM, GENERAL, GUILD_ID
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

SHOW_TELL, QUESTION = "950000000000000001", "950000000000000002"  # the forum's tags
RUBRICS = {
    "rubrics": {
        "rubrics": [
            {"tag": "question", "title": "Questions", "required_in": [FORUM]},
            {"tag": "show_tell", "title": "Show & Tell", "allowed_in": [FORUM]},
        ]
    }
}


@pytest.fixture
async def forum(db_url: str) -> AsyncIterator[DiscordHarness]:
    async with discord_bot(discord_config(RUBRICS), db_url, START) as h:
        h.add_member(ANN, "Ann")
        h.add_member(BOB, "Bob")
        yield h


async def forum_post(h: DiscordHarness, user: str, text: str, tags: list[str]) -> str:
    """A member opens a post in the forum: the thread, then its first message (whose id is the thread's)."""
    thread = h.fake.snowflake()
    await h.fake.dispatch("THREAD_CREATE", thread_payload(thread, user, tags))
    await h.post(user, text, channel_id=thread, id=thread)
    return thread


def thread_payload(thread_id: str, owner: str, tags: list[str]) -> dict[str, Any]:
    return {
        "id": thread_id,
        "guild_id": GUILD_ID,
        "parent_id": FORUM,
        "owner_id": owner,
        "type": 11,
        "name": "A post",
        "applied_tags": tags,
        "thread_metadata": {
            "archived": False,
            "auto_archive_duration": 1440,
            "archive_timestamp": "2026-11-30T09:00:00+00:00",
            "locked": False,
        },
        "message_count": 0,
        "member_count": 1,
        "rate_limit_per_user": 0,
        "flags": 0,
        "newly_created": True,
    }


def bot_posts_in(h: DiscordHarness, channel: str) -> list[str]:
    return [r.body.get("content") or "" for r in h.sent() if r.path == f"/channels/{channel}/messages" and r.ok]


async def test_an_untagged_forum_post_is_nudged_where_the_forum_requires_a_tag(forum: DiscordHarness) -> None:
    untagged = await forum_post(forum, ANN, "Which glaze for stoneware?", [])
    await forum.until(lambda: bot_posts_in(forum, untagged), "the nudge in the post")
    assert "#question" in bot_posts_in(forum, untagged)[0]
    tagged = await forum_post(forum, BOB, "Kiln temperatures?", [QUESTION])
    await forum.post(ANN, "1240 °C for mine", channel_id=tagged)  # a comment in a post is not a post of the forum
    await forum.post(BOB, "No hashtag here", channel_id=GENERAL)  # the forum's rule is the forum's only
    assert bot_posts_in(forum, tagged) == [] and bot_posts_in(forum, GENERAL) == []
    assert forum.fake.violations == []


async def test_a_tag_allowed_in_the_forum_is_not_misplaced_in_a_forum_post(forum: DiscordHarness) -> None:
    shown = await forum_post(forum, ANN, "My first lamp", [SHOW_TELL, QUESTION])
    await forum.post(BOB, "#show_tell lovely! mine is below", channel_id=shown)  # in the post: in the forum too
    assert bot_posts_in(forum, shown) == []
    await forum.post(BOB, "#show_tell my bench", channel_id=GENERAL)
    await forum.until(lambda: bot_posts_in(forum, GENERAL), "the misplaced hint in #general")
    assert "#show\\_tell" in bot_posts_in(forum, GENERAL)[0]
