"""Pages the bot's own web server serves, in neutral terms: a feature registers a path and answers a request
without knowing aiohttp (the wiring, ``bot/web.py``, hosts them when ``[web] enabled``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field

# A press made on the dashboard goes through the router as a ButtonPressed whose callback id starts so; its
# answer (the toast a chat client would show) is kept for the page instead of going to a platform.
WEB_CALLBACK = "web:"


@dataclass(frozen=True, slots=True)
class WebRequest:
    params: Mapping[str, str]  # the path's {placeholders}
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case
    method: str = "GET"
    query: Mapping[str, str] = field(default_factory=dict)
    form: Mapping[str, str] = field(default_factory=dict)  # a POSTed form's fields (the first of each name)
    cookies: Mapping[str, str] = field(default_factory=dict)
    remote: str = ""  # the client's address as the server saw it (behind a proxy: the proxy's)
    secure: bool = False  # reached over HTTPS (directly, or a proxy said so with X-Forwarded-Proto)


@dataclass(frozen=True, slots=True)
class WebResponse:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)
    cookies: tuple[str, ...] = ()  # whole Set-Cookie values


NOT_FOUND = WebResponse(404, b"Not found\n")

WebHandler = Callable[[WebRequest], Awaitable[WebResponse]]


class WebRoutes:
    """Paths with ``{name}`` placeholders (aiohttp's syntax), one handler per path and method."""

    def __init__(self) -> None:
        self._routes: dict[tuple[str, str], WebHandler] = {}
        self.answers: dict[str, str] = {}  # callback id (WEB_CALLBACK...) -> the answer text of a dashboard press

    def add(self, path: str, handler: WebHandler, method: str = "GET") -> None:
        if not path.startswith("/"):
            raise ValueError(f"a web path starts with '/': {path!r}")
        if (method, path) in self._routes:
            raise ValueError(f"web path {method} {path!r} registered twice")
        self._routes[method, path] = handler

    def items(self) -> list[tuple[str, str, WebHandler]]:
        return [(method, path, h) for (method, path), h in self._routes.items()]

    def __bool__(self) -> bool:
        return bool(self._routes)
