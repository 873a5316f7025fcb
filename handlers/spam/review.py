"""Moderators review: log card buttons, ``/spam`` and ``/notspam`` as replies, and appeals.

Button data: ``sp:<op>:<record id>``; ops ``ns`` (not spam), ``ok`` (confirm),
``ban`` (ban without learning), ``ap`` (a removed member appeals, in their DM),
``apy``/``apn`` (moderators approve or reject an appeal).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.core import callbacks
from bot.core.actions import AnswerButton, BanMember, Button, DeleteMessage, SendMessage, UnbanMember, UnrestrictMember
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked, Role
from bot.core.ids import MessageRef, UserRef
from bot.core.removal import removed
from handlers.spam.act import PREFIX, close_card, left_in_place, post_card, repo
from handlers.spam.images import KnownSet
from handlers.spam.memory import SpamMemory
from handlers.spam.model import features, learnable
from handlers.spam.normalize import normalize
from storage.models.spam import SpamRecord
from storage.models.states import SpamStatus
from storage.repos.spam import LEARNT, SpamRepo

EPHEMERAL = timedelta(minutes=1)
OPS = ("ns", "ok", "ban", "ap", "apy", "apn")


async def learn(ctx: Context, service: SpamMemory, community_id: int, text: str, spam: bool) -> None:
    """A moderator's decision teaches this community's model (database and the cached model alike)."""
    if not text.strip():
        return
    feats = learnable(features(normalize(text)))
    r = repo(ctx)
    await r.learn(community_id, feats, spam)
    model = await service.model(r, community_id)
    model.learn(feats, spam)


def _moderator_name(ctx: Context) -> str:
    user = ctx.event.actor
    return user.display_name if user is not None else "?"


async def undo(ctx: Context, service: SpamMemory, rec: SpamRecord) -> None:
    """Not spam: restore the text as a quote, lift the restriction, forget the strike, learn it as ham."""
    chat = ctx.here.chat
    if not left_in_place(rec) and rec.action != "none":
        await ctx.perform(
            SendMessage(chat, ctx.t.t("spam.restored", member=rec.display_name or rec.user_id, text=rec.text), place=rec.place)
        )
        if rec.action == "mute":
            await ctx.perform(UnrestrictMember(chat, _user(ctx, rec)))
        if rec.action == "ban" or rec.status == SpamStatus.BANNED:
            await ctx.perform(UnbanMember(chat, _user(ctx, rec)))
        await repo(ctx).forgive(rec.community_id, rec.user_id)
    await learn(ctx, service, rec.community_id, rec.text, spam=False)
    await known_images(ctx, service, rec, False)
    rec.status = SpamStatus.RESTORED
    rec.decided_by = _actor_id(ctx)


def _user(ctx: Context, rec: SpamRecord) -> UserRef:
    return UserRef(ctx.event.chat.platform, rec.user_id)


def _actor_id(ctx: Context) -> str:
    user = ctx.event.actor
    return user.ref.id if user is not None else "system"


async def confirm(ctx: Context, service: SpamMemory, rec: SpamRecord) -> None:
    if left_in_place(rec):  # shadow mode or a flag left it in place: a moderator's confirmation removes it now
        await ctx.perform(DeleteMessage(MessageRef(ctx.event.chat, rec.message_id, rec.place)))
    await learn(ctx, service, rec.community_id, rec.text, spam=True)
    service.histories.forget(rec.community_id, rec.user_id)  # a spammer's earlier messages were no normal talk
    await known_images(ctx, service, rec, True)
    rec.status = SpamStatus.CONFIRMED
    rec.decided_by = _actor_id(ctx)


async def known_images(ctx: Context, service: SpamMemory, rec: SpamRecord, spam: bool) -> None:
    """The case's pictures become known spam when moderators confirm it; restored, they (and the known
    pictures they matched, if that is what removed it) stop being it."""
    r = repo(ctx)
    changed = await r.confirm_images(rec.id, spam)
    if not spam:
        keys = await r.case_images(rec.id)
        if keys:
            await r.unconfirm_images([i for i, k in await r.confirmed_image_rows(rec.community_id) if KnownSet([k]).matches_any(keys)])
            changed = True
    if changed:
        service.images.changed(rec.community_id)


async def ban(ctx: Context, rec: SpamRecord) -> None:
    """Ban without learning: neither the text nor the pictures become known spam."""
    if left_in_place(rec):
        await ctx.perform(DeleteMessage(MessageRef(ctx.event.chat, rec.message_id, rec.place)))
    await ctx.perform(BanMember(ctx.event.chat, _user(ctx, rec)))
    await removed(ctx, rec.community_id, _user(ctx, rec))
    rec.status = SpamStatus.BANNED
    rec.decided_by = _actor_id(ctx)


class Review:
    def __init__(self, service: SpamMemory) -> None:
        self.service = service

    async def forget(self, session: AsyncSession, community_id: int, user_id: str) -> None:
        """``/forgetme``: unlearn what the person's messages taught this community's model (their unique words too)."""
        r = SpamRepo(session)
        for rec in await r.learnt_from(community_id, user_id):
            if rec.text.strip():
                await r.unlearn(community_id, learnable(features(normalize(rec.text))), LEARNT[rec.status])
        self.service.forget_models()  # reloaded from the database on the next message
        self.service.forget_person(community_id, user_id)

    async def on_button(self, ctx: Context, ev: ButtonPressed, rest: str) -> None:
        parsed = callbacks.parse(rest, callbacks.one_of(*OPS), callbacks.ID)
        if parsed is None:
            ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("spam.gone")))
            return
        op, rid = parsed
        rec = await repo(ctx).record(rid)
        if op == "ap":
            await self._appeal(ctx, ev, rec)
            return
        if rec is None or ctx.community is None or rec.community_id != ctx.community.id:
            ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("spam.gone")))
            return
        if ctx.role.rank < Role.MODERATOR.rank:
            ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("spam.not_allowed"), alert=True))
            return
        if (op == "ns" and rec.status not in (SpamStatus.OPEN, SpamStatus.APPEALED, SpamStatus.CONFIRMED)) or (
            op in ("ok", "ban") and rec.status not in (SpamStatus.OPEN, SpamStatus.APPEALED)
        ):
            ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("spam.already_decided")))
            return
        who = _moderator_name(ctx)
        if op == "ns":
            await undo(ctx, self.service, rec)
            outcome = "spam.outcome.restored"
        elif op == "ok":
            await confirm(ctx, self.service, rec)
            outcome = "spam.outcome.confirmed"
        elif op == "ban":
            await ban(ctx, rec)
            outcome = "spam.outcome.banned"
        elif op in ("apy", "apn") and rec.status == SpamStatus.APPEALED:
            outcome = await self._decide_appeal(ctx, rec, approve=op == "apy")
            if ev.message is not None:
                await ctx.perform(
                    SendMessage(ctx.community.chat, ctx.t.t(outcome, moderator=who), place=ev.message.place, reply_to=ev.message)
                )
            ctx.after_commit(AnswerButton(ev.callback_id))
            return
        else:
            ctx.after_commit(AnswerButton(ev.callback_id))
            return
        await close_card(ctx, rec, outcome, who)
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("spam.done")))

    async def _appeal(self, ctx: Context, ev: ButtonPressed, rec: SpamRecord | None) -> None:
        """A removed member asks for a second look, from their DM."""
        if rec is None or rec.user_id != ev.user.ref.id or rec.status not in (SpamStatus.OPEN, SpamStatus.CONFIRMED, SpamStatus.BANNED):
            ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("spam.appeal.closed")))
            return
        info = ctx.rt.directory.by_id(rec.community_id)
        if info is not None and info.chat.platform != ev.user.ref.platform:  # the same id on another platform is another person
            ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("spam.appeal.closed")))
            return
        if info is None or info.log_chat is None:
            ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("spam.appeal.unavailable"), alert=True))
            return
        t = ctx.rt.catalogs.translator(info.settings.language)
        buttons = (
            (Button(t.s("spam.button.approve"), f"{PREFIX}:apy:{rec.id}"), Button(t.s("spam.button.reject"), f"{PREFIX}:apn:{rec.id}")),
        )
        text = t.t("spam.appeal.card", member=rec.display_name or rec.user_id, text=rec.text[:1000])
        send = info.to_log(text, buttons, silent=False)
        assert send is not None
        await ctx.perform(send)
        rec.status = SpamStatus.APPEALED
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("spam.appeal.sent")))

    async def _decide_appeal(self, ctx: Context, rec: SpamRecord, approve: bool) -> str:
        user = _user(ctx, rec)
        tr = ctx.t
        if approve:
            await ctx.perform(UnbanMember(ctx.here.chat, user))
            await ctx.perform(UnrestrictMember(ctx.here.chat, user))
            await repo(ctx).forgive(rec.community_id, rec.user_id)
            await learn(ctx, self.service, rec.community_id, rec.text, spam=False)
            rec.status = SpamStatus.APPROVED
            await ctx.direct(user, tr.t("spam.appeal.approved_dm", community=ctx.here.name))
        else:
            rec.status = SpamStatus.REJECTED
            await ctx.direct(user, tr.t("spam.appeal.rejected_dm", community=ctx.here.name))
        rec.decided_by = _actor_id(ctx)
        return "spam.outcome.approved" if approve else "spam.outcome.rejected"

    # ---- /spam and /notspam, as replies ----
    async def spam_command(self, ctx: Context, ev: CommandInvoked) -> None:
        await self._reply_command(ctx, ev, spam=True)

    async def notspam_command(self, ctx: Context, ev: CommandInvoked) -> None:
        await self._reply_command(ctx, ev, spam=False)

    async def _reply_command(self, ctx: Context, ev: CommandInvoked, spam: bool) -> None:
        target = getattr(ev, "reply_to", None)
        if target is None:
            await ctx.reply(ctx.t.t("spam.reply_needed", command=ev.name), delete_after=EPHEMERAL)
            return
        r = repo(ctx)
        rec = await r.record_for_message(ctx.here.id, target.id)
        if rec is not None and rec.status in (SpamStatus.OPEN, SpamStatus.APPEALED):
            if spam:
                await confirm(ctx, self.service, rec)
                await close_card(ctx, rec, "spam.outcome.confirmed", ev.user.display_name)
            else:
                await undo(ctx, self.service, rec)
                await close_card(ctx, rec, "spam.outcome.restored", ev.user.display_name)
        else:
            seen = self.service.recent.get(target)
            if seen is None:
                await ctx.reply(ctx.t.t("spam.unknown_message"), delete_after=EPHEMERAL)
                return
            await learn(ctx, self.service, ctx.here.id, seen.text, spam=spam)
            if spam:
                self.service.histories.forget(ctx.here.id, seen.user_id)
                await ctx.perform(DeleteMessage(target))
                rec = SpamRecord(
                    community_id=ctx.here.id,
                    user_id=seen.user_id,
                    display_name=seen.display_name,
                    message_id=target.id,
                    place=target.place,
                    text=seen.text[:4000],
                    reasons="moderator:1.00",
                    score=1.0,
                    action="delete",
                    shadow=False,
                    status=SpamStatus.CONFIRMED,
                    decided_by=ev.user.ref.id,
                    created_at=ev.at,
                )
                r.add_record(rec)
                await ctx.session.flush()
                if seen.images:
                    r.add_images(rec, seen.images, confirmed=True)
                    self.service.images.changed(ctx.here.id)
                await post_card(ctx, rec)
        await ctx.reply(ctx.t.t("spam.learned_spam" if spam else "spam.learned_ham"), delete_after=EPHEMERAL)
