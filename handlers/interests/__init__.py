"""Newcomers meet people (#21.6): what members are into, asked by DM with a button per interest (the
community's ``interests.choices``), as a welcome-campaign step (``kind = "interests"``) or with ``/interests``;
and a weekly post introducing the week's newcomers to members who share an interest ("Zoe is into bikes: so
are Ann and Wu. Say hello!"). Members who asked not to be named in public (``/spotlight off``) are never named.
Nothing is asked while the community lists no interests.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from bot.core import callbacks
from bot.core.actions import AnswerButton, Button, Buttons, EditMessage, Failed, FailReason, Result
from bot.core.commands import Command, Where
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from bot.core.richtext import Mention, Rich, join, markup
from bot.core.ritual import Occurrence
from bot.core.runtime import Runtime
from rituals.posting import post
from rituals.weekly import WeeklySlot
from storage.repos.interests import InterestRepo
from storage.repos.members import MemberRepo
from storage.repos.rituals import RitualQueries

PREFIX = "int"
DONE = "done"
SHOWN = 3  # members named per newcomer
NEWCOMERS = 10  # newcomers introduced in one post


def setup(rt: Runtime) -> None:
    rt.add_locales(Path(__file__).parent / "locales")
    rt.buttons.add(PREFIX, on_press)
    rt.commands.add(Command("interests", interests_command, "interests.cmd", where=Where.GROUP))
    rt.campaign_steps["interests"] = campaign_step
    rt.add_ritual(Introductions())


def _buttons(t: Translator, info: CommunityInfo, chosen: set[str]) -> Buttons:
    choices = info.settings.interests.choices
    one = [Button(("✓ " if c in chosen else "") + c, f"{PREFIX}:{info.id}:{n}") for n, c in enumerate(choices)]
    rows = tuple(tuple(one[i : i + 3]) for i in range(0, len(one), 3))
    return (*rows, (Button(t.s("interests.button.done"), f"{PREFIX}:{info.id}:{DONE}"),))


async def campaign_step(ctx: Context, user: UserRef, t: Translator) -> Result:
    """The welcome campaign's step of kind "interests"."""
    info = ctx.here
    if not info.settings.interests.choices:
        return Failed(FailReason.BAD_REQUEST, "the community lists no interests")
    chosen = await InterestRepo(ctx.session).of(info.id, user.id)
    return await ctx.direct(user, t.t("interests.ask", community=info.name), buttons=_buttons(t, info, chosen))


async def interests_command(ctx: Context, ev: CommandInvoked) -> None:
    info = ctx.here
    t = ctx.translator_for(ev.user)
    if not info.settings.interests.choices:
        await ctx.privately(ev, t.t("interests.none"))
        return
    chosen = await InterestRepo(ctx.session).of(info.id, ev.user.ref.id)
    result = await ctx.direct(ev.user, t.t("interests.ask", community=info.name), buttons=_buttons(t, info, chosen))
    if not result.ok:
        await ctx.privately(ev, t.t("interests.dm_first"))
    elif ev.interaction_id is not None:
        ctx.after_commit(AnswerButton(ev.interaction_id, t.s("interests.sent")))


async def on_press(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``int:<community id>:<choice number|done>``, pressed in the member's DM. A forged community id can only
    give the presser interests where they are no member, and the introductions read present members only."""
    parsed = callbacks.parse(rest, callbacks.ID, callbacks.text(8))
    info = ctx.rt.directory.by_id(parsed[0]) if parsed is not None else None
    t = ctx.translator_for(ev.user)
    if parsed is None or info is None or info.chat.platform != ev.user.ref.platform:
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("interests.not_yours"), alert=True))
        return
    repo = InterestRepo(ctx.session)
    choices = info.settings.interests.choices
    if parsed[1] == DONE:
        chosen = await repo.of(info.id, ev.user.ref.id)
        picked = ", ".join(c for c in choices if c in chosen) or t.s("interests.nothing")
        if ev.message is not None:
            ctx.after_commit(EditMessage(ev.message, t.t("interests.done", interests=picked)))
        ctx.after_commit(AnswerButton(ev.callback_id))
        return
    n = callbacks.number(len(choices) - 1)(parsed[1]) if choices else None
    if n is None:  # a choice the community no longer lists
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("interests.gone"), alert=True))
        return
    await repo.toggle(info.id, ev.user.ref.id, choices[n], ctx.now)
    chosen = await repo.of(info.id, ev.user.ref.id)
    if ev.message is not None:
        ctx.after_commit(EditMessage(ev.message, t.t("interests.ask", community=info.name), _buttons(t, info, chosen)))
    ctx.after_commit(AnswerButton(ev.callback_id))


class Introductions:
    """Weekly: each of the week's newcomers who named interests, with up to three members who share one."""

    name = "interest_intros"

    def __init__(self) -> None:
        self.slot = WeeklySlot(self.name)

    async def due(self, ctx: Context) -> list[Occurrence]:
        s = ctx.here.settings.interests
        return await self.slot.due(ctx, s.weekday, s.time) if s.choices and s.introduce else []

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        info = ctx.here
        joined = await RitualQueries(ctx.session).joined_between(info.id, occurrence.due_at - timedelta(days=7), occurrence.due_at)
        names = {m.user_id: m.display_name or m.user_id for m in joined}
        repo = InterestRepo(ctx.session)
        theirs = await repo.of_many(info.id, list(names))
        newcomers = [u for u in names if theirs.get(u)][:NEWCOMERS]
        wanted = set().union(*(theirs[u] for u in newcomers)) if newcomers else set()
        sharing = await repo.sharing(info.id, wanted, set(names), SHOWN * 2)
        known = await MemberRepo(ctx.session).names(info.id, sorted({o for ids in sharing.values() for o in ids}))
        lines: list[Rich] = []
        for u in newcomers:
            mine = sorted(theirs[u])
            others = list(dict.fromkeys(o for i in mine for o in sharing.get(i, [])))[:SHOWN]
            if not others:
                continue
            lines.append(
                ctx.t.t(
                    "interests.intro", newcomer=self._who(info, u, names[u]), interests=", ".join(mine),
                    members=self._people(info, others, known), n=len(others),
                )
            )  # fmt: skip
        if lines:
            await post(ctx, join([ctx.t.t("interests.intro_title"), join(lines, blank_line=False)]))

    @staticmethod
    def _who(info: CommunityInfo, user_id: str, name: str) -> Mention:
        return Mention(UserRef(info.chat.platform, user_id), name)

    def _people(self, info: CommunityInfo, ids: list[str], names: dict[str, str]) -> Rich:
        values = {f"m{i}": self._who(info, u, names.get(u) or u) for i, u in enumerate(ids)}
        return markup(", ".join("{" + k + "}" for k in values), values)
