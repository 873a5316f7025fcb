"""Detectors: each looks at one thing and returns verdicts ``(reason, score)``; none of them acts.

*Content* detectors read only the text (the ``spam-check`` command runs exactly
these); *behaviour* detectors also know who posted and what came before
(newcomer sandbox, flood, duplicates). ``decide`` combines the verdicts.
"""

from __future__ import annotations

import re
from collections import OrderedDict, deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.events import MessageKind
from bot.core.settings.spam import SpamSettings
from handlers.spam.domains import lookalikes
from handlers.spam.lexicon import lure_groups
from handlers.spam.model import ADULT, PER_DAY, Model
from handlers.spam.normalize import MONEY, Normalized, fold_phrase


@dataclass(frozen=True, slots=True)
class Verdict:
    reason: str  # a stable id, also the catalog key suffix ``spam.reason.<reason>``
    score: float  # 0..1: how sure this detector alone is


def combine(verdicts: list[Verdict]) -> float:
    """Noisy-or: independent pieces of evidence add up, none exceeds 1."""
    keep = 1.0
    for v in verdicts:
        keep *= 1.0 - max(0.0, min(1.0, v.score))
    return 1.0 - keep


# ---- content -----------------------------------------------------------------

TRICK_SCORES = (0.0, 0.2, 0.45, 0.6)
LOOKALIKE_SCORE = 0.7
CREDENTIALS_SCORE = 0.8  # one trick alone is often innocent (a pasted fancy font)


@dataclass(frozen=True, slots=True)
class Rules:
    """A community's own stop phrases and block patterns, compiled once per settings object."""

    phrases: re.Pattern[str] | None
    patterns: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, settings: SpamSettings) -> Rules:
        folded = [fold_phrase(p) for p in settings.stop_phrases]
        folded = [p for p in folded if p]
        phrases = re.compile("|".join(re.escape(p) for p in sorted(folded, key=len, reverse=True))) if folded else None
        patterns = tuple(re.compile(p, re.IGNORECASE) for p in settings.block_patterns)
        return cls(phrases, patterns)


_RULES: dict[int, tuple[SpamSettings, Rules]] = {}


def rules_for(settings: SpamSettings) -> Rules:
    hit = _RULES.get(id(settings))
    if hit is None or hit[0] is not settings:
        if len(_RULES) > 1000:
            _RULES.clear()
        hit = _RULES[id(settings)] = (settings, Rules.of(settings))
    return hit[1]


def content_verdicts(n: Normalized, model: Model, settings: SpamSettings) -> list[Verdict]:
    """What the text alone says. The same code serves the live filter and ``spam-check``."""
    out: list[Verdict] = []
    rules = rules_for(settings)
    if rules.phrases is not None and rules.phrases.search(n.text[:4000]):
        out.append(Verdict("stop_phrase", 1.0))
    if rules.patterns:
        head = n.original[:4000]
        if any(p.search(head) or p.search(n.text[:4000]) for p in rules.patterns):
            out.append(Verdict("block_pattern", 1.0))
    p = model.probability_of(n)
    if p >= 0.5:
        out.append(Verdict("classifier", round(p, 3)))
    if "account" in lure_groups(n.text) and "warning" not in lure_groups(n.text):
        # "support" asking for a login code or a seed phrase: members never ask each other for those
        out.append(Verdict("credentials", CREDENTIALS_SCORE))
    if n.links and lookalikes(n.links):
        # members link to a service's own domain; an imitation of it is phishing (see ``domains``)
        out.append(Verdict("lookalike", LOOKALIKE_SCORE))
    if n.tricks:
        # Disguises are rare in the starter texts, so the classifier underrates them; members
        # do not hide letters from a filter, so several tricks are evidence on their own.
        out.append(Verdict("disguise", TRICK_SCORES[min(n.tricks, len(TRICK_SCORES) - 1)]))
    return out


# ---- behaviour ---------------------------------------------------------------

MEDIA = frozenset({MessageKind.PHOTO, MessageKind.VIDEO, MessageKind.ANIMATION, MessageKind.DOCUMENT, MessageKind.STORY})


def newcomer_verdicts(
    n: Normalized, settings: SpamSettings, kind: MessageKind, forwarded: bool, has_contact: bool, entity_links: tuple[str, ...]
) -> list[Verdict]:
    """The sandbox: what a member we do not know yet may not do freely."""
    out: list[Verdict] = []
    allowed = settings.allowed_domains
    links = [link for link in (*n.links, *(e.lower() for e in entity_links)) if not _allowed(link, allowed)]
    if n.invites:
        out.append(Verdict("newcomer_invite", 0.7))
    elif links:
        out.append(Verdict("newcomer_link", 0.5))
    if n.mentions:
        out.append(Verdict("newcomer_mention", 0.4))
    if forwarded:
        out.append(Verdict("newcomer_forward", 0.5))
    if has_contact or kind is MessageKind.CONTACT or n.handles:  # a card, or a messenger id written out
        out.append(Verdict("newcomer_contact", 0.6))
    if kind in MEDIA and len(n.text.split()) < 2:  # a bare picture, or one with a "👇" for a caption
        out.append(Verdict("newcomer_media", 0.5))
    return out


# ---- lures: what a spam message wants the reader to do ---------------------

PAY_GROUPS = frozenset({"money", "job", "betting", "crypto"})
# A pay band ("9 000-12 000 zł", "$80k–100k"): how employers state a salary or a shop a price range;
# an offer to lure names one enticing figure, or a rate by the day ("3000-5000₽ в день" still lures).
BAND = re.compile(r"\d(?:[\d .,]*\d)?\s?(?:k|к|тыс\.?)?\s?[-–—]\s?[$€£₽₴]?\s?\d")
RETURNS = re.compile(r"(?<!\w)(?:x\s?\d{1,3}|\d{1,3}\s?x|\d{2,4}\s?%)(?!\w)")


def lures(
    n: Normalized, groups: tuple[str, ...], allowed: list[str], forwarded: bool, has_contact: bool, entity_links: tuple[str, ...]
) -> tuple[str, ...]:
    """The independent lures in a message: a way out of the chat or a promise of money.

    The classifier reads the words; these read what the message asks for. A
    newcomer's message is removed only when both agree (see ``decide``).
    ``pay`` needs an amount *and* pay words: a budget in euros is not an offer.
    """
    out: list[str] = []
    if n.invites:
        out.append("invite")
    if any(not _allowed(link, allowed) for link in (*n.links, *(e.lower() for e in entity_links))):
        out.append("link")
    if n.phones or n.mentions or n.handles or has_contact:
        out.append("contact")
    if forwarded:
        out.append("forward")
    if n.links and lookalikes(n.links):
        out.append("lookalike")
    if "warning" in groups:
        return tuple(out)  # a warning quotes the scam's words: only what it links to counts
    if "contact" in groups and not {"sale", "salary"}.intersection(groups):
        out.append("dm")  # "DM me" under a bike for sale, "questions to me" under a job with a salary: how both work
    if not {"sale", "salary"}.intersection(groups):
        # an amount (not a coin's name), with pay words, or by the day or the hour ("7000₽/день")
        per_day = PER_DAY.search(n.text)
        if n.money and MONEY.search(n.text) and (PAY_GROUPS.intersection(groups) or per_day):
            if per_day or not BAND.search(n.text):
                out.append("pay")
        elif RETURNS.search(n.text) and {"crypto", "betting"}.intersection(groups):
            out.append("pay")  # a promised return: "x10", "300%" on a coin or a bet
    if ADULT.search(n.original[:300]):
        out.append("adult")
    if "account" in groups:
        out.append("credentials")
    if "promo" in groups:  # "subscribe to my channel", "followers and likes": a way out of the chat
        out.append("promo")
    return tuple(out)


def _allowed(link: str, allowed: list[str]) -> bool:
    if not allowed:
        return False
    host = link.split("://", 1)[-1].split("/", 1)[0].removeprefix("www.")
    return any(host == d or host.endswith("." + d) for d in allowed)


FLOOD_SCORE = 0.6


class FloodWatch:
    """Messages per member in a sliding window, in memory, bounded to ``capacity`` members."""

    def __init__(self, capacity: int = 50_000) -> None:
        self.capacity = capacity
        self._seen: OrderedDict[tuple[int, str], deque[datetime]] = OrderedDict()

    def observe(self, community_id: int, user_id: str, at: datetime, limit: int, window: timedelta) -> Verdict | None:
        key = (community_id, user_id)
        q = self._seen.get(key)
        if q is None:
            q = self._seen[key] = deque(maxlen=max(limit + 1, 2))
            if len(self._seen) > self.capacity:
                self._seen.popitem(last=False)
        else:
            self._seen.move_to_end(key)
        q.append(at)
        if q.maxlen is not None and q.maxlen < limit + 1:  # the limit grew: keep what we have
            self._seen[key] = q = deque(q, maxlen=limit + 1)
        if len(q) > limit and at - q[0] <= window:
            # Not enough alone: people do type in bursts. With a second signal (a suspect text,
            # a newcomer's link, a repeated message) it removes.
            return Verdict("flood", FLOOD_SCORE)
        return None


@dataclass(slots=True)
class _Sighting:
    at: datetime
    community_id: int
    user_id: str


class DuplicateWatch:
    """The same text repeated, in one community or across every community this bot serves."""

    MIN_CHARS = 24  # "thanks!" and "+1" repeat legitimately

    def __init__(self, capacity: int = 50_000, window: timedelta = timedelta(hours=1)) -> None:
        self.capacity = capacity
        self.window = window
        self._seen: OrderedDict[int, list[_Sighting]] = OrderedDict()

    def observe(self, skeleton: str, community_id: int, user_id: str, at: datetime) -> Verdict | None:
        if len(skeleton) < self.MIN_CHARS:
            return None
        key = hash(skeleton[:2000])
        cutoff = at - self.window
        seen = [s for s in self._seen.get(key, ()) if s.at >= cutoff][-20:]
        verdict = None
        if seen:
            same_user_elsewhere = any(s.user_id == user_id and s.community_id != community_id for s in seen)
            others_here = sum(1 for s in seen if s.community_id == community_id)
            elsewhere = sum(1 for s in seen if s.community_id != community_id)
            if same_user_elsewhere:
                verdict = Verdict("duplicate_across", 0.85)
            elif others_here >= 2 or elsewhere >= 2:
                verdict = Verdict("duplicate", 0.7)
            elif any(s.user_id == user_id for s in seen):
                verdict = Verdict("duplicate", 0.5)
        seen.append(_Sighting(at, community_id, user_id))
        self._seen[key] = seen
        self._seen.move_to_end(key)
        if len(self._seen) > self.capacity:
            self._seen.popitem(last=False)
        return verdict
