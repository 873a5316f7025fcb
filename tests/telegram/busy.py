"""A scripted busy hour on Telegram (``bench/busy_hour.py``, and small in ``test_busy_hour.py``).

Many groups at once, over ``minutes`` of platform time: newcomers join (half of them never started the
bot: their welcome DM is refused and the welcome carries the deep link instead), members talk and ask
``#question``, owners ask ``/find``, spammers join and post scam, and for a tenth of the hour Telegram
answers a share of sends with 429 (a storm, ``retry_after`` seconds each), a few of them with a wait no
bot can honour (over ``flow.max_retry_after``), so those messages fail for good.

The figures say what became of each message the bot decided to send (``fleet.Ledger.account``):
delivered, failed with a WARNING naming chat and action (and counted for /stats), refused because the
person never started the bot, or lost (must be 0); whether every failed action of any kind was logged;
the fake's own 429s (the flow control letting too much through: must be 0); and how fast spam went.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from typing import Any

from bench.common import ScaledTimer, percentile
from tests.faults import Fault
from tests.telegram.fleet import SPAM, Fleet, Ledger, Warnings, fleet

SETTINGS = {"rubrics": {"rubrics": [{"tag": "question", "title": "Questions", "description": "Ask the community"}]}}
SAID = ("#question who has a ladder to lend this weekend?", "Thanks, see you on Saturday!", "Is the workshop open today?")
SEND_METHODS = ("sendMessage", "sendPhoto", "sendDocument", "sendPoll")


@dataclass(frozen=True)
class Plan:
    groups: int = 100
    minutes: float = 60.0
    joins: int = 3  # newcomers per group
    chatter: int = 4  # members' messages per group
    commands: int = 2  # /find per group
    spam: int = 1  # spammers per group (each joins, then posts scam)
    storm: tuple[float, float] = (0.4, 0.5)  # the 429 storm, as parts of the hour
    storm_rate: float = 0.3  # share of sends answered 429 during it
    storm_retry_after: float = 5.0
    hopeless: int = 3  # 429s whose retry_after no bot can honour: those messages fail (logged, counted)
    seed: int = 17


def script(plan: Plan, chats: list[int]) -> list[tuple[float, str, int, int]]:
    """(when in seconds, what, chat, user), in time order."""
    rng = random.Random(plan.seed)
    hour = plan.minutes * 60
    events: list[tuple[float, str, int, int]] = [(plan.storm[0] * hour, "storm", 0, 0), (plan.storm[1] * hour, "calm", 0, 0)]
    for g, chat in enumerate(chats):
        for j in range(plan.joins):
            user, at = 2_000_000 + g * 100 + j, rng.uniform(0, hour * 0.8)
            events.append((at, "join", chat, user))
            events += [(rng.uniform(at + 1, hour * 0.9), "say", chat, user) for _ in range(plan.chatter // max(1, plan.joins))]
        events += [(rng.uniform(0, hour * 0.9), "say", chat, Fleet.owner(g)) for _ in range(plan.chatter % max(1, plan.joins))]
        events += [(rng.uniform(0, hour * 0.9), "find", chat, Fleet.owner(g)) for _ in range(plan.commands)]
        for k in range(plan.spam):
            user, at = 7_000_000 + g * 10 + k, rng.uniform(0, hour * 0.9)
            events += [(at, "join", chat, user), (at + rng.uniform(1, 5), "spam", chat, user)]
    return sorted(events)


async def busy_hour(db_url: str, plan: Plan, scale: float) -> dict[str, Any]:
    timer = ScaledTimer(scale)
    async with Warnings.caught() as warnings, fleet(db_url, plan.groups, timer, SETTINGS) as f:
        fake, scene = f.fake, f.scene
        ledger = Ledger.on(f.adapter)
        events = script(plan, f.chats)
        for _, kind, _, user in events:
            if kind == "join" and user not in fake.users:
                fake.add_user(user, f"Member {user}", started=user < 7_000_000 and user % 2 == 0)
        f.poll()
        arrived: dict[tuple[int, int], float] = {}
        last = 0
        t0, wall0 = timer.now(), time.perf_counter()
        for at, kind, chat, user in events:
            await timer.sleep(at - (timer.now() - t0))
            if kind == "storm":
                storm = (Fault(429, retry_after=plan.storm_retry_after),)
                fake.faults.randomly(plan.seed, plan.storm_rate, storm, SEND_METHODS.__contains__, max_in_a_row=4)
                fake.faults.fail_next("sendMessage", Fault(429, retry_after=600.0), plan.hopeless)
            elif kind == "calm":
                fake.faults.stop()
            elif kind == "join":
                last = await fake.push(scene.join(chat, user))
            else:
                text = {"say": random.Random(user + int(at)).choice(SAID), "find": "/find@town_test_bot #question", "spam": SPAM}[kind]
                update = scene.message(chat, user, text)
                last = await fake.push(update)
                if kind == "spam":
                    arrived[(chat, update["message"]["message_id"])] = timer.now()
        await f.adapter.handled(last)
        await f.app.rt.flush()
        elapsed, wall = timer.now() - t0, time.perf_counter() - wall0
        figures: dict[str, Any] = {"groups": plan.groups, "minutes": plan.minutes, "time_scale": scale, "updates": len(events) - 2}
        figures.update(ledger.account(fake, warnings))
        figures["failed_counted"] = sum(f.app.rt.undelivered.values())
        figures |= _spam(f, arrived, scale)
        figures |= {
            "storm_429s": fake.faults.count("429"),
            "fake_429_count": fake.throttled,
            "handler_errors": f.app.rt.router.errors,
            "update_errors": f.adapter.update_errors,
            "elapsed_s": round(elapsed, 1),
            "wall_s": round(wall, 1),
        }
    return figures


def _spam(f: Fleet, arrived: dict[tuple[int, int], float], scale: float) -> dict[str, Any]:
    """Spam deletion latency from each scam's arrival: in wall milliseconds (the bot's own: its CPU, its
    database, the poller) and on the platform's scaled clock (what a member would see, the CPU's share
    magnified ``scale`` times)."""
    deleted = {(int(c["chat_id"]), int(c["message_id"])): c.at for c in f.fake.calls if c.method == "deleteMessage" and c.status == 200}
    platform = [deleted[k] - t for k, t in arrived.items() if k in deleted]
    return {
        "spam_posted": len(arrived),
        "spam_deleted": len(platform),
        "spam_delete_p50_ms": round(percentile(platform, 50) / scale * 1000, 1),
        "spam_delete_p99_ms": round(percentile(platform, 99) / scale * 1000, 1),
        "spam_delete_p99_platform_ms": round(percentile(platform, 99) * 1000, 1),
    }
