"""``community-bot demo``: a scripted week in the life of a community, offline.

Runs the real core, a real SQLite file and the real rituals on a virtual
clock against the local simulator, and prints what members would see.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime
from rich.console import Console
from rich.table import Table
from rich.text import Text

from adapters.local.simulator import LogEntry
from bot.core.i18n import Catalogs, Translator
from bot.core.ids import ChatRef
from bot.harness import LocalBot, local_bot, local_config
from handlers.onboarding.deeplink import payload_for

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # a Monday morning
TICK = timedelta(minutes=30)  # the scheduler ticks every 30 s in production; the week needs less
TZ = ZoneInfo("Europe/Budapest")
DEMO_LOCALES = Path(__file__).parent / "locales"  # the transcript's own texts

def content(language: str) -> Callable[[str], str]:
    """The community's own words in the demo's language (a manager choosing Russian sees a Russian week)."""
    t = Catalogs([DEMO_LOCALES]).translator(language)
    return lambda key: t.raw(f"demo.content.{key}")


def settings(language: str, c: Callable[[str], str]) -> dict[str, Any]:
    """The demo community's settings, its own words from ``c`` (``content(language)``)."""
    rubric = lambda tag, **kw: {"tag": tag, "title": c(f"{tag}_title"), "description": c(f"{tag}_desc"), **kw}  # noqa: E731
    return {
        "language": language,
        "timezone": "Europe/Budapest",
        "pinned": {
            "mission": c("mission"),
            "audience": c("audience"),
            "rules": [c("rule1"), c("rule2"), c("rule3")],
            "consequences": c("consequences"),
            "contact": "Mia (@mia)",
        },
        "rubrics": {
            "rubrics": [rubric("intro", aliases=["introduction"]), rubric("question", aliases=["q"]), rubric("event")],
        },
        "onboarding": {
            "campaign": [
                {"id": "day1", "after": "1d", "skip_if": "posted_intro"},
                {"id": "day3", "after": "3d", "skip_if": "posted"},
            ]
        },
        "rituals": {"weekly_prompt": {"weekday": "mon", "time": "10:00", "prompts": [c("prompt")]}},
        "surveys": {"enabled": True, "rhythm": "quarterly", "sample": 1.0},
    }

STYLE = {"event": "cyan", "action": "green", "refused": "yellow"}


class Transcript:
    def __init__(self, console: Console, bot: LocalBot, language: str = "en") -> None:
        self.t = bot.app.rt.catalogs.translator(language)
        self.locale = self.t.locale
        self.console = console
        self.bot = bot
        self.counts: Counter[str] = Counter()

    def label(self, what: str) -> str:
        """The simulator's action tag ("dm (closed)") in the transcript's language."""
        return self.t.s("demo.what." + re.sub(r"[^a-z]+", "_", what).strip("_"))

    def __call__(self, entry: LogEntry) -> None:
        self.counts[f"{entry.kind}:{entry.what}"] += 1
        users = self.bot.sim.users
        who = "🤖 bot" if entry.who == "bot" else (users[entry.who].name if entry.who in users else entry.who or "")
        when = format_datetime(entry.at.astimezone(TZ), "EEE HH:mm", locale=self.locale)
        body = Text(who, style="bold")
        if entry.text:
            text = entry.text
            if entry.what in ("pin", "delete", "unpin"):  # the text was shown when it was posted
                text = text.split("\n", 1)[0][:80] + (" …" if len(text) > 80 or "\n" in text else "")
            elif len(text) >= 1500:
                text = text[:1500] + " …"
            body.append(": " + text)
        # Three columns: long texts wrap inside the last one, so the transcript reads at any width (and piped).
        row = Table.grid(padding=(0, 2, 0, 0))
        row.add_column(no_wrap=True, min_width=9, style="dim")
        row.add_column(no_wrap=True, min_width=10, style=STYLE.get(entry.kind, ""))
        row.add_column(overflow="fold", ratio=1)
        row.add_row(when, self.label(entry.what), body)
        self.console.print(row)


async def run_demo(
    db_path: Path | None = None,
    console: Console | None = None,
    language: str = "en",
    dashboard: int | None = None,
    until: asyncio.Event | None = None,
) -> dict[str, int]:
    """The week; with ``dashboard`` (a port, 0 for any free one), the managers' dashboard stays open on the
    week's data afterwards, until ``until`` is set (or Ctrl-C), with a sign-in link printed for the manager."""
    console = console or Console()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        path = db_path or Path(tmp) / "demo.sqlite3"
        words = content(language)
        web = {}
        if dashboard is not None:
            web = {"web": {"enabled": True, "listen_port": dashboard, "public_url": f"http://127.0.0.1:{dashboard}"}}
        config = local_config(settings(language, words), extra=web)
        async with local_bot(config, f"sqlite+aiosqlite:///{path}", START, locales=[DEMO_LOCALES]) as bot:
            transcript = Transcript(console, bot, language)
            bot.sim.observers.append(transcript)
            summary = await _week(bot, console, words)
            summary["seconds"] = round(time.perf_counter() - started, 1)  # type: ignore[assignment]
            t = bot.app.rt.catalogs.translator(language)
            _print_summary(console, t, summary, path if db_path else None)
            if dashboard is not None:
                await _dashboard(bot, console, t, dashboard, until or asyncio.Event())
            return summary


async def _dashboard(bot: LocalBot, console: Console, t: Translator, port: int, until: asyncio.Event) -> None:
    """Serve the dashboard on the demo's data; the manager (Mia) asks for her link as she would, by DM."""
    from bot.web import serve

    runner = await serve(bot.app.rt, "127.0.0.1", port)
    try:
        await bot.sim.command_in_dm("mia", "/dashboard")
        link = re.search(r"http://127\.0\.0\.1:\d+(/dashboard/signin\?t=\S+)", bot.sim.dms("mia")[-1].text)
        host, bound = runner.addresses[0][:2]
        url = f"http://{host}:{bound}{link.group(1)}" if link else f"http://{host}:{bound}/dashboard"
        console.print(Text(t.s("demo.dashboard", url=url)), soft_wrap=True)  # the link unbroken, to copy
        await until.wait()
    finally:
        await runner.cleanup()


async def _until(bot: LocalBot, when: datetime) -> None:
    """Let the virtual clock run to ``when``, ticking the rituals as the scheduler would."""
    while bot.clock.now() + TICK <= when:
        bot.clock.advance(TICK)
        await bot.tick()
    bot.clock.set(when)
    await bot.tick()


async def _week(bot: LocalBot, console: Console, c: Callable[[str], str]) -> dict[str, int]:
    sim = bot.sim
    day = START

    t = bot.app.rt.catalogs.translator(bot.app.config.communities[0].settings.language)

    def scene(key: str) -> None:
        console.rule(Text(t.s(key), style="bold"))

    for uid, name, kw in (
        ("mia", "Mia", {}),
        ("ann", "Ann", {"dm_open": False, "language": "en"}),
        ("bob", "Bob", {}),
        ("chen", "Chen", {}),
        ("max", "Crypto Max", {"username": "max_profit"}),
    ):
        sim.add_user(uid, name, **kw)
    sim.chats["town"].members.add("mia")

    scene("demo.scene.arrive")
    await _until(bot, day + timedelta(hours=1, minutes=5))
    for uid in ("ann", "bob", "chen"):
        await sim.join("town", uid)
        bot.clock.advance(timedelta(minutes=3))
    town = bot.app.rt.directory.cached(ChatRef("local", "town"))
    await sim.start_bot("ann", payload=payload_for(town.id) if town else "")  # what the welcome's deep link carries

    scene("demo.scene.intro")
    await sim.post("town", "ann", c("ann_intro"))
    bot.clock.advance(timedelta(minutes=7))
    q = await sim.post("town", "bob", c("bob_question"))
    bot.clock.advance(timedelta(minutes=12))
    answer = await sim.post("town", "chen", c("chen_reply"), reply_to=q.id)
    bot.clock.advance(timedelta(minutes=4))
    await sim.post("town", "bob", c("bob_thanks"), reply_to=answer.id)  # a thank-you credits Chen

    scene("demo.scene.spammer")
    await sim.join("town", "max")
    bot.clock.advance(timedelta(minutes=1))
    await sim.post("town", "max", "💰💰 Earn $500 a day from home!!! Crypto signals, DM me now: t.me/max_profit_signals 💰💰")

    scene("demo.scene.manager")
    await sim.post("town", "mia", f"/event add 2026-12-03 18:00 {c('event')}")
    card = sim.bot_messages("town")[-1]
    await sim.post("town", "mia", "/events")
    for uid in ("ann", "bob"):  # the card's RSVP buttons: "going"
        await sim.press(card.id, card.buttons[0][0].data or "", uid)
    await sim.post("town", "mia", f"/doc set routine {c('routine')}")
    await sim.post("town", "mia", "/find #intro")
    await sim.post("town", "ann", "/set spam.shadow_mode true")

    scene("demo.scene.poll")
    await sim.post("town", "mia", f"/poll {c('poll')}")
    poll = next(m for m in reversed(sim.bot_messages("town")) if m.poll is not None)
    for uid, choice in (("ann", 0), ("bob", 1), ("chen", 0)):
        await sim.vote(poll.id, uid, (choice,))

    scene("demo.scene.listening")
    await sim.command_in_dm("bob", f"/feedback {c('feedback')}")
    await sim.post("town", "mia", f"/feedback done 1 {c('feedback_done')}")  # "You said, we did" on the 1st
    await _until(bot, day + timedelta(hours=2, minutes=5))  # 11:00 in Budapest: the quarter's recommend question
    for uid, score in (("ann", "9"), ("bob", "8")):
        question = next(m for m in reversed(sim.dms(uid)) if m.buttons and (m.buttons[0][0].data or "").startswith("svy:"))
        await sim.press(question.id, next(b.data or "" for row in question.buttons for b in row if b.label == score), uid)

    scene("demo.scene.week")
    await sim.post("town", "ann", "/helper on")  # Ann offers to answer questions
    batteries = await sim.post("town", "chen", c("chen_question"))
    await _until(bot, day + timedelta(hours=4, minutes=30))  # two hours without a reply: offered to the helpers
    await sim.post("town", "ann", c("ann_answer"), reply_to=batteries.id)
    await _until(bot, day + timedelta(days=2, hours=10))
    await sim.post("town", "chen", c("chen_intro"))
    await _until(bot, day + timedelta(days=3, hours=12, minutes=5))  # Thursday evening: how was the repair café?
    for uid, answer_index in (("ann", 0), ("bob", 3)):  # great; couldn't make it
        after = next(m for m in reversed(sim.dms(uid)) if m.buttons and (m.buttons[0][0].data or "").startswith("aft:"))
        await sim.press(after.id, [b for row in after.buttons for b in row][answer_index].data or "", uid)
    await _until(bot, day + timedelta(days=6, hours=12))
    await sim.post("town", "mia", "/stats 7d")  # Sunday: the manager looks back at the week

    await bot.app.rt.flush()
    counts = Counter(f"{e.kind}:{e.what}" for e in sim.log)
    return {
        "joined": counts["event:join"],
        "posted": counts["event:post"],
        "bot_messages": counts["action:send"],
        "direct_messages": counts["action:dm"],
        "spam_removed": sum(1 for e in sim.log if e.kind == "action" and e.what == "delete" and e.who != "bot"),
        "bans": counts["action:ban"],
        "rituals_sent": bot.app.rituals.sent,
        "votes": counts["event:vote"],
    }


def _print_summary(console: Console, t: Translator, summary: dict[str, int], kept: Path | None) -> None:
    table = Table(title=t.s("demo.summary.title", community="Riverside Makers"))
    table.add_column(t.s("demo.summary.what"))
    table.add_column(t.s("demo.summary.count"), justify="right")
    for k, v in summary.items():
        table.add_row(t.s(f"demo.summary.{k}"), str(v))
    console.print(table)
    if kept:
        console.print(Text(t.s("demo.kept_db", path=str(kept))))
