"""Spam filter quality: stratified 5-fold cross-validation on the development set.

Each fold trains the starter model on the other four folds (plus the project's
own multilingual seed texts, which are never scored) and scores the held-out
fold with the same content checks the live filter and ``spam-check`` run. The
held-out fold is scored twice: as written, and disguised (look-alike letters,
zero-width characters, spaced letters) to see that evasion does not pay.

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

from bot.core.settings.spam import SpamSettings
from handlers.spam.detectors import combine, content_verdicts
from handlers.spam.model import DATA, Model, train
from handlers.spam.normalize import normalize, script_of

FOLDS = 5
SEED = 20261130


def load(data: Path) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    for name, spam in (("spam-samples.txt", True), ("ham-samples.txt", False)):
        out += [(spam, s) for s in (data / "tg-spam" / name).read_text(encoding="utf-8").splitlines() if s.strip()]
    for line in (data / "sms-spam-collection" / "SMSSpamCollection.tsv").read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        if text.strip():
            out.append((label == "spam", text))
    return out


def seed_samples() -> list[tuple[bool, str]]:
    out = []
    for line in (DATA / "seed.txt").read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        out.append((label == "spam", text))
    return out


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


def evaluate(data: Path, threshold: float) -> dict[str, dict[str, float]]:
    samples = load(data)
    rnd = random.Random(SEED)
    idx = list(range(len(samples)))
    rnd.shuffle(idx)
    # stratified folds: spam and ham dealt round-robin separately
    folds: list[list[int]] = [[] for _ in range(FOLDS)]
    for label in (True, False):
        for k, i in enumerate(j for j in idx if samples[j][0] is label):
            folds[k % FOLDS].append(i)
    settings = SpamSettings(threshold=threshold)
    seeds = seed_samples()
    results: dict[str, list[tuple[bool, bool]]] = {"all": [], "cyrillic": [], "latin": [], "disguised": []}
    for k in range(FOLDS):
        held = set(folds[k])
        model = Model(train([samples[i] for i in idx if i not in held] + seeds))

        def is_spam(text: str, model: Model = model) -> bool:
            return combine(content_verdicts(normalize(text), model, settings)) >= threshold

        drnd = random.Random(SEED + k)
        for i in folds[k]:
            y, text = samples[i]
            pred = is_spam(text)
            results["all"].append((y, pred))
            script = script_of(text)
            if script in ("cyrillic", "latin"):
                results[script].append((y, pred))
            # evasion: spam disguised, ham as written (real members do not mix alphabets inside words)
            results["disguised"].append((y, is_spam(disguise(text, drnd)) if y else pred))
    return {name: metrics(pairs) for name, pairs in results.items()}


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    repo = Path(__file__).resolve().parents[1]
    # the shared data sits beside the repository (CI), or beside the worktrees' folder (development)
    default = next((p for p in (repo / ".." / "shared/data/spam", repo / ".." / ".." / "shared/data/spam") if p.exists()), None)
    ap.add_argument("--data", type=Path, default=default)
    ap.add_argument("--threshold", type=float, default=SpamSettings().threshold)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    if args.data is None or not args.data.exists():
        print("the development set was not found; pass --data DIR", file=sys.stderr)
        return 2
    res = evaluate(args.data, args.threshold)
    out(f"{FOLDS}-fold cross-validation on {args.data} (threshold {args.threshold})")
    for name, m in res.items():
        out(
            f"  {name:10} n={m['n']:5} spam={m['spam']:4}  F1={m['f1']:.3f}  FPR={m['fpr'] * 100:.2f}%"
            f"  P={m['precision']:.3f}  R={m['recall']:.3f}"
        )
    if args.json:
        flat = {"f1": res["all"]["f1"], "fpr": res["all"]["fpr"]}
        for name in ("cyrillic", "latin", "disguised"):
            flat[f"f1_{name}"] = res[name]["f1"]
            flat[f"fpr_{name}"] = res[name]["fpr"]
        args.json.write_text(json.dumps(flat, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
