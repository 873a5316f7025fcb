"""The bot's own web server (``[web]`` in the config, off by default): hosts the pages features register in
``rt.web`` (the calendar feeds). Meant to run behind a reverse proxy that speaks HTTPS (docs/deployment.md).

Paths hold secrets (a feed's token), so nothing here logs a path or a query: no access log, and a handler's
failure is logged by the route's pattern only.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.core.runtime import Runtime
from bot.core.web import WebHandler, WebRequest

log = logging.getLogger("bot.web")

IDLE_TIMEOUT = 15.0  # seconds a connection may sit idle before it is closed (aiohttp's default keeps one an hour)
MAX_REQUEST = 8 * 1024  # bytes: these pages take no body
SAFE_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def _wrap(pattern: str, handler: WebHandler) -> Handler:
    async def serve(request: web.Request) -> web.StreamResponse:
        try:
            headers = {k.lower(): v for k, v in request.headers.items()}  # HTTP/2 proxies send them lower-case anyway
            answer = await handler(WebRequest(dict(request.match_info), headers))
        except Exception:
            log.exception("the page %s failed", pattern)
            return web.Response(status=500, text="Something went wrong on our side; try again later.\n")
        headers = {"Content-Type": answer.content_type, **answer.headers}
        return web.Response(status=answer.status, body=answer.body, content_type=None, headers=headers)

    return serve


def application(rt: Runtime) -> web.Application:
    app = web.Application(client_max_size=MAX_REQUEST)

    async def safe(_: web.Request, response: web.StreamResponse) -> None:  # every answer, aiohttp's own 404s too
        response.headers.update(SAFE_HEADERS)

    app.on_response_prepare.append(safe)
    for pattern, handler in rt.web.items():
        app.router.add_get(pattern, _wrap(pattern, handler))
    return app


async def serve(rt: Runtime, host: str, port: int) -> web.AppRunner:
    """Start the server; ``runner.addresses`` tells the bound port (port 0: any free one)."""
    runner = web.AppRunner(application(rt), access_log=None, shutdown_timeout=5.0, keepalive_timeout=IDLE_TIMEOUT)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except BaseException:
        await runner.cleanup()
        raise
    return runner
