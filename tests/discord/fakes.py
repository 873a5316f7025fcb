"""A fake Discord for the real discord.py client: REST checked against the OpenAPI spec, and a gateway.

One aiohttp server on port 0 serves both: ``/api/v10/...`` (``discord.http.Route.BASE``
points here) and ``/gateway`` (``DiscordWebSocket.DEFAULT_GATEWAY``). Every REST
request is recorded and checked against ``discord-openapi.json``; problems are
collected in ``violations`` and the fixture fails the test on any.

Rate limits (``fake.limits``, ``tests/discord/ratelimits.py``): per-route buckets with Discord's
headers on every answer, 429s when a bucket or the global 50 a second is exhausted, counted in
``fake.limits.throttled``. By default the buckets are roomy (tests stay fast); ``RateLimits()`` has
Discord's sizes.

Faults are injected per operation (``fake.faults``, the schedule in ``tests/faults.py``, keyed
``"POST /channels/{channel_id}/messages"``): 429 with Discord's rate-limit headers and JSON body (its
bucket then refuses until ``retry_after`` has passed, as Discord's does), 5xx, requests held past the
client's timeout, dropped connections; before or after processing.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import discord
from aiohttp import BodyPartReader, WSMsgType, web

from tests import faults
from tests.discord.ratelimits import RateLimits, rate_limited
from tests.discord.spec import discord_spec
from tests.faults import Fault, FaultPlan

APP_ID = "900000000000000001"
BOT_ID = APP_ID
GUILD_ID = "910000000000000001"
GENERAL = "920000000000000001"  # the system channel
FORUM = "920000000000000002"
LOG = "920000000000000009"  # the moderators' log channel
OWNER = "930000000000000001"

PERMS_ALL = str(discord.Permissions.all().value)
PERMS_MEMBER = str(
    discord.Permissions(view_channel=True, send_messages=True, read_message_history=True, use_application_commands=True).value
)
MANAGER_ROLE = "940000000000000001"
BOT_ROLE = "940000000000000002"  # the role Discord makes from the invite URL's permissions (docs/discord.md)
GATE_ROLE = "940000000000000004"  # "Newcomers": a role a server's managers made for the rules gate (below the bot's)
MANAGE_ROLES = 1 << 28
BOT_INVITE_PERMISSIONS = 2833724932746246  # docs/discord.md's invite URL (SEND_POLLS, CREATE_EVENTS and MANAGE_EVENTS included)
SEND_POLLS = 1 << 49
PIN_MESSAGES = 1 << 51  # since February 2026 the only permission that pins (Manage Messages no longer does)
ADMINISTRATOR = 1 << 3
GUILD_MEMBERS = 1 << 1  # the privileged intent without which Discord lists no members
GUILD_MESSAGE_POLLS = 1 << 24  # the gateway intent without which Discord sends no poll votes
POLL_ANSWER_LIMIT = 55  # Discord's limit on an answer's text (the spec's shared PollMedia schema says 300)
# Dispatches Discord sends only to a client that identified with their intent (GUILD_MESSAGE_REACTIONS).
GUILD_SCHEDULED_EVENTS = 1 << 16  # the gateway intent of scheduled events and their "Interested" users
INTENT_OF = {
    "MESSAGE_REACTION_ADD": 1 << 10,
    "MESSAGE_REACTION_REMOVE": 1 << 10,
    **{f"GUILD_SCHEDULED_EVENT_{name}": GUILD_SCHEDULED_EVENTS for name in ("CREATE", "UPDATE", "DELETE", "USER_ADD", "USER_REMOVE")},
}
MANAGE_EVENTS = 1 << 33  # edit and delete anyone's events
CREATE_EVENTS = 1 << 44  # create events, and edit and delete one's own
EVENT_SCHEDULED, EVENT_ACTIVE, EVENT_COMPLETED, EVENT_CANCELED = 1, 2, 3, 4


def iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat()


@dataclass
class Recorded:
    method: str
    path: str
    template: str
    body: Any
    query: dict[str, str]
    files: list[Upload] = field(default_factory=list)  # the file parts of a multipart request
    status: int = 0  # the HTTP status the fake answered (0: none yet, or the connection dropped)
    at: float = 0.0  # when it arrived, on the rate limits' clock

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


@dataclass(frozen=True)
class Upload:
    """One file part of a multipart request."""

    field: str  # e.g. "files[0]"
    filename: str
    data: bytes


@dataclass
class FakeDiscord:
    """State of the fake platform: users, messages, pins, bans; and what the client sent."""

    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    requests: list[Recorded] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    users: dict[str, dict[str, Any]] = field(default_factory=dict)
    member_roles: dict[str, list[str]] = field(default_factory=dict)
    timeouts: dict[str, str] = field(default_factory=dict)  # user id -> communication_disabled_until (ISO)
    dm_closed: set[str] = field(default_factory=set)
    pins: dict[str, list[str]] = field(default_factory=dict)
    messages: dict[str, dict[str, Any]] = field(default_factory=dict)
    bans: set[str] = field(default_factory=set)
    kicked: set[str] = field(default_factory=set)  # removed from the guild (until they join again)
    dm_channels: dict[str, str] = field(default_factory=dict)  # channel id -> user id
    interaction_channels: dict[str, str] = field(default_factory=dict)  # interaction id -> channel id
    interaction_kinds: dict[str, int] = field(default_factory=dict)  # interaction id -> its type (2 command, 3 press, 5 form)
    acknowledged: set[str] = field(default_factory=set)  # interactions answered once (a second answer is refused)
    modals: dict[str, dict[str, Any]] = field(default_factory=dict)  # interaction id -> the modal the bot opened
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    on_request: Callable[[], Awaitable[None]] | None = None  # told after each recorded request
    identify: dict[str, Any] | None = None
    close_on_identify: int | None = None  # e.g. 4014: privileged intents not enabled
    token: str | None = None  # set: REST calls with any other bot token are answered 401, as Discord does
    bot_permissions: int = BOT_INVITE_PERMISSIONS  # the bot's own role, as the invite URL asked
    faults: FaultPlan = field(default_factory=FaultPlan)  # injected failures, keyed "METHOD /template"
    limits: RateLimits = field(default_factory=RateLimits.relaxed)  # per-route buckets and the global limit
    posted: list[dict[str, Any]] = field(default_factory=list)  # every message the bot posted, in order (even if deleted later)
    channels: list[dict[str, Any]] = field(default_factory=list)  # text channels beyond general, mod-log and the forum
    overwrites: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # channel id -> its permission overwrites
    scheduled_events: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> the guild scheduled event
    roles: list[dict[str, Any]] = field(default_factory=list)  # roles managers made beyond the built-in ones (``add_role``)
    _released: asyncio.Event = field(default_factory=asyncio.Event)  # set on stop: requests held by a timeout fault end
    _seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _ws: web.WebSocketResponse | None = None
    _background: set[asyncio.Task[None]] = field(default_factory=set)
    url: str = ""
    _runner: web.AppRunner | None = None

    def __post_init__(self) -> None:
        self.add_user(BOT_ID, "Community Bot", bot=True)
        self.add_user(OWNER, "Olga")

    # ---- ids and payloads ----------------------------------------------
    def snowflake(self) -> str:
        """Ids whose timestamp is the fake's clock (``created_at`` follows a virtual clock)."""
        return str(discord.utils.time_snowflake(self.now()) + next(self._ids))

    def add_user(self, user_id: str, name: str, *, bot: bool = False, roles: list[str] | None = None) -> dict[str, Any]:
        user = {
            "id": user_id,
            "username": name.lower().replace(" ", "_"),
            "global_name": name,
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
        }
        self.users[user_id] = user
        self.member_roles[user_id] = roles or []
        return user

    def member(self, user_id: str) -> dict[str, Any]:
        return {
            "user": self.users[user_id],
            "roles": self.member_roles.get(user_id, []),
            "communication_disabled_until": self.timeouts.get(user_id),
            "joined_at": iso(self.now()),
            "deaf": False,
            "mute": False,
            "flags": 0,
            "nick": None,
        }

    def message(self, channel_id: str, author_id: str, content: str, **extra: Any) -> dict[str, Any]:
        msg = {
            "id": extra.pop("id", None) or self.snowflake(),
            "channel_id": channel_id,
            "author": self.users[author_id],
            "content": content,
            "timestamp": iso(self.now()),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "components": [],
        }
        msg.update(extra)
        self.messages[msg["id"]] = msg
        return msg

    async def add_channel(self, channel_id: str, name: str) -> dict[str, Any]:
        """A text channel in the guild; a connected client hears of it (``CHANNEL_CREATE``)."""
        channel = {
            "guild_id": GUILD_ID,
            "position": len(self.channels) + 3,
            "permission_overwrites": [],
            "nsfw": False,
            "parent_id": None,
            "id": channel_id,
            "type": 0,
            "name": name,
            "topic": None,
            "last_message_id": None,
            "rate_limit_per_user": 0,
        }
        self.channels.append(channel)
        if self._ws is not None and not self._ws.closed:
            await self.dispatch("CHANNEL_CREATE", channel)
        return channel

    def add_role(self, role_id: str, name: str, position: int) -> dict[str, Any]:
        """A role the server's managers made, without permissions; ``position`` 2 or more is not below the bot's own."""
        role = {
            "id": role_id, "name": name, "permissions": "0", "position": position, "color": 0,
            "hoist": False, "managed": False, "mentionable": False, "flags": 0,
        }  # fmt: skip
        self.roles.append(role)
        return role

    def role_permissions(self) -> dict[str, int]:
        """Each role's server-wide permissions (the ids ``guild()`` lists)."""
        return {
            GUILD_ID: int(PERMS_MEMBER),
            BOT_ROLE: self.bot_permissions,
            GATE_ROLE: 0,
            MANAGER_ROLE: discord.Permissions(manage_guild=True).value,
            **{r["id"]: int(r["permissions"]) for r in self.roles},
        }

    def permissions_in(self, channel_id: str, user_id: str = BOT_ID) -> int:
        """Discord's computation: @everyone and the member's roles, then the channel's overwrites for @everyone,
        for the member's roles (denials, then grants) and for the member; Administrator (and the owner) has all."""
        if user_id == OWNER:
            return discord.Permissions.all().value
        roles = self.member_roles.get(user_id, []) + ([BOT_ROLE] if user_id == BOT_ID else [])
        by_role = self.role_permissions()
        perms = by_role[GUILD_ID]
        for role in roles:
            perms |= by_role.get(role, 0)
        if perms & ADMINISTRATOR:
            return discord.Permissions.all().value
        rules = {(o["type"], o["id"]): (int(o["allow"]), int(o["deny"])) for o in self.overwrites.get(channel_id, [])}
        allow, deny = rules.get((0, GUILD_ID), (0, 0))
        perms = (perms & ~deny) | allow
        allow = deny = 0
        for role in roles:
            a, d = rules.get((0, role), (0, 0))
            allow, deny = allow | a, deny | d
        perms = (perms & ~deny) | allow
        allow, deny = rules.get((1, user_id), (0, 0))
        return (perms & ~deny) | allow

    async def overwrite(self, channel_id: str, target_id: str, *, allow: int = 0, deny: int = 0, member: bool = False) -> None:
        """A manager sets a channel's permission overwrite for a role (or a member); a connected client hears of it."""
        kind = 1 if member else 0
        rules = [o for o in self.overwrites.get(channel_id, []) if (o["type"], o["id"]) != (kind, target_id)]
        self.overwrites[channel_id] = [*rules, {"id": target_id, "type": kind, "allow": str(allow), "deny": str(deny)}]
        if self._ws is not None and not self._ws.closed:
            channel = next(c for c in self.guild()["channels"] if c["id"] == channel_id)
            await self.dispatch("CHANNEL_UPDATE", channel)

    def _refused(self, channel_id: str, permission: int) -> web.Response | None:
        """50013 Missing Permissions (HTTP 403) where the bot lacks ``permission`` in the channel."""
        if self.permissions_in(channel_id) & permission:
            return None
        return _json({"code": 50013, "message": "Missing Permissions"}, status=403)

    def guild(self) -> dict[str, Any]:
        payload = self._guild()
        for c in payload["channels"]:
            c["permission_overwrites"] = self.overwrites.get(c["id"], [])
        return payload

    def _guild(self) -> dict[str, Any]:
        channel = {"guild_id": GUILD_ID, "position": 0, "permission_overwrites": [], "nsfw": False, "parent_id": None}
        return {
            "id": GUILD_ID,
            "name": "Riverside Makers",
            "icon": None,
            "owner_id": OWNER,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-US",
            "features": [],
            "emojis": [],
            "stickers": [],
            "system_channel_id": GENERAL,
            "system_channel_flags": 0,
            "roles": [
                {
                    "id": GUILD_ID,
                    "name": "@everyone",
                    "permissions": PERMS_MEMBER,
                    "position": 0,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                {
                    "id": BOT_ROLE,
                    "name": "Community Bot",
                    "permissions": str(self.bot_permissions),
                    "position": 2,
                    "color": 0,
                    "hoist": False,
                    "managed": True,
                    "mentionable": False,
                    "flags": 0,
                    "tags": {"bot_id": BOT_ID},
                },
                {
                    "id": GATE_ROLE,
                    "name": "Newcomers",
                    "permissions": "0",
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                {
                    "id": MANAGER_ROLE,
                    "name": "Hosts",
                    "permissions": str(discord.Permissions(manage_guild=True).value),
                    "position": 1,
                    "color": 0,
                    "hoist": False,
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                },
                *self.roles,
            ],
            "channels": [
                {**channel, "id": GENERAL, "type": 0, "name": "general", "topic": None, "last_message_id": None, "rate_limit_per_user": 0},
                {**channel, "id": LOG, "type": 0, "name": "mod-log", "topic": None, "last_message_id": None, "rate_limit_per_user": 0},
                {
                    **channel,
                    "id": FORUM,
                    "type": 15,
                    "name": "showcase",
                    "topic": None,
                    "last_message_id": None,
                    "rate_limit_per_user": 0,
                    "available_tags": [
                        {"id": "950000000000000001", "name": "Show & Tell", "moderated": False, "emoji_id": None, "emoji_name": None},
                        {"id": "950000000000000002", "name": "Question", "moderated": False, "emoji_id": None, "emoji_name": None},
                    ],
                    "default_reaction_emoji": None,
                    "default_sort_order": None,
                    "default_forum_layout": 0,
                    "flags": 0,
                },
                *self.channels,
            ],
            "threads": [],
            "members": [{**self.member(BOT_ID), "roles": [BOT_ROLE, *self.member_roles.get(BOT_ID, [])]}, self.member(OWNER)],
            "member_count": 2,
            "large": False,
            "unavailable": False,
            "joined_at": iso(self.now()),
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": list(self.scheduled_events.values()),
            "soundboard_sounds": [],
        }

    # ---- server ---------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        self._released.set()
        if self._ws is not None and not self._ws.closed:
            await self._ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- REST -----------------------------------------------------------
    def calls(self, method: str, template: str) -> list[Recorded]:
        """The recorded requests to one operation, e.g. ``calls("POST", "/channels/{channel_id}/messages")``."""
        return [r for r in self.requests if r.method == method and r.template == template]

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        method = request.method
        if self.token is not None and request.headers.get("Authorization") != f"Bot {self.token}":
            return _json({"message": "401: Unauthorized", "code": 0}, status=401)
        body: Any = None
        files: list[Upload] = []
        multipart = request.can_read_body and request.content_type == "multipart/form-data"
        if multipart:
            body, files = await _read_multipart(request)
            self.violations.extend(discord_spec().multipart_problems(path, method, body, [f.field for f in files]))
        else:
            if request.can_read_body:
                if request.content_type != "application/json":
                    self.violations.append(f"{method} {path}: unexpected content type {request.content_type}")
                body = await request.json()
            self.violations.extend(discord_spec().problems(path, method, body))
        op = discord_spec().operation(path, method)
        recorded = Recorded(method, path, op.template if op else "?", body, dict(request.query), files, at=self.limits.clock())
        self.requests.append(recorded)
        params = _path_params(op.template, path) if op else {}
        refused, headers = self.limits.admit(method, recorded.template, params)
        if refused is not None:  # Discord refuses before doing anything
            response: web.StreamResponse = refused
        else:
            fault = self.faults.next(f"{method} {recorded.template}")

            def error(f: Fault) -> web.Response:
                if f.status == 429:
                    return rate_limited(f.retry_after, self.limits.block(method, recorded.template, params, f.retry_after))
                return _error_for(f)

            response = await faults.answer(request, fault, lambda: self._process(method, path, op, body, files), error, self._released)
            if isinstance(response, web.Response) and response.status != 429:
                response.headers.update(headers)
        recorded.status = response.status if isinstance(response, web.Response) else 0
        if self.on_request is not None:
            await self.on_request()
        return response

    async def _process(self, method: str, path: str, op: Any, body: Any, files: list[Upload]) -> web.Response:
        if op is None:
            return _json({"code": 0, "message": "404: Not Found"}, status=404)
        handler = getattr(self, "_op_" + _op_name(method, op.template), None)
        if handler is None:
            self.violations.append(f"{method} {op.template}: the fake does not implement it")
            return _json({"code": 0, "message": "not implemented by the fake"}, status=501)
        params = _path_params(op.template, path)
        if files:
            body = {**body, "_uploads": files}
        try:
            return await handler(params, body)
        except Exception as exc:  # a fake's bug must fail the test, not make discord.py retry a 500 for seconds
            self.violations.append(f"{method} {op.template}: the fake failed: {exc!r}")
            return _json({"code": 0, "message": "fake failure"}, status=400)

    async def _op_get_users_me(self, p: dict[str, str], body: Any) -> web.Response:
        return _json(self.users[BOT_ID])

    async def _op_get_oauth2_applications_me(self, p: dict[str, str], body: Any) -> web.Response:
        return _json(
            {
                "id": APP_ID,
                "name": "Community Bot",
                "description": "",
                "icon": None,
                "bot_public": False,
                "bot_require_code_grant": False,
                "owner": self.users[OWNER],
                "verify_key": "0" * 64,
                "flags": 0,
            }
        )

    async def _op_put_applications_guilds_commands(self, p: dict[str, str], body: Any) -> web.Response:
        out = []
        for cmd in body:
            defaults = {
                "id": self.snowflake(),
                "application_id": APP_ID,
                "guild_id": p["guild_id"],
                "version": "1",
                "type": 1,
                "description": "",
            }
            out.append({**defaults, **cmd})
        return _json(out)

    async def _op_post_channels_messages(self, p: dict[str, str], body: Any) -> web.Response:
        channel = p["channel_id"]
        recipient = self.dm_channels.get(channel)
        # Closed DMs, or no server shared with the bot any more (banned or kicked from the only one).
        if recipient is not None and (recipient in self.dm_closed or recipient in self.bans or recipient in self.kicked):
            return _json({"code": 50007, "message": "Cannot send messages to this user"}, status=403)
        attachments = [
            {
                "id": self.snowflake(),
                "filename": up.filename,
                "size": len(up.data),
                "url": f"{self.url}/attachments/{channel}/{up.filename}",
                "proxy_url": f"{self.url}/attachments/{channel}/{up.filename}",
            }
            for up in body.get("_uploads", [])
        ]
        extra: dict[str, Any] = {}
        if body.get("poll") is not None:
            poll = self._poll(body["poll"], channel)
            if isinstance(poll, web.Response):
                return poll
            extra["poll"] = poll
        msg = self.message(
            channel,
            BOT_ID,
            body.get("content") or "",
            embeds=body.get("embeds") or [],
            components=body.get("components") or [],
            attachments=attachments,
            **extra,
        )
        self.posted.append(msg)
        return _json(msg)

    def _poll(self, asked: dict[str, Any], channel: str) -> dict[str, Any] | web.Response:
        """A poll as Discord keeps it, or its refusal: no SEND_POLLS in the channel, an answer over 55 characters."""
        if (refused := self._refused(channel, SEND_POLLS)) is not None:
            return refused
        answers = asked["answers"]
        if any(len(a["poll_media"].get("text") or "") > POLL_ANSWER_LIMIT for a in answers):
            errors = {"answers": {"_errors": [{"code": "BASE_TYPE_MAX_LENGTH", "message": "Must be 55 or fewer in length."}]}}
            return _json({"code": 50035, "message": "Invalid Form Body", "errors": errors}, status=400)
        hours = asked.get("duration") or 24
        return {
            "question": {"text": asked["question"]["text"]},
            "answers": [{"answer_id": i, "poll_media": {"text": a["poll_media"]["text"]}} for i, a in enumerate(answers, start=1)],
            "expiry": iso(self.now() + timedelta(hours=hours)),
            "allow_multiselect": bool(asked.get("allow_multiselect")),
            "layout_type": 1,
            "results": {"is_finalized": False, "answer_counts": []},
        }

    async def _op_post_channels_polls_expire(self, p: dict[str, str], body: Any) -> web.Response:
        msg = self.messages.get(p["message_id"])
        if msg is None:
            return _json({"code": 10008, "message": "Unknown Message"}, status=404)
        if msg.get("poll") is None or msg["author"]["id"] != BOT_ID:
            return _json({"code": 50083, "message": "Cannot expire a non-poll message or another user's poll"}, status=403)
        results = msg["poll"]["results"]
        if results["is_finalized"]:
            return _json({"code": 520001, "message": "Poll expired"}, status=400)
        results["is_finalized"] = True
        return _json(msg)

    async def vote(self, user_id: str, message_id: str, answer_id: int, *, added: bool = True) -> bool:
        """A member picks (or takes back) an answer; Discord tells the bot over the gateway if it asked for poll
        votes (the GUILD_MESSAGE_POLLS intent). Returns whether the vote was dispatched."""
        msg = self.messages[message_id]
        results = msg["poll"]["results"]
        if results["is_finalized"]:
            return False
        counts = {c["id"]: c for c in results["answer_counts"]}
        entry = counts.setdefault(answer_id, {"id": answer_id, "count": 0, "me_voted": False})
        entry["count"] = max(0, entry["count"] + (1 if added else -1))
        results["answer_counts"] = sorted(counts.values(), key=lambda c: c["id"])
        if not (self.identify or {}).get("intents", 0) & GUILD_MESSAGE_POLLS:
            return False
        event = "MESSAGE_POLL_VOTE_ADD" if added else "MESSAGE_POLL_VOTE_REMOVE"
        data = {"user_id": user_id, "channel_id": msg["channel_id"], "message_id": message_id, "guild_id": GUILD_ID}
        await self.dispatch(event, {**data, "answer_id": answer_id})
        return True

    async def _op_patch_channels_messages(self, p: dict[str, str], body: Any) -> web.Response:
        msg = self.messages.get(p["message_id"])
        if msg is None:
            return _json({"code": 10008, "message": "Unknown Message"}, status=404)
        msg.update({k: v for k, v in body.items() if k in ("content", "embeds", "components")}, edited_timestamp=iso(self.now()))
        return _json(msg)

    async def _op_delete_channels_messages(self, p: dict[str, str], body: Any) -> web.Response:
        if self.messages.pop(p["message_id"], None) is None:
            return _json({"code": 10008, "message": "Unknown Message"}, status=404)
        return web.Response(status=204)

    async def _op_put_channels_messages_pins(self, p: dict[str, str], body: Any) -> web.Response:
        if (refused := self._refused(p["channel_id"], PIN_MESSAGES)) is not None:
            return refused
        pins = self.pins.setdefault(p["channel_id"], [])
        if p["message_id"] not in pins:
            if len(pins) >= 50:
                return _json({"code": 30003, "message": "Maximum number of pins reached (50)"}, status=400)
            pins.append(p["message_id"])
        return web.Response(status=204)

    async def _op_delete_channels_messages_pins(self, p: dict[str, str], body: Any) -> web.Response:
        if (refused := self._refused(p["channel_id"], PIN_MESSAGES)) is not None:
            return refused
        pins = self.pins.setdefault(p["channel_id"], [])
        if p["message_id"] in pins:
            pins.remove(p["message_id"])
        return web.Response(status=204)

    async def _op_get_channels_messages_pins(self, p: dict[str, str], body: Any) -> web.Response:
        items = [
            {"pinned_at": iso(self.now()), "message": self.messages.get(m) or self.message(p["channel_id"], OWNER, "", id=m)}
            for m in reversed(self.pins.get(p["channel_id"], []))  # newest first, as Discord lists them
        ]
        return _json({"items": items, "has_more": False})

    async def _op_post_users_me_channels(self, p: dict[str, str], body: Any) -> web.Response:
        user_id = str(body["recipient_id"])
        if user_id not in self.users:
            return _json({"code": 50033, "message": "Invalid Recipient(s)"}, status=400)
        channel = next((c for c, u in self.dm_channels.items() if u == user_id), None) or self.snowflake()
        self.dm_channels[channel] = user_id
        return _json({"id": channel, "type": 1, "recipients": [self.users[user_id]], "last_message_id": None})

    async def _op_get_guilds_members(self, p: dict[str, str], body: Any) -> web.Response:
        """One member, or (List Guild Members) every member still in the server, by id (one page: under 1,000 here)."""
        if "user_id" in p:
            return _json(self.member(p["user_id"]))
        if not int((self.identify or {}).get("intents", 0)) & GUILD_MEMBERS:  # a privileged intent the app must have
            return _json({"code": 50001, "message": "Missing Access"}, status=403)
        inside = sorted((u for u in self.users if u not in self.kicked and u not in self.bans), key=int)
        return _json([self.member(u) for u in inside])

    async def _op_patch_guilds_members(self, p: dict[str, str], body: Any) -> web.Response:
        if "communication_disabled_until" in body:
            until = body["communication_disabled_until"]
            if until is None:
                self.timeouts.pop(p["user_id"], None)
            else:
                self.timeouts[p["user_id"]] = until
        return _json({**self.member(p["user_id"]), **body})

    def timed_out(self, user_id: str) -> bool:
        """Discord lets no timed-out member use a button, a menu or a command in the server."""
        until = self.timeouts.get(user_id)
        return until is not None and datetime.fromisoformat(until) > self.now()

    async def _op_put_guilds_members_roles(self, p: dict[str, str], body: Any) -> web.Response:
        return self._member_role(p, add=True)

    async def _op_delete_guilds_members_roles(self, p: dict[str, str], body: Any) -> web.Response:
        return self._member_role(p, add=False)

    def _member_role(self, p: dict[str, str], add: bool) -> web.Response:
        """As Discord: Manage Roles, and only roles below the bot's highest (not @everyone, not managed ones)."""
        if not self.bot_permissions & MANAGE_ROLES:
            return _json({"code": 50013, "message": "Missing Permissions"}, status=403)
        role = p["role_id"]
        listed = {r["id"]: r for r in self._guild()["roles"]}
        if role not in listed:
            return _json({"code": 10011, "message": "Unknown Role"}, status=404)
        if role == GUILD_ID or listed[role]["managed"]:  # @everyone, and the bot's own (managed) role
            return _json({"code": 50013, "message": "Missing Permissions"}, status=403)
        own = max(listed[r]["position"] for r in [BOT_ROLE, *self.member_roles.get(BOT_ID, [])] if r in listed)
        if listed[role]["position"] >= own:  # the role hierarchy: a bot manages only roles below its own
            return _json({"code": 50013, "message": "Missing Permissions"}, status=403)
        roles = self.member_roles.setdefault(p["user_id"], [])
        if add and role not in roles:
            roles.append(role)
        elif not add and role in roles:
            roles.remove(role)
        return web.Response(status=204)

    async def _op_delete_guilds_members(self, p: dict[str, str], body: Any) -> web.Response:
        self.kicked.add(p["user_id"])
        self._after_reply(("GUILD_MEMBER_REMOVE", {"guild_id": p["guild_id"], "user": self.users[p["user_id"]]}))
        return web.Response(status=204)

    async def _op_put_guilds_bans(self, p: dict[str, str], body: Any) -> web.Response:
        if p["user_id"] in self.bans:  # banned already: nothing changes, nothing is dispatched
            return web.Response(status=204)
        self.bans.add(p["user_id"])
        # As Discord does: the member's removal and the ban both reach the gateway (the removal first here,
        # the harder order for the bot: it must not take its own ban for a leave).
        user = self.users[p["user_id"]]
        where = {"guild_id": p["guild_id"], "user": user}
        self._after_reply(("GUILD_MEMBER_REMOVE", where), ("GUILD_BAN_ADD", where))
        return web.Response(status=204)

    # ---- guild scheduled events -------------------------------------------
    def _invalid(self, errors: dict[str, str]) -> web.Response:
        """Discord's 400 Invalid Form Body (50035), naming each field's problem."""
        named = {k: {"_errors": [{"code": "BASE_TYPE_INVALID", "message": v}]} for k, v in errors.items()}
        return _json({"code": 50035, "message": "Invalid Form Body", "errors": named}, status=400)

    def _event_problems(self, ev: dict[str, Any], *, creating: bool) -> dict[str, str]:
        """What Discord refuses in a scheduled event (the whole event, after a PATCH is applied)."""
        out: dict[str, str] = {}
        if not 1 <= len(ev.get("name") or "") <= 100:
            out["name"] = "Must be between 1 and 100 in length."
        if len(ev.get("description") or "") > 1000:
            out["description"] = "Must be 1000 or fewer in length."
        if ev.get("privacy_level") != 2:
            out["privacy_level"] = "Value must be GUILD_ONLY (2)."
        start = datetime.fromisoformat(ev["scheduled_start_time"]) if ev.get("scheduled_start_time") else None
        end = datetime.fromisoformat(ev["scheduled_end_time"]) if ev.get("scheduled_end_time") else None
        if start is None:
            out["scheduled_start_time"] = "This field is required"
        elif creating and start <= self.now():
            out["scheduled_start_time"] = "Cannot schedule event in the past."
        if ev.get("entity_type") == 3:
            location = (ev.get("entity_metadata") or {}).get("location") or ""
            if not 1 <= len(location) <= 100:
                out["entity_metadata"] = "An external event needs a location of 1 to 100 characters."
            if end is None:
                out["scheduled_end_time"] = "An external event needs an end time."
            if ev.get("channel_id") is not None:
                out["channel_id"] = "An external event has no channel."
        if start is not None and end is not None and end <= start:
            out["scheduled_end_time"] = "Must be after the start time."
        return out

    def _events_refused(self, event: dict[str, Any] | None = None) -> web.Response | None:
        """50013 unless the bot may: Create Events for its own events (and new ones), Manage Events for anyone's."""
        perms = self.permissions_in("")
        own = event is None or event.get("creator_id") == BOT_ID
        if perms & MANAGE_EVENTS or (own and perms & CREATE_EVENTS):
            return None
        return _json({"code": 50013, "message": "Missing Permissions"}, status=403)

    def scheduled_event(self, creator: str, **fields: Any) -> dict[str, Any]:
        """A scheduled event as Discord keeps it (a manager's, made in the client, when ``creator`` is not the bot)."""
        event: dict[str, Any] = {
            "id": self.snowflake(),
            "guild_id": GUILD_ID,
            "channel_id": None,
            "creator_id": creator,
            "creator": self.users[creator],
            "description": None,
            "entity_id": None,
            "image": None,
            "status": EVENT_SCHEDULED,
            "user_count": 0,
            "recurrence_rule": None,
            **fields,
        }
        self.scheduled_events[event["id"]] = event
        return event

    async def interested(self, user_id: str, event_id: str, *, added: bool = True) -> None:
        """A member presses "Interested" on a scheduled event in the client (or takes it back)."""
        event = self.scheduled_events[event_id]
        event["user_count"] += 1 if added else -1
        name = "GUILD_SCHEDULED_EVENT_USER_ADD" if added else "GUILD_SCHEDULED_EVENT_USER_REMOVE"
        await self.dispatch(name, {"guild_scheduled_event_id": event_id, "user_id": user_id, "guild_id": GUILD_ID})

    async def create_in_client(self, creator: str, **fields: Any) -> dict[str, Any]:
        """A manager makes a scheduled event in the client; the bot hears GUILD_SCHEDULED_EVENT_CREATE."""
        event = self.scheduled_event(creator, **fields)
        await self.dispatch("GUILD_SCHEDULED_EVENT_CREATE", event)
        return event

    async def _op_post_guilds_scheduled_events(self, p: dict[str, str], body: Any) -> web.Response:
        if (refused := self._events_refused()) is not None:
            return refused
        if problems := self._event_problems(body, creating=True):
            return self._invalid(problems)
        event = self.scheduled_event(BOT_ID, **body)
        self._after_reply(("GUILD_SCHEDULED_EVENT_CREATE", event))
        return _json(event)

    async def _op_get_guilds_scheduled_events(self, p: dict[str, str], body: Any) -> web.Response:
        if "guild_scheduled_event_id" not in p:
            return _json(list(self.scheduled_events.values()))
        event = self.scheduled_events.get(p["guild_scheduled_event_id"])
        return _json(event) if event is not None else _json({"code": 10070, "message": "Unknown Guild Scheduled Event"}, 404)

    async def _op_patch_guilds_scheduled_events(self, p: dict[str, str], body: Any) -> web.Response:
        event = self.scheduled_events.get(p["guild_scheduled_event_id"])
        if event is None:
            return _json({"code": 10070, "message": "Unknown Guild Scheduled Event"}, 404)
        if (refused := self._events_refused(event)) is not None:
            return refused
        if event["status"] in (EVENT_COMPLETED, EVENT_CANCELED):
            return self._invalid({"status": "A finished or cancelled event cannot be changed."})
        if event["status"] == EVENT_ACTIVE and "scheduled_start_time" in body:
            return self._invalid({"scheduled_start_time": "An active event cannot be moved."})
        changed = {**event, **body}
        moved = body.get("scheduled_start_time") not in (None, event.get("scheduled_start_time"))
        if problems := self._event_problems(changed, creating=moved):
            return self._invalid(problems)
        event.update(body)
        self._after_reply(("GUILD_SCHEDULED_EVENT_UPDATE", event))
        return _json(event)

    async def _op_delete_guilds_scheduled_events(self, p: dict[str, str], body: Any) -> web.Response:
        event = self.scheduled_events.get(p["guild_scheduled_event_id"])
        if event is None:
            return _json({"code": 10070, "message": "Unknown Guild Scheduled Event"}, 404)
        if (refused := self._events_refused(event)) is not None:
            return refused
        del self.scheduled_events[event["id"]]
        self._after_reply(("GUILD_SCHEDULED_EVENT_DELETE", event))
        return web.Response(status=204)

    def _after_reply(self, *dispatches: tuple[str, dict[str, Any]]) -> None:
        """Gateway events a REST call causes, sent once its answer is on the way."""

        async def send() -> None:
            await asyncio.sleep(0)
            for event, data in dispatches:
                if self._ws is not None and not self._ws.closed:
                    await self.dispatch(event, data)

        task = asyncio.get_running_loop().create_task(send())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def _op_delete_guilds_bans(self, p: dict[str, str], body: Any) -> web.Response:
        self.bans.discard(p["user_id"])
        return web.Response(status=204)

    async def _op_post_interactions_callback(self, p: dict[str, str], body: Any) -> web.Response:
        data = body.get("data") or {}
        if p["interaction_id"] in self.acknowledged:
            return _json({"code": 40060, "message": "Interaction has already been acknowledged."}, 400)
        if body["type"] == 9:
            if self.interaction_kinds.get(p["interaction_id"]) == 5:
                return self._invalid({"type": "A modal cannot answer a modal submission."})
            self.modals[p["interaction_id"]] = data
        self.acknowledged.add(p["interaction_id"])
        interaction: dict[str, Any] = {"id": p["interaction_id"], "type": 2, "response_message_loading": body["type"] == 5}
        out: dict[str, Any] = {"interaction": interaction}
        if body["type"] == 4:
            msg = self.message(
                self.interaction_channels.get(p["interaction_id"], GENERAL),
                BOT_ID,
                data.get("content") or "",
                embeds=data.get("embeds") or [],
                flags=data.get("flags") or 0,
            )
            interaction["response_message_id"] = msg["id"]
            self.posted.append(msg)
            out["resource"] = {"type": 4, "message": msg}
        return _json(out)

    async def _op_post_webhooks(self, p: dict[str, str], body: Any) -> web.Response:
        msg = self.message(GENERAL, BOT_ID, body.get("content") or "", embeds=body.get("embeds") or [], webhook_id=APP_ID)
        self.posted.append(msg)
        return _json(msg)

    async def _op_delete_webhooks_messages_original(self, p: dict[str, str], body: Any) -> web.Response:
        return web.Response(status=204)

    # ---- gateway ----------------------------------------------------------

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._ws = ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45_000}})
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            data = json.loads(msg.data)
            if data["op"] == 1:
                await ws.send_json({"op": 11})
            elif data["op"] == 2:
                self.identify = data["d"]
                if self.close_on_identify is not None:
                    await ws.close(code=self.close_on_identify)
                    break
                await self.dispatch(
                    "READY",
                    {
                        "v": 10,
                        "user": self.users[BOT_ID],
                        "guilds": [{"id": GUILD_ID, "unavailable": True}],
                        "session_id": "fake-session",
                        "resume_gateway_url": self.url.replace("http", "ws") + "/gateway",
                        "application": {"id": APP_ID, "flags": 0},
                    },
                )
                await self.dispatch("GUILD_CREATE", self.guild())
                self.connected.set()
        return ws

    def reaction(self, user_id: str, message: dict[str, Any], emoji: str, *, remove: bool = False) -> tuple[str, dict[str, Any]]:
        """A member's reaction as Discord dispatches it: the add carries the member and the message's author."""
        data: dict[str, Any] = {
            "user_id": user_id,
            "channel_id": message["channel_id"],
            "message_id": message["id"],
            "guild_id": GUILD_ID,
            "emoji": {"id": None, "name": emoji},
            "burst": False,
            "type": 0,
        }
        if remove:
            return "MESSAGE_REACTION_REMOVE", data
        data.update(member=self.member(user_id), message_author_id=message["author"]["id"])
        return "MESSAGE_REACTION_ADD", data

    def sends(self, event: str) -> bool:
        """Whether Discord sends this dispatch to the client, given the intents it identified with."""
        need = INTENT_OF.get(event)
        intents = int((self.identify or {}).get("intents", 0))
        return need is None or bool(intents & need)

    async def dispatch(self, event: str, data: dict[str, Any]) -> None:
        """Send one gateway dispatch (``op 0``) to the connected client (none it did not ask for with its intents)."""
        if self._ws is None:
            raise RuntimeError("no client is connected to the fake gateway")
        if not self.sends(event):
            return
        await self._ws.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})


async def _read_multipart(request: web.Request) -> tuple[Any, list[Upload]]:
    """``payload_json`` and the file parts of a multipart/form-data request, as Discord reads them."""
    payload: Any = None
    files: list[Upload] = []
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            continue
        if part.name == "payload_json":
            payload = json.loads(await part.text())
        else:
            files.append(Upload(part.name or "", part.filename or "", bytes(await part.read())))
    return payload, files


def _error_for(fault: Fault) -> web.Response:
    """Discord's JSON error body for a failed status (a 429 is made with its bucket's headers, in ``_rest``)."""
    return _json({"code": 0, "message": f"{fault.status}: {fault.description}"}, status=fault.status or 500)


def _op_name(method: str, template: str) -> str:
    parts = [s for s in template.strip("/").split("/") if not s.startswith("{")]
    return method.lower() + "_" + "_".join(s.replace("@", "").replace("-", "_") for s in parts)


def _path_params(template: str, path: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for t, v in zip(template.strip("/").split("/"), path.strip("/").split("/"), strict=False):
        if t.startswith("{"):
            out[t[1:-1]] = v
    return out


def _json(data: Any, status: int = 200) -> web.Response:
    """A JSON answer with Discord's exact content type (discord.py parses only ``application/json``)."""
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})
