"""A seeded history with answers worked out by hand (see test_metrics.py), written through the core's write path."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.core.ids import ChatRef
from bot.core.tracking import Batch
from bot.harness import LocalBot
from storage.models import Member


def at(day: int, hour: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=UTC)


# user_id: (joined_at, first_message_at, is_bot)
MEMBERS: dict[str, tuple[datetime | None, datetime | None, bool]] = {
    "ann": (None, at(1, 9, 10), False),
    "bob": (None, at(2, 9, 10), False),
    "fay": (None, at(5, 9), False),
    "gus": (None, at(20, 9, 10), False),
    "mo": (at(10, 12), at(12, 10), False),  # 14-day cohort: posted after 2 days
    "pat": (at(11, 12), at(26, 13), False),  # 14-day cohort: posted after 15 days (too late)
    "nia": (at(15, 12), None, False),  # 14-day cohort: never
    "eve": (at(17, 8), at(17, 9), False),  # 7-day cohort: posted within the hour
    "jon": (at(18, 12), None, False),  # 7-day cohort: never
    "kim": (at(19, 9), at(20, 10), False),  # 7-day cohort: next day
    "lou": (at(21, 0), at(29, 10), False),  # 7-day cohort: after 8 days (too late)
    "cat": (at(24, 10), at(25, 9), False),  # new this week
    "hal": (at(25, 10), None, True),  # a bot: never counted
    "dan": (at(26, 12), at(27, 10), False),  # new this week
    "ivy": (at(29, 15), None, False),  # new this week
}

# (day, user_id, messages, replies)
ACTIVITY: list[tuple[date, str, int, int]] = [
    (date(2026, 10, 20), "gus", 1, 0),  # older than 30 days
    (date(2026, 11, 5), "fay", 3, 0),
    (date(2026, 11, 12), "mo", 1, 0),
    (date(2026, 11, 17), "ann", 1, 0),  # previous week: Nov 17-23
    (date(2026, 11, 17), "eve", 2, 0),
    (date(2026, 11, 20), "bob", 1, 1),
    (date(2026, 11, 20), "kim", 1, 0),
    (date(2026, 11, 24), "ann", 5, 0),  # this week: Nov 24-30
    (date(2026, 11, 24), "bob", 2, 2),
    (date(2026, 11, 25), "ann", 3, 1),
    (date(2026, 11, 25), "cat", 1, 0),
    (date(2026, 11, 26), "pat", 2, 0),
    (date(2026, 11, 27), "bob", 4, 3),
    (date(2026, 11, 27), "dan", 1, 1),
    (date(2026, 11, 29), "lou", 1, 0),
    (date(2026, 11, 30), "ann", 2, 0),
]


async def seed(bot: LocalBot) -> int:
    """Write the history into the bot's database; returns the community id."""
    rt = bot.app.rt
    async with rt.db.sessions() as s:
        info = await rt.directory.resolve(ChatRef("local", "town"), bot.clock.now())
        for uid, (joined, first, is_bot) in MEMBERS.items():
            count = sum(m for _, u, m, _ in ACTIVITY if u == uid)
            s.add(
                Member(
                    community_id=info.id, user_id=uid, display_name=uid.title(), is_bot=is_bot,
                    joined_at=joined, first_message_at=first, message_count=count,
                )
            )  # fmt: skip
        await s.flush()
        # Two batches through the tracker's own write path, the second adding to rows of the first.
        half = len(ACTIVITY) // 2
        for part in (ACTIVITY[:half], ACTIVITY[half:]):
            await rt.tracker.write(s, Batch({}, {(info.id, d, u): [m, r] for d, u, m, r in part}))
        await s.commit()
        return info.id
