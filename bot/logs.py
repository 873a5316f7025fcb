"""Logging for ``community-bot run``: at INFO the log reads like a diary of what the bot did for people.

Libraries' per-job chatter goes to DEBUG: APScheduler logs two lines per job run ("Running job ...",
"... executed successfully"), which with the one-second activity flush is over 170,000 lines a day.
``bench/log_volume.py`` measures an idle hour.
"""

from __future__ import annotations

import logging

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# Loggers that only say "it worked" at INFO; at DEBUG everything is shown.
CHATTY = ("apscheduler.executors", "apscheduler.scheduler")


def configure(level: str, handler: logging.Handler | None = None) -> None:
    """The root logger at ``level`` (a handler of the caller's, for benches and tests); the chatty ones quieter."""
    if handler is not None:
        handler.setFormatter(logging.Formatter(FORMAT))
        root = logging.getLogger()
        root.handlers[:] = [handler]
        root.setLevel(level)
    else:
        logging.basicConfig(level=level, format=FORMAT)
    quiet = logging.DEBUG if level == "DEBUG" else logging.WARNING
    for name in CHATTY:
        logging.getLogger(name).setLevel(quiet)
