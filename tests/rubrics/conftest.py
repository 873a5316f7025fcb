"""A community with rubrics in six languages, a required introductions topic and the local simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.harness import LocalBot, local_bot, local_config
from tests.conftest import START

RUBRICS: list[dict[str, Any]] = [
    {"tag": "intro", "title": "Introductions", "aliases": ["introduction"], "required_in": ["intros"]},
    {
        "tag": "question",
        "title": "Questions",
        "description": "Ask the community",
        "aliases": ["q"],
        "example": "#question Who has a drill?",
    },
    {"tag": "event", "title": "Events"},
    {"tag": "вопрос", "title": "Вопросы"},
    {"tag": "kérdés", "title": "Kérdések"},
    {"tag": "pytanie", "title": "Pytania"},
    {"tag": "问题", "title": "问题"},
    {"tag": "domanda", "title": "Domande"},
]


def make_settings(**rubrics: Any) -> dict[str, Any]:
    return {"rubrics": {"rubrics": RUBRICS, "page_size": 3, **rubrics}}


@pytest.fixture
def rubric_settings() -> dict[str, Any]:
    return make_settings()


@pytest.fixture
async def rbot(db_url: str, rubric_settings: dict[str, Any]) -> AsyncIterator[LocalBot]:
    async with local_bot(local_config(rubric_settings), db_url, START) as b:
        b.sim.add_user("mia", "Mia")
        b.sim.add_user("ann", "Ann")
        b.sim.add_user("bob", "Bob")
        for uid in ("mia", "ann", "bob"):
            b.sim.chats["town"].members.add(uid)
        yield b


def last_bot_text(bot: LocalBot) -> str:
    return bot.sim.bot_messages("town")[-1].text
