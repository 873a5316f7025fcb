"""The pinned ritual: publish on the first tick, follow source changes, restore what was unpinned.

``due`` compares the documents' sources with what is published (database
only) on every tick, and asks the platform which messages are pinned once
every ``check_every``. Each needed change becomes one occurrence keyed by the
document's ``revision``, which every run increments: the runner's claim then
guarantees that no change is carried out twice, across restarts too.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.actions import GetPinned, Pinned
from bot.core.context import Context
from bot.core.ritual import Occurrence, quiet_until
from handlers.pinned.documents import build_all
from handlers.pinned.layout import digest
from handlers.pinned.lifecycle import LEDGER, SYSTEM, Keeper, strays
from storage.models.pinned import PinnedDoc
from storage.repos.housekeeping import BotMessageRepo
from storage.repos.pinned import PinnedRepo


class PinnedRitual:
    name = "pinned"

    def __init__(self) -> None:
        self._checked: dict[int, datetime] = {}  # community id -> last pin check (a restart checks once more: harmless)

    async def due(self, ctx: Context) -> list[Occurrence]:
        info = ctx.community
        if info is None:
            return []
        rows = await PinnedRepo(ctx.session).docs(info.id)
        docs = await build_all(ctx, {slot: row.override for slot, row in rows.items()})
        if not docs and not rows:
            quiet_until(ctx, None)  # nothing to pin until a manager or the config gives it a document
            return []
        out: list[Occurrence] = []
        waiting: set[int] = set()
        for slot in sorted(set(docs) | {s for s, r in rows.items() if r.message_ids}):
            row = rows.get(slot)
            if row is not None and row.retry_after is not None and row.retry_after > ctx.now:
                waiting.add(slot)
                continue
            text = docs.get(slot)
            if row is None or text is None or not row.message_ids or row.content_hash != digest(text):
                out.append(self._occurrence(slot, row, ctx.now))
        last = self._checked.get(info.id)
        if last is None or ctx.now - last >= info.settings.pinned.check_every:
            self._checked[info.id] = ctx.now
            busy = {o.data["slot"] for o in out} | waiting
            out.extend(await self._check_pins(ctx, [r for s, r in rows.items() if r.message_ids and s not in busy and s in docs]))
            busy |= {o.data["slot"] for o in out}
            made = await BotMessageRepo(ctx.session).made_for(info.id, LEDGER)
            out.extend(self._occurrence(s, r, ctx.now) for s, r in sorted(rows.items()) if s not in busy and strays(r, made))
        return out

    @staticmethod
    def _occurrence(slot: int, row: PinnedDoc | None, now: datetime, pinned: list[str] | None = None) -> Occurrence:
        data: dict[str, object] = {"slot": slot}
        if pinned is not None:
            data["pinned"] = pinned
        return Occurrence(f"pinned:{slot}:{row.revision if row else 0}", now, data)

    async def _check_pins(self, ctx: Context, published: list[PinnedDoc]) -> list[Occurrence]:
        """Documents whose messages are no longer pinned (unpinned or deleted)."""
        out: list[Occurrence] = []
        by_place: dict[str | None, list[PinnedDoc]] = {}
        for row in published:
            by_place.setdefault(row.place, []).append(row)
        for place, rows in by_place.items():
            expected = tuple(mid for r in rows for mid in r.message_ids)
            result = await ctx.perform(GetPinned(ctx.here.chat, place, expected))
            if not isinstance(result, Pinned):
                continue  # the platform cannot tell: leave the documents alone
            pinned = sorted(m.id for m in result.pinned)
            out.extend(self._occurrence(r.slot, r, ctx.now, pinned) for r in rows if not set(r.message_ids) <= set(pinned))
        return out

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        slot = int(occurrence.data["slot"])
        repo = PinnedRepo(ctx.session)
        row = await repo.get_or_create(ctx.here.id, slot, ctx.now)
        docs = await build_all(ctx, {s: r.override for s, r in (await repo.docs(ctx.here.id)).items()})
        keeper = Keeper(ctx)
        await keeper.sweep(row)  # what a killed publication of this document left behind
        text = docs.get(slot)
        if text is None:
            if row.message_ids:
                await keeper.retire(row, SYSTEM)
            else:
                row.revision += 1
            return
        outcome = await keeper.sync(row, text, SYSTEM)
        if outcome == "unchanged" and "pinned" in occurrence.data:
            await keeper.restore(row, text, set(occurrence.data["pinned"]))
