"""Recognition's cost per message in the core: the thank-you test on replies (the only per-message work).

A message that replies to nothing costs ThanksReply one attribute test; a reply costs ``is_thanks`` (at most
160 characters tokenised). Prints microseconds per reply over a mix of thank-yous, answers and long texts.

    python bench/recognition_cost.py [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import time

from bench.common import parser, report
from handlers.recognition.lexicon import is_thanks

REPLIES = [
    "thanks!", "спасибо большое", "dzięki", "no thanks, I have one", "I think the town hall takes them, try there",
    "谢谢你", "the shop on Elm street fixes bikes, ask for Tom, he is there on weekdays until six", "ok",
    "köszi a segítséget", "grazie mille!", "you need a 60 W iron with a fine tip " * 8,
]  # fmt: skip


def main() -> None:
    args = parser(__doc__).parse_args()
    rounds = 20_000
    start = time.process_time()
    hits = 0
    for _ in range(rounds):
        for text in REPLIES:
            hits += is_thanks(text)
    per_reply_us = (time.process_time() - start) / (rounds * len(REPLIES)) * 1e6
    report({"replies": rounds * len(REPLIES), "thanks_found": hits, "cpu_us_per_reply": round(per_reply_us, 2)}, args.json)


if __name__ == "__main__":
    main()
