"""Spam filter quality: cross-validated on the development sets, and on the project's own hard set.

* **Development sets** (``shared/data/spam``: tg-spam, SMS, YouTube): stratified
  5-fold cross-validation. Each fold trains the starter model on the other four
  folds (plus the project's own seed texts, never scored) and scores the held-out
  fold with the content checks the live filter and ``spam-check`` run; also
  disguised (look-alike letters, zero-width characters, spaced letters), per
  script and per set. A reliability table checks the scores mean what they say
  (of the messages scored about 0.9, about nine in ten should be spam).
* **The project's hard set** (``bench/data/spam_hard.tsv``, written for this
  project, never trained on): hard ham and tricky spam in ten languages, scored
  by the shipped starter model (trained on all development sets) per language
  and per kind: ``content`` is what the text alone says (``spam-check``),
  ``removed`` is what the live filter does to a newcomer (classifier and lure,
  see ``handlers.spam.decide``); an established member's message is never
  removed on the text alone (it is only flagged).
* **A community's history** (#19.2): the hard set scored again after a crypto,
  a jobs and a marketplace community's trusted members wrote 0, 100, 1000
  ordinary messages (``bench/community_talk.py``, synthetic, never the hard
  set's lines): how FPR on hard ham falls, and what it costs in recall.

    python bench/spam_quality.py [--data DIR] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import argparse
import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

from bench.community_talk import KINDS, stream
from bot.core.events import MessageKind
from bot.core.settings.spam import SpamSettings
from handlers.spam.decide import judge
from handlers.spam.detectors import combine, content_verdicts, lures, newcomer_verdicts
from handlers.spam.history import History
from handlers.spam.lexicon import ORDINARY, lure_groups
from handlers.spam.model import Model, fit, starter_weights
from handlers.spam.normalize import normalize, script_of
from handlers.spam.train import development_sets, find_data, seed_samples

FOLDS = 5
SEED = 20261130
HARD = Path(__file__).resolve().parent / "data" / "spam_hard.tsv"
BINS = 10
SHORT = 60  # characters: a short spam message ("Работа курьером, 7000₽/день, оплата сразу")


_HOMO = str.maketrans(
    {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c"}
)


def disguise(text: str, rnd: random.Random) -> str:
    """What an evasive spammer does: swap look-alikes, hide zero-width characters, space out a word."""
    chars = [c.translate(_HOMO) if rnd.random() < 0.3 else c for c in text]
    out = []
    for c in chars:
        out.append(c)
        if c.isalpha() and rnd.random() < 0.08:
            out.append("\u200b")
    words = "".join(out).split(" ")
    if words:
        i = rnd.randrange(len(words))
        if 4 <= len(words[i]) <= 10 and words[i].isalpha():
            words[i] = " ".join(words[i])
    return " ".join(words)


def metrics(pairs: list[tuple[bool, bool]]) -> dict[str, float]:
    tp = sum(1 for y, p in pairs if y and p)
    fp = sum(1 for y, p in pairs if not y and p)
    fn = sum(1 for y, p in pairs if y and not p)
    tn = sum(1 for y, p in pairs if not y and not p)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"f1": f1, "fpr": fp / (fp + tn) if fp + tn else 0.0, "precision": prec, "recall": rec, "n": len(pairs), "spam": tp + fn}


def reliability(scored: list[tuple[bool, float]]) -> list[dict[str, float]]:
    """Scores in ten bins: how many, their mean, and the share that really was spam."""
    bins: list[list[tuple[bool, float]]] = [[] for _ in range(BINS)]
    for y, p in scored:
        bins[min(int(p * BINS), BINS - 1)].append((y, p))
    return [
        {"low": k / BINS, "n": len(b), "mean_score": sum(p for _, p in b) / len(b), "spam_share": sum(1 for y, _ in b if y) / len(b)}
        for k, b in enumerate(bins)
        if b
    ]


def calibration_error(table: list[dict[str, float]]) -> float:
    """Expected calibration error: the bins' |mean score - spam share|, weighted by their size."""
    total = sum(row["n"] for row in table) or 1
    return sum(row["n"] * abs(row["mean_score"] - row["spam_share"]) for row in table) / total


def evaluate(data: Path, threshold: float) -> tuple[dict[str, dict[str, float]], list[dict[str, float]]]:
    sets = development_sets(data)
    samples = [(name, y, text) for name, rows in sets.items() for y, text in rows]
    rnd = random.Random(SEED)
    idx = list(range(len(samples)))
    rnd.shuffle(idx)
    # stratified folds: spam and ham dealt round-robin separately
    folds: list[list[int]] = [[] for _ in range(FOLDS)]
    for label in (True, False):
        for k, i in enumerate(j for j in idx if samples[j][1] is label):
            folds[k % FOLDS].append(i)
    settings = SpamSettings(threshold=threshold)
    seeds = seed_samples()
    results: dict[str, list[tuple[bool, bool]]] = {"all": [], "cyrillic": [], "latin": [], "disguised": []}
    results.update({name: [] for name in sets})
    scored: list[tuple[bool, float]] = []
    for k in range(FOLDS):
        held = set(folds[k])
        model = Model(fit([samples[i][1:] for i in idx if i not in held] + seeds))

        def score(text: str, model: Model = model) -> float:
            return combine(content_verdicts(normalize(text), model, settings))

        drnd = random.Random(SEED + k)
        for i in folds[k]:
            source, y, text = samples[i]
            p = score(text)
            scored.append((y, p))
            pred = p >= threshold
            results["all"].append((y, pred))
            results[source].append((y, pred))
            script = script_of(text)
            if script in ("cyrillic", "latin"):
                results[script].append((y, pred))
            # evasion: spam disguised, ham as written (real members do not mix alphabets inside words)
            results["disguised"].append((y, score(disguise(text, drnd)) >= threshold if y else pred))
    return {name: metrics(pairs) for name, pairs in results.items()}, reliability(scored)


def load_hard(path: Path = HARD) -> list[tuple[str, str, bool, str]]:
    """``lang<TAB>spam|ham<TAB>kind<TAB>text`` lines: (language, kind, spam, text)."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, label, kind, text = line.split("\t", 3)
        out.append((lang, kind, label == "spam", text.replace("\\n", "\n")))
    return out


def removed_as_newcomer(text: str, model: Model, settings: SpamSettings) -> bool:
    """What the live filter does to a newcomer's message (no behaviour: one message, first seen)."""
    n = normalize(text)
    verdicts = content_verdicts(n, model, settings)
    verdicts += newcomer_verdicts(n, settings, MessageKind.TEXT, False, False, ())
    groups = lure_groups(n.text)
    found = lures(n, groups, settings.allowed_domains, False, False, ()) if combine(verdicts) >= settings.threshold else ()
    return judge(verdicts, True, settings, found, not ORDINARY.isdisjoint(groups)).spam


def evaluate_hard(threshold: float, path: Path = HARD) -> dict[str, dict[str, float]]:
    settings = SpamSettings(threshold=threshold)
    model = Model(starter_weights())
    rows: dict[str, list[tuple[bool, bool]]] = {"hard": [], "hard_removed": []}
    for lang, kind, y, text in load_hard(path):
        content = combine(content_verdicts(normalize(text), model, settings)) >= threshold
        removed = removed_as_newcomer(text, model, settings)
        for key in ("hard", f"hard_{lang}", f"hard_kind_{kind}"):
            rows.setdefault(key, []).append((y, content))
        rows["hard_removed"].append((y, removed))
        rows.setdefault(f"hard_removed_{lang}", []).append((y, removed))
        rows.setdefault(f"hard_removed_kind_{kind}", []).append((y, removed))
        if y and len(text) < SHORT:  # the target's "short spam": recall only (no ham in the row)
            rows.setdefault("hard_short_spam", []).append((y, content))
            rows.setdefault("hard_removed_short_spam", []).append((y, removed))
    return {name: metrics(pairs) for name, pairs in rows.items()}


HISTORY_SIZES = (0, 100, 1000)


def evaluate_history(threshold: float, path: Path = HARD) -> dict[str, dict[str, float]]:
    """The hard set after each kind of community's history grew, fed as the live filter feeds it."""
    settings = SpamSettings(threshold=threshold)
    hard = load_hard(path)
    out: dict[str, dict[str, float]] = {}
    for kind in KINDS:
        talk = stream(kind, max(HISTORY_SIZES))
        for size in HISTORY_SIZES:
            model = Model(starter_weights())
            model.history = History()
            for user, text in talk[:size]:
                n = normalize(text)
                if not content_verdicts(n, model, settings):  # only what nothing flagged is normal talk
                    model.remember(user, n)
            pairs = [(y, combine(content_verdicts(normalize(text), model, settings)) >= threshold) for _, _, y, text in hard]
            removed = [(y, removed_as_newcomer(text, model, settings)) for _, _, y, text in hard]
            out[f"history_{kind}_{size}"] = metrics(pairs)
            out[f"history_{kind}_{size}_removed"] = metrics(removed)
    return out


def _row(out: Callable[[str], None], name: str, m: dict[str, float]) -> None:
    out(
        f"  {name:24} n={m['n']:5} spam={m['spam']:4}  F1={m['f1']:.3f}  FPR={m['fpr'] * 100:5.2f}%"
        f"  P={m['precision']:.3f}  R={m['recall']:.3f}"
    )


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    # the shared data sits beside the repository (CI), or beside the worktrees' folder (development)
    ap.add_argument("--data", type=Path, default=find_data())
    ap.add_argument("--threshold", type=float, default=SpamSettings().threshold)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    flat: dict[str, float] = {}
    if args.data is not None and args.data.exists():
        res, table = evaluate(args.data, args.threshold)
        out(f"{FOLDS}-fold cross-validation on {args.data} (threshold {args.threshold})")
        for name, m in res.items():
            _row(out, name, m)
        out("  reliability (out-of-fold content scores): bin  n  mean score  spam share")
        for row in table:
            out(f"    {row['low']:.1f}-{row['low'] + 0.1:.1f}  {row['n']:5}  {row['mean_score']:.3f}  {row['spam_share']:.3f}")
        ece = calibration_error(table)
        out(f"  expected calibration error {ece:.3f}")
        flat.update({"f1": res["all"]["f1"], "fpr": res["all"]["fpr"], "recall": res["all"]["recall"], "calibration_error": ece})
        for name in res:
            if name != "all":
                flat[f"f1_{name}"] = res[name]["f1"]
                flat[f"fpr_{name}"] = res[name]["fpr"]
                flat[f"recall_{name}"] = res[name]["recall"]
        for row in table:
            flat[f"reliability_{row['low']:.1f}_spam_share"] = row["spam_share"]
            flat[f"reliability_{row['low']:.1f}_n"] = row["n"]
    else:
        print("the development sets were not found (pass --data DIR): only the project's hard set is scored", file=sys.stderr)
    hard = evaluate_hard(args.threshold)
    out(f"the project's hard set ({HARD.name}, never trained on), shipped starter model:")
    for name, m in hard.items():
        _row(out, name, m)
        flat[f"{name}_fpr"] = m["fpr"]
        flat[f"{name}_recall"] = m["recall"]
        flat[f"{name}_f1"] = m["f1"]
    out("a community's history (hard set again, after N trusted messages of a crypto / jobs / marketplace community):")
    for name, m in evaluate_history(args.threshold).items():
        _row(out, name, m)
        flat[f"{name}_fpr"] = m["fpr"]
        flat[f"{name}_recall"] = m["recall"]
    if args.json:
        args.json.write_text(json.dumps(flat, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
