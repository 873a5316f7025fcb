"""Attacker's checklist, the webhook: loopback by default, bounded bodies, slow clients dropped, the secret never logged.

Through the real aiohttp server the adapter runs, with raw sockets where a
client library would be too polite to misbehave.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest
from aiohttp import ClientSession

import adapters.telegram.adapter as tga
from adapters.telegram.adapter import SECRET_HEADER, serve_webhook
from bot.core.config import WebhookConfig, parse_config
from tests.telegram.conftest import ANN, GROUP, telegram_bot_running

SECRET = "s3cret-webhook-token-0123456789"
PATH = "/tg/hook"


def test_the_webhook_listens_on_loopback_by_default() -> None:
    assert WebhookConfig().listen_host == "127.0.0.1"
    assert parse_config({"telegram": {"mode": "webhook"}}).telegram.webhook.listen_host == "127.0.0.1"


async def _raw(port: int, data: bytes) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(data)
    await writer.drain()
    return reader, writer


def _head(length: int, secret: str = SECRET) -> bytes:
    return (
        f"POST {PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n{SECRET_HEADER}: {secret}\r\n"
        f"Content-Length: {length}\r\n\r\n"
    ).encode()


async def test_webhook_limits_and_logs(db_url: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(tga, "WEBHOOK_READ_TIMEOUT", 0.5)
    monkeypatch.setattr(tga, "WEBHOOK_IDLE_TIMEOUT", 1.0)
    monkeypatch.setattr(tga, "WEBHOOK_MAX_BODY", 64 * 1024)
    caplog.set_level(logging.DEBUG)
    async with telegram_bot_running(db_url, poll=False) as tg:
        runner = await serve_webhook(tg.adapter, "127.0.0.1", 0, PATH, SECRET)
        try:
            host, port = runner.addresses[0][:2]
            assert host == "127.0.0.1"
            url = f"http://{host}:{port}{PATH}"
            update = {"update_id": 1, **tg.scene.message(GROUP, ANN, "/help")}
            async with ClientSession() as http:
                async with http.post(url, json=update, headers={SECRET_HEADER: "wrong"}) as resp:
                    assert resp.status == 401
                big = json.dumps({"update_id": 2, "pad": "x" * (70 * 1024)})
                async with http.post(url, data=big, headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"}) as resp:
                    assert resp.status == 413  # refused on its declared length, before reading it
                async with http.post(url, json=update, headers={SECRET_HEADER: SECRET}) as resp:
                    assert resp.status == 200
            await asyncio.wait_for(tg.adapter.handled(1), 10)

            # A client that sends its headers, then only part of the body: answered 408 and dropped.
            reader, writer = await _raw(port, _head(1000) + b'{"update_id": 3')
            start = time.monotonic()
            status = await asyncio.wait_for(reader.readline(), 5)
            assert status.startswith(b"HTTP/1.1 408") and time.monotonic() - start < 3
            writer.close()

            # A client that never finishes its headers (slowloris): the connection is closed, not kept.
            reader, writer = await _raw(port, f"POST {PATH} HTTP/1.1\r\nHost: x\r\n".encode())
            start = time.monotonic()
            rest = await asyncio.wait_for(reader.read(), 10)
            assert time.monotonic() - start < 8 and not rest.startswith(b"HTTP/1.1 200")
            writer.close()
        finally:
            await runner.cleanup()
    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert SECRET not in logged and "wrong" not in logged  # neither the secret nor what was tried in its place
    assert "without the right secret token" in logged and "refused (limit 65536)" in logged
