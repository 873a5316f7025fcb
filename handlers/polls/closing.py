"""Closing polls at their time, and posting the results.

The database says what is due (open polls whose time has come), so a restart neither loses nor repeats
a closing. A closing is never "too late" for the runner's grace period: results matter after an outage
too, so an occurrence's ``due_at`` is the tick that found it. A poll goes ``open`` -> ``closing`` (the
platform's poll is stopped and the final counts are kept) -> ``closed`` (the results are posted); a
closing whose post failed on a busy platform is taken up again at the next tick from ``closing``.
"""

from __future__ import annotations

from bot.core.actions import ClosePoll, Done, EditMessage, Failed, PollResults, SendFile, SendMessage, Unsupported
from bot.core.context import Context
from bot.core.ids import MessageRef
from bot.core.richtext import Rich
from bot.core.ritual import Occurrence, quiet_until
from handlers.polls import results
from handlers.polls.create import ballot
from rituals.posting import TRANSIENT, RetryLater
from storage.models.polls import Poll
from storage.models.states import PollStatus
from storage.repos.polls import PollRepo

CHART_NAME = "poll-results.png"


class PollClosing:
    name = "poll_closing"

    async def due(self, ctx: Context) -> list[Occurrence]:
        repo = PollRepo(ctx.session)
        due = await repo.due(ctx.here.id, ctx.now)
        if not due:
            quiet_until(ctx, await repo.next_close(ctx.here.id))
        return [Occurrence(f"poll_close:{p.id}", ctx.now, {"poll": p.id}) for p in due]

    async def run(self, ctx: Context, occurrence: Occurrence) -> None:
        repo = PollRepo(ctx.session)
        poll = await repo.of_community(ctx.here.id, int(occurrence.data["poll"]))
        if poll is None or poll.status == PollStatus.CLOSED:
            return
        if poll.status == PollStatus.OPEN:
            await _close(ctx, poll)
        await _post_results(ctx, poll)


async def _close(ctx: Context, poll: Poll) -> None:
    """Stop the poll on the platform and keep its final counts (the platform's, where it tells them)."""
    repo = PollRepo(ctx.session)
    n = len(poll.options)
    if poll.anonymous:
        counts, voters = await repo.tally(poll.id, n), poll.voters
    else:
        counts, known = await repo.vote_counts(poll.id, n)
        voters = known
    if poll.message_id is not None:
        ref = MessageRef(ctx.here.chat, poll.message_id, poll.place)
        if poll.native:
            result = await ctx.perform(ClosePoll(ref))
            if isinstance(result, Failed) and result.reason in TRANSIENT:
                raise RetryLater(result.reason.value)
            if isinstance(result, PollResults) and len(result.counts) == n:
                counts = list(result.counts)  # what members saw; votes sent while the bot was away included
                voters = result.voters if result.voters is not None else voters
        else:
            ctx.after_commit(EditMessage(ref, ballot(ctx.t, poll, ctx, closed=True)))
    poll.counts, poll.voters = counts, voters
    poll.status, poll.closed_at = PollStatus.CLOSING, ctx.now
    await repo.forget_voters(poll.id)
    await ctx.session.flush()


async def _post_results(ctx: Context, poll: Poll) -> None:
    """The results in the community's language, as a chart with the text as its caption where there are votes."""
    c = ctx.here
    outcome = results.outcome(poll.options, poll.counts or [], poll.voters)
    text = results.text(ctx.t, poll.question, outcome, poll.anonymous)
    message: MessageRef | None = None
    if c.settings.polls.chart and outcome.votes:
        sent = await ctx.perform(SendFile(c.chat, CHART_NAME, results.chart_png(outcome), text, mime="image/png", place=poll.place))
        if isinstance(sent, Failed) and sent.reason in TRANSIENT:
            raise RetryLater(sent.reason.value)
        message = sent.message if isinstance(sent, Done) else None
        if isinstance(sent, Unsupported | Failed):
            message = await _say(ctx, text, poll.place)
    else:
        message = await _say(ctx, text, poll.place)
    poll.status = PollStatus.CLOSED
    poll.results_message_id = message.id if message is not None else None
    await ctx.session.flush()


async def _say(ctx: Context, text: Rich, place: str | None) -> MessageRef | None:
    """Post where the poll was; a busy platform is tried again next tick, a refusal for good is given up."""
    result = await ctx.perform(SendMessage(ctx.here.chat, text, place=place or ctx.here.main_place))
    if isinstance(result, Failed) and result.reason in TRANSIENT:
        raise RetryLater(result.reason.value)
    return result.message if isinstance(result, Done) else None
