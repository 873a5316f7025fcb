"""A bot process that lives through a scripted week and may be killed at any moment.

    python -m tests.scale.week_worker DB_URL LOGFILE INCARNATION

Everything the platform does for the bot is appended to LOGFILE (one JSON object
a line, fsync'ed before the core hears the result), as is each finished step of
the script with its virtual time. The same line goes to stdout, so the parent can
kill the process after any line. A new incarnation reads the log back: the
platform's state (messages, pins, bans, who joined and started the bot) is
rebuilt from it, the virtual clock resumes at the first step not finished, and
the step that was cut short is run again, as a platform redelivers an update
that was never acknowledged.

The script's first part (joins, DMs started, an event added and RSVPs) runs
before the line ``armed``: the parent kills only after it, because a replayed
``/event add`` would rightly add a second event. Later steps are ticks and
plain posts, safe to deliver twice.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from adapters.local.simulator import LocalPlatform, SimMessage
from bot.app import App
from bot.core import actions as a
from bot.core.clock import VirtualClock
from bot.harness import bot_on, local_config

START = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 in Budapest
TICK = timedelta(hours=2)  # every ritual time of the script falls on or just after a tick
END = datetime(2026, 12, 4, 17, 0, tzinfo=UTC)  # Friday 18:00 in Budapest: newcomers of the week went out at 17:00

SETTINGS: dict[str, Any] = {
    "timezone": "Europe/Budapest",
    "pinned": {
        "mission": "We repair, build and teach.",
        "rules": ["Be kind", "No selling"],
        "contact": "Mia",
    },
    "onboarding": {
        "campaign": [
            {"id": "day1", "after": "1d", "skip_if": "posted_intro"},
            {"id": "day3", "after": "3d", "skip_if": "posted"},
        ]
    },
    "rituals": {
        "weekly_prompt": {"weekday": "mon", "time": "10:00", "prompts": ["What are you making this week?"]},
        "newcomers": {"weekday": "fri", "time": "17:00"},
    },
}
USERS = (("mia", "Mia"), ("ann", "Ann"), ("bob", "Bob"), ("chen", "Chen"))


@dataclass(frozen=True)
class Step:
    at: datetime
    kind: str  # "tick" | "join" | "start" | "post" | "press" | "armed"
    who: str = ""
    text: str = ""


def script() -> list[Step]:
    """The week: Monday morning's arrivals and set-up, then two-hourly ticks with a few posts in between."""
    steps = [
        Step(START, "join", "ann"),
        Step(START, "join", "bob"),
        Step(START, "join", "chen"),
        Step(START, "start", "ann"),
        Step(START, "start", "bob"),
        Step(START, "post", "mia", "/event add 2026-12-03 18:00 Repair café | Library hall"),
        Step(START, "press", "ann", "going"),
        Step(START, "press", "bob", "going"),
        Step(START, "armed"),
    ]
    posts = {
        START + timedelta(hours=2): ("ann", "#intro Hi! I'm Ann, I fix old radios."),
        START + timedelta(hours=4): ("chen", "Hello everyone"),
        START + timedelta(days=2, hours=2): ("chen", "Who has a spare soldering iron?"),
    }
    at = START
    assert all((t - START) % TICK == timedelta(0) for t in posts), "posts go between ticks"
    while at <= END:
        steps.append(Step(at, "tick"))
        if at in posts:
            who, text = posts[at]
            steps.append(Step(at, "post", who, text))
        at += TICK
    return steps


class Journal:
    """The fsync'ed log, echoed to stdout line by line."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, record: dict[str, Any]) -> None:
        line = json.dumps(record, ensure_ascii=False) + "\n"
        os.write(self.fd, line.encode())
        os.fsync(self.fd)
        sys.stdout.write(line)
        sys.stdout.flush()


def read_log(path: Path) -> list[dict[str, Any]]:
    """The log's records; a last line cut short by the kill is dropped."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return out


class JournalOutbox:
    """The simulator's outbox, writing what the platform did to the journal before answering the core."""

    def __init__(self, sim: LocalPlatform, journal: Journal) -> None:
        self.sim = sim
        self.journal = journal

    async def perform(self, action: a.Action) -> a.Result:
        result = await self.sim.perform(action)
        if result.ok:
            for record in self._records(action, result):
                self.journal.write({"k": "act", "at": self.sim.clock.now().isoformat(), **record})
        return result

    def _records(self, action: a.Action, result: a.Result) -> list[dict[str, Any]]:
        sim = self.sim
        if isinstance(action, a.SendMessage | a.SendDirect | a.SendFile) and isinstance(result, a.Done):
            refs = result.messages or ((result.message,) if result.message else ())
            out = []
            for ref in refs:
                m = sim.messages[ref.id]
                buttons = [[b.data for b in row] for row in m.buttons]
                op = "dm" if m.chat.startswith("dm:") else "send"
                out.append({"op": op, "chat": m.chat, "id": m.id, "text": m.text, "buttons": buttons})
            return out
        if isinstance(action, a.EditMessage):
            return [{"op": "edit", "id": action.message.id, "text": sim.messages[action.message.id].text}]
        if isinstance(action, a.DeleteMessage):
            return [{"op": "delete", "id": action.message.id}]
        if isinstance(action, a.PinMessage | a.UnpinMessage):
            return [{"op": "pin" if isinstance(action, a.PinMessage) else "unpin", "chat": action.message.chat.id, "id": action.message.id}]
        if isinstance(action, a.BanMember | a.KickMember | a.RestrictMember | a.UnrestrictMember | a.UnbanMember):
            return [{"op": type(action).__name__, "chat": action.chat.id, "user": action.user.id}]
        return []


def platform(clock: VirtualClock, records: list[dict[str, Any]], steps: list[Step], done: int, incarnation: int) -> LocalPlatform:
    """The platform as the log says it is: what a real platform would still hold after the bot died."""
    sim = LocalPlatform(clock)
    sim.add_chat("town", "Riverside Makers", admins=("mia",))
    for uid, name in USERS:
        sim.add_user(uid, name, dm_open=False)
    sim._ids = itertools.count(1 + incarnation * 1_000_000)  # no message id is ever reused
    for step in steps[:done]:
        if step.kind == "join":
            sim.chats["town"].members.add(step.who)
        elif step.kind == "start":
            sim.users[step.who].dm_open = True
    town = sim.chats["town"]
    for r in records:
        if r["k"] != "act":
            continue
        op = r["op"]
        if op in ("send", "dm"):
            buttons = tuple(tuple(a.Button("·", data=d) for d in row) for row in r["buttons"])
            sim.messages[r["id"]] = SimMessage(r["id"], r["chat"], "bot", r["text"], datetime.fromisoformat(r["at"]), buttons=buttons)
        elif op == "edit":
            sim.messages[r["id"]].text = r["text"]
        elif op == "delete":
            if r["id"] in sim.messages:
                sim.messages[r["id"]].deleted = True
            if r["id"] in town.pinned:
                town.pinned.remove(r["id"])
        elif op == "pin" and r["id"] not in town.pinned:
            town.pinned.append(r["id"])
        elif op == "unpin" and r["id"] in town.pinned:
            town.pinned.remove(r["id"])
        elif op in ("BanMember", "KickMember"):
            town.members.discard(r["user"])
            if op == "BanMember":
                town.banned.add(r["user"])
        elif op == "RestrictMember":
            town.muted[r["user"]] = None
    return sim


async def run_step(sim: LocalPlatform, app: App, step: Step) -> None:
    if step.kind == "tick":
        await app.rituals.tick(step.at)
    elif step.kind == "join":
        await sim.join("town", step.who)
    elif step.kind == "start":
        await sim.start_bot(step.who)
    elif step.kind == "post":
        await sim.post("town", step.who, step.text)
    elif step.kind == "press":
        card = next(m for m in sim.messages.values() if m.chat == "town" and "Repair café" in m.text and m.buttons)
        data = next(d for row in card.buttons for b in row if (d := b.data or "").split(":")[2:3] == [step.text])
        await sim.press(card.id, data, step.who)


async def main(url: str, log_path: Path, incarnation: int) -> None:
    steps = script()
    records = read_log(log_path)
    done = max((r["i"] + 1 for r in records if r["k"] == "step"), default=0)
    clock = VirtualClock(steps[min(done, len(steps) - 1)].at)
    sim = platform(clock, records, steps, done, incarnation)
    journal = Journal(log_path)
    journal.write({"k": "start", "n": incarnation, "resume": done})
    async with bot_on(sim, local_config(SETTINGS), url, clock, outbox=JournalOutbox(sim, journal)) as bot:
        for i in range(done, len(steps)):
            step = steps[i]
            clock.set(step.at)
            await run_step(sim, bot.app, step)
            journal.write({"k": "step", "i": i, "kind": step.kind, "at": step.at.isoformat()})
        journal.write({"k": "done"})


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])))
