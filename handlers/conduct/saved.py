"""Saved replies for moderators: the answers they give again and again, posted with one command.

``/reply`` lists them; ``/reply save <name> <text>`` keeps one (replacing a reply of that name);
``/reply remove <name>``; ``/reply <name>`` as a reply posts the text under that message (the
moderator's command is not what people read). The text is posted as written, without markup.
"""

from __future__ import annotations

import re

from bot.core.actions import SendMessage
from bot.core.context import Context
from bot.core.events import CommandInvoked
from bot.core.richtext import plain
from storage.repos.saved_replies import SavedReplyRepo

NAME = re.compile(r"[\w-]{1,32}")
MAX_TEXT = 2000


async def saved_reply(ctx: Context, ev: CommandInvoked) -> None:
    info, t = ctx.here, ctx.t
    repo = SavedReplyRepo(ctx.session)
    word, _, rest = ev.args.strip().partition(" ")
    word = word.casefold()
    if not word:
        names = await repo.names(info.id)
        await ctx.reply(t.t("conduct.saved.list", names=", ".join(names)) if names else t.t("conduct.saved.none"))
        return
    if word in ("save", "remove"):
        name, _, text = rest.strip().partition(" ")
        name, text = name.casefold(), text.strip()
        if not NAME.fullmatch(name) or (word == "save" and not text):
            await ctx.reply(t.t("conduct.saved.usage"))
        elif word == "save":
            if len(text) > MAX_TEXT:
                await ctx.reply(t.t("conduct.saved.too_long", n=MAX_TEXT))
                return
            await repo.save(info.id, name, text, ev.user.ref.id, ctx.now)
            await ctx.reply(t.t("conduct.saved.saved", name=name))
            ctx.audit("reply_save", None, name)
        else:
            removed = await repo.remove(info.id, name)
            await ctx.reply(t.t("conduct.saved.removed" if removed else "conduct.saved.unknown", name=name))
        return
    saved = await repo.get(info.id, word)
    if saved is None:
        await ctx.reply(t.t("conduct.saved.unknown", name=word))
    elif ev.reply_to is None:
        await ctx.reply(t.t("conduct.saved.usage"))
    else:
        await ctx.perform(SendMessage(info.chat, plain(saved), place=ev.reply_to.place, reply_to=ev.reply_to))
