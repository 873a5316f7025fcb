"""The weekly prompt: a rotating question posted at the configured weekday and time.

The rotation is the config's prompts (minus those a manager removed) followed
by those added with ``/prompt add``; when it is empty, the built-in prompts
in the community's language. Replies to a prompt are counted as its
responses (for analytics), from an in-memory set of recent prompt message ids
so an ordinary message costs no query.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.core import priorities, runtime
from bot.core.actions import AskForm, FormField, PinMessage, UnpinMessage
from bot.core.commands import Command, Where
from bot.core.context import Context
from bot.core.events import CommandInvoked, Event, FormSubmitted, MessagePosted, Role
from bot.core.ids import MessageRef
from bot.core.richtext import Rich, join
from bot.core.ritual import Occurrence
from bot.core.router import Flow
from bot.core.runtime import PollRequest, Runtime
from rituals.posting import post
from rituals.weekly import WeeklySlot
from storage.repos.prompts import PromptRepo

BUILTIN_COUNT = 8  # weekly_prompt.builtin.1 .. .8 in every catalog


FORM = "prform"  # the /prompt add form (Discord)

def setup(rt: Runtime) -> None:
    """Register the weekly prompt, its command and the count of its responses."""
    rt.add_locales(Path(__file__).parent / "locales")
    cache = PromptMessages()
    rt.add_ritual(WeeklyPromptRitual(cache))
    rt.add_handler(PromptResponses(cache), priorities.RITUALS)
    rt.commands.add(
        Command("prompt", prompt_command, "weekly_prompt.cmd", permission=Role.MANAGER, where=Where.GROUP, usage_key="weekly_prompt.usage")
    )
    rt.forms.add(FORM, prompt_form)


@dataclass(frozen=True, slots=True)
class PromptEntry:
    text: str
    source: str  # config | added | builtin
    row_id: int | None = None


async def rotation(ctx: Context) -> list[PromptEntry]:
    """The prompts in rotation order."""
    rows = await PromptRepo(ctx.session).rows(ctx.here.id)
    hidden = {r.text for r in rows if r.source == "config" and r.hidden}
    entries = [PromptEntry(p, "config") for p in ctx.here.settings.rituals.weekly_prompt.prompts if p not in hidden]
    entries += [PromptEntry(r.text, "added", r.id) for r in rows if r.source == "added" and not r.hidden]
    if not entries:
        entries = [PromptEntry(ctx.t.s(f"weekly_prompt.builtin.{i}"), "builtin") for i in range(1, BUILTIN_COUNT + 1)]
    return entries


class PromptMessages:
    """Recent prompt message ids per community, loaded once, so counting replies needs no lookup per message."""

    def __init__(self) -> None:
        self._ids: dict[int, set[str]] = {}

    async def get(self, ctx: Context, community_id: int) -> set[str]:
        ids = self._ids.get(community_id)
        if ids is None:
            ids = self._ids[community_id] = set(await PromptRepo(ctx.session).recent_message_ids(community_id))
        return ids

    def add(self, community_id: int, message_id: str) -> None:
        if community_id in self._ids:
            self._ids[community_id].add(message_id)


class WeeklyPromptRitual:
    name = "weekly_prompt"

    def __init__(self, cache: PromptMessages) -> None:
        self.cache = cache
        self.slot = WeeklySlot(self.name)

    async def due(self, ctx: Context) -> list[Occurrence]:
        s = ctx.here.settings.rituals.weekly_prompt
        return await self.slot.due(ctx, s.weekday, s.time) if s.enabled else []

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        c = ctx.here
        repo = PromptRepo(ctx.session)
        entries = await rotation(ctx)
        cursor = await repo.cursor(c.id)
        prompt = entries[cursor % len(entries)].text
        previous = await repo.latest_post(c.id)
        message = await self._as_poll(ctx, prompt) if c.settings.rituals.weekly_prompt.as_poll and "|" in prompt else None
        message = message or await post(ctx, ctx.t.t("weekly_prompt.post", prompt=prompt))
        if message is None:
            return  # refused for good (no rights, chat gone): this prompt keeps its turn for next week
        await repo.advance(c.id)
        repo.add_post(c.id, str(occurrence.data["week"]), prompt, message.id, message.place, ctx.now)
        self.cache.add(c.id, message.id)
        if c.settings.rituals.weekly_prompt.pin:
            if previous is not None:
                await ctx.perform(UnpinMessage(MessageRef(c.chat, previous.message_id, previous.place)))
            await ctx.perform(PinMessage(message))

    @staticmethod
    async def _as_poll(ctx: Context, prompt: str) -> MessageRef | None:
        """The polls feature posts it (and closes it, with results); None: it could not, the prompt goes out as text."""
        request = PollRequest(prompt, ctx.here.main_place)
        await ctx.rt.signal(runtime.POLL_REQUESTED, ctx, request)
        return request.posted


class PromptResponses:
    """Counts replies to the weekly prompt as its responses."""

    name = "weekly_prompt.responses"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.GROUP

    def __init__(self, cache: PromptMessages) -> None:
        self.cache = cache

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        if ev.reply_to is None or ev.author.is_bot:
            return None
        if ev.reply_to.id in await self.cache.get(ctx, ctx.here.id):
            await PromptRepo(ctx.session).count_response(ctx.here.id, ev.reply_to.id)
        return None


async def _add(ctx: Context, by: str, text: str) -> None:
    if len(text) > 1000:
        await ctx.reply(ctx.t.t("weekly_prompt.too_long"))
        return
    PromptRepo(ctx.session).add(ctx.here.id, text, "added", False, by, ctx.now)
    await ctx.session.flush()
    ctx.audit("prompt add", None, text[:200])
    await ctx.reply(ctx.t.t("weekly_prompt.added", n=len([e for e in await rotation(ctx) if e.source != "builtin"])))


async def prompt_form(ctx: Context, ev: FormSubmitted, rest: str) -> None:
    """The filled-in ``/prompt add`` form (Discord): managers only, as the command is."""
    if ctx.role.rank < Role.MANAGER.rank:
        await ctx.reply(ctx.t.t("core.not_allowed", command="prompt"))
        return
    text = ev.value("prompt")
    if text:
        await _add(ctx, ev.user.ref.id, text)


async def prompt_command(ctx: Context, ev: CommandInvoked) -> None:
    """``/prompt add <text>``, ``/prompt list``, ``/prompt remove <n>``, ``/prompt skip``."""
    sub, _, rest = ev.args.strip().partition(" ")
    sub, rest = sub.lower(), rest.strip()
    t, c = ctx.t, ctx.here
    repo = PromptRepo(ctx.session)
    if sub == "add" and not rest and ev.interaction_id is not None:  # a bare slash command: a form for the prompt
        box = FormField("prompt", t.s("weekly_prompt.form.label"), t.s("weekly_prompt.form.hint"), long=True, max_length=1000)
        ctx.after_commit(AskForm(ev.interaction_id, f"{FORM}:add", t.s("weekly_prompt.form.title"), (box,)))
    elif sub == "add" and rest:
        await _add(ctx, ev.user.ref.id, rest)
    elif sub == "list":
        await ctx.reply(await _listing(ctx))
    elif sub == "remove" and rest.lstrip("#").isdigit():
        entries = await rotation(ctx)
        n = int(rest.lstrip("#"))
        if not 1 <= n <= len(entries):
            await ctx.reply(t.t("weekly_prompt.no_such", n=n, count=len(entries)))
            return
        entry = entries[n - 1]
        if entry.source == "builtin":
            await ctx.reply(t.t("weekly_prompt.builtin_fixed"))
            return
        if entry.source == "config":
            repo.add(c.id, entry.text, "config", True, ev.user.ref.id, ctx.now)
        else:
            for row in await repo.rows(c.id):
                if row.id == entry.row_id:
                    row.hidden = True
        await ctx.session.flush()
        ctx.audit("prompt remove", entry.text[:200], None)
        await ctx.reply(t.t("weekly_prompt.removed", prompt=entry.text))
    elif sub == "skip":
        entries = await rotation(ctx)
        cursor = await repo.cursor(c.id)
        skipped = entries[cursor % len(entries)].text
        await repo.advance(c.id)
        ctx.audit("prompt skip", skipped[:200], None)
        await ctx.reply(t.t("weekly_prompt.skipped", prompt=skipped, next=entries[(cursor + 1) % len(entries)].text))
    else:
        await ctx.reply(t.t("weekly_prompt.usage"))


async def _listing(ctx: Context) -> Rich:
    t = ctx.t
    entries = await rotation(ctx)
    nxt = await PromptRepo(ctx.session).cursor(ctx.here.id) % len(entries)
    s = ctx.here.settings.rituals.weekly_prompt
    lines = [t.t("weekly_prompt.list.title")]
    if entries[0].source == "builtin":
        lines.append(t.t("weekly_prompt.list.builtin"))
    for i, e in enumerate(entries):
        lines.append(t.t("weekly_prompt.list.next" if i == nxt else "weekly_prompt.list.line", n=i + 1, prompt=e.text))
    if not s.enabled:
        lines.append(t.t("weekly_prompt.list.disabled"))
    return join(lines, blank_line=False)
