"""/mydata and /forgetme: what the bot stores about the asking member, and deleting it.

Analytics keep counts only (no message text). /forgetme deletes the person's
rows in the core tables (members, activity_days, people) in every community
on that platform, and calls the features' forget hooks; moderation records and
the audit log are kept (the erasure itself is audited). Anonymous daily totals
stay: they hold nothing about anyone.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.actions import AnswerButton, Button, EditMessage
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from bot.core.richtext import Rich, join
from storage.repos.analytics import DailyRollupRepo
from storage.repos.housekeeping import AuditRepo
from storage.repos.privacy import MemberRecord, PrivacyRepo

FORGET = "forget"  # button prefix; data is forget:<user id>
NOT_YET = "—"


def _when(t: Translator, ctx: Context, at) -> str:  # type: ignore[no-untyped-def]
    if at is None:
        return NOT_YET
    tz = ctx.community.tz if ctx.community else at.tzinfo
    return t.datetime(at, tz, "short")


def _describe(ctx: Context, t: Translator, user: UserRef, records: list[MemberRecord], person) -> Rich:  # type: ignore[no-untyped-def]
    parts: list[Rich] = [t.t("admin.mydata.title")]
    if not records and person is None:
        parts.append(t.t("admin.mydata.nothing"))
        return join(parts)
    for r in records:
        parts.append(
            join(
                [
                    t.t("admin.mydata.community", community=r.community, name=r.display_name or user.id),
                    t.t("admin.mydata.joined", joined=_when(t, ctx, r.joined_at), left=_when(t, ctx, r.left_at)),
                    t.t(
                        "admin.mydata.messages",
                        n=r.message_count,
                        first=_when(t, ctx, r.first_message_at),
                        last=_when(t, ctx, r.last_message_at),
                    ),
                    t.t("admin.mydata.activity", n=r.active_days, replies=r.replies),
                ],
                blank_line=False,
            )
        )
    if person is not None:
        parts.append(t.t("admin.mydata.person", language=person.language or NOT_YET, dm=person.dm_state))
    parts.append(t.t("admin.mydata.footer"))
    return join(parts)


async def mydata(ctx: Context, ev: CommandInvoked) -> None:
    user = ev.user.ref
    repo = PrivacyRepo(ctx.session)
    records, person = await repo.records(user.platform, user.id), await repo.person(user.platform, user.id)
    text = _describe(ctx, ctx.translator_for(ev.user), user, records, person)
    if ev.chat.private:
        await ctx.direct(ev.user, text)
        return
    if (await ctx.direct(ev.user, text)).ok:
        await ctx.reply(ctx.t.t("admin.mydata.sent_dm"), delete_after=timedelta(minutes=2))
    else:
        await ctx.reply(ctx.t.t("admin.mydata.open_dm"), delete_after=timedelta(minutes=2))


async def forgetme(ctx: Context, ev: CommandInvoked) -> None:
    """Ask first: a button only the asking member can press."""
    button = Button(ctx.t.s("admin.forget.confirm_button"), data=f"{FORGET}:{ev.user.ref.id}")
    await ctx.reply(ctx.t.t("admin.forget.confirm"), buttons=((button,),))


async def forget_pressed(ctx: Context, ev: ButtonPressed, user_id: str) -> None:
    if ev.user.ref.id != user_id:
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("admin.forget.not_yours"), alert=True))
        return
    platform = ev.user.ref.platform
    repo = PrivacyRepo(ctx.session)
    audit = AuditRepo(ctx.session)
    for record in await repo.records(platform, user_id):
        ctx.rt.tracker.drop(record.community_id, user_id)
        await DailyRollupRepo(ctx.session, ctx.rt.db.dialect).forget(record.community_id, user_id)  # while their rows still say where
        members, days = await repo.forget_member(record.community_id, user_id)
        for hook in ctx.rt.forget_hooks:
            await hook(ctx.session, record.community_id, user_id)
        audit.add(record.community_id, user_id, "forgetme", f"members={members} activity_days={days}", "deleted", ctx.now)
    await repo.forget_person(platform, user_id)
    done = ctx.t.t("admin.forget.done")
    if ev.message is not None:
        ctx.after_commit(EditMessage(ev.message, done))
    ctx.after_commit(AnswerButton(ev.callback_id, done.plain()))
