"""Polls on Discord, end to end: the real discord.py client posts a poll message, votes come as gateway events
(``MESSAGE_POLL_VOTE_ADD``/``REMOVE``, sent only for the GUILD_MESSAGE_POLLS intent), the closing ritual ends the
poll (``/polls/{message_id}/expire``) and posts the results; where Discord cannot do what is asked, buttons."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.core.events import PollVoted
from storage.models.polls import PollVote
from tests.conftest import START
from tests.discord.conftest import ANN, BOB, MIA
from tests.discord.fakes import BOT_INVITE_PERMISSIONS, GUILD_MESSAGE_POLLS, MANAGER_ROLE, SEND_POLLS
from tests.discord.harness import DiscordHarness, discord_bot, discord_config

EXPIRE = "/channels/{channel_id}/polls/{message_id}/expire"
QUIET = {"admin": {"weekly_report": False}, "rituals": {"weekly_prompt": {"enabled": False}}}


@pytest.fixture
async def dbot(db_url: str) -> AsyncIterator[DiscordHarness]:
    async with discord_bot(discord_config(QUIET, managers=[MANAGER_ROLE]), db_url, START) as h:
        for uid, name, roles in ((ANN, "Ann", None), (MIA, "Mia", [MANAGER_ROLE]), (BOB, "Bob", None)):
            h.add_member(uid, name, roles=roles)
        yield h


def poll_message(h: DiscordHarness) -> dict:
    return next(m for m in reversed(list(h.fake.messages.values())) if m.get("poll"))


async def votes(h: DiscordHarness) -> list[tuple[str, int]]:
    async with h.app.db.sessions() as s:
        return sorted((v.user_id, v.option) for v in await s.scalars(select(PollVote)))


async def test_poll_message_votes_and_end(dbot: DiscordHarness) -> None:
    h = dbot
    assert h.fake.identify is not None and h.fake.identify["intents"] & GUILD_MESSAGE_POLLS
    await h.slash(MIA, "poll", "Which evening? | Mon | Wed | Fri --close 90m")
    (sent,) = [r for r in h.sent() if r.body.get("poll")]
    assert sent.body["poll"]["duration"] == 2 and [a["poll_media"]["text"] for a in sent.body["poll"]["answers"]] == ["Mon", "Wed", "Fri"]
    msg = poll_message(h)
    seen = len([e for e in h.events if isinstance(e, PollVoted)])
    await h.fake.vote(ANN, msg["id"], 2)
    await h.fake.vote(BOB, msg["id"], 1)
    await h.fake.vote(BOB, msg["id"], 1, added=False)  # single choice: Discord takes the old one back first
    await h.fake.vote(BOB, msg["id"], 3)
    await h.until(lambda: len([e for e in h.events if isinstance(e, PollVoted)]) == seen + 4, "four vote events")
    assert await votes(h) == [(ANN, 1), (BOB, 2)]

    h.clock.advance(timedelta(minutes=90))
    await h.app.tick()
    assert [r.status for r in h.sent(EXPIRE)] == [200]
    results = await h.until(lambda: [r for r in h.sent() if r.files], "the results with their chart")
    assert "Results: Which evening?" in results[0].body["content"] and "2 people voted" in results[0].body["content"]
    assert h.fake.violations == []


async def test_anonymous_or_no_send_polls_means_buttons(db_url: str) -> None:
    config = discord_config(QUIET, managers=[MANAGER_ROLE])
    async with discord_bot(config, db_url, START, bot_permissions=BOT_INVITE_PERMISSIONS & ~SEND_POLLS) as h:
        h.add_member(MIA, "Mia", roles=[MANAGER_ROLE])
        await h.slash(MIA, "poll", "Picnic day? | Sat | Sun")  # refused without SEND_POLLS (403, 50013): buttons
        await h.slash(MIA, "poll", "Honest: the workshop? | Great | Meh --anonymous")  # Discord shows voters: buttons
        assert [r.status for r in h.sent() if r.body.get("poll")] == [403]
        ballots = [r for r in h.sent() if r.body.get("components") and "poll:" in str(r.body["components"])]
        assert len(ballots) == 2 and "1. Sat" in ballots[0].body["content"]
        assert h.fake.violations == []
