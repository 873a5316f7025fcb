"""What the spam filter keeps in memory between events, shared by every community of one bot."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from bot.core.ids import MessageRef
from handlers.spam.banlist import BanList, CachedBanList
from handlers.spam.detectors import DuplicateWatch, FloodWatch
from handlers.spam.model import Model, starter_weights
from storage.repos.spam import DOCS, SpamRepo


@dataclass(frozen=True, slots=True)
class Recent:
    """A message we saw lately: what ``/spam`` as a reply needs (the platform does not resend it)."""

    user_id: str
    display_name: str
    text: str


class RecentMessages:
    def __init__(self, capacity: int = 20_000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[MessageRef, Recent] = OrderedDict()

    def remember(self, ref: MessageRef, item: Recent) -> None:
        self._items[ref] = item
        if len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def get(self, ref: MessageRef) -> Recent | None:
        hit = self._items.get(ref)
        if hit is None:  # a reply may name the message without its place
            hit = next((v for k, v in reversed(self._items.items()) if k.chat == ref.chat and k.id == ref.id), None)
        return hit


class SpamMemory:
    """Models per community (cached; learning updates them in place), flood and duplicate watches."""

    def __init__(self, banlist: BanList | None = None) -> None:
        self.flood = FloodWatch()
        self.duplicates = DuplicateWatch()
        self.recent = RecentMessages()
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
        return m

    def forget_models(self) -> None:
        self._models.clear()
