"""The one place that decides: verdicts + member state + strikes -> an action, by the community's policy."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime

from bot.core.ladder import rung
from bot.core.settings.spam import SpamSettings
from handlers.spam.detectors import Verdict, combine
from storage.repos.members import MemberState


class Step(enum.StrEnum):
    """What happens to the sender. The message itself is deleted for every step but NONE and FLAG."""

    NONE = "none"
    FLAG = "flag"  # looks like spam, but nothing backs the text: left in place, the moderators decide
    DELETE = "delete"  # policy "delete": only the message goes
    EXPLAIN = "warn"  # first strike: delete and explain by DM
    MUTE = "mute"  # second strike: warn in the chat and mute for a while
    BAN = "ban"  # third strike, or obvious spam from a newcomer: remove


# The community's own rules and the shared ban list: a moderator's word, acted on whoever posts.
RULES = frozenset({"stop_phrase", "block_pattern", "banlist", "known_image"})
# What a member does rather than writes: the same text across chats, a flood, repeats.
BEHAVIOUR = frozenset({"flood", "duplicate", "duplicate_across"})
# What the text alone says.
CONTENT = frozenset({"classifier", "disguise", "lookalike", "credentials"})
CONTENT_FIRED = 0.5  # the classifier's verdict counts from here (detectors report it from 0.5)
OVERWHELMING = 0.995  # a text this certain needs no lure beside it, even from a newcomer


@dataclass(frozen=True, slots=True)
class Judgement:
    score: float
    verdicts: tuple[Verdict, ...]
    spam: bool  # act on it: remove (or, in shadow mode, say it would)
    obvious_newcomer: bool  # delete and ban at once, no ladder
    flagged: bool = False  # looks like spam but nothing backs it: the moderators' log, nothing removed
    lures: tuple[str, ...] = ()
    vetoed: bool = False  # the LLM's second opinion kept it for the moderators (``second``)

    def reasons(self) -> str:
        """What fired, strongest first: ``classifier:0.93,newcomer_link:0.50,lure_pay``."""
        items = [f"{v.reason}:{v.score:.2f}" for v in sorted(self.verdicts, key=lambda v: -v.score) if v.score > 0]
        return ",".join(items + [f"lure_{lure}" for lure in self.lures if lure in _LURE_REASONS] + ["llm_veto"] * self.vetoed)


# Lures already named by a verdict (link, invite, contact, forward, lookalike) are not listed twice.
_LURE_REASONS = frozenset({"dm", "pay", "promo", "adult"})  # ("credentials" is a verdict of its own)


def is_newcomer(member: MemberState | None, now: datetime, settings: SpamSettings, levels: bool) -> bool:
    """The sandbox: joined recently (while the bot watched) or too few clean messages yet; with participation
    levels on (``levels``), a member of level 1 or more is established whatever the time (proven by taking part)."""
    if member is None:
        return True
    if levels and member.level >= 1:
        return False
    if member.message_count < settings.newcomer_clean_messages:
        return True
    return member.joined_at is not None and now - member.joined_at < settings.newcomer_period


def judge(
    verdicts: list[Verdict], newcomer: bool, settings: SpamSettings, lures: tuple[str, ...] = (), ordinary: bool = False
) -> Judgement:
    """Decide with care, act with proportion.

    * the community's rules (stop phrases, patterns, the ban list) act on anyone;
    * an established member's message is removed only when behaviour backs the
      score (a flood, the same text repeated or across chats); a score from the
      text alone goes to the moderators' log as "looks like spam";
    * a newcomer's message is removed when the classifier *and* an independent
      lure agree (``lures``), when behaviour backs it, or when the text alone is
      overwhelmingly certain (not when it reads as ordinary talk that quotes
      lure words, ``ordinary``: a warning about a scam, a sale, a salary);
      otherwise it is flagged too.
    """
    score = combine(verdicts)
    over = score >= settings.threshold
    reasons = {v.reason for v in verdicts if v.score > 0}
    content = combine([v for v in verdicts if v.reason in CONTENT])
    if not over:
        act = False
    elif reasons & RULES or reasons & BEHAVIOUR:
        act = True
    elif newcomer:
        # the sandbox's own verdicts (a fresh account posting an invite and a contact card) are behaviour too
        sandbox = combine([v for v in verdicts if v.reason.startswith("newcomer_")])
        sure = content >= OVERWHELMING and not ordinary
        act = (content >= CONTENT_FIRED and bool(lures)) or sure or sandbox >= settings.threshold
    else:
        act = False
    obvious = act and newcomer and settings.ban_obvious_newcomer_spam and score >= settings.obvious_threshold
    return Judgement(round(score, 3), tuple(verdicts), act, obvious, over and not act, lures if newcomer else ())


def first_step(j: Judgement, settings: SpamSettings) -> Step | None:
    """The step known without strikes; ``None`` means: climb the ladder (needs the member's strike count)."""
    if j.flagged:
        return Step.FLAG
    if not j.spam:
        return Step.NONE
    if j.obvious_newcomer:
        return Step.BAN
    if settings.policy == "delete":
        return Step.DELETE
    return None


def ladder(strikes: int) -> Step:
    """First strike: explain; second: warn and mute; third and later: remove (``bot/core/ladder.py``, shared with /warn)."""
    return Step(rung(strikes).value)
