"""The weekly rubric digest: the week's posts by rubric, most replied first, with links.

Due once a week at the community's chosen weekday and time (local); the
ritual runner claims each week's occurrence once. An empty week posts nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import groupby

from bot.core.actions import SendDirect, SendMessage
from bot.core.context import Context
from bot.core.ids import UserRef
from bot.core.richtext import Rich, join
from bot.core.ritual import Occurrence
from handlers.rubrics.registry import registry_for
from handlers.rubrics.render import post_line
from storage.repos.rubrics import RubricRepo

WEEK = timedelta(days=7)


def last_due(now: datetime, ctx: Context) -> datetime:
    """The latest digest time at or before ``now``, in UTC."""
    d = ctx.settings.rubrics.digest
    local = now.astimezone(ctx.here.tz)
    day = local.date() - timedelta(days=(local.weekday() - d.weekday) % 7)
    due = datetime.combine(day, d.time, tzinfo=ctx.here.tz)
    if due > local:
        due -= WEEK
    return due.astimezone(UTC)


class RubricDigest:
    name = "rubric_digest"

    async def due(self, ctx: Context) -> list[Occurrence]:
        s = ctx.settings.rubrics
        if not s.enabled or not s.digest.enabled:
            return []
        due = last_due(ctx.now, ctx)
        return [Occurrence(f"rubric_digest:{due.astimezone(ctx.here.tz).date().isoformat()}", due)]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        text = await self.compose(ctx, occurrence.due_at - WEEK, occurrence.due_at)
        if text is None:
            return
        info = ctx.here
        if ctx.settings.rubrics.digest.to == "managers":
            for manager in sorted(info.managers):
                ctx.after_commit(SendDirect(UserRef(info.chat.platform, manager), text))
        else:
            ctx.after_commit(SendMessage(info.chat, text, place=info.main_place, silent=True))

    async def compose(self, ctx: Context, start: datetime, end: datetime) -> Rich | None:
        info, t = ctx.here, ctx.t
        per_rubric = ctx.settings.rubrics.digest.per_rubric
        posts = await RubricRepo(ctx.session).between(info.id, start, end)
        by_tag = {tag: list(group) for tag, group in groupby(posts, key=lambda p: p.tag)}
        blocks: list[Rich] = []
        for rubric in (await registry_for(ctx)).rubrics:
            found = by_tag.get(rubric.tag)
            if not found:
                continue
            if ctx.settings.rubrics.digest.rank == "reactions":
                found.sort(key=lambda p: (-p.reactions, -p.posted_at.timestamp()))
            head = t.t("rubrics.digest.rubric", tag=rubric.tag, title=rubric.title or rubric.tag, n=len(found))
            lines = [post_line(t, info, p) for p in found[:per_rubric]]
            blocks.append(join([head, *lines], blank_line=False))
        if not blocks:
            return None
        return join([t.t("rubrics.digest.header", n=sum(len(v) for v in by_tag.values())), *blocks])
