"""Known spam pictures (#19.7): a picture moderators confirmed as spam is blocked when it comes again."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw

from adapters.local.simulator import SimMessage
from bot.core.imagehash import dhash, distance
from bot.harness import LocalBot, local_bot, local_config
from handlers.spam.images import NEAR_BITS
from tests.conftest import START
from tests.spam.members import settle


def picture(seed: int, size: int = 400, quality: int = 90, fmt: str = "JPEG") -> bytes:
    """A picture with shapes of its own (``seed``), saved at ``size`` and ``quality``."""
    img = Image.new("RGB", (400, 300), (240, 240, 230))
    d = ImageDraw.Draw(img)
    for i in range(6):
        x, y = (seed * 37 + i * 71) % 300, (seed * 53 + i * 29) % 200
        d.ellipse((x, y, x + 60 + i * 9, y + 50 + i * 5), fill=((seed * 40 + i * 30) % 255, (i * 80) % 255, (seed * 90) % 255))
    d.text((20, 250), f"WIN BIG {seed}", fill=(0, 0, 0))
    if size != 400:
        img = img.resize((size, size * 3 // 4))
    out = io.BytesIO()
    img.save(out, fmt, quality=quality)
    return out.getvalue()


def test_the_same_picture_resized_and_recompressed_hashes_alike_another_does_not() -> None:
    a, resized, other = dhash(picture(1)), dhash(picture(1, size=250, quality=40)), dhash(picture(2))
    png = dhash(picture(1, fmt="PNG"))
    assert a and resized and other and png
    assert distance(a, resized) <= NEAR_BITS and distance(a, png) <= NEAR_BITS
    assert distance(a, other) > NEAR_BITS
    assert dhash(b"not a picture") is None and distance(a, "tg:u1") == 64


def _card(b: LocalBot) -> SimMessage:
    return [m for m in b.sim.bot_messages("town") if m.place == "mods"][-1]


def _button(msg: SimMessage, prefix: str) -> str:
    return next(btn.data for row in msg.buttons or () for btn in row if btn.data and btn.data.startswith(prefix))


async def test_a_confirmed_spam_picture_is_blocked_again_in_its_community_only(db_url: str) -> None:
    config = local_config({"log_place": "mods"})
    async with local_bot(config, db_url, START) as b:
        b.sim.add_user("mia", "Mia")
        b.sim.chats["town"].members.add("mia")
        await settle(b, "eve")
        first = await b.sim.post("town", "eve", "look at this", image=picture(3))
        assert not b.sim.messages[first.id].deleted  # an established member's picture: nothing to go on yet
        await b.sim.post("town", "mia", "/spam", reply_to=first.id)
        assert b.sim.messages[first.id].deleted
        await settle(b, "ann")
        again = await b.sim.post("town", "ann", "lol", image=picture(3, size=300, quality=50))
        assert b.sim.messages[again.id].deleted  # the same picture, smaller and recompressed: a moderator's word
        assert "picture moderators confirmed as spam" in _card(b).text
        other = await b.sim.post("town", "ann", "my cat", image=picture(4))
        assert not b.sim.messages[other.id].deleted


async def test_not_spam_takes_the_picture_back(db_url: str) -> None:
    async with local_bot(local_config({"log_place": "mods", "spam": {"stop_phrases": ["giveaway"]}}), db_url, START) as b:
        b.sim.add_user("mia", "Mia")
        b.sim.chats["town"].members.add("mia")
        await settle(b, "eve")
        msg = await b.sim.post("town", "eve", "giveaway", image=picture(5))
        assert b.sim.messages[msg.id].deleted
        card = _card(b)
        await b.sim.press(card.id, _button(card, "sp:ok:"), "mia")  # confirmed: the picture is known spam
        await settle(b, "ann")
        assert b.sim.messages[(await b.sim.post("town", "ann", "hi", image=picture(5))).id].deleted
        card = _card(b)
        await b.sim.press(card.id, _button(card, "sp:ns:"), "mia")  # that one was not spam after all
        assert not b.sim.messages[(await b.sim.post("town", "ann", "hi", image=picture(5))).id].deleted
