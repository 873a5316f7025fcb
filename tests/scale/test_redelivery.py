"""Telegram delivers an update again (a webhook answered late, a getUpdates answer lost): it is handled once.

The webhook gets each update twice, the second copy once after the first was answered and
once while it is still queued or being handled; the spam is deleted and its author banned once,
the member's message counted once.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import ClientSession
from sqlalchemy import select

from adapters.telegram.adapter import SECRET_HEADER, serve_webhook
from storage.models.core import Member
from tests.telegram.conftest import ANN, GROUP, telegram_bot_running

MAX = 444
SPAM = "💰💰 Earn $500 a day from home!!! Crypto signals, DM me now: t.me/max_profit_signals 💰💰"


async def test_a_redelivered_update_is_handled_once(db_url: str) -> None:
    async with telegram_bot_running(db_url, poll=False) as tg:
        tg.fake.add_user(MAX, "Max Profit")
        runner = await serve_webhook(tg.adapter, "127.0.0.1", 0, "/tg/hook", "s3cret")
        try:
            host, port = runner.addresses[0][:2]
            updates = [tg.scene.join(GROUP, MAX), tg.scene.message(GROUP, ANN, "Hello all"), tg.scene.message(GROUP, MAX, SPAM)]
            async with ClientSession() as http:

                async def deliver(update_id: int, update: dict[str, Any]) -> None:
                    body = {"update_id": update_id, **update}
                    async with http.post(f"http://{host}:{port}/tg/hook", json=body, headers={SECRET_HEADER: "s3cret"}) as resp:
                        assert resp.status == 200

                for update_id, update in enumerate(updates[:2], 1):  # again after it was handled
                    await deliver(update_id, update)
                    await deliver(update_id, update)
                await asyncio.gather(deliver(3, updates[2]), deliver(3, updates[2]))  # again while it is handled
            await asyncio.wait_for(tg.adapter.handled(3), 10)  # the webhook answers at once; handling follows
        finally:
            await runner.cleanup()
        assert tg.adapter.redelivered == 3
        spam_id = str(updates[2]["message"]["message_id"])
        assert len([c for c in tg.fake.sent("deleteMessage") if c["message_id"] == spam_id]) == 1
        assert len([c for c in tg.fake.sent("banChatMember") if c.status == 200]) == 1
        await tg.app.rt.flush()  # activity counters are written in batches
        async with tg.app.db.sessions() as s:
            count = await s.scalar(select(Member.message_count).where(Member.user_id == str(ANN)))
        assert count == 1
