"""The strike ladder, shared by the spam filter and moderators' warnings: one count, one set of steps.

First strike: explain (educate); second: warn and mute for ``spam.mute_for``; third and later: remove.
The count itself lives in ``spam_strikes`` (``storage/repos/spam.py: SpamRepo.strike``) and decays
after ``spam.strike_decay``, whichever of the two added it.
"""

from __future__ import annotations

import enum


class Rung(enum.StrEnum):
    EXPLAIN = "warn"
    MUTE = "mute"
    BAN = "ban"


def rung(strikes: int) -> Rung:
    """What a member's ``strikes``-th strike brings."""
    if strikes <= 1:
        return Rung.EXPLAIN
    if strikes == 2:
        return Rung.MUTE
    return Rung.BAN
