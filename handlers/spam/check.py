"""``community-bot spam-check``: one line in, ``spam|ham<TAB>score<TAB>reasons`` out.

Runs the content checks of the live filter with the starter model and the
spam settings of the config's ``[defaults]`` (stop phrases, patterns,
threshold). Behaviour signals (newcomer, flood) need a live chat and are not
part of it.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from bot.core.settings.spam import SpamSettings
from handlers.spam.detectors import combine, content_verdicts
from handlers.spam.model import Model, starter_weights
from handlers.spam.normalize import normalize


def classify(lines: Iterable[str], settings: SpamSettings, out: TextIO) -> None:
    model = Model(starter_weights())
    for line in lines:
        text = line.rstrip("\n").rstrip("\r")
        verdicts = content_verdicts(normalize(text), model, settings)
        score = combine(verdicts)
        label = "spam" if score >= settings.threshold else "ham"
        reasons = ",".join(f"{v.reason}:{v.score:.2f}" for v in sorted(verdicts, key=lambda v: -v.score))
        out.write(f"{label}\t{score:.3f}\t{reasons}\n")


def run(config: Path | None) -> int:
    settings = SpamSettings()
    if config is not None:
        from bot.core.config import ConfigError, load_config

        try:
            settings = load_config(config).defaults.spam
        except ConfigError as exc:
            print(exc, file=sys.stderr)
            return 2
    stdin = open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    classify(stdin, settings, sys.stdout)
    return 0
