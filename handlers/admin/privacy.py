"""/mydata and /forgetme: what the bot stores about the asking member, and forgetting it.

Both read the same list: every table's forget rule (``storage/forget.py``), in
every community of that platform. /forgetme first calls the features' forget
hooks (in-memory state, learnt spam tokens), then runs every rule: rows are
deleted, or kept without the person where the community's record must stay
(moderation cases, the audit log, events they hosted). The erasure itself is
audited, without their id. Anonymous daily totals stay: they hold nothing about anyone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core import callbacks
from bot.core.actions import AnswerButton, Button, EditMessage
from bot.core.context import Context
from bot.core.events import ButtonPressed, CommandInvoked
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from bot.core.richtext import Rich, join
from bot.core.runtime import MEMBER_FORGOTTEN, ForgottenMember
from storage import forget
from storage.models.core import Person
from storage.repos.housekeeping import AuditRepo
from storage.repos.privacy import MemberRecord, PrivacyRepo

FORGET = "forget"  # button prefix; data is forget:<user id>
NOT_YET = "—"


def _when(t: Translator, ctx: Context, at: datetime | None) -> str:
    if at is None:
        return NOT_YET
    tz = ctx.community.tz if ctx.community else (at.tzinfo or UTC)
    return t.datetime(at, tz, "short")


def _describe(
    ctx: Context, t: Translator, user: UserRef, records: list[MemberRecord], person: Person | None, kept: list[tuple[forget.Rule, int]]
) -> Rich:
    parts: list[Rich] = [t.t("admin.mydata.title")]
    if not records and person is None and not kept:
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
    deleted = [t.t("admin.mydata.row", what=t.s(r.label), n=n) for r, n in kept if r.how == "delete"]
    if deleted:
        parts.append(join([t.t("admin.mydata.deleted_title"), *deleted], blank_line=False))
    stays = [
        t.t("admin.mydata.row_kept", what=t.s(r.label), n=n, why=t.s(r.why or "forget.why.record")) for r, n in kept if r.how != "delete"
    ]
    if stays:
        parts.append(join([t.t("admin.mydata.kept_title"), *stays], blank_line=False))
    parts.append(t.t("admin.mydata.footer"))
    return join(parts)


def subject(ctx: Context, user: UserRef) -> forget.Subject:
    """The person in every community of their platform: forgetting does not depend on a member row surviving."""
    return forget.Subject(user.platform, user.id, None)


async def mydata(ctx: Context, ev: CommandInvoked) -> None:
    user = ev.user.ref
    repo = PrivacyRepo(ctx.session)
    records, person = await repo.records(user.platform, user.id), await repo.person(user.platform, user.id)
    kept = await forget.inventory(ctx.session, subject(ctx, user))
    t = ctx.translator_for(ev.user)
    text = _describe(ctx, t, user, records, person, kept)
    extra = [line for section in ctx.rt.mydata_sections for line in await section(ctx.session, user.platform, user.id, t)]
    if extra:
        text = join([text, join(extra, blank_line=False)])
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


async def erase(ctx: Context, who: forget.Subject, by: str = forget.FORGOTTEN, action: str = "forgetme", via: str | None = None) -> int:
    """Forget ``who`` (their own /forgetme, or a manager's erasure from the dashboard: ``by`` names the manager);
    audited without the person's id. The number of communities they were known in."""
    touched = await forget.touched(ctx.session, who)
    for cid in touched:
        ctx.rt.tracker.drop(cid, who.user_id)
        await ctx.rt.signal(MEMBER_FORGOTTEN, ctx, ForgottenMember(cid, who.user_id))
        for hook in ctx.rt.forget_hooks:  # features' own state first: they may read rows the rules change
            await hook(ctx.session, cid, who.user_id)
    changed = await forget.forget_all(ctx.session, who)
    summary = " ".join(f"{table}={n}" for table, n in sorted(changed.items())) or "nothing"
    audit = AuditRepo(ctx.session)
    for cid in touched:
        audit.add(cid, by, action, summary, "forgotten", ctx.now, via)
    return len(touched)


async def forget_pressed(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    parsed = callbacks.parse(rest, callbacks.USER)
    user_id = parsed[0] if parsed else None
    if ev.user.ref.id != user_id:
        ctx.after_commit(AnswerButton(ev.callback_id, ctx.t.s("admin.forget.not_yours"), alert=True))
        return
    await erase(ctx, subject(ctx, ev.user.ref))
    done = ctx.t.t("admin.forget.done")
    if ev.message is not None:
        ctx.after_commit(EditMessage(ev.message, done))
    ctx.after_commit(AnswerButton(ev.callback_id, done.plain()))
