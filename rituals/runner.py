"""The ritual tick: for every community and ritual, post what is due exactly once.

Each occurrence is claimed in ``ritual_runs`` (unique per community and key)
and committed before it is posted; a second process or a restart finds the
claim and does nothing. An occurrence older than the grace period is recorded
as skipped instead of being posted late. A ritual that raises marks its
occurrence failed, and the next tick within the grace period tries again; so
does a claim left behind by a process killed between claiming and posting.
Like an event's, a ritual's work is committed before each platform call it
makes (``Context.perform``), so a post that waits on the platform holds no lock.
"""

from __future__ import annotations

import logging
import secrets
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core.actions import DeleteMessage
from bot.core.community import CommunityInfo
from bot.core.context import Context, RunClaim
from bot.core.events import Tick
from bot.core.ids import MessageRef
from bot.core.ritual import CLAIM_LEASE, Occurrence, Ritual  # CLAIM_LEASE: the at-least-once window
from bot.core.runtime import Runtime
from bot.core.settings.types import format_span
from bot.core.uow import settle
from rituals.lease import Heartbeats
from storage.repos.deliveries import DeliveryRepo
from storage.repos.housekeeping import BotMessageRepo, RitualRunRepo

log = logging.getLogger("rituals")

FINAL = ("sent", "skipped")  # statuses no process ever changes again (failed and stale claims are retried)
# A ritual's quiet hint holds this long at most: what another process stored is seen this late at worst.
QUIET_AT_MOST = timedelta(minutes=5)


class RitualRunner:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.counts: Counter[tuple[str, str]] = Counter()  # (ritual, "sent" | "skipped" | "failed")
        # (community id, ritual) -> keys it still offers that are settled for good (see ``_due``)
        self._final: dict[tuple[int, str], frozenset[str]] = {}
        # (community id, ritual) -> (change stamp, since, until): its ``due`` said nothing comes before ``until``
        self._quiet: dict[tuple[int, str], tuple[tuple[int, int], datetime, datetime]] = {}
        self.last_tick_communities = 0  # how many communities the last tick looked at (idle unlisted ones are not)
        self.heartbeats = Heartbeats()  # renews the claims of posts in progress (see rituals.lease)

    def count(self, status: str, ritual: str | None = None) -> int:
        """How many occurrences ended so, for one ritual or all."""
        return sum(n for (name, st), n in self.counts.items() if st == status and (ritual is None or name == ritual))

    @property
    def sent(self) -> int:
        return self.count("sent")

    @property
    def skipped(self) -> int:
        return self.count("skipped")

    @property
    def failed(self) -> int:
        return self.count("failed")

    async def tick(self, now: datetime | None = None) -> None:
        rt = self.rt
        now = now or rt.now()
        await rt.flush()
        await rt.router.replay_held()  # events the database refused while it was away, in order per chat
        try:
            communities = await rt.directory.load_all(now)
        except Exception:  # the database is unreachable: what is due stays due for the next tick
            log.exception("tick skipped: the communities could not be loaded")
            return
        directory = rt.directory
        for community_id in directory.take_refreshed():  # another process changed its settings: ask its rituals again
            rt.mark_changed(community_id)
        active = [info for info in communities if not directory.idle(info, now)]  # unlisted and quiet for long: skipped
        self.last_tick_communities = len(active)
        for info in active:
            if self._all_quiet(info, now):
                continue  # no session, no query: every ritual said nothing comes before later
            await self._run_community(info, now)
        try:
            await self.clean_up(now)
        except Exception:
            log.exception("clean-up of self-deleting messages failed; next tick tries again")

    def _all_quiet(self, info: CommunityInfo, now: datetime) -> bool:
        stamp = self.rt.change_stamp(info.id)
        for ritual in self.rt.rituals:
            quiet = self._quiet.get((info.id, ritual.name))
            if quiet is None or quiet[0] != stamp or not quiet[1] <= now < quiet[2]:
                return False
        return True

    def _ctx(self, session: AsyncSession, info: CommunityInfo, ritual: Ritual, now: datetime) -> Context:
        return Context(Tick(info.chat, now, ritual.name), session, self.rt, info, self.rt.catalogs.translator(info.settings.language))

    async def _run_community(self, info: CommunityInfo, now: datetime) -> None:
        """Every ritual of one community, in order; their due checks share one session (one connection).

        A ritual that said it stays quiet (``quiet_until``) is not asked until then, or until something
        is stored about the community: an event's unit of work, or a ritual's post.
        """
        rt = self.rt
        async with rt.db.sessions() as session:
            for ritual in rt.rituals:
                memo = (info.id, ritual.name)
                stamp = rt.change_stamp(info.id)
                quiet = self._quiet.get(memo)
                if quiet is not None and quiet[0] == stamp and quiet[1] <= now < quiet[2]:
                    continue
                try:
                    due = await self._due(session, info, ritual, now, stamp)
                    if due:
                        await settle(session)  # posting may wait on the platform: hold nothing meanwhile
                        try:
                            await self._run_due(info, ritual, due, now)
                        finally:
                            rt.mark_changed(info.id)  # what it stored may matter to the others: they look again
                except Exception:
                    log.exception("ritual %s failed for %s", ritual.name, info.chat)
                    await session.rollback()

    async def _due(
        self, session: AsyncSession, info: CommunityInfo, ritual: Ritual, now: datetime, stamp: tuple[int, int]
    ) -> list[Occurrence]:
        """What the ritual offers, less what already ran; notes the ritual's quiet hint.

        Occurrences known to be sent or skipped are remembered (only while the ritual still offers
        them), so a ritual that keeps offering its latest slot costs no query on idle ticks.
        """
        ctx = self._ctx(session, info, ritual, now)
        due = await ritual.due(ctx)
        memo = (info.id, ritual.name)
        self._quiet.pop(memo, None)
        if not due:
            self._final.pop(memo, None)
            if ctx.quiet is not None:
                # Spread over the second half of the limit, so that communities don't all look again on one tick.
                until, longest = ctx.quiet.until, now + QUIET_AT_MOST * (0.5 + (info.id % 16) / 32)
                self._quiet[memo] = (stamp, now, longest if until is None else min(until, longest))
            return due
        known = self._final.get(memo, frozenset())
        fresh = [o for o in due if o.key not in known]
        if fresh:
            # One query instead of a failed INSERT per occurrence already handled.
            done = await RitualRunRepo(session).settled(info.id, [o.key for o in fresh], now - CLAIM_LEASE)
            known |= {k for k, status in done.items() if status in FINAL}
            fresh = [o for o in fresh if o.key not in done]
        offered = {o.key for o in due}
        self._final[memo] = frozenset(k for k in known if k in offered)
        return fresh

    async def _run_due(self, info: CommunityInfo, ritual: Ritual, due: list[Occurrence], now: datetime) -> None:
        grace = info.settings.rituals.grace
        settled: set[str] = set()
        skipped: list[Occurrence] = []
        for occ in due:
            late = now - occ.due_at > grace
            claim = await self._claim(info, ritual, occ, now, "skipped" if late else "claimed")
            if claim is None:
                continue
            if late:
                self.counts[ritual.name, "skipped"] += 1
                skipped.append(occ)
                settled.add(occ.key)
            elif await self._post(info, ritual, occ, now, claim):
                settled.add(occ.key)
        if skipped:
            # One line, in words (at a first start these are occurrences due before the bot was there).
            n = len(skipped)
            log.info(
                "skipped %d %s occurrence%s for %s: already more than %s late (the grace), the latest due %s ago",
                n,
                ritual.name,
                "" if n == 1 else "s",
                info.chat,
                format_span(grace),
                format_span(min(now - o.due_at for o in skipped)),
            )
        memo = (info.id, ritual.name)
        self._final[memo] = self._final.get(memo, frozenset()) | settled

    async def _claim(self, info: CommunityInfo, ritual: Ritual, occ: Occurrence, now: datetime, status: str) -> RunClaim | None:
        """The claim when this process won the occurrence, None when another run has it.

        A failed attempt, or a claim its owner stopped renewing (it died mid-post), is taken over; such a
        rerun may find what the earlier run delivered (``RunClaim.ledger``).
        """
        token = secrets.token_hex(16)
        async with self.rt.db.sessions() as session:
            repo = RitualRunRepo(session)
            if await repo.claim(info.id, ritual.name, occ.key, occ.due_at, status, now, token):
                await session.commit()
                return RunClaim(occ.key, token)
            ok = await repo.take_over(info.id, occ.key, status, now, now - CLAIM_LEASE, token)
            if ok and status == "skipped":  # a run cut short, now too late to finish: its ledger goes
                await self._clear_ledger(session, info, occ.key, now)
            await session.commit()
            return RunClaim(occ.key, token, ledger=True) if ok else None

    @staticmethod
    async def _clear_ledger(session: AsyncSession, info: CommunityInfo, key: str, now: datetime) -> None:
        """The occurrence ``key`` is settled: its deliveries go. So do the community's runs that no tick can take up
        again (claimed or failed, untouched for longer than the grace: a crash's, whose occurrence is no longer
        offered, say the reminder of an event cancelled since) and their deliveries. Two statements, only for
        occurrences that kept a ledger."""
        moot = now - info.settings.rituals.grace - CLAIM_LEASE
        await DeliveryRepo(session).forget_unit(info.id, key, moot)
        await RitualRunRepo(session).abandon(info.id, moot, now)

    async def _post(self, info: CommunityInfo, ritual: Ritual, occ: Occurrence, now: datetime, claim: RunClaim) -> bool:
        """Run the occurrence; True when it was sent (marked so), False when it failed (retried later).

        While it runs, its claim is renewed (a send the platform holds for minutes is not taken over);
        the marks name the claim's token, so a process that lost its claim changes nothing.
        """
        rt, token = self.rt, claim.token
        async with rt.db.sessions() as session:
            ctx = self._ctx(session, info, ritual, now)
            ctx.claim = claim
            try:
                async with self.heartbeats.keep(rt, info.id, occ.key, token):
                    await ritual.run(ctx, occ)
                if await RitualRunRepo(session).finish(info.id, occ.key, "sent", now, token):
                    if claim.ledger:  # settled: what each recipient got is asked no more
                        await self._clear_ledger(session, info, occ.key, now)
                else:
                    log.warning("ritual %s %s for %s was posted after another process took its claim over", ritual.name, occ.key, info.chat)
                await session.commit()
                self.counts[ritual.name, "sent"] += 1
            except Exception as exc:
                await session.rollback()
                self.counts[ritual.name, "failed"] += 1
                log.exception("ritual %s %s failed for %s; will retry", ritual.name, occ.key, info.chat)
                async with rt.db.sessions() as s2:
                    await RitualRunRepo(s2).finish(info.id, occ.key, "failed", now, token, type(exc).__name__)
                    await s2.commit()
                return False
        for action in ctx._after:
            await rt.perform(info.chat.platform, action)
        return True

    async def clean_up(self, now: datetime) -> None:
        """Delete the bot's self-deleting messages whose time has come.

        The rows are read, the platform is asked with no session open (it may make us wait), and
        the rows are forgotten afterwards: gone or not, each is tried once, not retried forever.
        """
        rt = self.rt
        async with rt.db.sessions() as session:
            rows = await BotMessageRepo(session).due_for_deletion(now)
            due = [(m.id, m.community_id, m.message_id, m.place, m.created_at) for m in rows]
        for _, community_id, message_id, place, posted in due:
            info = rt.directory.by_id(community_id)
            if info is not None:
                await rt.perform(info.chat.platform, DeleteMessage(MessageRef(info.chat, message_id, place), posted_at=posted))
        if due:
            async with rt.db.sessions() as session:
                await BotMessageRepo(session).forget([row[0] for row in due])
                await session.commit()
