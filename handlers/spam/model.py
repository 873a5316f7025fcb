"""The classifier: logistic regression over character 3-grams, words and language-neutral shape features.

Why this shape:

* **Calibrated.** Logistic regression gives a probability that means what it
  says, so the community's ``threshold`` is a real operating point. The
  weights are trained (averaged SGD) from the development sets in
  ``shared/data/spam/`` plus the project's seed texts, and shipped as a table,
  ``data/starter-weights.tsv``: the package carries the weights, never the
  third-party texts. Retrain with ``python -m handlers.spam.train``.
* **Neutral on what it does not know.** Text features (the character 3-grams
  of each word of the normalised skeleton, `` word `` padded, and the word
  itself) are scaled to unit length and only
  features seen several times in training get a weight, so a message in a
  language the starter set barely covers contributes little and its score
  falls back to the ham-leaning bias. Length buckets let the model learn that
  a short plain message is almost never spam. Each (script, class) group of
  the starter texts weighs the same, so the big English SMS set does not
  decide what Russian chat looks like.
* **Generalises across languages.** *Shape* features carry full weight
  whatever the length or language: links, invites, money amounts, phone
  numbers, mentions, disguise tricks, emoji density, capitals, and the lure
  groups of ``lexicon`` (phrased in every language the bot serves). They are
  learnt from the English and Russian samples and apply to the others.
* **Cheap.** At most ``MAX_FEATURE_CHARS`` of skeleton. As every text feature
  belongs to one word, the model is compiled per vocabulary word (the sum of
  the word's feature weights): a known word costs one lookup, the unknown
  ones are summed gram by gram in one pass (``Model.probability_of``).

A community's moderators teach it on top: their decisions are stored as
per-feature spam/ham counts (``spam_tokens``), and each counted feature shifts
the starter weight by ``LEARN_STEP`` per net decision, clipped. That overlay
is rebuilt exactly from the counts, whatever order the decisions came in.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import filterfalse, repeat
from pathlib import Path

from handlers.spam import history
from handlers.spam.history import History
from handlers.spam.lexicon import ORDINARY, lure_groups
from handlers.spam.normalize import LINK, MONEY, Normalized, normalize

DATA = Path(__file__).parent / "data"
MAX_FEATURE_CHARS = 600  # normalisation already cut longer messages to their beginning and end
MIN_TEXT = 32  # see _scale: about a 30-character message
MIN_COUNT = 3  # a text feature needs this many training messages before it gets a weight
EPOCHS = 12
RATE = 2.0
SEED = 1729
LEARN_STEP = 0.6  # a moderator's decision moves each of the message's text features by this much (logit units)
LEARN_CLIP = 3.0
SHAPE_CAP = 3.0  # no shape feature alone may outweigh the text by much: the starter data is narrow
# A link is how members share what they talk about: in the development sets nearly only spam has one,
# so left alone its weight would make any link spam. Capped low, it tips a spammy text, never a plain one.
SHAPE_CAPS = {"#link": 1.0, "#links": 0.5, "#link_deep": 0.0}

_UPPER = re.compile(r"[A-ZА-ЯЁІЇЄҐ]")
_LOWER = re.compile(r"[a-zа-яёіїєґ]")
_DIGITS = re.compile(r"\d")
_KEEP_UPPER = bytes(c for c in range(256) if not 65 <= c <= 90)
_KEEP_LOWER = bytes(c for c in range(256) if not 97 <= c <= 122)
_KEEP_DIGITS = bytes(c for c in range(256) if not 48 <= c <= 57)
_DEEP_LINK = re.compile(r"(?<![/:])/[^/\s]+/[^/\s]{6,}")
_LEN_BUCKETS = ((12, "#len:tiny"), (30, "#len:short"), (80, "#len:mid"), (200, "#len:long"))


@dataclass(frozen=True, slots=True)
class Features:
    """What the classifier reads: text features (scaled together to unit length) and shape flags (weight 1 each)."""

    text: tuple[str, ...]
    shape: tuple[str, ...]


def _caps(upper: int, lower: int) -> bool:
    return upper >= 8 and upper * 2 >= lower


def shape_features(n: Normalized) -> list[str]:
    """Signals that mean the same in every language."""
    out: list[str] = []
    add = out.append
    size = len(n.text)
    if n.script == "cjk":  # a Chinese character says about as much as a short word: 17 of them are no "short" text
        size *= 3
    for limit, name in _LEN_BUCKETS:
        if size < limit:
            add(name)
            break
    else:
        add("#len:huge")
    if n.links:
        add("#link")
        if len(n.links) > 1:
            add("#links")
        if any(_DEEP_LINK.search(link) for link in n.links):
            add("#link_deep")  # an article or a repository, rather than a bare domain or a short code
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
        if n.tricks > 1:
            add("#tricks2")
    if n.emoji >= 3:  # one or two emoji are ordinary chat
        add("#emoji3")
        if n.emoji >= 8 or n.emoji * 6 >= size:
            add("#emoji_dense")
    head = n.original[:300]
    if head.isascii():  # counted on bytes: one C pass each
        raw = head.encode()
        if not head.islower() and _caps(len(raw.translate(None, _KEEP_UPPER)), len(raw.translate(None, _KEEP_LOWER))):
            add("#caps")
        digits = len(raw.translate(None, _KEEP_DIGITS))
    else:
        if not head.islower() and (upper := len(_UPPER.findall(head))) >= 8 and _caps(upper, len(_LOWER.findall(head))):
            add("#caps")
        digits = len(_DIGITS.findall(head))
    if n.links and digits >= 5:  # an activity's or a video's id is no phone number or price: count outside links
        digits = len(model_text(n)[:300].encode().translate(None, _KEEP_DIGITS))
    if "!!" in head:
        add("#bang")
    if digits >= 5:
        add("#digits")
    groups = lure_groups(n.text)
    for g in groups:
        add("#lure:" + g)
    lured = sum(1 for g in groups if g not in ORDINARY)
    if lured >= 2:
        add("#lure2")
    if lured and size < 80:  # a short message that is all lure ("courier work, 5000 a day, DM") is no short chat
        add("#lure_short")
    if n.money and not ORDINARY.intersection(groups) and MONEY.search(n.text):  # (an amount, not a coin's name)
        if PAY.intersection(groups):
            add("#pay")  # an amount with money, job, crypto or betting words: an offer of pay
        if PER_DAY.search(n.text):
            add("#rate")  # an amount per day or per hour, outside a job post with a salary or a sale
    if ADULT.search(head):
        add("#adult")
    return out


PAY = frozenset({"money", "job", "betting", "crypto"})
# An amount per day or per hour: "7000₽/день", "$200 per day", "150 € täglich", "روزی ۲ میلیون", "日结600".
_PER_DAY_UNITS = (
    r"day|days|daily|hour|hr|день|дня|сутки|час|щодня|годину|dzień|dziennie|godzin[eę]|naponta|giorno|día|dia|diarios|diário|"
    r"tag|täglich|stunde|hari|sehari|jam|يومياً|يوميا|يوم|روز|روزانه|रोज़|रोज|दिन"
)
PER_DAY = re.compile(
    r"\d\s?(?:[^\W\d]{1,8}\.?|[$€£¥₽₴₹])?\s?(?:/|per |a |an |в |за |на |al |por |am |pro |each |every )?\s?"
    r"(?:" + _PER_DAY_UNITS + r")(?!\w)"
    r"|(?:روزی|روزانه|napi|日结|日赚|日入|每天)\s?\d"
)
ADULT = re.compile(r"🔞|(?<!\d)18\+")


_TRIGRAMS = [slice(i, i + 3) for i in range(MAX_FEATURE_CHARS + 1)]
# A word's own feature is "  " + word. No trigram of a padded word has two spaces, nor has the
# "x y" gram that spans two words, so a word key never collides with either (see probability_of).
WORD_KEY = "  "


def word_features(word: str) -> list[str]:
    """A word's text features: the trigrams of `` word `` and the word itself (``len(word) + 1`` in all)."""
    padded = f" {word} "
    out = list(map(padded.__getitem__, _TRIGRAMS[: len(word)]))
    out.append(WORD_KEY + word)
    return out


def text_features(skeleton: str) -> list[str]:
    out: list[str] = []
    text = skeleton[:MAX_FEATURE_CHARS]
    if text:
        for w in text.split(" "):
            out += word_features(w)
    return out


def model_text(n: Normalized) -> str:
    """The skeleton the text features read: links cut out.

    A link's letters say where it points, not what the message says; the
    development sets' spam is full of them and their ham has few, so read as
    words they made any link look like spam. The link itself is a shape
    feature (``#link``) and, in the decision, a lure of its own.
    """
    if not n.links:
        return n.text
    text = n.text
    missed = False
    for link in n.links:
        if link in text:
            text = text.replace(link, " ")
        else:  # rewritten after it was found (look-alike digits inside it): find it again, word by word
            missed = True
    if missed:
        text = " ".join(w for w in text.split(" ") if not (("." in w or "/" in w) and LINK.search(w)))
    return " ".join(text.split())


def features(n: Normalized) -> Features:
    return Features(tuple(text_features(model_text(n))), tuple(shape_features(n)))


def learnable(f: Features) -> set[str]:
    """What a moderator's decision teaches: the words and grams, not the shape weights shared by everyone."""
    return set(f.text)


@dataclass
class Weights:
    """A trained linear model: text and shape weights and a bias."""

    text: dict[str, float] = field(default_factory=dict)
    shape: dict[str, float] = field(default_factory=dict)
    bias: float = 0.0
    # Platt scaling fitted on held-out scores (see ``calibrate``): probability = sigmoid(scale * z + shift)
    scale: float = 1.0
    shift: float = 0.0
    _words: dict[str, float] | None = field(default=None, init=False, repr=False, compare=False)

    def words(self) -> dict[str, float]:
        """Every word with a weight of its own -> the sum of its text features' weights (built once).

        The same linear model, compiled per vocabulary word: a known word costs one lookup
        instead of ``len(word) + 1``. Words outside it are summed gram by gram.
        """
        if self._words is None:
            self._words = _word_table(self.text, None, (k[len(WORD_KEY) :] for k in self.text if k.startswith(WORD_KEY)))
        return self._words


def _word_score(word: str, weights: dict[str, float]) -> float:
    padded = f" {word} "
    return sum(map(weights.get, map(padded.__getitem__, _TRIGRAMS[: len(word)]), repeat(0.0))) + weights.get(WORD_KEY + word, 0.0)


def _word_table(base: dict[str, float], overlay: dict[str, float] | None, words: Iterable[str]) -> dict[str, float]:
    if overlay:
        return {w: _word_score(w, base) + _word_score(w, overlay) for w in words}
    return {w: _word_score(w, base) for w in words}


def _scale(count: int) -> float:
    """Text features are scaled to unit length, but a short text counts as ``MIN_TEXT`` features long:
    a handful of characters is not enough evidence for the text alone to call a message spam."""
    return 1.0 / math.sqrt(max(count, MIN_TEXT))


def _sigmoid(z: float) -> float:
    if z < -30:
        return 0.0
    if z > 30:
        return 1.0
    return 1.0 / (1.0 + math.exp(-z))


def _logit(w: Weights, f: Features, overlay: dict[str, float] | None = None) -> float:
    text = f.text
    z = w.bias
    if text:
        t = sum(map(w.text.get, text, repeat(0.0)))
        if overlay:
            t += sum(map(overlay.get, text, repeat(0.0)))
        z += t * _scale(len(text))
    if f.shape:
        z += sum(map(w.shape.get, f.shape, repeat(0.0)))
    return z


class Model:
    """One community's classifier: the shared starter weights plus the overlay its moderators taught."""

    def __init__(self, base: Weights, local: dict[str, tuple[int, int]] | None = None) -> None:
        self.base = base
        self.counts: dict[str, list[int]] = {k: [s, h] for k, (s, h) in (local or {}).items()}
        self._overlay = {k: _shift(s, h) for k, (s, h) in self.counts.items()}
        self._words: dict[str, float] | None = None  # the vocabulary with the overlay folded in
        self.history: History | None = None  # the community's normal talk (``history``), set by its owner

    def learn(self, feats: Iterable[str], spam: bool) -> None:
        i = 0 if spam else 1
        for f in feats:
            row = self.counts.setdefault(f, [0, 0])
            row[i] += 1
            self._overlay[f] = _shift(row[0], row[1])
        self._words = None  # rebuilt at the next message (milliseconds; decisions are rare)

    def probability(self, f: Features) -> float:
        base = self.base
        return _sigmoid(base.scale * _logit(base, f, self._overlay) + base.shift)

    def probability_of(self, n: Normalized) -> float:
        """``probability(features(n))``, computed word by word from the compiled vocabulary (the hot path)."""
        base = self.base
        return _sigmoid(base.scale * self.logit_of(n) + base.shift)

    def logit_of(self, n: Normalized) -> float:
        """The linear score before calibration."""
        base = self.base
        z = base.bias
        text = (model_text(n) if n.links else n.text)[:MAX_FEATURE_CHARS]
        if text:
            words = text.split(" ")
            table = self._vocabulary()
            t = sum(map(table.get, words, repeat(0.0)))
            unknown = list(filterfalse(table.__contains__, words))
            if unknown:
                # All their trigrams in one pass: " w1 w2 " has the words' own grams, and the "1 w" grams
                # across a space are never features. Unknown words have no word weight either.
                joined = " " + " ".join(unknown) + " "
                grams = list(map(joined.__getitem__, _TRIGRAMS[: len(joined) - 2]))
                t += sum(map(base.text.get, grams, repeat(0.0)))
                if self._overlay:
                    t += sum(map(self._overlay.get, grams, repeat(0.0)))
            h = self.history
            if h is not None and h.words:
                t += sum(map(h.words.get, words[: history.MAX_WORDS], repeat(0.0)))
            z += t * _scale(len(text) + 1)  # the number of text features: len(word) + 1 per word
        shapes = shape_features(n)
        z += sum(map(base.shape.get, shapes, repeat(0.0)))
        h = self.history
        if h is not None and h.shapes:  # what the community does every day is no sign of spam here
            for s in shapes:
                k = h.shapes.get(s)
                if k and (w := base.shape.get(s, 0.0)) > 0:
                    z -= w * k
        return z

    def remember(self, user_id: str, n: Normalized) -> None:
        """A trusted member's message that nothing flagged: the community's normal talk (see ``history``)."""
        if self.history is not None:
            words = (model_text(n) if n.links else n.text)[:MAX_FEATURE_CHARS].split(" ")[: history.MAX_WORDS]
            self.history.add(user_id, words, shape_features(n))

    def _vocabulary(self) -> dict[str, float]:
        if not self._overlay:
            return self.base.words()
        if self._words is None:
            own = (k[len(WORD_KEY) :] for k in self._overlay if k.startswith(WORD_KEY))
            self._words = _word_table(self.base.text, self._overlay, {*self.base.words(), *own})
        return self._words


def _shift(spam: int, ham: int) -> float:
    return max(-LEARN_CLIP, min(LEARN_CLIP, LEARN_STEP * (spam - ham)))


# ---- training ----------------------------------------------------------------


def train(samples: Sequence[tuple[bool, str]], epochs: int | None = None, seed: int = SEED) -> Weights:
    """Averaged stochastic gradient descent on the log-loss; spam and ham weigh the same in total."""
    prepared = []
    for spam, text in samples:
        n = normalize(text)
        prepared.append((1.0 if spam else 0.0, features(n), "cyrillic" if n.script == "cyrillic" else "other"))
    seen: dict[str, int] = {}
    for _, f, _ in prepared:
        for g in set(f.text):
            seen[g] = seen.get(g, 0) + 1
    keep = {g for g, c in seen.items() if c >= MIN_COUNT}
    # Each (script, class) group weighs the same in total, so the small Cyrillic part is not drowned
    # by the English SMS, and neither class's ordinary words look like the other's.
    group: dict[tuple[str, float], int] = {}
    for y, _f, script in prepared:
        group[(script, y)] = group.get((script, y), 0) + 1
    rows = []
    for y, f, script in prepared:
        kept = tuple(g for g in f.text if g in keep)
        weight = len(prepared) / (len(group) * group[(script, y)])
        rows.append((y, Features(kept, f.shape), _scale(len(f.text)), weight))
    n_spam = sum(1 for y, _, _, _ in rows if y) or 1
    n_ham = len(rows) - n_spam or 1
    w = Weights(bias=math.log(n_spam / n_ham))
    # averaged SGD: ``acc`` sums step * update so the average is w - acc / steps
    acc_text: dict[str, float] = {}
    acc_shape: dict[str, float] = {}
    acc_bias = 0.0
    step = 1
    order = list(range(len(rows)))
    rnd = random.Random(seed)
    for epoch in range(epochs or EPOCHS):
        rnd.shuffle(order)
        rate = RATE / (1 + epoch)
        for i in order:
            y, f, scale, weight = rows[i]
            z = w.bias
            tw, sw = w.text, w.shape
            for g in f.text:
                z += tw.get(g, 0.0) * scale
            for s in f.shape:
                z += sw.get(s, 0.0)
            g_ = (_sigmoid(z) - y) * weight * rate
            if g_ * g_ > 1e-12:
                d = g_ * scale
                for g in f.text:
                    tw[g] = tw.get(g, 0.0) - d
                    acc_text[g] = acc_text.get(g, 0.0) - d * step
                for s in f.shape:
                    old = sw.get(s, 0.0)
                    new = max(-SHAPE_CAP, min(SHAPE_CAPS.get(s, SHAPE_CAP), old - g_))
                    sw[s] = new
                    acc_shape[s] = acc_shape.get(s, 0.0) + (new - old) * step
                w.bias -= g_
                acc_bias -= g_ * step
            step += 1
    out = Weights(bias=w.bias - acc_bias / step)
    out.text = {g: v - acc_text[g] / step for g, v in w.text.items() if abs(v - acc_text[g] / step) > 1e-3}
    out.shape = {s: v - acc_shape[s] / step for s, v in w.shape.items()}
    return out


CALIBRATION_FOLDS = 3


def calibrate(samples: Sequence[tuple[bool, str]], folds: int = CALIBRATION_FOLDS, seed: int = SEED) -> tuple[float, float]:
    """Platt scaling: fit ``sigmoid(a * z + b)`` to held-out scores, so a score of 0.9 means nine in ten.

    Training weighs the classes and scripts evenly, which pushes raw scores to
    the extremes; the held-out fit (``folds``-fold, each model trained on the
    rest) maps them back onto how often such scores really are spam.
    """
    order = list(range(len(samples)))
    random.Random(seed + 1).shuffle(order)
    pairs: list[tuple[float, float]] = []
    for k in range(folds):
        held = order[k::folds]
        rest = set(order) - set(held)
        m = Model(train([samples[i] for i in sorted(rest)], seed=seed))
        pairs += [(1.0 if samples[i][0] else 0.0, m.logit_of(normalize(samples[i][1]))) for i in held]
    a, b = 1.0, 0.0
    for _ in range(50):  # Newton's method on the log-loss in (a, b)
        ga = gb = haa = hab = hbb = 0.0
        for y, z in pairs:
            p = _sigmoid(a * z + b)
            d, w = p - y, max(p * (1 - p), 1e-9)
            ga += d * z
            gb += d
            haa += w * z * z
            hab += w * z
            hbb += w
        det = haa * hbb - hab * hab
        if det <= 0:
            break
        da, db = (hbb * ga - hab * gb) / det, (haa * gb - hab * ga) / det
        a, b = a - da, b - db
        if abs(da) < 1e-7 and abs(db) < 1e-7:
            break
    return round(a, 5), round(b, 5)


def fit(samples: Sequence[tuple[bool, str]]) -> Weights:
    """Train on all of ``samples`` and calibrate on held-out folds of them."""
    w = train(samples)
    w.scale, w.shift = calibrate(samples)
    return w


# ---- the shipped table --------------------------------------------------------

TABLE = DATA / "starter-weights.tsv"
_CODE = ("model.py", "normalize.py", "lexicon.py")


def code_fingerprint() -> str:
    """What the meaning of the weights depends on besides the development texts: this code and the seed texts."""
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in _CODE:
        h.update((here / name).read_bytes())
    h.update((DATA / "seed.txt").read_bytes())
    return h.hexdigest()[:16]


_HEADER = "# starter weights, rebuilt by: python -m handlers.spam.train"


def save_table(w: Weights, path: Path, code: str, data: str) -> None:
    lines = [f"{_HEADER}\tcode\t{code}\tdata\t{data}", f"b\t\t{w.bias:.5f}", f"c\tscale\t{w.scale:.5f}", f"c\tshift\t{w.shift:.5f}"]
    lines += [f"s\t{k}\t{v:.5f}" for k, v in sorted(w.shape.items())]
    lines += [f"t\t{k}\t{v:.4f}" for k, v in sorted(w.text.items()) if abs(v) >= 0.005]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def table_stamps(path: Path = TABLE) -> dict[str, str]:
    """The fingerprints in the table's header: ``{"code": ..., "data": ...}``."""
    try:
        with path.open(encoding="utf-8") as fh:
            head = fh.readline().rstrip("\n").split("\t")
    except OSError:
        return {}
    return dict(zip(head[1::2], head[2::2], strict=False))


def load_table(path: Path = TABLE) -> Weights | None:
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError:
        return None
    if not lines or not lines[0].startswith(_HEADER):
        return None
    w = Weights()
    for line in lines[1:]:
        kind, _, rest = line.partition("\t")
        key, _, value = rest.rpartition("\t")
        if kind == "t":
            w.text[key] = float(value)
        elif kind == "s":
            w.shape[key] = float(value)
        elif kind == "b":
            w.bias = float(value)
        elif kind == "c" and key in ("scale", "shift"):
            setattr(w, key, float(value))
    return w


_STARTER: Weights | None = None


def starter_weights() -> Weights:
    """The shipped table, loaded once per process.

    The development sets are not shipped, so the process cannot retrain; a table
    whose code fingerprint is stale is still the best it has (the test suite
    refuses a stale table: retrain with ``python -m handlers.spam.train``).
    """
    global _STARTER
    if _STARTER is None:
        _STARTER = load_table() or Weights(bias=-3.0)
    return _STARTER
