"""Pages the bot's own web server serves, in neutral terms: a feature registers a path and answers a request
without knowing aiohttp (the wiring, ``bot/web.py``, hosts them when ``[web] enabled``)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class WebRequest:
    params: Mapping[str, str]  # the path's {placeholders}
    headers: Mapping[str, str] = field(default_factory=dict)  # names in lower case


@dataclass(frozen=True, slots=True)
class WebResponse:
    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: Mapping[str, str] = field(default_factory=dict)


NOT_FOUND = WebResponse(404, b"Not found\n")

WebHandler = Callable[[WebRequest], Awaitable[WebResponse]]


class WebRoutes:
    """GET paths with ``{name}`` placeholders (aiohttp's syntax), one handler each."""

    def __init__(self) -> None:
        self._routes: dict[str, WebHandler] = {}

    def add(self, path: str, handler: WebHandler) -> None:
        if not path.startswith("/"):
            raise ValueError(f"a web path starts with '/': {path!r}")
        if path in self._routes:
            raise ValueError(f"web path {path!r} registered twice")
        self._routes[path] = handler

    def items(self) -> list[tuple[str, WebHandler]]:
        return list(self._routes.items())

    def __bool__(self) -> bool:
        return bool(self._routes)
