"""Discord's rate limits as the fake applies them: per-route buckets with their headers, and the global limit.

What Discord documents (docs/topics/rate-limits): a bucket per route (method and path) and top-level
resource (``channel_id``, ``guild_id``, ``webhook_id`` + token), reported on every answer as
``X-RateLimit-Limit``, ``-Remaining``, ``-Reset`` (epoch seconds), ``-Reset-After`` and ``-Bucket``; a
429 with ``{"message", "retry_after", "global"}``, a ``Retry-After`` header and ``X-RateLimit-Scope``;
and a global limit of 50 requests a second per bot, with ``X-RateLimit-Global: true`` on its 429s.
Interaction endpoints are not bound to the global limit.

Discord does not publish the per-route numbers (they "should not be hard coded"); ``DISCORD`` holds the
ones bots observe (messages: 5 per 5 s per channel). A window opens at a bucket's first request and
resets ``per`` seconds later, as the headers describe. ``RELAXED`` keeps the same buckets and headers
with room no test reaches, so tests that do not measure pacing stay fast.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field

from aiohttp import web

GLOBAL_PER_SECOND = 50
MAJOR = ("channel_id", "guild_id", "webhook_id", "webhook_token", "interaction_id", "interaction_token")


@dataclass(frozen=True, slots=True)
class Limit:
    count: int
    per: float  # seconds


# Observed per-route limits (not documented by Discord). Routes missing here share DEFAULT's size, each
# in its own bucket.
DISCORD: dict[str, Limit] = {
    "POST /channels/{channel_id}/messages": Limit(5, 5.0),
    "PATCH /channels/{channel_id}/messages/{message_id}": Limit(5, 5.0),
    "DELETE /channels/{channel_id}/messages/{message_id}": Limit(5, 1.0),
    "PUT /channels/{channel_id}/messages/pins/{message_id}": Limit(5, 5.0),
    "DELETE /channels/{channel_id}/messages/pins/{message_id}": Limit(5, 5.0),
    "PUT /channels/{channel_id}/pins/{message_id}": Limit(5, 5.0),
    "DELETE /channels/{channel_id}/pins/{message_id}": Limit(5, 5.0),
    "PATCH /guilds/{guild_id}/members/{user_id}": Limit(10, 10.0),
    "PUT /guilds/{guild_id}/members/{user_id}/roles/{role_id}": Limit(10, 10.0),
    "DELETE /guilds/{guild_id}/members/{user_id}/roles/{role_id}": Limit(10, 10.0),
    "PUT /guilds/{guild_id}/bans/{user_id}": Limit(5, 5.0),
    "DELETE /guilds/{guild_id}/members/{user_id}": Limit(5, 5.0),
    "POST /interactions/{interaction_id}/{interaction_token}/callback": Limit(1, 1.0),  # one answer each
    "POST /webhooks/{webhook_id}/{webhook_token}": Limit(5, 2.0),
}
DEFAULT = Limit(50, 1.0)  # the global limit's size


def interaction_endpoint(template: str) -> bool:
    """Interaction responses and follow-ups: outside the global limit (Discord's docs)."""
    return template.startswith(("/interactions/", "/webhooks/{webhook_id}/{webhook_token}"))


@dataclass
class _Window:
    limit: Limit
    opened: float
    used: int = 0
    blocked_until: float = 0.0  # a 429 told the client to wait until then
    scope: str = "user"  # whose limit that 429 was: the bot's ("user") or a resource's ("shared")


@dataclass
class RateLimits:
    """Buckets, the global window and what was refused. ``clock`` is monotonic seconds (the bench's or a fake time)."""

    routes: dict[str, Limit] = field(default_factory=lambda: dict(DISCORD))
    default: Limit = DEFAULT
    global_per_second: int = GLOBAL_PER_SECOND
    clock: Callable[[], float] = time.monotonic
    throttled: Counter[str] = field(default_factory=Counter)  # 429s the fake answered, by scope (user, global, shared)
    _windows: dict[tuple[str, tuple[str, ...]], _Window] = field(default_factory=dict)
    _recent: deque[float] = field(default_factory=deque)  # admitted requests in the last second (global limit)

    @classmethod
    def relaxed(cls, clock: Callable[[], float] = time.monotonic) -> RateLimits:
        """The same buckets and headers with room no test reaches."""
        return cls({r: Limit(10_000, 1.0) for r in DISCORD}, Limit(10_000, 1.0), 1_000_000, clock)

    @property
    def http_429(self) -> int:
        return sum(self.throttled.values())

    def bucket_of(self, route: str) -> str:
        """The ``X-RateLimit-Bucket`` hash of a route (``"POST /channels/{channel_id}/messages"``)."""
        return hashlib.sha1(route.encode()).hexdigest()[:16]

    def admit(self, method: str, template: str, params: dict[str, str]) -> tuple[web.Response | None, dict[str, str]]:
        """Count one request: (the 429 to answer, or None) and the rate-limit headers for its answer."""
        route = f"{method} {template}"
        now = self.clock()
        window = self._window(route, params, now)
        if window.blocked_until > now:
            self.throttled[window.scope] += 1
            return self._refused(window, route, window.blocked_until - now, now), {}
        if window.used >= window.limit.count:
            wait = window.opened + window.limit.per - now
            window.blocked_until, window.scope = now + wait, "user"
            self.throttled["user"] += 1
            return self._refused(window, route, wait, now), {}
        if not interaction_endpoint(template):
            while self._recent and self._recent[0] <= now - 1.0:
                self._recent.popleft()
            if len(self._recent) >= self.global_per_second:
                self.throttled["global"] += 1
                return global_limited(self._recent[0] + 1.0 - now), {}
            self._recent.append(now)
        window.used += 1
        return None, self._headers(window, route, now)

    def block(self, method: str, template: str, params: dict[str, str], retry_after: float) -> dict[str, str]:
        """An injected 429 (a shared resource's limit): the bucket refuses until ``retry_after`` has passed."""
        route = f"{method} {template}"
        now = self.clock()
        window = self._window(route, params, now)
        window.blocked_until, window.scope = max(window.blocked_until, now + retry_after), "shared"
        return {**self._headers(window, route, now, remaining=0), "X-RateLimit-Scope": "shared"}

    def _window(self, route: str, params: dict[str, str], now: float) -> _Window:
        key = (route, tuple(params[k] for k in MAJOR if k in params))
        window = self._windows.get(key)
        if window is None or now >= window.opened + window.limit.per:
            carried = (window.blocked_until, window.scope) if window else (0.0, "user")
            window = self._windows[key] = _Window(self.routes.get(route, self.default), now, 0, *carried)
        return window

    def _headers(self, window: _Window, route: str, now: float, remaining: int | None = None) -> dict[str, str]:
        reset_after = max(0.0, window.opened + window.limit.per - now)
        left = window.limit.count - window.used if remaining is None else remaining
        return {
            "X-RateLimit-Limit": str(window.limit.count),
            "X-RateLimit-Remaining": str(max(0, left)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": self.bucket_of(route),
        }

    def _refused(self, window: _Window, route: str, wait: float, now: float) -> web.Response:
        headers = {**self._headers(window, route, now, remaining=0), "X-RateLimit-Scope": window.scope}
        headers["X-RateLimit-Reset-After"] = f"{wait:.3f}"
        return rate_limited(wait, headers)


def rate_limited(retry_after: float, headers: dict[str, str], *, is_global: bool = False) -> web.Response:
    """A 429 as Discord sends it: JSON body with ``retry_after`` and ``global``, ``Retry-After`` (whole seconds,
    rounded up), and ``Via`` (discord.py takes a 429 without ``Via`` for a Cloudflare ban and gives up)."""
    out = {"Content-Type": "application/json", "Via": "1.1 google", "Retry-After": str(max(1, math.ceil(retry_after))), **headers}
    body = {"message": "You are being rate limited.", "retry_after": round(retry_after, 3), "global": is_global}
    return web.Response(body=json.dumps(body).encode(), status=429, headers=out)


def global_limited(retry_after: float) -> web.Response:
    return rate_limited(retry_after, {"X-RateLimit-Global": "true", "X-RateLimit-Scope": "global"}, is_global=True)
