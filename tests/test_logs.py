"""At INFO the log is a diary of what the bot did; per-job chatter is DEBUG (bench/log_volume.py counts an idle hour)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot import logs


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    yield
    root.handlers[:], root.level = handlers, level
    for name in logs.CHATTY:
        logging.getLogger(name).setLevel(logging.NOTSET)


def test_apscheduler_job_lines_are_debug_at_info(restore_logging: None) -> None:
    logs.configure("INFO", logging.NullHandler())
    assert not logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.INFO)
    assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.WARNING)  # a missed run is still said
    assert logging.getLogger("rituals").isEnabledFor(logging.INFO)


def test_at_debug_everything_is_shown(restore_logging: None) -> None:
    logs.configure("DEBUG", logging.NullHandler())
    assert logging.getLogger("apscheduler.executors.default").isEnabledFor(logging.DEBUG)
