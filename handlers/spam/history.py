"""A community's normal talk: what its trusted members write teaches the classifier's ham side (#19.2).

A crypto community discusses staking, a jobs chat posts salaries, a marketplace
posts prices and "DM me". The starter model cannot know that; the community's
own history can. Every message of an established member (past the sandbox)
that nothing flagged adds its *words* and its *shape* (a price, a link, the lure
groups it touched) to a bounded, in-memory history of the community:

* a word the community uses often lowers the score of messages that use it, by
  ``WORD_STEP`` per doubling of the number of messages that used it, at most
  ``WORD_CLIP`` (scaled like every text feature, so it shifts, never decides);
* a shape the community uses often (``#money`` in a marketplace) loses its
  spam weight step by step, down to half once ``SHAPE_FULL`` messages had it;
  never for what members do not do to each other
  (disguise tricks, credential requests, look-alikes).

Moderators' decisions weigh more: a *Keep* or *Remove* moves each of the
message's features by ``model.LEARN_STEP`` (0.6, stored), while a trusted
message's word moves its own weight by at most ``WORD_STEP`` once, and a
community needs hundreds of them to reach the clip. The history lives in
memory only (a restart starts it afresh), holds at most ``PER_COMMUNITY``
messages per community and ``COMMUNITIES`` communities, and forgets a person at
``/forgetme`` or when moderators confirm one of their messages as spam.
"""

from __future__ import annotations

import math
from collections import OrderedDict, deque
from collections.abc import Iterable

PER_COMMUNITY = 3000  # messages remembered per community (the oldest go first)
COMMUNITIES = 2000  # communities remembered (the least recently active go first)
WORD_STEP = 0.5  # logit units (before text scaling) per doubling of the messages a word appeared in
WORD_CLIP = 2.5
MIN_WORD_MESSAGES = 3  # a word needs this many messages (and two members) before it counts
SHAPE_FULL = 25  # messages with a shape at which it loses SHAPE_MAX of its spam weight
SHAPE_MAX = 0.5  # half: what a community does every day is weaker evidence here, never none (spammers copy it)
MIN_SHAPE_MESSAGES = 5
MAX_WORDS = 40  # of one message: the start says what it is about
MIN_WORD = 3
# What members do not do to each other however often a spammer did it here: never learnt as normal.
UNLEARNABLE = ("#tricks", "#len:", "#lure:account", "#lure2")


def learnable_shape(name: str) -> bool:
    return not name.startswith(UNLEARNABLE)


class History:
    """One community's trusted messages: per-feature counts of distinct messages, and who wrote each."""

    def __init__(self, capacity: int = PER_COMMUNITY) -> None:
        self.capacity = capacity
        self._entries: deque[tuple[str, tuple[str, ...]]] = deque()
        self._counts: dict[str, int] = {}
        self._authors: dict[str, set[str]] = {}  # feature -> members (up to two: the threshold is two)
        self.words: dict[str, float] = {}  # word -> logit shift (negative), read by Model.logit_of
        self.shapes: dict[str, float] = {}  # shape feature -> share of its spam weight cancelled, 0..1
        self._keys: dict[str, str] = {}  # one string object per feature, shared by every entry that holds it

    def __len__(self) -> int:
        return len(self._entries)

    def add(self, user_id: str, words: Iterable[str], shapes: Iterable[str]) -> None:
        keys = self._keys
        feats = {keys.setdefault(w, w) for w in words if len(w) >= MIN_WORD and not w.isdigit()}
        feats.update(keys.setdefault(s, s) for s in shapes if learnable_shape(s))
        if not feats:
            return
        entry = (user_id, tuple(feats))
        self._entries.append(entry)
        for f in entry[1]:
            self._counts[f] = self._counts.get(f, 0) + 1
            who = self._authors.setdefault(f, set())
            if len(who) < 2:
                who.add(user_id)
            self._update(f)
        while len(self._entries) > self.capacity:
            self._drop(self._entries.popleft())

    def forget(self, user_id: str) -> int:
        """The person's messages leave the history (``/forgetme``, or a message of theirs confirmed as spam)."""
        gone = [e for e in self._entries if e[0] == user_id]
        if gone:
            self._entries = deque(e for e in self._entries if e[0] != user_id)
            for e in gone:
                self._drop(e)
            for who in self._authors.values():
                who.discard(user_id)
            for f in {f for e in gone for f in e[1]}:
                self._update(f)
        return len(gone)

    def _drop(self, entry: tuple[str, tuple[str, ...]]) -> None:
        for f in entry[1]:
            c = self._counts.get(f, 0) - 1
            if c <= 0:
                self._counts.pop(f, None)
                self._authors.pop(f, None)
                self._keys.pop(f, None)
            else:
                self._counts[f] = c
            self._update(f)

    def _update(self, f: str) -> None:
        c = self._counts.get(f, 0)
        enough = len(self._authors.get(f, ())) >= 2
        if f.startswith("#"):
            if c >= MIN_SHAPE_MESSAGES and enough:
                self.shapes[f] = SHAPE_MAX * min(1.0, c / SHAPE_FULL)
            else:
                self.shapes.pop(f, None)
        elif c >= MIN_WORD_MESSAGES and enough:
            self.words[f] = -min(WORD_CLIP, WORD_STEP * math.log2(1 + c))
        else:
            self.words.pop(f, None)


class Histories:
    """Every community's history, bounded in number (least recently active communities go first)."""

    def __init__(self, communities: int = COMMUNITIES, per_community: int = PER_COMMUNITY) -> None:
        self.communities = communities
        self.per_community = per_community
        self._by: OrderedDict[int, History] = OrderedDict()

    def of(self, community_id: int) -> History:
        h = self._by.get(community_id)
        if h is None:
            h = self._by[community_id] = History(self.per_community)
            while len(self._by) > self.communities:
                self._by.popitem(last=False)
        else:
            self._by.move_to_end(community_id)
        return h

    def forget(self, community_id: int, user_id: str) -> int:
        h = self._by.get(community_id)
        return h.forget(user_id) if h is not None else 0
