"""The private side: Start (pending welcome DMs), private answers (gate, farewell) and the welcome DM's buttons."""

from __future__ import annotations

from datetime import timedelta

from bot.core import callbacks
from bot.core.actions import AnswerButton
from bot.core.commands import Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import ButtonPressed, DirectStarted, Event, MessagePosted, Person
from bot.core.i18n import Translator
from bot.core.richtext import Rich, join, markup
from bot.core.router import Flow
from bot.core.runtime import FAREWELL_ANSWERED, FarewellAnswer
from rituals import instances
from storage.models.states import CampaignState
from storage.repos.onboarding import NewcomerRepo

from . import gate, join_requests
from .deeplink import community_from
from .dm import send_welcome_dm

EVENTS_AHEAD = timedelta(days=30)
ANSWER_LIMIT = 2000
DM_BUTTONS = ("rules", "guide", "events", "stop")


async def communities_on(ctx: Context, platform: str) -> dict[int, CommunityInfo]:
    infos = await ctx.rt.directory.load_all(ctx.now)
    return {i.id: i for i in infos if i.chat.platform == platform}


async def community(ctx: Context, community_id: int) -> CommunityInfo | None:
    """A community by its id, from the directory's cache (loading every community once after a restart)."""
    info = ctx.rt.directory.by_id(community_id)
    if info is None:
        await ctx.rt.directory.load_all(ctx.now)
        info = ctx.rt.directory.by_id(community_id)
    return info


async def deliver_pending(ctx: Context, person: Person, wanted: int | None = None) -> int:
    """Send the welcome DMs waiting for ``person`` (only ``wanted``'s when that is among them); how many went out."""
    user = person.ref
    rows = await NewcomerRepo(ctx.session).pending_dms(user.id)
    if wanted is not None and any(r.community_id == wanted for r in rows):
        rows = [r for r in rows if r.community_id == wanted]  # the community whose link they followed
    sent = 0
    for row in rows:
        info = await community(ctx, row.community_id)
        if info is None or info.chat.platform != user.platform:
            continue  # the same id on another platform is another person
        sent += await send_welcome_dm(ctx, info, ctx.translator_for(person), user, person.display_name, row)
    return sent


class DirectStart:
    """Someone pressed Start: deliver the welcome DMs that were waiting for it."""

    name = "onboarding.start"
    events: tuple[type[Event], ...] = (DirectStarted,)
    where = Where.PRIVATE

    async def handle(self, ctx: Context, ev: DirectStarted, /) -> Flow | None:
        sent = await deliver_pending(ctx, ev.user, community_from(ev.payload))
        if not sent:
            await ctx.direct(ev.user, ctx.t.t("onboarding.start.nothing"))
        return None


class DirectText:
    """A private message: DMs work now (Discord has no Start), a gate answer, or the answer to the farewell question."""

    name = "onboarding.private"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.PRIVATE

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        if await deliver_pending(ctx, ev.author):
            return None  # their first word to the bot: the welcome it held back answers it
        text = ev.text.strip()
        if not text or await gate.on_answer(ctx, ev.author, text) or await join_requests.on_answer(ctx, ev.author, text):
            return None
        mine = await communities_on(ctx, ev.author.ref.platform)
        row = await NewcomerRepo(ctx.session).farewell_waiting(ev.author.ref.id, mine)
        if row is not None:
            row.farewell_answer = text[:ANSWER_LIMIT]
            answer = FarewellAnswer(row.community_id, row.user_id, ev.author.display_name, row.farewell_answer)
            await ctx.rt.signal(FAREWELL_ANSWERED, ctx, answer)  # the feedback inbox keeps it where managers read it
            await ctx.direct(ev.author, ctx.translator_for(ev.author).t("onboarding.farewell.thanks"))
        return None


async def on_dm_button(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``onbdm:<rules|guide|events|stop>:<community id>`` under the welcome DM."""
    parsed = callbacks.parse(rest, callbacks.one_of(*DM_BUTTONS), callbacks.ID)
    info = ctx.rt.directory.by_id(parsed[1]) if parsed is not None else None
    t = ctx.translator_for(ev.user)
    # Only for the newcomer it was sent to: a forged community id must not hand out another community's rules or events.
    row = await NewcomerRepo(ctx.session).get(info.id, ev.user.ref.id) if info is not None else None
    if parsed is None or info is None or info.chat.platform != ev.user.ref.platform or row is None or row.left_at is not None:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("onboarding.dm.not_member"), alert=True))
        return
    what = parsed[0]
    ctx.after_commit(AnswerButton(ev.callback_id))
    if what == "rules":
        rules = info.settings.pinned.rules
        body = join([t.t("onboarding.rules.title", community=info.name), *[markup("- {rule}", rule=r) for r in rules]], blank_line=False)
        await ctx.direct(ev.user, body if rules else t.t("onboarding.rules.none"))
    elif what == "guide":
        lines = [t.t("onboarding.guide.line", tag=r.tag, description=r.description or r.title) for r in info.settings.rubrics.rubrics]
        await ctx.direct(ev.user, join([t.t("onboarding.guide.title", community=info.name), *lines], blank_line=False))
    elif what == "events":
        await ctx.direct(ev.user, await _events(ctx, info, t))
    elif what == "stop":
        if row.campaign_state == CampaignState.ACTIVE:
            row.campaign_state = CampaignState.STOPPED
        await ctx.direct(ev.user, t.t("onboarding.stopped", community=info.name))


async def _events(ctx: Context, info: CommunityInfo, t: Translator) -> Rich:
    events = await instances.between(ctx.session, info.id, info.tz, ctx.now, ctx.now + EVENTS_AHEAD)  # series: each occurrence
    if not events:
        return t.t("onboarding.events.none")
    lines = [t.t("onboarding.events.line", when=t.datetime(e.starts_at, info.tz, "short"), title=e.event.title) for e in events[:10]]
    return join([t.t("onboarding.events.title", community=info.name), *lines], blank_line=False)
