"""What the spam filter keeps in memory between events, shared by every community of one bot."""

from __future__ import annotations

import sys
from collections import OrderedDict
from dataclasses import dataclass

from bot.core.ids import MessageRef
from handlers.spam.banlist import BanList, CachedBanList
from handlers.spam.detectors import DuplicateWatch, FloodWatch
from handlers.spam.history import Histories
from handlers.spam.images import KnownImages
from handlers.spam.model import Model, starter_weights
from handlers.spam.normalize import cut
from handlers.spam.second import SecondOpinion
from storage.repos.spam import DOCS, SpamRepo


@dataclass(frozen=True, slots=True)
class Recent:
    """A message we saw lately: what ``/spam`` as a reply needs (the platform does not resend it).

    Not the whole text: only what the filter reads of it (``normalize.cut``,
    at most ~600 characters), so learning from it is exactly learning from the
    original, and the cache stays small whatever members post.
    """

    user_id: str
    display_name: str
    text: str
    images: tuple[str, ...] = ()  # the pictures' keys (``MessagePosted.images``): ``/spam`` makes them known spam

    @classmethod
    def of(cls, user_id: str, display_name: str, text: str, images: tuple[str, ...] = ()) -> Recent:
        return cls(user_id, display_name[:NAME_CHARS], cut(text), images[:10])

    def size(self) -> int:
        """Bytes held, roughly: the strings and the entry's own bookkeeping."""
        return sys.getsizeof(self.text) + sys.getsizeof(self.display_name) + sys.getsizeof(self.user_id) + ENTRY_OVERHEAD


NAME_CHARS = 256
ENTRY_OVERHEAD = 400  # the key (a MessageRef), the Recent itself and the ordered dict's slot


class RecentMessages:
    """The last messages seen, bounded by count and by bytes (the oldest go first)."""

    def __init__(self, capacity: int = 20_000, max_bytes: int = 16 * 2**20) -> None:
        self.capacity = capacity
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[MessageRef, Recent] = OrderedDict()

    def remember(self, ref: MessageRef, item: Recent) -> None:
        old = self._items.pop(ref, None)
        if old is not None:
            self.bytes -= old.size()
        self._items[ref] = item
        self.bytes += item.size()
        while self._items and (len(self._items) > self.capacity or self.bytes > self.max_bytes):
            _, gone = self._items.popitem(last=False)
            self.bytes -= gone.size()

    def __len__(self) -> int:
        return len(self._items)

    def forget_person(self, user_id: str) -> None:
        """``/forgetme``: their texts leave memory now, not when they age out."""
        for ref in [ref for ref, item in self._items.items() if item.user_id == user_id]:
            self.bytes -= self._items.pop(ref).size()

    def get(self, ref: MessageRef) -> Recent | None:
        hit = self._items.get(ref)
        if hit is None:  # a reply may name the message without its place
            hit = next((v for k, v in reversed(self._items.items()) if k.chat == ref.chat and k.id == ref.id), None)
        return hit


class SpamMemory:
    """Models per community (cached; learning updates them in place), their normal talk, flood and duplicate watches."""

    def __init__(self, banlist: BanList | None = None) -> None:
        self.flood = FloodWatch()
        self.duplicates = DuplicateWatch()
        self.recent = RecentMessages()
        self.histories = Histories()
        self.images = KnownImages()
        self.second: SecondOpinion | None = None  # the LLM's second opinion, when the deployment configured one
        self.banlist = CachedBanList(banlist) if banlist is not None else None
        self._models: dict[int, Model] = {}
        self._starter_model: Model | None = None

    def starter_model(self) -> Model:
        if self._starter_model is None:
            self._starter_model = Model(starter_weights())
        return self._starter_model

    async def model(self, repo: SpamRepo, community_id: int) -> Model:
        """The community's model: one query the first time, memory afterwards."""
        m = self._models.get(community_id)
        if m is None:
            learnt = await repo.tokens(community_id)
            learnt.pop(DOCS, None)
            m = self._models[community_id] = Model(starter_weights(), learnt)
        m.history = self.histories.of(community_id)  # (the history outlives a reloaded model, and may have been evicted)
        return m

    def forget_person(self, community_id: int, user_id: str) -> None:
        """What memory holds of a person in a community: their recent texts and their part of its normal talk."""
        self.histories.forget(community_id, user_id)
        self.recent.forget_person(user_id)

    def forget_models(self) -> None:
        self._models.clear()
