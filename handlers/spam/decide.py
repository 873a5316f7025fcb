"""The one place that decides: verdicts + member state + strikes -> an action, by the community's policy."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.core.settings.spam import SpamSettings
from handlers.spam.detectors import Verdict, combine
from storage.repos.members import MemberState


class Step(enum.StrEnum):
    """What happens to the sender. The message itself is deleted for every step but NONE."""

    NONE = "none"
    DELETE = "delete"  # policy "delete": only the message goes
    EXPLAIN = "warn"  # first strike: delete and explain by DM
    MUTE = "mute"  # second strike: warn in the chat and mute for a while
    BAN = "ban"  # third strike, or obvious spam from a newcomer: remove


@dataclass(frozen=True, slots=True)
class Judgement:
    score: float
    verdicts: tuple[Verdict, ...]
    spam: bool
    obvious_newcomer: bool  # delete and ban at once, no ladder

    def reasons(self) -> str:
        return ",".join(f"{v.reason}:{v.score:.2f}" for v in sorted(self.verdicts, key=lambda v: -v.score))


def is_newcomer(member: MemberState | None, now: datetime, settings: SpamSettings) -> bool:
    """The sandbox: joined recently (while the bot watched) or too few clean messages yet."""
    if member is None:
        return True
    if member.message_count < settings.newcomer_clean_messages:
        return True
    return member.joined_at is not None and now - member.joined_at < settings.newcomer_period


def judge(verdicts: list[Verdict], newcomer: bool, settings: SpamSettings) -> Judgement:
    score = combine(verdicts)
    spam = score >= settings.threshold
    obvious = spam and newcomer and settings.ban_obvious_newcomer_spam and score >= settings.obvious_threshold
    return Judgement(round(score, 3), tuple(verdicts), spam, obvious)


def first_step(j: Judgement, settings: SpamSettings) -> Step | None:
    """The step known without strikes; ``None`` means: climb the ladder (needs the member's strike count)."""
    if not j.spam:
        return Step.NONE
    if j.obvious_newcomer:
        return Step.BAN
    if settings.policy == "delete":
        return Step.DELETE
    return None


def ladder(strikes: int) -> Step:
    """First strike: explain; second: warn and mute; third and later: remove."""
    if strikes <= 1:
        return Step.EXPLAIN
    if strikes == 2:
        return Step.MUTE
    return Step.BAN
