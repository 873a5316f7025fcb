"""The bot's own web server (``[web]`` in the config, off by default): hosts the pages features register in
``rt.web`` (the calendar feeds, the managers' dashboard). Meant to run behind a reverse proxy that speaks HTTPS (docs/deployment.md).

Paths and queries hold secrets (a feed's token, a one-time sign-in token), so nothing here logs a path or a
query: no access log, and a handler's failure is logged by the route's pattern only.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.core.runtime import Runtime
from bot.core.web import WebHandler, WebRequest

log = logging.getLogger("bot.web")

IDLE_TIMEOUT = 15.0  # seconds a connection may sit idle before it is closed (aiohttp's default keeps one an hour)
MAX_REQUEST = 64 * 1024  # bytes: the largest body is a dashboard form (a pinned document's text)
SAFE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex",
    # No page of ours may be framed, nor load anything from elsewhere; the dashboard's only script and style
    # are its own files (no inline script: an injected one would not run).
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


async def _request(request: web.Request) -> WebRequest:
    headers = {k.lower(): v for k, v in request.headers.items()}  # HTTP/2 proxies send them lower-case anyway
    form: dict[str, str] = {}
    if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        for k, v in (await request.post()).items():
            if isinstance(v, str):
                form.setdefault(k, v)
    secure = request.secure or headers.get("x-forwarded-proto", "") == "https"
    return WebRequest(
        dict(request.match_info),
        headers,
        method=request.method,
        query={k: request.query[k] for k in request.query},
        form=form,
        cookies=dict(request.cookies),
        remote=request.remote or "",
        secure=secure,
    )


def _wrap(pattern: str, handler: WebHandler) -> Handler:
    async def serve(request: web.Request) -> web.StreamResponse:
        try:
            answer = await handler(await _request(request))
        except Exception:
            log.exception("the page %s failed", pattern)
            return web.Response(status=500, text="Something went wrong on our side; try again later.\n")
        headers = {"Content-Type": answer.content_type, **answer.headers}
        response = web.Response(status=answer.status, body=answer.body, content_type=None, headers=headers)
        for cookie in answer.cookies:
            response.headers.add("Set-Cookie", cookie)
        return response

    return serve


def application(rt: Runtime) -> web.Application:
    app = web.Application(client_max_size=MAX_REQUEST)

    async def safe(_: web.Request, response: web.StreamResponse) -> None:  # every answer, aiohttp's own 404s too
        response.headers.update(SAFE_HEADERS)

    app.on_response_prepare.append(safe)
    for method, pattern, handler in rt.web.items():
        if method == "GET":
            app.router.add_get(pattern, _wrap(pattern, handler))  # HEAD too
        else:
            app.router.add_route(method, pattern, _wrap(pattern, handler))
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
