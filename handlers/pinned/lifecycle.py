"""Publishing, editing in place, restoring and retiring a pinned document.

Every change of a document's messages goes through here: the message ids are
stored, a version (who, when, what, the text) is written, and the moderators'
log hears about it once the unit of work commits. Platform refusals never
raise: they are counted, reported once and retried after ``check_every``.

Each message sent for a document is also noted in a ledger (``bot_messages``,
purpose ``pinned:<slot>``) as soon as it is sent (committed before the next
platform call), and forgotten once deleted. A process killed mid-publication
leaves ledger entries that are not the document's recorded messages: the next
check takes those strays down (``sweep``), so crashes never leave extra pins.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.core.actions import DeleteMessage, Done, EditMessage, Failed, FailReason, PinMessage, Result, SendMessage, UnpinMessage
from bot.core.context import Context
from bot.core.ids import MessageRef
from bot.core.richtext import Rich
from handlers.pinned.layout import digest, parts_for
from handlers.pinned.slots import name_key
from storage.models import BotMessage
from storage.models.pinned import PinnedDoc
from storage.repos.housekeeping import BotMessageRepo
from storage.repos.pinned import PinnedRepo

log = logging.getLogger("handlers.pinned")

SYSTEM = "system"


def actor_of(ctx: Context) -> str:
    """Who caused what is happening: the person behind the event, or the bot itself."""
    who = ctx.event.actor
    return who.ref.id if who is not None else SYSTEM


LEDGER = "pinned:"  # the purpose prefix of the ledger of sent parts


def ledger_purpose(slot: int) -> str:
    return f"{LEDGER}{slot}"


def strays(doc: PinnedDoc | None, made: list[BotMessage]) -> list[BotMessage]:
    """The ledger's messages of this document that are not its recorded ones (left by a crash)."""
    keep = set(doc.message_ids) if doc is not None else set()
    purpose = ledger_purpose(doc.slot) if doc is not None else None
    return [m for m in made if (purpose is None or m.purpose == purpose) and m.message_id not in keep]


def _gone(result: Result) -> bool:
    return result.ok or (isinstance(result, Failed) and result.reason is FailReason.NOT_FOUND)


def _not_modified(result: Result) -> bool:
    return isinstance(result, Failed) and result.reason is FailReason.BAD_REQUEST and "not modified" in result.detail.lower()


class Keeper:
    """Keeps one community's pinned documents in step with their sources."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.info = ctx.here
        self.repo = PinnedRepo(ctx.session)

    # ---- helpers -------------------------------------------------------
    def _ref(self, doc: PinnedDoc, message_id: str) -> MessageRef:
        return MessageRef(self.info.chat, message_id, doc.place)

    def report(self, key: str, doc: PinnedDoc, **values: str | int) -> None:
        """Tell the moderators' log, once the change is committed."""
        if self.info.log_chat is None:
            return
        t = self.ctx.t
        send = self.info.to_log(t.t(key, slot=doc.slot, name=t.s(name_key(doc.slot)), version=doc.version, **values))
        if send is not None:
            self.ctx.after_commit(send)

    def _record(self, doc: PinnedDoc, what: str, actor: str, text: Rich | None) -> None:
        doc.version += 1
        doc.revision += 1
        doc.failures = 0
        doc.retry_after = None
        doc.updated_at = self.ctx.now
        self.repo.add_version(doc, actor, what, text.plain() if text is not None else "", self.ctx.now)
        self.report(f"pinned.log.{what}", doc, who=actor)

    def _fail(self, doc: PinnedDoc, doing: str, result: Result) -> None:
        doc.failures += 1
        doc.revision += 1
        doc.retry_after = self.ctx.now + self.info.settings.pinned.check_every
        reason = result.reason.value if isinstance(result, Failed) else type(result).__name__.lower()
        log.warning("pinned #%s in %s: %s failed (%s)", doc.slot, self.info.chat, doing, reason)
        if doc.failures == 1:
            self.report("pinned.log.failed", doc, doing=doing, reason=reason)

    async def _delete(self, doc: PinnedDoc, ids: Iterable[str]) -> None:
        gone = [mid for mid in ids if _gone(await self.ctx.perform(DeleteMessage(self._ref(doc, mid))))]  # gone already is fine
        await BotMessageRepo(self.ctx.session).forget_made(self.info.id, ledger_purpose(doc.slot), gone)

    async def sweep(self, doc: PinnedDoc) -> int:
        """Take down the copies a killed publication left (deleted, or unpinned where deleting is refused)."""
        repo = BotMessageRepo(self.ctx.session)
        left = strays(doc, await repo.made_for(self.info.id, ledger_purpose(doc.slot)))
        done: list[str] = []
        for m in left:
            ref = MessageRef(self.info.chat, m.message_id, m.place)
            if _gone(await self.ctx.perform(DeleteMessage(ref))) or (await self.ctx.perform(UnpinMessage(ref))).ok:
                done.append(m.message_id)
        await repo.forget_made(self.info.id, ledger_purpose(doc.slot), done)
        if left:
            log.warning("pinned #%s in %s: took down %d of %d stray copies", doc.slot, self.info.chat, len(done), len(left))
        return len(done)

    async def _post(self, doc: PinnedDoc, parts: list[Rich]) -> tuple[list[str], Result | None]:
        """Send and pin every part, in order: the new ids, and the first failure if any.

        When sending fails, the parts already sent are removed (no ids); when only
        pinning fails, the ids are returned so that a later check pins them
        instead of posting the document twice.
        """
        place = self.info.settings.pinned.place or self.info.main_place
        doc.place = place
        ids: list[str] = []
        for part in parts:
            result = await self.ctx.perform(SendMessage(self.info.chat, part, place=place, silent=True))
            if not isinstance(result, Done) or result.message is None:
                await self._delete(doc, ids)
                return [], result
            sent = result.messages or (result.message,)
            for m in sent:
                self.ctx.remember_message(m, ledger_purpose(doc.slot))  # committed before the next platform call
            ids.extend(m.id for m in sent)
        for mid in ids:
            result = await self.ctx.perform(PinMessage(self._ref(doc, mid)))
            if not result.ok:
                return ids, result
        return ids, None

    # ---- what can happen to a document ----------------------------------
    async def sync(self, doc: PinnedDoc, text: Rich, actor: str) -> str:
        """Publish when unpublished, edit in place when the text changed; returns what happened."""
        if not doc.message_ids:
            return await self.publish(doc, text, actor, "published")
        if doc.content_hash == digest(text):
            doc.revision += 1
            return "unchanged"
        return await self.edit(doc, text, actor)

    async def publish(self, doc: PinnedDoc, text: Rich, actor: str, what: str) -> str:
        """Post the document anew (removing its old messages) and pin it."""
        old = list(doc.message_ids)
        ids, failure = await self._post(doc, parts_for(self.info.chat.platform, text))
        if not ids:
            self._fail(doc, "publish", failure or Failed(FailReason.UNAVAILABLE))
            return "failed"
        await self._delete(doc, old)
        doc.message_ids = ids
        doc.content_hash = digest(text)
        self._record(doc, what, actor, text)
        if failure is not None:
            self._fail(doc, "pin", failure)
        return what

    async def edit(self, doc: PinnedDoc, text: Rich, actor: str) -> str:
        """Edit each part in place; a longer text gets more parts, a shorter one loses its tail."""
        parts = parts_for(self.info.chat.platform, text)
        old = list(doc.message_ids)
        for mid, part in zip(old, parts, strict=False):
            result = await self.ctx.perform(EditMessage(self._ref(doc, mid), part))
            if result.ok or _not_modified(result):
                continue
            if isinstance(result, Failed) and result.reason is FailReason.NOT_FOUND:
                return await self.publish(doc, text, actor, "reposted")  # someone deleted it: post it again
            self._fail(doc, "edit", result)
            return "failed"
        ids = old[: len(parts)]
        failure: Result | None = None
        if len(parts) > len(old):
            more, failure = await self._post(doc, parts[len(old) :])
            if not more:
                self._fail(doc, "edit", failure or Failed(FailReason.UNAVAILABLE))
                return "failed"
            ids.extend(more)
        await self._delete(doc, old[len(parts) :])
        doc.message_ids = ids
        doc.content_hash = digest(text)
        self._record(doc, "edited", actor, text)
        if failure is not None:
            self._fail(doc, "pin", failure)
        return "edited"

    async def restore(self, doc: PinnedDoc, text: Rich, pinned: set[str]) -> str:
        """Pin again what someone unpinned; post again what someone deleted."""
        missing = [mid for mid in doc.message_ids if mid not in pinned]
        for mid in missing:
            result = await self.ctx.perform(PinMessage(self._ref(doc, mid)))
            if isinstance(result, Failed) and result.reason is FailReason.NOT_FOUND:
                return await self.publish(doc, text, SYSTEM, "reposted")
            if not result.ok:
                self._fail(doc, "restore", result)
                return "failed"
        if not missing:
            doc.revision += 1
            return "unchanged"
        self._record(doc, "restored", SYSTEM, None)
        return "restored"

    async def retire(self, doc: PinnedDoc, actor: str) -> str:
        """The document has no text any more: take its messages down."""
        await self._delete(doc, doc.message_ids)
        doc.message_ids = []
        doc.content_hash = ""
        self._record(doc, "retired", actor, None)
        return "retired"
