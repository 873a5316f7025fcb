"""The spam filter: normalise, detect, decide in one place, act in one place, learn from moderators.

Runs first (priority SPAM). A removed message stops the chain, so nothing else
indexes or counts it. Staff, the bot itself, anonymous admins and the linked
channel are never touched. Layout: ``normalize`` (the skeleton), ``detectors``
(verdicts), ``decide`` (the policy), ``act`` (actions, record, log card),
``review`` (buttons, /spam, /notspam, appeals), ``service`` (memory).
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from bot.core import priorities
from bot.core.commands import Command, Where
from bot.core.context import Context
from bot.core.events import Event, MessageKind, MessagePosted, Role
from bot.core.router import Flow
from bot.core.runtime import Runtime
from handlers.spam import domains
from handlers.spam.act import PREFIX, act, repo
from handlers.spam.banlist import BanList
from handlers.spam.decide import RULES, Step, first_step, is_newcomer, judge, ladder
from handlers.spam.detectors import Verdict, combine, content_verdicts, lures, newcomer_verdicts
from handlers.spam.lexicon import lure_groups
from handlers.spam.memory import Recent, SpamMemory
from handlers.spam.normalize import normalize
from handlers.spam.report import Reports
from handlers.spam.review import Review
from handlers.spam.second import SecondOpinion


class SpamFilter:
    name = "spam"
    events: tuple[type[Event], ...] = (MessagePosted,)
    where = Where.GROUP

    def __init__(self, service: SpamMemory) -> None:
        self.service = service

    async def handle(self, ctx: Context, ev: MessagePosted, /) -> Flow | None:
        s = ctx.settings.spam
        if not s.enabled or ctx.role.is_staff:
            return None
        svc = self.service
        svc.recent.remember(ev.message, Recent.of(ev.author.ref.id, ev.author.display_name, ev.text, ev.images))
        n = normalize(ev.text)
        model = await svc.model(repo(ctx), ctx.here.id)
        verdicts = content_verdicts(n, model, s)
        if ev.images and await svc.images.match(repo(ctx), ctx.here.id, s.shared_images, ev.images):
            verdicts.append(Verdict("known_image", 1.0))  # a picture moderators confirmed as spam: their word
        newcomer = is_newcomer(ctx.member, ev.at, s, ctx.settings.levels.enabled)
        if newcomer:
            verdicts += newcomer_verdicts(n, s, ev.kind, ev.forwarded, ev.has_contact, ev.links)
            if s.shared_banlist and svc.banlist is not None and await svc.banlist.is_banned(ev.author.ref):
                verdicts.append(Verdict("banlist", 1.0))
        flood = svc.flood.observe(ctx.here.id, ev.author.ref.id, ev.at, s.flood_messages, s.flood_window)
        if flood is not None:
            verdicts.append(flood)
        dup = svc.duplicates.observe(n.text, ctx.here.id, ev.author.ref.id, ev.at)
        if dup is not None:
            verdicts.append(dup)
        found: tuple[str, ...] = ()
        if newcomer and combine(verdicts) >= s.threshold:  # (rare: only then is it worth reading the lures)
            found = lures(
                n, lure_groups(n.text), s.allowed_domains, ev.forwarded, ev.has_contact or ev.kind is MessageKind.CONTACT, ev.links
            )
        j = judge(verdicts, newcomer, s, found)
        asked = j.spam and s.second_opinion and svc.second is not None and not {v.reason for v in verdicts} & RULES
        if asked and svc.second is not None and await svc.second.vetoes(ev.text, ev.at):
            j = replace(j, spam=False, obvious_newcomer=False, flagged=True, vetoed=True)  # it may only keep the message
        if not newcomer and not verdicts:  # a trusted member's message nothing flagged: the community's normal talk
            model.remember(ev.author.ref.id, n)
        step = first_step(j, s)
        if step is Step.FLAG:
            await act(ctx, ev, j, step)
            return None
        if step is not None and not j.spam:
            return None
        if step is None:
            strikes = 1 if s.shadow_mode else await repo(ctx).strike(ctx.here.id, ev.author.ref.id, ev.at, s.strike_decay)
            step = ladder(strikes)
        removed = await act(ctx, ev, j, step)
        return Flow.STOP if removed else None


def setup(rt: Runtime, banlist: BanList | None = None) -> None:
    """Register the filter, its review buttons and commands, and its catalogs."""
    service = SpamMemory(banlist)
    llm = rt.config.spam_llm
    if llm.enabled and llm.url:  # (read at start: the key's variable is the deployment's)
        service.second = SecondOpinion(llm, os.environ.get(llm.key_env) if llm.key_env else None)
    service.starter_model()  # load the weights and the public suffix list at start, not in the first message's handler
    domains.warm()
    review = Review(service)
    rt.add_handler(SpamFilter(service), priorities.SPAM)
    rt.buttons.add(PREFIX, review.on_button)
    rt.add_forget_hook(review.forget)
    rt.commands.add(Command("spam", review.spam_command, "spam.cmd.spam", permission=Role.MODERATOR, where=Where.GROUP))
    rt.commands.add(Command("notspam", review.notspam_command, "spam.cmd.notspam", permission=Role.MODERATOR, where=Where.GROUP))
    reports = Reports(service)
    rt.commands.add(Command("report", reports.report_command, "spam.cmd.report", where=Where.GROUP, usage_key="spam.report.reply_needed"))
    rt.add_locales(Path(__file__).parent / "locales")
