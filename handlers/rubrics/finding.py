"""/find #tag [words] and /mine: the latest matching posts as links, paged with buttons.

Page buttons carry their query (``rf:f:<offset>:<tag> <words>``); a query too
long for the 64-byte button limit is kept in memory behind a short token
(``rf:q:...``), which a restart forgets: pressing then asks to search again.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from bot.core import callbacks
from bot.core.actions import AnswerButton, Button, Buttons, EditMessage
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked
from bot.core.richtext import Rich, join
from handlers.rubrics.parse import hashtags, normalise
from handlers.rubrics.registry import registry_for, state
from handlers.rubrics.render import post_line
from storage.repos.rubrics import RubricRepo

PREFIX = "rf"
MAX_WORDS = 5
MAX_DATA = 64
MAX_QUERIES = 5_000
MAX_TAG = 64
MAX_OFFSET = 100_000  # further than anyone pages; a forged offset stays a small SQL OFFSET
_tokens = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Page:
    text: Rich
    buttons: Buttons


def parse_query(args: str) -> tuple[str, list[str]]:
    """``"#Q soldering Iron"`` -> ``("q", ["soldering", "iron"])``."""
    first, _, rest = args.strip().partition(" ")
    tags = hashtags(first) or ((normalise(first),) if first else ())
    words = [normalise(w) for w in rest.split()][:MAX_WORDS]
    return (tags[0] if tags else "")[:MAX_TAG], [w[:40] for w in words if w]  # bounded: echoed back, kept behind tokens


def _nav(ctx: Context, kind: str, offset: int, payload: str, more: bool) -> Buttons:
    size = ctx.settings.rubrics.page_size
    row: list[Button] = []
    if offset > 0:
        row.append(Button(ctx.t.s("rubrics.page.newer"), _data(ctx, kind, max(0, offset - size), payload)))
    if more:
        row.append(Button(ctx.t.s("rubrics.page.older"), _data(ctx, kind, offset + size, payload)))
    return (tuple(row),) if row else ()


def _data(ctx: Context, kind: str, offset: int, payload: str) -> str:
    data = f"{PREFIX}:{kind}:{offset}:{payload}"
    if len(data.encode()) <= MAX_DATA:
        return data
    token = str(next(_tokens))
    queries = state(ctx.rt).queries
    queries[token] = (kind, payload)
    if len(queries) > MAX_QUERIES:
        del queries[next(iter(queries))]  # the oldest
    return f"{PREFIX}:q:{offset}:{token}"


async def find_page(ctx: Context, query: str, offset: int) -> Page:
    info, t = ctx.here, ctx.t
    tag, words = parse_query(query)
    reg = await registry_for(ctx)
    rubric = reg.get(tag)
    if rubric is None:
        meant = reg.suggest(tag) if tag else None
        key = "rubrics.find.unknown_suggest" if meant else "rubrics.find.unknown"
        return Page(t.t(key, tag=tag, suggestion=meant.tag if meant else ""), ())
    note: list[Rich] = []
    if words and not ctx.settings.rubrics.store_excerpts:
        note.append(t.t("rubrics.find.no_excerpts"))
        words = []
    size = ctx.settings.rubrics.page_size
    posts = await RubricRepo(ctx.session).find(info.id, rubric.tag, words, offset, size + 1)
    more = len(posts) > size
    shown = posts[:size]
    if not shown:
        key = "rubrics.find.none_words" if words else "rubrics.find.none"
        payload = " ".join([rubric.tag, *words])  # the parsed query, never the raw text
        return Page(join([*note, t.t(key, tag=rubric.tag, words=" ".join(words))]), _nav(ctx, "f", offset, payload, False))
    head = t.t(
        "rubrics.find.header_words" if words else "rubrics.find.header", tag=rubric.tag, words=" ".join(words), page=offset // size + 1
    )
    lines = join([post_line(t, info, p) for p in shown], blank_line=False)
    payload = " ".join([rubric.tag, *words])
    return Page(join([*note, head, lines]), _nav(ctx, "f", offset, payload, more))


async def mine_page(ctx: Context, user_id: str, offset: int) -> Page:
    info, t = ctx.here, ctx.t
    size = ctx.settings.rubrics.page_size
    posts = await RubricRepo(ctx.session).by_author(info.id, user_id, offset, size + 1)
    if not posts:
        return Page(t.t("rubrics.mine.none"), ())
    head = t.t("rubrics.mine.header", page=offset // size + 1)
    lines = join([post_line(t, info, p, with_tag=True) for p in posts[:size]], blank_line=False)
    return Page(join([head, lines]), _nav(ctx, "m", offset, user_id, len(posts) > size))


async def find_command(ctx: Context, ev: CommandInvoked) -> None:
    if not ev.args.strip():
        await ctx.reply(ctx.t.t("rubrics.find.usage"))
        return
    page = await find_page(ctx, ev.args, 0)
    await ctx.reply(page.text, buttons=page.buttons)


async def mine_command(ctx: Context, ev: CommandInvoked) -> None:
    page = await mine_page(ctx, ev.user.ref.id, 0)
    await ctx.reply(page.text, buttons=page.buttons)


async def on_button(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``f:<offset>:<query>``, ``m:<offset>:<user id>`` or ``q:<offset>:<token>``."""
    parsed = callbacks.parse(rest, callbacks.one_of("f", "m", "q"), callbacks.number(MAX_OFFSET), callbacks.text())
    kind, offset, payload = parsed if parsed is not None else ("", 0, "")
    if kind == "q":
        kind, payload = state(ctx.rt).queries.get(payload, ("", ""))
    if ctx.community is None or ev.message is None or kind not in ("f", "m"):
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("rubrics.page.expired"), alert=True))
        return
    if kind == "m" and payload != ev.user.ref.id:
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("rubrics.mine.not_yours"), alert=True))
        return
    page = await find_page(ctx, payload, offset) if kind == "f" else await mine_page(ctx, payload, offset)
    await ctx.perform(EditMessage(ev.message, page.text, page.buttons))
    ctx.after_commit(AnswerButton(ev.callback_id))
