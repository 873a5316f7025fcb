"""The classifier: naive Bayes over character n-grams and words of the skeleton.

Character 3-grams of the normalised skeleton generalise across languages and
spellings (no tokenizer needed for Chinese, inflections share grams), and the
skeleton already undid the look-alike tricks. A few *shape* features
(``#link``, ``#invite``, ``#money``, ``#phone``, ``#mention``, ``#tricks``)
let the model weigh behaviour-like signals learnt from data.

Counts are additive, so a community's model is the starter counts plus the
counts learnt from its moderators' decisions: an overlay of the few features
that community touched, over the shared starter table. Classification is one
dict lookup per distinct feature, on at most ``MAX_FEATURE_CHARS`` of text.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from handlers.spam.normalize import Normalized, normalize

MAX_FEATURE_CHARS = 1200  # the beginning of a message decides; keeps a 100 KB message cheap
MAX_WORD = 24
STRENGTH = 2.0  # how many sightings a feature needs before it speaks with full weight
CLIP = 4.0  # no single feature may decide alone
# The mean feature weight maps to a probability (tuned on held-out data, see bench/spam_quality.py).
SLOPE = 6.0
CENTER = 0.62
DATA = Path(__file__).parent / "data"


def features(n: Normalized) -> set[str]:
    """Distinct features of a normalised message."""
    text = n.text[:MAX_FEATURE_CHARS]
    padded = f" {text} "
    out = {padded[i : i + 3] for i in range(len(padded) - 2)}
    out.update(["w" + w for w in text.split(" ") if 0 < len(w) <= MAX_WORD])
    add = out.add
    if n.links:
        add("#link")
    if n.invites:
        add("#invite")
    if n.money:
        add("#money")
    if n.phones:
        add("#phone")
    if n.mentions:
        add("#mention")
    if n.tricks:
        add("#tricks")
    if n.emoji >= 3:
        add("#emoji")
    return out


@dataclass
class Counts:
    """Per feature: in how many spam/ham messages it occurred, raw and weighted.

    Raw counts say how much we know about a feature; weighted counts say which
    way it leans. Each training message is weighted so that, within its script,
    spam and ham weigh the same in total: otherwise a language that happens to
    have more spam than ham in the samples makes all of its ordinary words look
    like spam.
    """

    spam_docs: float = 0.0  # weighted totals
    ham_docs: float = 0.0
    table: dict[str, list[float]] = field(default_factory=dict)  # feature -> [spam, ham, spam_weighted, ham_weighted]
    docs: int = 0  # raw number of messages

    def add(self, feats: Iterable[str], spam: bool, weight: float = 1.0) -> None:
        i = 0 if spam else 1
        table = self.table
        for f in feats:
            row = table.get(f)
            if row is None:
                row = table[f] = [0.0, 0.0, 0.0, 0.0]
            row[i] += 1
            row[i + 2] += weight
        self.docs += 1
        if spam:
            self.spam_docs += weight
        else:
            self.ham_docs += weight


LEARN_WEIGHT = 20.0  # a moderator's decision weighs as much as this many average starter messages


def _weight(spam: float, ham: float, spam_w: float, ham_w: float, spam_docs: float, ham_docs: float) -> float:
    """Log-odds of spam given the feature, classes balanced, pulled to 0 when seen rarely (Robinson's smoothing).

    Plain naive Bayes with skewed classes makes every rare feature look like the
    smaller class; balancing by rates and shrinking rare features keeps an
    unfamiliar language neutral instead of suspicious.
    """
    sr = spam_w / max(spam_docs, 1e-9)
    hr = ham_w / max(ham_docs, 1e-9)
    p = sr / (sr + hr) if sr + hr else 0.5
    n = spam + ham
    f = (STRENGTH * 0.5 + n * p) / (STRENGTH + n)
    f = min(max(f, 1e-4), 1 - 1e-4)
    w = math.log(f / (1 - f))
    return max(-CLIP, min(CLIP, w))


_WEIGHTS: dict[int, tuple[Counts, dict[str, float]]] = {}


def base_weights(base: Counts) -> dict[str, float]:
    """The starter's weights, computed once and shared by every community's model."""
    hit = _WEIGHTS.get(id(base))
    if hit is not None and hit[0] is base:
        return hit[1]
    sd, hd = base.spam_docs, base.ham_docs
    weights = {f: _weight(s, h, sw, hw, sd, hd) for f, (s, h, sw, hw) in base.table.items() if s + h >= 2}
    _WEIGHTS[id(base)] = (base, weights)
    return weights


class Model:
    """Feature weights for one community: the starter weights with the community's overlay."""

    def __init__(self, base: Counts, local: Counts | None = None) -> None:
        self.base = base
        self.local = local or Counts()
        self._base_weights = base_weights(base)
        self._overlay: dict[str, float] = {}
        self._rebuild_overlay()

    def _rebuild_overlay(self) -> None:
        sd = self.base.spam_docs + self.local.spam_docs
        hd = self.base.ham_docs + self.local.ham_docs
        overlay: dict[str, float] = {}
        for f, (ls, lh, lsw, lhw) in self.local.table.items():
            s, h, sw, hw = self.base.table.get(f, (0.0, 0.0, 0.0, 0.0))
            overlay[f] = _weight(s + ls, h + lh, sw + lsw, hw + lhw, sd, hd)
        self._overlay = overlay

    def learn(self, feats: Iterable[str], spam: bool) -> None:
        """A moderator's decision: updates only this community's overlay."""
        self.local.add(feats, spam, LEARN_WEIGHT * self.unit)
        self._rebuild_overlay()

    @property
    def unit(self) -> float:
        """The weight of an average starter message."""
        return (self.base.spam_docs + self.base.ham_docs) / max(self.base.docs, 1)

    def probability(self, feats: set[str]) -> float:
        base, overlay = self._base_weights, self._overlay
        total = 0.0
        known = 0
        if overlay:
            for f in feats:
                w = overlay.get(f)
                if w is None:
                    w = base.get(f)
                if w is not None:
                    total += w
                    known += 1
        else:
            for f in feats:
                w = base.get(f)
                if w is not None:
                    total += w
                    known += 1
        if known == 0:
            return 0.0
        z = SLOPE * (total / known - CENTER)
        if z < -30:
            return 0.0
        if z > 30:
            return 1.0
        return 1.0 / (1.0 + math.exp(-z))


# ---- the starter set ---------------------------------------------------------


def starter_samples(root: Path = DATA) -> list[tuple[bool, str]]:
    """Labelled texts shipped with the bot (see data/README.md for sources and licences)."""
    out: list[tuple[bool, str]] = []
    for name, spam in (("tg-spam-spam.txt", True), ("tg-spam-ham.txt", False)):
        path = root / name
        if path.exists():
            out.extend((spam, line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    for name in ("sms-spam-collection.txt", "seed.txt"):
        path = root / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                label, _, text = line.partition("\t")
                if text.strip() and label in ("spam", "ham"):
                    out.append((label == "spam", text))
    return out


def train(samples: Iterable[tuple[bool, str]]) -> Counts:
    """Counts from labelled texts, each weighted so spam and ham balance within every script."""
    prepared = []
    per_group: dict[tuple[str, bool], int] = {}
    for spam, text in samples:
        n = normalize(text)
        prepared.append((spam, n.script, features(n)))
        per_group[(n.script, spam)] = per_group.get((n.script, spam), 0) + 1
    counts = Counts()
    for spam, script, feats in prepared:
        counts.add(feats, spam, 1.0 / per_group[(script, spam)])
    return counts


_STARTER: Counts | None = None


def starter_counts() -> Counts:
    """Built once per process from the shipped texts (about a second), then shared by every community."""
    global _STARTER
    if _STARTER is None:
        _STARTER = train(starter_samples())
    return _STARTER
