"""A shared ban list (CAS-style: "is this account a known spammer?") behind a small interface.

Off by default (``spam.shared_banlist``) and asked only about newcomers, with
answers cached in memory. The bot ships no network client for it: a
deployment passes its own implementation to ``handlers.spam.setup``'s filter.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Protocol

from bot.core.ids import UserRef


class BanList(Protocol):
    async def is_banned(self, user: UserRef) -> bool: ...


class CachedBanList:
    """Wraps a ban list: one question per user, remembered (bounded); errors count as "not banned"."""

    def __init__(self, inner: BanList, capacity: int = 20_000) -> None:
        self.inner = inner
        self.capacity = capacity
        self._answers: OrderedDict[UserRef, bool] = OrderedDict()

    async def is_banned(self, user: UserRef) -> bool:
        hit = self._answers.get(user)
        if hit is not None:
            return hit
        try:
            answer = bool(await self.inner.is_banned(user))
        except Exception:
            return False  # the list being down must never block members
        self._answers[user] = answer
        if len(self._answers) > self.capacity:
            self._answers.popitem(last=False)
        return answer
