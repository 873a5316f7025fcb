"""Attacker's checklist, file paths: nothing typed in a chat makes the bot read, post or probe a server file.

The probe: a chat admin (every chat is served, its platform admins are its
managers) runs ``/doc set 1 /any/path.md`` and ``/set pinned.foundation
/some/path.md``. Both must publish the text as typed, and answer the same
whether the path exists or not. Only the config file names files, and only
inside ``[bot] documents_dir``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.core import documents
from bot.core.config import ConfigError
from bot.harness import LocalBot, local_bot, local_config
from tests.conftest import START

SECRET = "TOP-SECRET-SERVER-CONTENT"
PINNED = {"pinned": {"mission": "We repair.", "rules": ["Be kind"]}}


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "secret.md"
    path.parent.mkdir()
    path.write_text(f"# {SECRET}\n", encoding="utf-8")
    return path


async def _answers(bot: LocalBot, *commands: str) -> list[str]:
    out = []
    for c in commands:
        await bot.sim.post("town", "mia", c)
        out.append(bot.sim.bot_messages("town")[-1].text)
    return out


def _posted(bot: LocalBot) -> str:
    return "\n".join(m.text for m in bot.sim.bot_messages("town", include_deleted=True))


async def test_doc_set_with_a_path_posts_the_text_not_the_file(db_url: str, secret_file: Path) -> None:
    async with local_bot(local_config(PINNED), db_url, START) as bot:
        bot.sim.add_user("mia", "Mia")
        [answer] = await _answers(bot, f"/doc set 1 {secret_file}")
        assert SECRET not in _posted(bot)
        assert "saved" in answer.lower() or "version" in answer.lower()
        pinned = [m for m in bot.sim.bot_messages("town") if m.id in bot.sim.chats["town"].pinned]
        assert [m.text for m in pinned] == [str(secret_file)]  # the value, as typed, is the document


async def test_set_pinned_foundation_with_a_path_is_text_and_reveals_nothing(db_url: str, secret_file: Path) -> None:
    async with local_bot(local_config(PINNED), db_url, START) as bot:
        bot.sim.add_user("mia", "Mia")
        missing = secret_file.parent / "nope.md"
        exists, absent = await _answers(bot, f"/set pinned.foundation {secret_file}", f"/set pinned.routine {missing}")
        assert SECRET not in _posted(bot)
        # The same answer whether the file exists or not: no oracle.
        assert exists.replace(str(secret_file), "P").replace("foundation", "K") == absent.replace(str(missing), "P").replace("routine", "K")
        await bot.tick()
        assert SECRET not in _posted(bot)


async def test_a_config_file_may_name_a_file_only_inside_documents_dir(db_url: str, tmp_path: Path, secret_file: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rules.md").write_text("# Our rules\n", encoding="utf-8")
    extra = {"bot": {"documents_dir": str(docs)}}
    with pytest.raises(ConfigError, match="is outside \\[bot\\] documents_dir"):
        local_config({"pinned": {"foundation": str(secret_file)}}, extra=extra)
    with pytest.raises(ConfigError, match="is outside \\[bot\\] documents_dir"):
        local_config({"pinned": {"foundation": "../outside/secret.md"}}, extra=extra)
    with pytest.raises(ConfigError, match="set \\[bot\\] documents_dir"):
        local_config({"pinned": {"foundation": "rules.md"}})
    async with local_bot(local_config({"pinned": {"foundation": "rules.md"}}, extra=extra), db_url, START) as bot:
        await bot.tick()
        assert bot.sim.bot_messages("town")[0].text == "Our rules"


def test_a_link_swapped_after_the_check_is_not_followed(tmp_path: Path, secret_file: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    os.symlink(secret_file, docs / "rules.md")
    assert documents.resolve(str(docs), "rules.md") is None  # resolves outside: refused
    assert documents.resolve("", "rules.md") is None  # no folder configured: no file at all
    assert documents.resolve(str(docs), "just some text") is None
