"""A scripted busy hour on Telegram against the fake Bot API: no message lost, every failure logged (#17).

``--groups`` groups (100) over ``--minutes`` of platform time (60): newcomers join (half never started
the bot), members talk, owners ask ``/find``, spammers join and post scam, and for a tenth of the hour
Telegram answers 30% of sends with 429 (``retry_after`` 5 s), a few of them (``--hopeless``) with a wait
of 10 minutes, which no bot honours: those messages fail for good. Time runs ``--time-scale`` times as
fast as the wall clock (the flow control and the fake share it). The script is ``tests/telegram/busy.py``.

Figures: ``messages_decided`` (every send the bot performed), ``delivered`` (the fake holds it),
``failed_logged`` (failed with a WARNING naming chat and action), ``dm_closed`` (the person never
started the bot: the welcome's deep link is the fallback), ``lost`` (none of these: must be 0),
``failures_unlogged`` (failed actions of any kind without their WARNING: must be 0), ``failed_counted``
(what /stats shows managers as not delivered), ``storm_429s`` (injected), ``fake_429_count`` (the
fake's own limits: must be 0), and spam deletion latency from arrival: ``spam_delete_p50_ms`` /
``spam_delete_p99_ms`` in wall time (the bot's own: CPU, database, poller) and
``spam_delete_p99_platform_ms`` on the scaled clock (the CPU's share magnified by the scale).

    python bench/busy_hour.py [--groups 100] [--minutes 60] [--time-scale 30] [--json FILE]
"""

from __future__ import annotations

import sys as _sys
from pathlib import Path as _Path

_sys.path.insert(0, str(_Path(__file__).resolve().parents[1]))  # ``python bench/x.py`` from the project root

import asyncio
import sys
import tempfile
from pathlib import Path

from bench.common import parser, peak_rss_mb, report
from tests.telegram.busy import Plan, busy_hour


async def run(plan: Plan, scale: float) -> dict[str, float | int | str]:
    with tempfile.TemporaryDirectory() as tmp:
        figures: dict[str, float | int | str] = dict(await busy_hour(f"sqlite+aiosqlite:///{Path(tmp) / 'busy.sqlite3'}", plan, scale))
    figures["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return figures


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--groups", type=int, default=100)
    p.add_argument("--minutes", type=float, default=60.0, help="the hour's length in platform minutes")
    p.add_argument("--joins", type=int, default=3, help="newcomers per group")
    p.add_argument("--chatter", type=int, default=4, help="members' messages per group")
    p.add_argument("--commands", type=int, default=2, help="/find per group")
    p.add_argument("--spam", type=int, default=1, help="spammers per group")
    p.add_argument("--hopeless", type=int, default=3, help="429s with a wait no bot honours (those messages fail)")
    p.add_argument("--time-scale", type=float, default=30.0, help="how much faster than the wall clock time runs")
    args = p.parse_args()
    plan = Plan(args.groups, args.minutes, args.joins, args.chatter, args.commands, args.spam, hopeless=args.hopeless)
    figures = asyncio.run(run(plan, args.time_scale))
    report(figures, args.json)
    if figures["lost"] or figures["failures_unlogged"]:
        sys.exit("a message was lost or a failure went unlogged")
    if figures["fake_429_count"]:
        sys.exit("Telegram had to say 429 on its own: the flow control let too much through")
    if figures["spam_deleted"] != figures["spam_posted"]:
        sys.exit("spam was left in the chat")


if __name__ == "__main__":
    main()
