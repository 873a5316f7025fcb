"""A fake Telegram Bot API server (aiohttp, port 0) that the real aiogram ``Bot`` talks to over HTTP.

Every request is checked against the published spec
(``../shared/specs/telegram-bot-api.json`` beside the repository): known method,
required fields present, no unknown fields, values of the right type (form fields
are strings; objects and arrays are JSON), message text and caption length, HTML
that Telegram would parse, and uploads (multipart parts named by ``attach://``). A request that fails a check is answered 400 like
Telegram does, and recorded in ``violations`` (the fixture fails the test).

It behaves like Telegram where the bot's design depends on it: 403 for a DM
to a user who never started the bot (or asked to join within 5 minutes, until
the request is answered), 429 with ``retry_after`` when a group gets more than
20 messages a minute or the bot sends more than 30 a second, a
``message_thread_id`` only for a topic of that chat, an ``until_date`` under
30 s or over 366 days ahead taken as forever, "message is not modified" for an
edit that changes nothing, a button press answered once and within 15 s, only
the newest pin in ``getChat``, admins never restricted (nor the owner banned),
no deletion of a message 48 hours old, long polling on ``getUpdates``, and
injected faults (5xx, dropped connections). Dates are on ``unix``, Telegram's
wall clock (the bot's virtual clock in the fixture); pacing on ``time``.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import math
import re
import time as wall_clock
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.timing import Timer
from tests import faults
from tests.faults import Fault, FaultPlan
from tests.platform_models import telegram_document


def shared_dir() -> Path:
    """``shared/`` beside the repository root (how CI lays it out); from a git worktree, beside its main checkout."""
    root = Path(__file__).resolve().parents[2]
    candidates = [root.parent / "shared"]
    git = root / ".git"
    if git.is_file():  # a worktree: ".git" says "gitdir: <main>/.git/worktrees/<name>"
        gitdir = Path(git.read_text(encoding="utf-8").partition(":")[2].strip())
        candidates.append(gitdir.parents[2].parent / "shared")
    return next((c for c in candidates if c.is_dir()), candidates[0])


SPEC_PATH = shared_dir() / "specs" / "telegram-bot-api.json"
SPEC_PRESENT = SPEC_PATH.is_file()  # absent on a clone with nothing beside it: aiogram's models stand in

# The spec is Bot API 10.1; aiogram 3.31 speaks 10.3. Request fields that aiogram's 10.3 models add to a
# method are accepted explicitly here, per method, instead of loosening the unknown-field check. (The adapter
# sends none of them today; they are listed so a scenario using them fails for a real reason, not the version.)
NEWER_FIELDS: dict[str, set[str]] = {
    "sendMessage": {"ephemeral_message_parameters", "receiver_user_id", "callback_query_id"},  # aiogram 3.31 SendMessage
}

JOIN_REQUEST_DM_WINDOW = 300.0  # seconds after a join request in which the bot may write to the person first
CALLBACK_TTL = 15.0  # seconds a button press can be answered (the client gives up waiting; Telegram then refuses)
DELETE_WINDOW = 48 * 3600  # a message can be deleted only while younger than this (deleteMessage in the spec)
FOREVER_BELOW, FOREVER_ABOVE = 30, 366 * 86400  # until_date closer or further ahead than this means forever
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"

# Answers must also satisfy aiogram's 10.3 models: fields 10.2/10.3 made required, added explicitly.
NEWER_RESPONSE_FIELDS: dict[str, dict[str, Any]] = {
    "ChatMemberAdministrator": {"can_send_welcome_messages": True},  # required in aiogram 3.31 (Bot API 10.3)
}

ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
    "tg-time",  # the date_time entity (Bot API 9.5); refused below when the spec in use has no such entity
}
_DATE_TIME_FORMAT = re.compile(r"r|w?[dD]?[tT]?")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
_TOKEN = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-z-]+=\"[^\"<>]*\")*)\s*>|&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|([<&])")


@cache
def spec() -> dict[str, Any]:
    if not SPEC_PRESENT:
        return telegram_document()
    return json.loads(SPEC_PATH.read_text(encoding="utf-8"))


def poll_limits() -> tuple[int, int]:
    """How many options sendPoll takes, as the spec says ("A JSON-serialized list of 1-12 answer options")."""
    fields = {f["name"]: f for f in spec()["methods"]["sendPoll"]["fields"]}
    desc = fields["options"]["description"]
    m = re.search(r"(\d+)-(\d+) answer options", desc if isinstance(desc, str) else " ".join(desc))
    return (int(m.group(1)), int(m.group(2))) if m else (2, 10)  # Bot API 7 to 9's limits without the spec


def tag_limit() -> int:
    """How long a member tag may be, as the spec says ("New tag for the member; 0-16 characters, emoji are not allowed")."""
    fields = {f["name"]: f for f in spec()["methods"]["setChatMemberTag"]["fields"]}
    desc = fields["tag"]["description"]
    m = re.search(r"0-(\d+) characters", desc if isinstance(desc, str) else " ".join(desc))
    return int(m.group(1)) if m else 16


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> str:
    """The visible text of Telegram HTML; raises ValueError where Telegram answers "can't parse entities"."""
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        out.append(text[pos : m.start()])
        pos = m.end()
        if m.group(5):
            raise ValueError(f"unescaped {m.group(5)!r} at byte offset {m.start()}")
        if m.group(4):
            out.append(html.unescape(m.group(0)))
            continue
        closing, tag = m.group(1), m.group(2).lower()
        if tag not in ALLOWED_TAGS:
            raise ValueError(f"unsupported start tag {tag!r} at byte offset {m.start()}")
        if closing:
            if not stack or stack[-1] != tag:
                raise ValueError(f"unexpected end tag {tag!r} at byte offset {m.start()}")
            stack.pop()
        else:
            if tag == "a" and 'href="' not in (m.group(3) or ""):
                raise ValueError("a link without href")
            if tag == "tg-time":
                _check_date_time(dict(_ATTR.findall(m.group(3) or "")))
            stack.append(tag)
    out.append(text[pos:])
    if stack:
        raise ValueError(f"unclosed tag {stack[-1]!r}")
    return "".join(out)


def date_time_entity() -> bool:
    """Whether the Bot API in use has the ``date_time`` entity (the spec's MessageEntity says so)."""
    fields = {f["name"] for f in spec()["types"]["MessageEntity"]["fields"]}
    return "unix_time" in fields and "date_time_format" in fields


def _check_date_time(attrs: dict[str, str]) -> None:
    """``<tg-time unix="..." format="...">``: as Telegram parses it, a Unix time and a format ``r|w?[dD]?[tT]?``."""
    if not date_time_entity():
        raise ValueError("unsupported start tag 'tg-time'")
    if not attrs.get("unix", "").isdigit():
        raise ValueError("tg-time needs a unix attribute with a Unix time")
    if "format" in attrs and not _DATE_TIME_FORMAT.fullmatch(attrs["format"]):
        raise ValueError(f"invalid date_time format {attrs['format']!r}")


# ---- spec checks -------------------------------------------------------------


def _json_matches(value: Any, typename: str, path: str, errors: list[str]) -> bool:
    """Does a JSON value match a spec type name? Appends the reason when it does not."""
    if typename.startswith("Array of "):
        if not isinstance(value, list):
            errors.append(f"{path}: expected an array")
            return False
        return all(_json_matches(v, typename[len("Array of ") :], f"{path}[{i}]", errors) for i, v in enumerate(value))
    simple = {
        "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "Boolean": lambda v: isinstance(v, bool),
        "String": lambda v: isinstance(v, str),
        "True": lambda v: v is True,
    }
    if typename in simple:
        if not simple[typename](value):
            errors.append(f"{path}: expected {typename}, got {value!r}")
            return False
        return True
    if typename == "InputFile":
        return isinstance(value, str)
    t = spec()["types"].get(typename)
    if t is None:
        errors.append(f"{path}: unknown type {typename}")
        return False
    if "subtypes" in t:
        for sub in t["subtypes"]:
            trial: list[str] = []
            if _object_matches(value, sub, path, trial):
                return True
        errors.append(f"{path}: matches none of {typename}'s kinds")
        return False
    return _object_matches(value, typename, path, errors)


def _object_matches(value: Any, typename: str, path: str, errors: list[str]) -> bool:
    t = spec()["types"][typename]
    if "subtypes" in t:
        return _json_matches(value, typename, path, errors)
    if not isinstance(value, dict):
        errors.append(f"{path}: expected a {typename} object")
        return False
    fields = {f["name"]: f for f in t.get("fields", [])}
    ok = True
    for k in value:
        if k not in fields:
            errors.append(f"{path}.{k}: not a field of {typename}")
            ok = False
    for name, f in fields.items():
        if name not in value:
            if f["required"]:
                errors.append(f"{path}.{name}: required in {typename}")
                ok = False
            continue
        trials: list[str] = []
        if f["types"] and not any(_json_matches(value[name], tn, f"{path}.{name}", trials) for tn in f["types"]):
            errors.extend(trials[:1])
            ok = False
    # Abstract kinds (scopes, chat members) name their kind in "type"/"status": "must be X" in the spec.
    for name in ("type", "status", "source"):
        f = fields.get(name)
        if f is not None and name in value:
            desc = f["description"] if isinstance(f["description"], str) else " ".join(f["description"])
            m = re.search(r"must be (\w+)", desc)
            if m and value[name] != m.group(1):
                errors.append(f"{path}.{name}: {typename} needs {m.group(1)!r}")
                ok = False
    return ok


def _form_matches(raw: str, typename: str, path: str, errors: list[str]) -> bool:
    """A form field (always a string) against a spec type: scalars as text, the rest as JSON."""
    if typename == "Integer":
        if re.fullmatch(r"-?\d+", raw):
            return True
        errors.append(f"{path}: expected Integer, got {raw!r}")
        return False
    if typename == "Float":
        try:
            float(raw)
            return True
        except ValueError:
            errors.append(f"{path}: expected Float, got {raw!r}")
            return False
    if typename == "Boolean":
        if raw in ("true", "false"):
            return True
        errors.append(f"{path}: expected Boolean, got {raw!r}")
        return False
    if typename in ("String", "InputFile"):
        return True
    try:
        value = json.loads(raw)
    except ValueError:
        errors.append(f"{path}: expected JSON for {typename}")
        return False
    return _json_matches(value, typename, path, errors)


CAPTIONED = ("sendDocument", "sendPhoto")
# Updates Telegram sends only to a bot that asked for them in ``allowed_updates`` and is an admin of the chat.
REACTION_UPDATES = ("message_reaction", "message_reaction_count")
_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")  # what Telegram can process as a photo here: PNG, JPEG


@dataclass(frozen=True)
class Upload:
    """A file part of a multipart request."""

    filename: str
    data: bytes
    content_type: str


def _visible(method: str, name: str, params: dict[str, str], errors: list[str]) -> str:
    text = params[name]
    if params.get("parse_mode", "").upper() == "HTML":
        try:
            return parse_html(text)
        except ValueError as exc:
            errors.append(f"{method}.{name}: can't parse entities: {exc}")
    return text


def check_request(method: str, params: dict[str, str], files: dict[str, Upload] | None = None) -> list[str]:
    """Everything wrong with a call, as Telegram (and its spec) would see it."""
    m = spec()["methods"].get(method)
    if m is None:
        return [f"{method}: no such method in Bot API {spec()['version']}"]
    errors: list[str] = []
    fields = {f["name"]: f for f in m.get("fields", [])}
    for k in params:
        if k not in fields and k not in NEWER_FIELDS.get(method, set()):
            errors.append(f"{method}.{k}: unknown field")
    for name, f in fields.items():
        if name not in params:
            if f["required"]:
                errors.append(f"{method}.{name}: required field missing")
            continue
        trials: list[str] = []
        if f["types"] and not any(_form_matches(params[name], tn, f"{method}.{name}", trials) for tn in f["types"]):
            errors.extend(trials[:1])
    errors.extend(_check_uploads(method, fields, params, files or {}))
    if method in ("sendMessage", "editMessageText") and "text" in params:
        text = _visible(method, "text", params, errors)
        if utf16_len(text.strip()) == 0 or utf16_len(text) > 4096:
            errors.append(f"{method}.text: must be 1-4096 characters after entities parsing (got {utf16_len(text)})")
    if method in CAPTIONED and "caption" in params:
        caption = _visible(method, "caption", params, errors)
        if utf16_len(caption) > 1024:
            errors.append(f"{method}.caption: must be 0-1024 characters after entities parsing (got {utf16_len(caption)})")
    return errors


def _check_uploads(method: str, fields: dict[str, Any], params: dict[str, str], files: dict[str, Upload]) -> list[str]:
    """``attach://<part>`` must name a file part, only in InputFile fields; every file part must be named."""
    errors: list[str] = []
    named: set[str] = set()
    for name, value in params.items():
        if not value.startswith("attach://"):
            continue
        part = value[len("attach://") :]
        named.add(part)
        if "InputFile" not in fields.get(name, {}).get("types", ()):
            errors.append(f"{method}.{name}: takes no upload")
        elif part not in files:
            errors.append(f"{method}.{name}: names the file part {part!r}, which was not sent")
        elif not files[part].data:
            errors.append(f"{method}.{name}: the file is empty")
    for part in files:
        if part not in named:
            errors.append(f"{method}: file part {part!r} is not named by any field (attach://{part})")
    return errors


# ---- the server ------------------------------------------------------------------


@dataclass
class Call:
    method: str
    params: dict[str, Any]  # JSON fields decoded
    status: int = 0  # the HTTP status the fake answered (0: connection dropped)
    files: dict[str, Upload] = field(default_factory=dict)  # multipart file parts, by part name
    at: float = 0.0  # when it arrived, on the fake's time

    def upload(self, name: str) -> Upload:
        """The file sent in field ``name`` (``attach://<part>``)."""
        return self.files[self.params[name].removeprefix("attach://")]

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


class FakeTime:
    """Monotonic time that moves only when the code under test sleeps: shared by the bot's flow control and the fake."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += max(0.0, seconds)
        await asyncio.sleep(0)


@dataclass
class FakeTelegram:
    """The fake server's state; ``url`` is set once started."""

    time: Timer = field(default_factory=FakeTime)  # the shared fake time; a RealTimer for benches in real time
    bot_user: dict[str, Any] = field(
        default_factory=lambda: {"id": 5000001, "is_bot": True, "first_name": "Town Bot", "username": "town_test_bot"}
    )
    per_group_minute: int = 20
    per_second: int = 30
    url: str = ""
    chats: dict[int, dict[str, Any]] = field(default_factory=dict)
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    admins: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    join_requests: dict[tuple[int, int], float] = field(default_factory=dict)  # (chat, user) -> when asked, until answered
    older_server: bool = False  # a self-hosted Bot API server one version behind: answers lack the newest fields
    started: set[int] = field(default_factory=set)
    topics: dict[int, set[int]] = field(default_factory=dict)  # forum chat id -> its topics' message_thread_ids
    topic_names: dict[tuple[int, int], str] = field(default_factory=dict)  # (chat, thread) -> name, of topics the bot made
    closed_topics: set[tuple[int, int]] = field(default_factory=set)  # (chat, thread)
    calls: list[Call] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    messages: dict[tuple[int, int], dict[str, Any]] = field(default_factory=dict)
    pinned: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    faults: FaultPlan = field(default_factory=FaultPlan)  # injected failures (tests/faults.py)
    commands: dict[tuple[str, str | None], list[dict[str, Any]]] = field(default_factory=dict)
    webhook: dict[str, Any] = field(default_factory=dict)
    deleted: list[tuple[int, int]] = field(default_factory=list)  # (chat id, message id), in order
    posted: list[dict[str, Any]] = field(default_factory=list)  # every message the bot posted, in order (even if deleted later)
    throttled: int = 0
    conflicts: int = 0  # long polls ended with 409 by a newer one (two copies of the bot polling)
    allowed_updates: set[str] = field(default_factory=set)  # as the bot last asked (getUpdates / setWebhook)
    token: str | None = None  # set: every other token is answered 401 Unauthorized, as Telegram does
    # The bot's administrator rights per chat, beyond (or instead of) the full set: {"can_manage_tags": False}.
    bot_rights: dict[int, dict[str, bool]] = field(default_factory=dict)
    tags: dict[tuple[int, int], str] = field(default_factory=dict)  # (chat, user) -> member tag (setChatMemberTag)
    # Telegram's wall clock (Unix seconds): message dates, until_date, the 48-hour deletion window. The
    # telegram_bot fixture sets it to the bot's virtual clock; ``time`` above is the monotonic pacing time.
    unix: Callable[[], float] = wall_clock.time
    members: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))  # chat -> users seen in it
    restricted: dict[tuple[int, int], float | None] = field(default_factory=dict)  # (chat, user) -> until (None: forever)
    banned: dict[tuple[int, int], float | None] = field(default_factory=dict)  # (chat, user) -> until (None: forever)
    callbacks: dict[str, float] = field(default_factory=dict)  # button presses not yet answered -> when (``time``)

    def __post_init__(self) -> None:
        self._updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(lambda: itertools.count(100))
        self._cond = asyncio.Condition()
        self._polls = 0  # getUpdates calls so far: the newest is the one long poll Telegram keeps
        self._answered = asyncio.Condition()
        self._sent_group: dict[int, deque[float]] = defaultdict(deque)
        self._sent_all: deque[float] = deque()
        self._closing = False
        self._released = asyncio.Event()  # set on close: requests held by a timeout fault end
        self._runner: web.AppRunner | None = None
        self.polls: dict[str, dict[str, Any]] = {}  # poll id -> the Poll object, as sent in the message
        self._answers: dict[str, dict[int, list[int]]] = {}  # poll id -> user id -> chosen options
        self._poll_ids = itertools.count(1)

    # ---- setting the scene ----
    def add_chat(self, chat_id: int, title: str, *, kind: str = "supergroup", username: str | None = None, forum: bool = False) -> dict:
        chat: dict[str, Any] = {"id": chat_id, "type": kind, "title": title}
        if username:
            chat["username"] = username
        if forum:
            chat["is_forum"] = True
            self.topics.setdefault(chat_id, set())
        self.chats[chat_id] = chat
        return chat

    def add_user(
        self, user_id: int, first_name: str, *, username: str | None = None, language: str | None = "en", started: bool = False
    ) -> dict:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language:
            user["language_code"] = language
        self.users[user_id] = user
        if started:
            self.started.add(user_id)
        return user

    def fail_next(self, method: str, status: int | None = 500, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` fail: an HTTP status, or ``None`` to drop the connection."""
        self.faults.fail_next(method, Fault(status), times)

    async def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; returns its update_id."""
        update = {"update_id": next(self._update_ids), **update}
        msg = update.get("message")
        if isinstance(msg, dict) and isinstance(msg.get("message_thread_id"), int) and msg.get("chat", {}).get("is_forum"):
            self.topics.setdefault(msg["chat"]["id"], set()).add(msg["message_thread_id"])  # a topic members post in exists
        press = update.get("callback_query")
        if isinstance(press, dict):  # a press can be answered once, within CALLBACK_TTL
            self.callbacks[press["id"]] = self.time.now()
        self._saw_members(update)
        request = update.get("chat_join_request")
        if isinstance(request, dict):  # the bot may write to whoever asks, for a few minutes, until it answers
            self.join_requests[(request["chat"]["id"], request["from"]["id"])] = self.time.now()
        if isinstance(msg, dict) and "chat" in msg:  # members' messages exist too: the bot may delete or pin them
            self.messages[(msg["chat"]["id"], msg["message_id"])] = {**msg, "html": msg.get("text", ""), "reply_markup": None}
            if msg["chat"].get("type") == "private":
                self.started.add(msg["chat"]["id"])  # writing to the bot (Start included) lets it write back
        async with self._cond:
            self._updates.append(update)
            self._cond.notify_all()
        return update["update_id"]

    def _saw_members(self, update: dict[str, Any]) -> None:
        """Who is in a chat, as far as its updates tell: authors of its messages, members who joined or changed."""
        msg = update.get("message")
        if isinstance(msg, dict) and "from" in msg and "chat" in msg and msg["chat"].get("type") != "private":
            self.members[msg["chat"]["id"]].add(msg["from"]["id"])
        change = update.get("chat_member")
        if isinstance(change, dict):
            chat, user = change["chat"]["id"], change["new_chat_member"]["user"]["id"]
            if change["new_chat_member"]["status"] in ("left", "kicked"):
                self.members[chat].discard(user)
            else:
                self.members[chat].add(user)

    def in_chat(self, chat_id: int, user_id: int) -> bool:
        return user_id in self.members.get(chat_id, ()) or user_id in self.admins.get(chat_id, ())

    def forever_or(self, until_date: object) -> float | None:
        """When a restriction or ban ends as Telegram takes ``until_date``: ``None`` (forever) for none, 0,
        under 30 seconds ahead or over 366 days ahead of Telegram's clock."""
        until = int(str(until_date or 0))
        ahead = until - self.unix()
        return float(until) if FOREVER_BELOW <= ahead <= FOREVER_ABOVE else None

    def bot_messages(self, chat_id: int) -> list[dict[str, Any]]:
        """Messages the bot sent to a chat that still exist, as Telegram keeps them (after edits and deletions).

        Each has ``message_id``, ``text`` (visible), ``html`` and ``reply_markup`` (the buttons, or None).
        """
        bot_id = self.bot_user["id"]
        return [m for (c, _), m in sorted(self.messages.items()) if c == chat_id and m.get("from", {}).get("id") == bot_id]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """Wait until the fake has answered ``count`` calls of ``method`` (for code that runs on its own)."""

        def answered() -> list[Call]:
            return [c for c in self.calls if c.method == method and c.status]

        async with self._answered:
            await asyncio.wait_for(self._answered.wait_for(lambda: len(answered()) >= count), timeout)
        return answered()

    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[Call]:
        return [c for c in self.calls if c.method == method and (chat_id is None or int(c.params.get("chat_id", 0)) == chat_id)]

    def texts(self, chat_id: int | None = None) -> list[str]:
        """Visible texts of the messages Telegram accepted (HTML parsed)."""
        delivered = [c for c in self.sent("sendMessage", chat_id) if c.status == 200]
        return [parse_html(c["text"]) if c.get("parse_mode") == "HTML" else c["text"] for c in delivered]

    # ---- lifecycle ----
    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        return self.url

    async def close(self) -> None:
        self._closing = True
        self._released.set()
        async with self._cond:
            self._cond.notify_all()
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- requests ----
    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if self.token is not None and request.match_info["token"] != self.token:
            self.calls.append(Call(method, {}, status=401, at=self.time.now()))
            return _error(401, "Unauthorized")
        files: dict[str, Upload] = {}
        if request.content_type == "application/json":
            raw = {k: v if isinstance(v, str) else json.dumps(v) for k, v in (await request.json()).items()}
        else:
            form = await request.post()
            raw = {}
            for k, v in form.items():
                if isinstance(v, str):
                    raw[k] = v
                elif isinstance(v, web.FileField):
                    files[k] = Upload(v.filename, v.file.read(), v.content_type)
        decoded = {k: _decode(v) for k, v in raw.items()}
        call = Call(method, decoded, files=files, at=self.time.now())
        self.calls.append(call)
        response = await self._answer(request, method, raw, decoded, files)
        call.status = response.status if isinstance(response, web.Response) else 0
        async with self._answered:
            self._answered.notify_all()
        return response

    async def _answer(
        self, request: web.Request, method: str, raw: dict[str, str], decoded: dict[str, Any], files: dict[str, Upload]
    ) -> web.StreamResponse:
        process = lambda: self._process(method, raw, decoded, files)  # noqa: E731
        return await faults.answer(request, self.faults.next(method), process, _error_for, self._released)

    async def _process(self, method: str, raw: dict[str, str], decoded: dict[str, Any], files: dict[str, Upload]) -> web.Response:
        errors = check_request(method, raw, files)
        if errors:
            self.violations.extend(errors)
            return _error(400, "Bad Request: " + "; ".join(errors))
        fn = getattr(self, "_m_" + method, None)
        if fn is None:
            return _ok(True)
        if method in CAPTIONED:
            return await fn(decoded, files)
        return await fn(decoded)

    def _throttle(self, chat_id: int) -> web.Response | None:
        """429 like Telegram: over 20 a minute into a group, or 30 a second overall."""
        now = self.time.now()
        all_ = self._sent_all
        while all_ and all_[0] <= now - 1.0:
            all_.popleft()
        if len(all_) >= self.per_second:
            self.throttled += 1
            return _error(429, "Too Many Requests: retry after 1", retry_after=1)
        if chat_id < 0:
            log = self._sent_group[chat_id]
            while log and log[0] <= now - 60.0:
                log.popleft()
            if len(log) >= self.per_group_minute:
                self.throttled += 1
                wait = max(1, math.ceil(log[0] + 60.0 - now))
                return _error(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
            log.append(now)
        all_.append(now)
        return None

    def _chat(self, chat_id: int) -> dict[str, Any] | None:
        if chat_id in self.chats:
            return self.chats[chat_id]
        if chat_id in self.users:
            u = self.users[chat_id]
            return {"id": chat_id, "type": "private", "first_name": u["first_name"]}
        return None

    async def _m_getMe(self, p: dict) -> web.Response:
        return _ok(self.bot_user)

    def _sent_to_bot(self, update: dict[str, Any]) -> bool:
        """Whether Telegram gives the bot this update: reactions only when asked for in ``allowed_updates``
        (the last list given counts; none asked: not sent) and only from chats where the bot is an admin."""
        kind = next((k for k in update if k != "update_id"), "")
        if kind not in REACTION_UPDATES:
            return True
        chat_id = update[kind].get("chat", {}).get("id")
        return kind in self.allowed_updates and self.bot_user["id"] in self.admins.get(chat_id, [])

    async def _m_getUpdates(self, p: dict) -> web.Response:
        offset = int(p.get("offset", 0) or 0)
        timeout = float(p.get("timeout", 0) or 0)
        if "allowed_updates" in p:
            self.allowed_updates = set(p["allowed_updates"] or ())
        async with self._cond:
            # One long poll at a time per bot: a newer getUpdates ends the one still waiting with 409 (Telegram's
            # answer when two copies of a bot poll one token).
            self._polls += 1
            mine = self._polls
            self._cond.notify_all()
            self._updates = [u for u in self._updates if u["update_id"] >= offset and self._sent_to_bot(u)]
            if not self._updates and timeout > 0 and not self._closing:
                try:
                    woken = lambda: bool(self._updates) or self._closing or self._polls != mine  # noqa: E731
                    await asyncio.wait_for(self._cond.wait_for(woken), timeout)
                except TimeoutError:
                    pass
                if self._polls != mine:
                    self.conflicts += 1
                    return _error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
                self._updates = [u for u in self._updates if self._sent_to_bot(u)]  # Telegram never queues the others
            return _ok(list(self._updates[:100]))

    async def _m_deleteWebhook(self, p: dict) -> web.Response:
        self.webhook = {}
        return _ok(True)

    async def _m_setWebhook(self, p: dict) -> web.Response:
        self.webhook = dict(p)
        if "allowed_updates" in p:
            self.allowed_updates = set(p["allowed_updates"] or ())
        return _ok(True)

    def _asked_lately(self, user_id: int) -> bool:
        """A join request still open, asked within the window Telegram gives the bot to write (5 minutes)."""
        now = self.time.now()
        return any(u == user_id and now - at <= JOIN_REQUEST_DM_WINDOW for (_, u), at in self.join_requests.items())

    async def _m_approveChatJoinRequest(self, p: dict) -> web.Response:
        return self._answer_request(p)

    async def _m_declineChatJoinRequest(self, p: dict) -> web.Response:
        return self._answer_request(p)

    def _answer_request(self, p: dict) -> web.Response:
        """Only an open request can be answered (once); Telegram says HIDE_REQUESTER_MISSING otherwise."""
        if self.join_requests.pop((int(p["chat_id"]), int(p["user_id"])), None) is None:
            return _error(400, "Bad Request: HIDE_REQUESTER_MISSING")
        return _ok(True)

    def _deliverable(self, chat_id: int, thread: object = None) -> web.Response | dict[str, Any]:
        """The chat to send into, or Telegram's refusal (unknown chat, a topic that is not one of this
        chat's, DM never started, over the limits)."""
        chat = self._chat(chat_id)
        if chat is None:
            return _error(400, "Bad Request: chat not found")
        if thread is not None and int(str(thread)) not in self.topics.get(chat_id, ()):
            return _error(400, "Bad Request: message thread not found")
        if chat["type"] == "private" and chat_id not in self.started and not self._asked_lately(chat_id):
            return _error(403, "Forbidden: bot can't initiate conversation with a user")
        return self._throttle(chat_id) or chat

    def _new_message(self, chat: dict[str, Any], p: dict, body: dict[str, Any], html_text: str) -> web.Response:
        chat_id = chat["id"]
        message_id = next(self._message_ids[chat_id])
        msg: dict[str, Any] = {"message_id": message_id, "date": int(self.unix()), "chat": chat, "from": self.bot_user, **body}
        if "message_thread_id" in p:
            msg["message_thread_id"] = int(p["message_thread_id"])
            msg["is_topic_message"] = True
        self.messages[(chat_id, message_id)] = {**msg, "html": html_text, "reply_markup": p.get("reply_markup")}
        self.posted.append(self.messages[(chat_id, message_id)])
        return _ok(msg)

    async def _m_sendMessage(self, p: dict) -> web.Response:
        chat = self._deliverable(int(p["chat_id"]), p.get("message_thread_id"))
        if isinstance(chat, web.Response):
            return chat
        text = parse_html(p["text"]) if p.get("parse_mode") == "HTML" else p["text"]
        return self._new_message(chat, p, {"text": text}, p["text"])

    async def _file_message(self, p: dict, body: dict[str, Any]) -> web.Response:
        chat = self._deliverable(int(p["chat_id"]), p.get("message_thread_id"))
        if isinstance(chat, web.Response):
            return chat
        if "caption" in p:
            body["caption"] = parse_html(p["caption"]) if p.get("parse_mode") == "HTML" else p["caption"]
        return self._new_message(chat, p, body, p.get("caption", ""))

    async def _m_sendDocument(self, p: dict, files: dict[str, Upload]) -> web.Response:
        upload = files[p["document"].removeprefix("attach://")]
        document = {"file_id": f"doc{len(self.calls)}", "file_unique_id": f"u{len(self.calls)}", "file_name": upload.filename}
        document["file_size"] = len(upload.data)
        return await self._file_message(p, {"document": document})

    async def _m_sendPhoto(self, p: dict, files: dict[str, Upload]) -> web.Response:
        upload = files[p["photo"].removeprefix("attach://")]
        if not upload.data.startswith(_MAGIC):
            return _error(400, "Bad Request: IMAGE_PROCESS_FAILED")
        size = {"file_id": f"ph{len(self.calls)}", "file_unique_id": f"u{len(self.calls)}", "width": 640, "height": 480}
        return await self._file_message(p, {"photo": [size]})

    async def _m_sendPoll(self, p: dict) -> web.Response:
        """A regular poll, refused as Telegram refuses one (limits from the spec's own descriptions)."""
        low, high = poll_limits()
        options = p["options"]
        if not 1 <= utf16_len(p["question"]) <= 300:
            return _error(400, "Bad Request: poll question length must not exceed 300")
        if not low <= len(options) <= high:
            return _error(400, f"Bad Request: poll must have {low}-{high} options")
        if any(not 1 <= utf16_len(o["text"]) <= 100 for o in options):
            return _error(400, "Bad Request: poll options length must not exceed 100")
        if "open_period" in p and "close_date" in p:
            return _error(400, "Bad Request: can't use open_period and close_date together")
        if "close_date" in p and not 5 <= int(p["close_date"]) - self.unix() <= 2628000:  # Telegram's own clock
            return _error(400, "Bad Request: poll close date is out of range")
        chat = self._deliverable(int(p["chat_id"]), p.get("message_thread_id"))
        if isinstance(chat, web.Response):
            return chat
        poll_id = f"poll{next(self._poll_ids)}"
        poll = {
            "id": poll_id,
            "question": p["question"],
            "options": [{"persistent_id": str(i), "text": o["text"], "voter_count": 0} for i, o in enumerate(options)],
            "total_voter_count": 0,
            "is_closed": False,
            "is_anonymous": p.get("is_anonymous", "true") != "false",
            "type": "regular",
            "allows_multiple_answers": p.get("allows_multiple_answers") == "true",
            "allows_revoting": True,
            "members_only": False,
        }
        if "close_date" in p:
            poll["close_date"] = int(p["close_date"])
        self.polls[poll_id] = poll
        self._answers[poll_id] = {}
        return self._new_message(chat, p, {"poll": poll}, "")

    async def _m_stopPoll(self, p: dict) -> web.Response:
        msg = self.messages.get((int(p["chat_id"]), int(p["message_id"])))
        if msg is None or "poll" not in msg:
            return _error(400, "Bad Request: message with poll to stop not found")
        if msg.get("from", {}).get("id") != self.bot_user["id"]:
            return _error(400, "Bad Request: message can't be edited")
        poll = msg["poll"]
        if poll["is_closed"]:
            return _error(400, "Bad Request: poll has already been closed")
        poll["is_closed"] = True
        return _ok(poll)

    async def vote(self, user_id: int, poll_id: str, options: list[int]) -> list[int]:
        """A member votes (empty: takes the vote back). Telegram sends the bot a ``poll_answer`` for a non-anonymous
        poll and the new counts (``poll``) for any poll it sent; returns the update ids to wait for."""
        poll = self.polls[poll_id]
        if poll["is_closed"]:
            return []
        answers = self._answers[poll_id]
        if options:
            answers[user_id] = sorted(set(options))
        else:
            answers.pop(user_id, None)
        for i, option in enumerate(poll["options"]):
            option["voter_count"] = sum(1 for chosen in answers.values() if i in chosen)
        poll["total_voter_count"] = len(answers)
        ids = []
        if not poll["is_anonymous"]:
            answer = {"poll_id": poll_id, "user": self.users[user_id], "option_ids": options}
            answer["option_persistent_ids"] = [str(o) for o in options]
            ids.append(await self.push({"poll_answer": answer}))
        ids.append(await self.push({"poll": json.loads(json.dumps(poll))}))
        return ids

    async def _m_editMessageText(self, p: dict) -> web.Response:
        key = (int(p["chat_id"]), int(p["message_id"]))
        msg = self.messages.get(key)
        if msg is None:
            return _error(400, "Bad Request: message to edit not found")
        if msg["html"] == p["text"] and msg.get("reply_markup") == p.get("reply_markup"):
            return _error(400, "Bad Request: message is not modified")
        msg.update(html=p["text"], text=parse_html(p["text"]), reply_markup=p.get("reply_markup"))
        return _ok({k: v for k, v in msg.items() if k not in ("html", "reply_markup")})

    async def _m_editMessageReplyMarkup(self, p: dict) -> web.Response:
        key = (int(p["chat_id"]), int(p["message_id"]))
        msg = self.messages.get(key)
        if msg is None:
            return _error(400, "Bad Request: message to edit not found")
        if msg.get("reply_markup") == p.get("reply_markup"):
            return _error(
                400,
                "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
                "as a current content and reply markup of the message",
            )
        msg["reply_markup"] = p.get("reply_markup")
        return _ok({k: v for k, v in msg.items() if k not in ("html", "reply_markup")})

    def _too_old(self, key: tuple[int, int]) -> bool:
        """Telegram deletes a message only while it is younger than 48 hours."""
        return self.unix() - self.messages[key].get("date", 0) >= DELETE_WINDOW

    async def _m_deleteMessage(self, p: dict) -> web.Response:
        key = (int(p["chat_id"]), int(p["message_id"]))
        if key not in self.messages:
            return _error(400, "Bad Request: message to delete not found")
        if self._too_old(key):
            return _error(400, "Bad Request: message can't be deleted")
        del self.messages[key]
        self.deleted.append(key)
        self._unpin_deleted(key)
        return _ok(True)

    def _unpin_deleted(self, key: tuple[int, int]) -> None:
        """A deleted message is no longer pinned (Telegram takes its pin down with it)."""
        pins = self.pinned.get(key[0])
        if pins and key[1] in pins:
            pins.remove(key[1])

    async def _m_deleteMessages(self, p: dict) -> web.Response:
        for mid in p["message_ids"]:
            key = (int(p["chat_id"]), int(mid))
            if key in self.messages and not self._too_old(key):  # the others are skipped, as Telegram does
                del self.messages[key]
                self.deleted.append(key)
                self._unpin_deleted(key)
        return _ok(True)

    async def _m_pinChatMessage(self, p: dict) -> web.Response:
        chat_id, message_id = int(p["chat_id"]), int(p["message_id"])
        if (chat_id, message_id) not in self.messages:
            return _error(400, "Bad Request: message to pin not found")
        pins = self.pinned[chat_id]
        if message_id in pins:
            pins.remove(message_id)  # pinned again: it becomes the newest
        pins.append(message_id)
        return _ok(True)

    async def _m_unpinChatMessage(self, p: dict) -> web.Response:
        pins = self.pinned[int(p["chat_id"])]
        if "message_id" not in p:
            if pins:
                pins.pop()  # without an id: the newest pin
        elif int(p["message_id"]) in pins:
            pins.remove(int(p["message_id"]))
        return _ok(True)

    async def _m_unpinAllChatMessages(self, p: dict) -> web.Response:
        self.pinned[int(p["chat_id"])].clear()
        return _ok(True)

    def _member_target(self, p: dict) -> web.Response | tuple[int, int]:
        """A member the bot may restrict or ban: never one of the chat's admins (nor its owner)."""
        chat_id, user_id = int(p["chat_id"]), int(p["user_id"])
        if self._chat(chat_id) is None:
            return _error(400, "Bad Request: chat not found")
        admins = self.admins.get(chat_id, [])
        if admins and user_id == admins[0]:
            return _error(400, "Bad Request: can't remove chat owner")
        if user_id in admins:
            return _error(400, "Bad Request: user is an administrator of the chat")
        return chat_id, user_id

    async def _m_restrictChatMember(self, p: dict) -> web.Response:
        target = self._member_target(p)
        if isinstance(target, web.Response):
            return target
        if all(v is True for v in p["permissions"].values()):  # every right given back: no longer restricted
            self.restricted.pop(target, None)
        else:
            self.restricted[target] = self.forever_or(p.get("until_date"))
        return _ok(True)

    async def _m_banChatMember(self, p: dict) -> web.Response:
        target = self._member_target(p)
        if isinstance(target, web.Response):
            return target
        self.banned[target] = self.forever_or(p.get("until_date"))
        self.members[target[0]].discard(target[1])
        return _ok(True)

    async def _m_unbanChatMember(self, p: dict) -> web.Response:
        self.banned.pop((int(p["chat_id"]), int(p["user_id"])), None)
        return _ok(True)

    async def _m_answerCallbackQuery(self, p: dict) -> web.Response:
        """A press is answered once, and only while the client still waits (about 15 seconds)."""
        pressed = self.callbacks.pop(p["callback_query_id"], None)
        if pressed is None or self.time.now() - pressed > CALLBACK_TTL:
            return _error(400, QUERY_TOO_OLD)
        return _ok(True)

    async def _m_getChat(self, p: dict) -> web.Response:
        chat_id = int(p["chat_id"])
        chat = self._chat(chat_id)
        if chat is None:
            return _error(400, "Bad Request: chat not found")
        full = {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": _gift_types()}
        pins = self.pinned.get(chat_id)
        if pins:
            full["pinned_message"] = {
                k: v for k, v in self.messages.get((chat_id, pins[-1]), {}).items() if k not in ("html", "reply_markup")
            }
        return _ok(full)

    async def _m_getChatAdministrators(self, p: dict) -> web.Response:
        chat_id = int(p["chat_id"])
        out = []
        for i, uid in enumerate(self.admins.get(chat_id, [])):
            user = self.users.get(uid) or self.bot_user
            if i == 0:
                out.append({"status": "creator", "user": user, "is_anonymous": False})
            else:
                admin = _administrator(user, self.older_server)
                out.append({**admin, **self.bot_rights.get(chat_id, {})} if uid == self.bot_user["id"] else admin)
        return _ok(out)

    def bot_may(self, chat_id: int, right: str) -> bool:
        """Whether the bot is an administrator of the chat holding ``right`` (the full set unless ``bot_rights`` says)."""
        if self.bot_user["id"] not in self.admins.get(chat_id, []):
            return False
        rights = {**_administrator(self.bot_user), **self.bot_rights.get(chat_id, {})}
        if right == "can_manage_tags" and right not in self.bot_rights.get(chat_id, {}):
            return bool(rights.get("can_pin_messages"))  # the spec: "If omitted defaults to the value of can_pin_messages"
        return bool(rights.get(right))

    async def _m_createForumTopic(self, p: dict) -> web.Response:
        """A forum supergroup only, the bot an admin with ``can_manage_topics``, a name of 1-128 characters."""
        chat_id = int(p["chat_id"])
        chat = self.chats.get(chat_id)
        if chat is None:
            return _error(400, "Bad Request: chat not found")
        if not chat.get("is_forum"):
            return _error(400, "Bad Request: the chat is not a forum")
        if not self.bot_may(chat_id, "can_manage_topics"):
            return _error(400, "Bad Request: not enough rights to create a topic")
        name = str(p.get("name", ""))
        if not 1 <= utf16_len(name) <= 128:
            self.violations.append(f"createForumTopic.name: must be 1-128 characters (got {utf16_len(name)})")
            return _error(400, "Bad Request: TOPIC_NAME_INVALID")
        thread = next(self._message_ids[chat_id])  # a topic is the id of the service message that opened it
        self.topics.setdefault(chat_id, set()).add(thread)
        self.topic_names[chat_id, thread] = name
        return _ok({"message_thread_id": thread, "name": name, "icon_color": 7322096})

    async def _m_closeForumTopic(self, p: dict) -> web.Response:
        chat_id, thread = int(p["chat_id"]), int(p["message_thread_id"])
        if thread not in self.topics.get(chat_id, ()):
            return _error(400, "Bad Request: TOPIC_ID_INVALID")
        if not self.bot_may(chat_id, "can_manage_topics") and (chat_id, thread) not in self.topic_names:
            return _error(400, "Bad Request: not enough rights to close the topic")
        if (chat_id, thread) in self.closed_topics:
            return _error(400, "Bad Request: TOPIC_NOT_MODIFIED")
        self.closed_topics.add((chat_id, thread))
        return _ok(True)

    async def _m_setChatMemberTag(self, p: dict) -> web.Response:
        """As the spec says: groups and supergroups, the bot an admin with ``can_manage_tags``, regular members
        only (an administrator's title is their own), the tag 0-16 characters without emoji."""
        chat_id, user_id = int(p["chat_id"]), int(p["user_id"])
        chat = self.chats.get(chat_id)
        if chat is None:
            return _error(400, "Bad Request: chat not found")
        if chat["type"] not in ("group", "supergroup"):
            return _error(400, "Bad Request: method is available for supergroup and group chats only")
        if self.bot_user["id"] not in self.admins.get(chat_id, []):
            return _error(400, "Bad Request: CHAT_ADMIN_REQUIRED")
        if not self.bot_may(chat_id, "can_manage_tags"):
            return _error(400, "Bad Request: not enough rights to manage member tags")
        if user_id not in self.users:
            return _error(400, "Bad Request: user not found")
        if user_id in self.admins.get(chat_id, []):
            return _error(400, "Bad Request: user is an administrator of the chat")
        tag = str(p.get("tag") or "")
        if len(tag) > tag_limit() or _has_emoji(tag):
            self.violations.append(f"setChatMemberTag: tag {tag!r} is not 0-{tag_limit()} characters without emoji")
            return _error(400, "Bad Request: TAG_INVALID")
        if tag:
            self.tags[(chat_id, user_id)] = tag
        else:
            self.tags.pop((chat_id, user_id), None)
        return _ok(True)

    async def _m_setMyCommands(self, p: dict) -> web.Response:
        """A chat's scopes need a chat the bot is in; a member's scope a group and a user in it."""
        scope = p.get("scope") or {"type": "default"}
        if "chat_id" in scope:
            chat = self._chat(int(scope["chat_id"]))
            if chat is None:
                return _error(400, "Bad Request: chat not found")
            if scope["type"] in ("chat_administrators", "chat_member") and chat["type"] == "private":
                return _error(400, "Bad Request: the scope is only for groups and supergroups")
            if scope["type"] == "chat_member" and not self.in_chat(chat["id"], int(scope["user_id"])):
                return _error(400, "Bad Request: user not found")
        key = (json.dumps(scope, sort_keys=True), p.get("language_code"))
        self.commands[key] = p["commands"]
        return _ok(True)


def _has_emoji(text: str) -> bool:
    return any(unicodedata.category(c) == "So" or 0x1F000 <= ord(c) <= 0x1FAFF or c in "\u200d\ufe0f" for c in text)


def _decode(v: str) -> Any:
    if v[:1] in ("{", "["):
        try:
            return json.loads(v)
        except ValueError:
            return v
    return v


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error_for(fault: Fault) -> web.Response:
    """Telegram's answer for a failed status (429 with ``retry_after`` in whole seconds)."""
    if fault.status == 429:
        wait = max(1, math.ceil(fault.retry_after))
        return _error(429, f"Too Many Requests: retry after {wait}", retry_after=wait)
    return _error(fault.status or 500, fault.description)


def _error(status: int, description: str, retry_after: int | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return web.json_response(body, status=status)


def _administrator(user: dict[str, Any], older: bool = False) -> dict[str, Any]:
    """A ChatMemberAdministrator with every right the spec requires, built from the spec itself
    (``older``: as a server one version behind answers, without the fields the newest version added)."""
    fields = spec()["types"]["ChatMemberAdministrator"]["fields"]
    member: dict[str, Any] = {f["name"]: True for f in fields if f["required"] and f["types"] == ["Boolean"]}
    member.update(status="administrator", user=user, can_be_edited=False, is_anonymous=False, can_pin_messages=True)
    if older:
        for name in NEWER_RESPONSE_FIELDS["ChatMemberAdministrator"]:
            member.pop(name, None)
    else:
        member.update(NEWER_RESPONSE_FIELDS["ChatMemberAdministrator"])
    return member


def _gift_types() -> dict[str, bool]:
    fields = spec()["types"]["AcceptedGiftTypes"]["fields"]
    return {f["name"]: False for f in fields if f["required"]}
