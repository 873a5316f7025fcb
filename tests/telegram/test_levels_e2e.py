"""Participation levels on Telegram (#21.3): the real aiogram Bot sets member tags on the fake Bot API, which
refuses as the spec says (the bot an admin with can_manage_tags, regular members only, 0-16 characters, no emoji)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from aiogram.exceptions import TelegramBadRequest

from adapters.telegram.adapter import make_bot
from tests.telegram.conftest import ANN, BOB, GROUP, OWNER, TOKEN, TelegramBot, telegram_bot_running
from tests.telegram.fake_api import FakeTelegram

LEVELS: dict[str, Any] = {
    "admin": {"weekly_report": False},
    "levels": {
        "enabled": True,
        "window": "7d",
        "member": {"days_active": 2, "posts": 2},
        "regular": {"days_active": 2, "posts": 3, "replies": 1},
        "pillar": {"days_active": 5, "posts": 9, "replies": 5, "kudos": 3},
    },
}


@pytest.fixture
async def tg(db_url: str) -> AsyncIterator[TelegramBot]:
    community = {"platform": "telegram", "chat_id": str(GROUP), "name": "Riverside Makers", "settings": LEVELS}
    async with telegram_bot_running(db_url, {"communities": [community]}) as bot:
        yield bot


def said(tg: TelegramBot, user_id: int, text: str, **extra: Any) -> dict[str, Any]:
    """A message dated by the virtual clock (the core counts days by the message's own date)."""
    return tg.scene.message(GROUP, user_id, text, date=int(tg.clock.now().timestamp()), **extra)


async def two_days(tg: TelegramBot) -> None:
    """Ann earns Regular, Bob Member; Olga, the group's creator, posts more than both and is staff."""
    for uid in (ANN, BOB, OWNER):
        await tg.send(said(tg, uid, "good morning"))
    tg.clock.advance(timedelta(days=1))
    tip = said(tg, BOB, "the hardware shop has solder on sale")
    await tg.send(tip)
    await tg.send(said(tg, ANN, "the lead-free one is good", reply_to_message=tip["message"]))
    await tg.send(said(tg, ANN, "see you at the repair café"))
    for text in ("café on Friday", "bring your toasters", "and kettles"):
        await tg.send(said(tg, OWNER, text, reply_to_message=tip["message"]))
    tg.clock.advance(timedelta(hours=1))
    await tg.tick()


def tag_calls(tg: TelegramBot) -> list[tuple[int, str, int]]:
    return [(int(c["user_id"]), str(c.get("tag", "")), c.status) for c in tg.fake.sent("setChatMemberTag")]


async def test_levels_show_as_member_tags_and_staff_get_none(tg: TelegramBot) -> None:
    await two_days(tg)
    assert tg.fake.tags == {(GROUP, ANN): "Regular", (GROUP, BOB): "Member"}
    assert all(status == 200 for _, _, status in tag_calls(tg)) and OWNER not in [u for u, _, _ in tag_calls(tg)]
    promoted = [t for t in tg.fake.texts(GROUP) if t.startswith("🎉")]
    assert len(promoted) == 1 and "Regular: Ann" in promoted[0]


async def test_without_the_right_to_manage_tags_the_managers_are_told_once_and_nothing_breaks(tg: TelegramBot) -> None:
    tg.fake.bot_rights[GROUP] = {"can_manage_tags": False}
    await two_days(tg)
    assert [s for _, _, s in tag_calls(tg)] == [400]  # the first refusal pauses showing: no request per member
    told = [t for t in tg.fake.texts(GROUP) if "manage tags" in t]
    assert len(told) == 1 and "can_manage_tags" in told[0]
    tg.clock.advance(timedelta(hours=1))
    await tg.tick()
    assert len(tag_calls(tg)) == 1 and len([t for t in tg.fake.texts(GROUP) if "manage tags" in t]) == 1
    tg.fake.bot_rights[GROUP] = {"can_manage_tags": True}  # a manager gives the right
    tg.clock.advance(timedelta(hours=6))
    await tg.tick()
    assert tg.fake.tags == {(GROUP, ANN): "Regular", (GROUP, BOB): "Member"}


async def test_a_promotion_of_the_bot_without_the_tag_right_is_told(tg: TelegramBot) -> None:
    upd = tg.scene.member_change(GROUP, ANN, "member", "administrator", by=OWNER)["chat_member"]
    upd["new_chat_member"]["user"] = upd["old_chat_member"]["user"] = tg.fake.bot_user
    upd["new_chat_member"]["can_manage_tags"] = False
    await tg.send({"my_chat_member": upd})
    [told] = [t for t in tg.fake.texts(GROUP) if "missing some rights" in t]
    assert "Manage tags" in told and "Pin messages" not in told


async def test_the_fake_refuses_what_the_spec_refuses() -> None:
    fake = FakeTelegram()
    await fake.start()
    bot = make_bot(TOKEN, fake.url, fake.time)
    try:
        fake.add_chat(GROUP, "Riverside Makers")
        fake.add_user(OWNER, "Olga")
        fake.add_user(ANN, "Ann")
        with pytest.raises(TelegramBadRequest, match="CHAT_ADMIN_REQUIRED"):
            await bot.set_chat_member_tag(chat_id=GROUP, user_id=ANN, tag="Regular")
        fake.admins[GROUP] = [OWNER, fake.bot_user["id"]]
        fake.bot_rights[GROUP] = {"can_pin_messages": False}  # can_manage_tags omitted: it follows can_pin_messages
        with pytest.raises(TelegramBadRequest, match="not enough rights"):
            await bot.set_chat_member_tag(chat_id=GROUP, user_id=ANN, tag="Regular")
        fake.bot_rights[GROUP] = {"can_manage_tags": True}
        with pytest.raises(TelegramBadRequest, match="administrator"):
            await bot.set_chat_member_tag(chat_id=GROUP, user_id=OWNER, tag="Regular")
        for bad in ("Seventeen letters", "Star ⭐"):
            with pytest.raises(TelegramBadRequest, match="TAG_INVALID"):
                await bot.set_chat_member_tag(chat_id=GROUP, user_id=ANN, tag=bad)
        assert len(fake.violations) == 2
        fake.violations.clear()
        assert await bot.set_chat_member_tag(chat_id=GROUP, user_id=ANN, tag="Завсегдатай")
        assert fake.tags == {(GROUP, ANN): "Завсегдатай"}
        assert await bot.set_chat_member_tag(chat_id=GROUP, user_id=ANN, tag="")
        assert fake.tags == {}
    finally:
        await bot.session.close()
        await fake.close()
