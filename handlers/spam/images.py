"""Known spam pictures (#19.7): a picture moderators confirmed as spam is blocked when it comes again.

A removed or flagged message's pictures are stored with its case (``spam_images``, not yet known);
when moderators confirm the case (*Remove*, *Confirm*, *Ban*, ``/spam`` as a reply) they become known
spam of that community, and a *Not spam* takes them back. The same picture again is a moderator's word
(a rule, like a stop phrase): it removes whoever posts it. Perceptual hashes (``dhash:``) match when at
most ``NEAR_BITS`` of 64 bits differ (a resize, a recompression, a watermark's corner); a platform's
content id (``tg:<file_unique_id>``) matches exactly. A community sees only its own pictures unless its
``spam.shared_images`` setting takes in those of every community this bot serves.
"""

from __future__ import annotations

from collections import OrderedDict

from bot.core.imagehash import PREFIX, distance
from storage.repos.spam import SpamRepo

NEAR_BITS = 8
SHARED = -1  # the cache's key for the pictures of every community
CACHED = 1000  # communities whose known pictures are held in memory


class KnownSet:
    """One scope's known pictures: exact keys, and perceptual hashes as integers to compare."""

    def __init__(self, keys: list[str]) -> None:
        self.exact = {k for k in keys if not k.startswith(PREFIX)}
        self.hashes = [k for k in keys if k.startswith(PREFIX)]

    def matches(self, key: str) -> bool:
        if key in self.exact:
            return True
        if key.startswith(PREFIX):
            return any(distance(key, k) <= NEAR_BITS for k in self.hashes)
        return False

    def matches_any(self, keys: list[str] | tuple[str, ...]) -> bool:
        return any(self.matches(k) for k in keys)


class KnownImages:
    """Loaded from the database the first time a scope is asked about, dropped when moderators change it."""

    def __init__(self) -> None:
        self._sets: OrderedDict[int, KnownSet] = OrderedDict()

    async def match(self, repo: SpamRepo, community_id: int, shared: bool, keys: tuple[str, ...]) -> bool:
        scope = SHARED if shared else community_id
        known = self._sets.get(scope)
        if known is None:
            known = self._sets[scope] = KnownSet(await repo.known_images(None if shared else community_id))
            while len(self._sets) > CACHED:
                self._sets.popitem(last=False)
        return known.matches_any(keys)

    def changed(self, community_id: int) -> None:
        self._sets.pop(community_id, None)
        self._sets.pop(SHARED, None)
