"""Retrain the shipped starter weights from the development sets: ``python -m handlers.spam.train [--data DIR]``.

The package ships the weights (``data/starter-weights.tsv``) and the project's
own seed texts, never the third-party sets they were trained from. Those live
in ``shared/data/spam/`` beside the repository (our machines, CI):

* ``tg-spam/`` (umputun/tg-spam, MIT): ``spam-samples.txt``, ``ham-samples.txt``;
* ``sms-spam-collection/`` (UCI SMS Spam Collection, cite Almeida, Gómez Hidalgo, Yamakami);
* ``youtube-spam-collection/`` (UCI YouTube Spam Collection, CC BY 4.0, cite Alberto, Lochter, Almeida).

The table's header carries two fingerprints: of the code that reads texts and
of the seed file (``code``), and of the development texts (``data``). A test
checks the first everywhere and, where the data is present, that a fresh run
writes exactly the shipped table.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import html
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from handlers.spam.model import DATA, TABLE, Weights, code_fingerprint, fit, save_table

REPO = Path(__file__).resolve().parents[2]
_TAG = re.compile(r"<[^>]{0,200}>")


def find_data() -> Path | None:
    """``shared/data/spam`` beside the repository (CI) or beside the worktrees' folder (development)."""
    for p in (REPO.parent / "shared/data/spam", REPO.parent.parent / "shared/data/spam"):
        if p.is_dir():
            return p
    return None


def _lines(path: Path) -> list[str]:
    return [s for s in path.read_text(encoding="utf-8").splitlines() if s.strip()]


def _youtube_text(raw: str) -> str:
    """As published: HTML entities and ``<br />`` tags; a member's client would show plain text."""
    return " ".join(_TAG.sub(" ", html.unescape(raw)).split())


def development_sets(root: Path) -> dict[str, list[tuple[bool, str]]]:
    """The labelled development texts by set, each in a fixed order (training is deterministic)."""
    tg = root / "tg-spam"
    sets: dict[str, list[tuple[bool, str]]] = {
        "tg-spam": [(True, s) for s in _lines(tg / "spam-samples.txt")] + [(False, s) for s in _lines(tg / "ham-samples.txt")],
        "sms": [],
        "youtube": [],
    }
    for line in _lines(root / "sms-spam-collection" / "SMSSpamCollection.tsv"):
        label, _, text = line.partition("\t")
        if text.strip() and label in ("spam", "ham"):
            sets["sms"].append((label == "spam", text))
    for path in sorted((root / "youtube-spam-collection").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                text = _youtube_text(row.get("CONTENT") or "")
                label = row.get("label", row.get("CLASS", ""))
                if text and label in ("0", "1"):
                    sets["youtube"].append((label == "1", text))
    return sets


def development_samples(root: Path) -> list[tuple[bool, str]]:
    return [sample for samples in development_sets(root).values() for sample in samples]


def seed_samples() -> list[tuple[bool, str]]:
    """The project's own short examples in every language the bot serves (``data/seed.txt``, MIT)."""
    out: list[tuple[bool, str]] = []
    for line in (DATA / "seed.txt").read_text(encoding="utf-8").splitlines():
        label, _, text = line.partition("\t")
        if text.strip() and label in ("spam", "ham"):
            out.append((label == "spam", text))
    return out


def data_fingerprint(samples: Sequence[tuple[bool, str]]) -> str:
    h = hashlib.sha256()
    for spam, text in samples:
        h.update(b"1" if spam else b"0")
        h.update(text.encode("utf-8", "surrogatepass") + b"\0")
    return h.hexdigest()[:16]


def build(root: Path) -> tuple[Weights, str]:
    """The starter weights (trained and calibrated) from the development sets at ``root`` plus the seed texts,
    and the data's fingerprint."""
    dev = development_samples(root)
    return fit(dev + seed_samples()), data_fingerprint(dev)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=find_data(), help="the development sets (default: shared/data/spam beside the repo)")
    ap.add_argument("--out", type=Path, default=TABLE)
    args = ap.parse_args(argv)
    if args.data is None or not args.data.is_dir():
        print("the development sets were not found; pass --data DIR (shared/data/spam)", file=sys.stderr)
        return 2
    weights, data = build(args.data)
    save_table(weights, args.out, code_fingerprint(), data)
    print(f"wrote {args.out} ({len(weights.text)} text weights, {len(weights.shape)} shape weights)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
