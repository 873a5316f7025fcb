"""/rules, /guide and the managers' /doc; documents from a Markdown file."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.core.config import ConfigError
from bot.core.settings.pinned import PinnedSettings
from bot.harness import LocalBot, local_bot, local_config
from tests.conftest import START


async def test_rules_go_by_dm_and_the_chat_stays_clean(pbot: LocalBot) -> None:
    await pbot.tick()
    command = await pbot.sim.post("town", "ann", "/rules")
    dm = pbot.sim.dms("ann")
    assert len(dm) == 1 and dm[0].text.startswith("Welcome to Riverside Makers") and "1. Be kind" in dm[0].text
    note = pbot.sim.bot_messages("town")[-1]
    assert "private message" in note.text
    pbot.clock.advance(timedelta(minutes=3))
    await pbot.tick()
    assert note.deleted and command.deleted


async def test_rules_fall_back_to_a_reply_that_deletes_itself(pbot: LocalBot) -> None:
    await pbot.tick()
    await pbot.sim.post("town", "bob", "/rules")  # bob never started the bot
    reply = pbot.sim.bot_messages("town")[-1]
    assert reply.text.startswith("Welcome to Riverside Makers") and pbot.sim.dms("bob") == []
    pbot.clock.advance(timedelta(minutes=1))
    await pbot.tick()
    assert not reply.deleted
    pbot.clock.advance(timedelta(minutes=2))
    await pbot.tick()
    assert reply.deleted


async def test_guide_sends_the_routine(pbot: LocalBot) -> None:
    await pbot.sim.post("town", "ann", "/guide")
    assert pbot.sim.dms("ann")[0].text.startswith("How we do things here")


async def test_rules_without_a_foundation(bot: LocalBot) -> None:
    await bot.sim.post("town", "ann", "/rules")
    assert "no foundation document yet" in bot.sim.bot_messages("town")[-1].text


async def test_members_cannot_use_doc(pbot: LocalBot) -> None:
    await pbot.sim.post("town", "ann", "/doc set 1 mine now")
    assert "only the community's managers" in pbot.sim.bot_messages("town")[-1].text


@pytest.mark.parametrize("args", ["", "set 1", "frobnicate 1", "show 9", "show nothing"])
async def test_doc_usage(pbot: LocalBot, args: str) -> None:
    await pbot.sim.post("town", "mia", f"/doc {args}")
    assert "Write it like this" in pbot.sim.bot_messages("town")[-1].text


async def test_doc_show_preview_and_republish(pbot: LocalBot) -> None:
    await pbot.sim.post("town", "mia", "/doc show 2")
    assert "Not published yet" in pbot.sim.bot_messages("town")[-1].text
    await pbot.tick()
    old = next(m for m in pbot.sim.bot_messages("town") if m.text.startswith("How we do"))
    await pbot.sim.post("town", "mia", "/doc preview guide")
    preview = pbot.sim.bot_messages("town")[-1]
    assert preview.text.startswith("Preview of document #2 (routine)") and "How we do things here" in preview.text
    assert old.id in pbot.sim.chats["town"].pinned and preview.id not in pbot.sim.chats["town"].pinned
    await pbot.sim.post("town", "mia", "/doc republish 2")
    assert old.deleted
    new = [m for m in pbot.sim.bot_messages("town") if m.place is None and m.text.startswith("How we do")][-1]
    assert new.id in pbot.sim.chats["town"].pinned and "posted again and pinned (version 2)" in pbot.sim.bot_messages("town")[-2].text
    await pbot.sim.post("town", "mia", "/doc show routine")
    shown = pbot.sim.bot_messages("town")[-1].text
    assert f"Version 2, pinned as 1 message: {new.id}" in shown
    assert "v2: republished by mia" in shown and "v1: published by system" in shown


async def test_foundation_from_a_markdown_file(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "rules.md"
    path.write_text("# Riverside rules\n\n1. Be **kind**\n2. Read [the wiki](https://wiki.example)\n", encoding="utf-8")
    settings = {"pinned": {"foundation": "rules.md"}}  # a file in the config's documents folder
    async with local_bot(local_config(settings, extra={"bot": {"documents_dir": str(tmp_path)}}), db_url, START) as b:
        await b.tick()
        first = b.sim.bot_messages("town")[0]
        assert first.text == "Riverside rules\n\n1. Be kind\n2. Read the wiki (https://wiki.example)"
        assert first.rich is not None and any(s.bold for s in first.rich.lines[2].spans)
        path.write_text("# Riverside rules, v2\n", encoding="utf-8")
        os.utime(path, (1, 2_000_000_000))  # a new modification time, as an editor would leave
        await b.tick()
        assert first.edits == 1 and first.text == "Riverside rules, v2"


def test_a_missing_markdown_file_is_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"settings.pinned.foundation: the Markdown file 'rules\.md' is not in"):
        local_config({"pinned": {"foundation": "rules.md"}}, extra={"bot": {"documents_dir": str(tmp_path)}})
    with pytest.raises(ValidationError, match="at most 2 extra documents"):
        PinnedSettings(extra=["a", "b", "c"])
