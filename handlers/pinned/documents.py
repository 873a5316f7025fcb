"""What each pinned document says now, built from its sources.

Sources are the community's settings (inline text, or a Markdown file named
in the config file), a manager's text set with ``/doc set``, the rubric
registry (#2) and the event calendar (#3). Setting values, rubric texts and
event titles are placeholder values: they are shown as written and never
parsed as markup. Only a manager's whole document (a Markdown text or file) is
read as Markdown. Anything typed in a chat is text: only a value the config
file itself holds may name a file, inside ``[bot] documents_dir``
(``bot/core/documents.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core import documents, times
from bot.core.context import Context
from bot.core.i18n import Translator
from bot.core.richtext import Rich, Value, from_markdown, join, plain
from bot.core.settings.pinned import PinnedSettings, is_markdown_path
from handlers.pinned.slots import EVENTS, EXTRA_1, EXTRA_2, FOUNDATION, ROUTINE
from rituals import instances
from rituals.event_kinds import titled

log = logging.getLogger("handlers.pinned")

# Markdown files read once and kept while their modification time stays the same.
_files: dict[Path, tuple[float, Rich]] = {}


def text_source(value: str | None) -> Rich | None:
    """A document typed in a chat (``/doc set``, ``/set``): Markdown text, whatever it looks like."""
    return from_markdown(value) if value and value.strip() else None


def read_source(value: str, documents_dir: str = "", from_config: bool = False) -> Rich | None:
    """A configured document: inline Markdown, or the file it names when the config file wrote it. None when empty or unreadable."""
    if not value.strip():
        return None
    if not from_config or not is_markdown_path(value):
        return from_markdown(value)
    path = documents.resolve(documents_dir, value)
    if path is None:  # outside the folder (a link changed since the config was checked): never read
        log.warning("pinned document file %r is outside [bot] documents_dir; not read", value.strip())
        return None
    try:
        mtime = path.stat().st_mtime
        cached = _files.get(path)
        if cached is None or cached[0] != mtime:
            cached = _files[path] = (mtime, from_markdown(path.read_text(encoding="utf-8")))
        return cached[1]
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("cannot read the pinned document file %s: %s", path, type(exc).__name__)
        return None


def _items(t: Translator, values: list[str]) -> list[Rich]:
    return [t.t("pinned.item", text=v) for v in values if v.strip()]


def _section(t: Translator, title_key: str, body: list[Rich]) -> Rich | None:
    return join([t.t(title_key), *body], blank_line=False) if body else None


class Sources:
    """The community's document settings, read as files only where the config file wrote that very value."""

    def __init__(self, s: PinnedSettings, configured: Any, documents_dir: str) -> None:
        self.s = s
        self.configured = configured if isinstance(configured, dict) else {}
        self.documents_dir = documents_dir

    def field(self, name: str, value: str) -> Rich | None:
        return read_source(value, self.documents_dir, from_config=value == self.configured.get(name))

    def extra(self, i: int) -> Rich | None:
        if i >= len(self.s.extra):
            return None
        value, configured = self.s.extra[i], self.configured.get("extra") or []
        return read_source(value, self.documents_dir, from_config=i < len(configured) and value == configured[i])


def sources(ctx: Context) -> Sources:
    info = ctx.here
    configured = ctx.rt.directory.base_settings(info.chat).get("pinned", {})
    return Sources(info.settings.pinned, configured, ctx.rt.config.bot.documents_dir)


def foundation(t: Translator, src: Sources, community: str, override: str | None) -> Rich | None:
    """#1: mission, audience, rules and consequences, links, the manager's contact."""
    s = src.s
    whole = text_source(override) or src.field("foundation", s.foundation)
    if whole is not None:
        return whole
    if not (s.mission or s.audience or s.rules or s.consequences or s.links or s.contact):
        return None
    blocks: list[Rich | None] = [t.t("pinned.foundation.title", community=community)]
    if s.mission:
        blocks.append(plain(s.mission))
    if s.audience:
        blocks.append(t.t("pinned.foundation.audience", audience=s.audience))
    rules = [t.t("pinned.foundation.rule", number=i, rule=r) for i, r in enumerate((r for r in s.rules if r.strip()), 1)]
    if s.consequences:
        rules.append(t.t("pinned.foundation.consequences", consequences=s.consequences))
    blocks.append(_section(t, "pinned.foundation.rules_title", rules))
    blocks.append(_section(t, "pinned.foundation.links_title", _items(t, s.links)))
    if s.contact:
        blocks.append(t.t("pinned.foundation.contact", contact=s.contact))
    return join(b for b in blocks if b is not None)


async def routine(ctx: Context, src: Sources, override: str | None) -> Rich:
    """#2: the hashtag rubrics from the registry, traditions, who to ask, knowledge-base links."""
    t, s = ctx.t, src.s
    lines = []
    for r in await ctx.rt.rubrics_of(ctx):
        title = r.title or r.tag
        if r.description:
            lines.append(t.t("pinned.routine.rubric", tag=r.tag, title=title, description=r.description))
        else:
            lines.append(t.t("pinned.routine.rubric_short", tag=r.tag, title=title))
    blocks: list[Rich | None] = [
        t.t("pinned.routine.title"),
        text_source(override) or src.field("routine", s.routine),
        _section(t, "pinned.routine.rubrics_title", lines),
        _section(t, "pinned.routine.traditions_title", _items(t, s.traditions)),
        _section(t, "pinned.routine.ask_title", _items(t, s.who_to_ask)),
        _section(t, "pinned.routine.knowledge_title", _items(t, s.knowledge)),
    ]
    return join(b for b in blocks if b is not None)


def month_bounds(now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """The first instants of this month and the next, in the community's time zone."""
    local = now.astimezone(tz)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    end = start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(month=start.month + 1)
    return start, end


def _zone(name: str, fallback: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else fallback
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


async def events(ctx: Context, override: str | None) -> Rich:
    """#3: this month's events from the calendar, soonest first."""
    info = ctx.here
    t = ctx.t
    start, end = month_bounds(ctx.now, info.tz)
    lines = []
    for item in await instances.between(ctx.session, info.id, info.tz, start, end):  # series: each occurrence
        ev = item.event
        tz = _zone(ev.timezone, info.tz)
        # No relative part: its fallback ("in 8 hours") would change the document at every check and edit it each time.
        when = times.when(t.locale, item.starts_at, item.ends_at, tz, ctx.now, with_relative=False)
        values: dict[str, Value] = {"when": when, "title": titled(t, ev.kind, ev.title)}
        if ev.place:
            lines.append(t.t("pinned.events.item_place", values, place=ev.place))
        else:
            lines.append(t.t("pinned.events.item", values))
    blocks: list[Rich | None] = [
        t.t("pinned.events.title", month=times.month(t.locale, start, info.tz)),
        text_source(override),
        join(lines, blank_line=False) if lines else t.t("pinned.events.none"),
    ]
    return join(b for b in blocks if b is not None)


async def build_all(ctx: Context, overrides: Mapping[int, str | None]) -> dict[int, Rich]:
    """Every document the community should have pinned now, by slot.

    The set exists only once the community has a foundation (#1): a chat
    without rules gets no routine or calendar pinned either.
    """
    info = ctx.community
    if info is None or not info.settings.pinned.enabled:
        return {}
    src = sources(ctx)
    first = foundation(ctx.t, src, info.name, overrides.get(FOUNDATION))
    if first is None:
        return {}
    docs = {FOUNDATION: first, ROUTINE: await routine(ctx, src, overrides.get(ROUTINE)), EVENTS: await events(ctx, overrides.get(EVENTS))}
    for i, slot in enumerate((EXTRA_1, EXTRA_2)):
        extra = text_source(overrides.get(slot)) or src.extra(i)
        if extra is not None:
            docs[slot] = extra
    return docs
