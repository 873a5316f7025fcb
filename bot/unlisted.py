"""Chats the bot has served that the config does not list: usually a wrong ``chat_id``, so said aloud at start
(``run``) and by ``check-config`` when it can read the database."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.core.config import Config
from storage.db import Database
from storage.repos.communities import CommunityRepo

log = logging.getLogger("bot.unlisted")


async def unlisted_chats(config: Config, db: Database) -> list[str]:
    """One line per chat in the database that no ``[[communities]]`` entry names (enabled platforms only)."""
    enabled = {p for p in ("telegram", "discord") if getattr(config, p).enabled}
    async with db.session() as session:
        rows = await CommunityRepo(session).all()
    return [
        f"{c.platform} chat {c.chat_id}{f' ({c.title})' if c.title else ''}"
        for c in rows
        if c.platform in enabled and config.community(c.platform, c.chat_id) is None
    ]


def notice(chats: list[str]) -> str:
    n = len(chats)
    return (
        f"{n} chat{'s' if n != 1 else ''} the bot has been in {'are' if n != 1 else 'is'} not listed under [[communities]] "
        f"(so {'they get' if n != 1 else 'it gets'} the [defaults]): {'; '.join(chats[:10])}{' …' if n > 10 else ''}. "
        "If one should be listed, check its chat_id."
    )


async def log_unlisted(config: Config, db: Database) -> None:
    chats = await unlisted_chats(config, db)
    if chats:
        log.warning(notice(chats))


async def check_unlisted(config: Config) -> str | None:
    """For ``check-config``: the notice, if the database exists and can be read; never creates one."""
    url = make_url(config.bot.database_url)
    if url.get_backend_name() == "sqlite" and not (url.database and Path(url.database).is_file()):
        return None
    db = Database(config.bot.database_url)
    try:
        chats = await asyncio.wait_for(unlisted_chats(config, db), 10)
    except Exception:  # no schema yet, server unreachable: nothing to say about chats
        return None
    finally:
        await db.dispose()
    return notice(chats) if chats else None
