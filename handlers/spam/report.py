"""Members help: ``/report`` as a reply brings a message to the moderators once enough people agree.

One report is no verdict: members report what they dislike, and a report can be a weapon. So each report
has a weight (a member's 1, a newcomer's half, less for each earlier report the moderators answered by
keeping the message), and only when the weight on one message reaches ``report_threshold`` does a card
reach the moderators' log, with the same one-tap Remove / Keep / Ban as the filter's "looks like spam".
Nothing is removed by reports alone. A member may report a few messages an hour (``report_limit``); the
report itself is deleted from the chat and acknowledged privately, so nobody sees who reported whom.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core import roles
from bot.core.actions import DeleteMessage
from bot.core.context import Context
from bot.core.events import CommandInvoked, Person, Role
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from handlers.spam.act import KEEP_TEXT, post_card, repo
from handlers.spam.decide import is_newcomer
from handlers.spam.memory import SpamMemory
from storage.models.spam import SpamRecord, SpamReport
from storage.models.states import SpamStatus
from storage.repos.reports import ReportRepo

NEWCOMER_WEIGHT = 0.5
HOUR = timedelta(hours=1)
ACK_FOR = timedelta(minutes=1)


def weight(newcomer: bool, false_reports: int) -> float:
    """What one report counts for: halved for a newcomer, divided by one more for each false report."""
    return (NEWCOMER_WEIGHT if newcomer else 1.0) / (1 + false_reports)


class Reports:
    def __init__(self, service: SpamMemory) -> None:
        self.service = service

    async def report_command(self, ctx: Context, ev: CommandInvoked) -> None:
        """``/report [why]`` as a reply to the message."""
        info = ctx.here
        s, t = info.settings.spam, ctx.translator_for(ev.user)
        target, author = ev.reply_to, ev.reply_to_author
        if target is not None and author is None and (seen := self.service.recent.get(target)) is not None:
            author = UserRef(target.chat.platform, seen.user_id)  # a jump link names the message, not its author
        if not s.reports:
            await self._answer(ctx, ev, t, "spam.report.off")
            return
        if target is None or author is None:
            await self._answer(ctx, ev, t, "spam.report.reply_needed")
            return
        if author.id == ev.user.ref.id or roles.named(info, Person(author, "")) is not Role.MEMBER:
            await self._answer(ctx, ev, t, "spam.report.not_this")
            return
        reports = ReportRepo(ctx.session)
        earlier = await reports.for_message(info.id, target.id)
        if any(r.reporter_id == ev.user.ref.id for r in earlier):
            await self._answer(ctx, ev, t, "spam.report.already")
            return
        if await reports.made_since(info.id, ev.user.ref.id, ctx.now - HOUR) >= s.report_limit:
            await self._answer(ctx, ev, t, "spam.report.too_many")
            return
        member, _ = await ctx.rt.tracker.state(ctx.session, info.id, ev.user.ref.id, ev.user.display_name, ev.user.is_bot)
        w = weight(is_newcomer(member, ctx.now, s, info.settings.levels.enabled), await reports.false_reports(info.id, ev.user.ref.id))
        case = await repo(ctx).record_for_message(info.id, target.id)
        report = SpamReport(
            community_id=info.id,
            message_id=target.id,
            author_id=author.id,
            reporter_id=ev.user.ref.id,
            weight=w,
            record_id=case.id if case is not None else None,
            created_at=ctx.now,
        )
        reports.add(report)
        total = w + sum(r.weight for r in earlier)
        if case is None and total >= s.report_threshold:
            case = await self._open_case(ctx, ev, author, len(earlier) + 1, total)
            for r in (*earlier, report):
                r.record_id = case.id
            await post_card(ctx, case)
        await self._answer(ctx, ev, t, "spam.report.thanks")

    async def _open_case(self, ctx: Context, ev: CommandInvoked, author: UserRef, reporters: int, total: float) -> SpamRecord:
        assert ev.reply_to is not None
        seen = self.service.recent.get(ev.reply_to)
        rec = SpamRecord(
            community_id=ctx.here.id,
            user_id=author.id,
            display_name=(seen.display_name if seen is not None else "")[:256],
            message_id=ev.reply_to.id,
            place=ev.reply_to.place,
            text=(seen.text if seen is not None else "")[:KEEP_TEXT],
            reasons=f"reports:{reporters}",
            score=round(min(1.0, total / ctx.here.settings.spam.report_threshold), 3),
            action="flag",
            shadow=False,
            status=SpamStatus.OPEN,
            created_at=ctx.now,
        )
        repo(ctx).add_record(rec)
        await ctx.session.flush()  # the card's buttons carry the record's id
        return rec

    async def _answer(self, ctx: Context, ev: CommandInvoked, t: Translator, key: str) -> None:
        """Privately: the slash command's or menu's own answer (only the reporter sees it), else a DM, else briefly
        in the chat. The ``/report`` message itself goes, so the chat does not see who reported whom."""
        if ev.message is not None and ev.interaction_id is None:
            ctx.after_commit(DeleteMessage(ev.message))
        await ctx.privately(ev, t.t(key), fallback_for=ACK_FOR)
