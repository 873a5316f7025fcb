"""Votes: from the platforms' native polls (``PollVoted``, ``PollUpdated``) and from button polls.

A non-anonymous poll keeps each member's choices (``/mydata`` shows them, ``/forgetme`` deletes them).
An anonymous poll keeps counts only: a vote adds to its option's count and nothing records who gave it.
Telegram sends no vote at all for anonymous polls, only their counts (``PollUpdated``); Discord names
every voter to the bot, and for an anonymous poll the name is dropped here, before anything is stored.
"""

from __future__ import annotations

from bot.core.actions import AnswerButton
from bot.core.commands import Where
from bot.core.context import Context
from bot.core.events import ButtonPressed, Event, PollUpdated, PollVoted, VoteChange
from bot.core.router import Flow
from storage.models.polls import Poll
from storage.repos.polls import PollRepo

OPEN = "open"


class NativeVotes:
    """Records the votes and counts the platforms report for the bot's native polls."""

    name = "polls.votes"
    events: tuple[type[Event], ...] = (PollVoted, PollUpdated)
    where = Where.ANYWHERE

    async def handle(self, ctx: Context, ev: PollVoted | PollUpdated, /) -> Flow | None:
        repo = PollRepo(ctx.session)
        poll = await repo.by_ref(ev.chat.platform, ev.poll)
        if poll is None or poll.status != OPEN:
            return None
        if isinstance(ev, PollUpdated):
            if poll.anonymous and len(ev.counts) == len(poll.options):
                await repo.set_tally(poll.id, ev.counts)
                poll.voters = ev.voters
            return None
        valid = tuple(o for o in ev.options if 0 <= o < len(poll.options))
        if poll.anonymous:
            if ev.change is not VoteChange.SET:  # a SET on an anonymous poll cannot say what changed: its counts will
                for option in valid:
                    await repo.add_to_tally(poll.id, option, 1 if ev.change is VoteChange.ADD else -1)
            return None
        if ev.voter is None:
            return None
        user = ev.voter.ref.id
        if ev.change is VoteChange.SET:
            await repo.set_choices(poll.id, user, valid, ctx.now)
            return None
        for option in valid:  # one statement each: Discord's remove-then-add of a changed answer may be handled at once
            if ev.change is VoteChange.ADD:
                await repo.add_choice(poll.id, user, option, ctx.now)
            else:
                await repo.remove_choice(poll.id, user, option)
        return None


async def on_press(ctx: Context, ev: ButtonPressed, rest: str) -> None:
    """``poll:<id>:<option>``: one vote (a second press of one's choice takes it back; multiple polls toggle)."""
    t = ctx.t
    poll_id, _, option_text = rest.partition(":")
    repo = PollRepo(ctx.session)
    poll = await repo.of_community(ctx.here.id, int(poll_id)) if poll_id.isdigit() else None
    option = int(option_text) if option_text.isdigit() else -1
    if poll is None or poll.status != OPEN or not 0 <= option < len(poll.options):
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("polls.vote.closed"), alert=True))
        return
    user = ev.user.ref.id
    if poll.anonymous:
        if not await repo.took_part(poll.id, user):
            ctx.after_commit(AnswerButton(ev.callback_id, t.s("polls.vote.already"), alert=True))
            return
        await repo.add_to_tally(poll.id, option, 1)
        ctx.after_commit(AnswerButton(ev.callback_id, t.s("polls.vote.counted", option=poll.options[option])))
        return
    chosen = set(await repo.choices(poll.id, user))
    if option in chosen:
        chosen.discard(option)
    else:
        chosen = chosen | {option} if poll.multiple else {option}
    await repo.set_choices(poll.id, user, sorted(chosen), ctx.now)
    ctx.after_commit(AnswerButton(ev.callback_id, _choices_text(ctx, poll, chosen)))


def _choices_text(ctx: Context, poll: Poll, chosen: set[int]) -> str:
    if not chosen:
        return ctx.t.s("polls.vote.withdrawn")
    return ctx.t.s("polls.vote.yours", options=", ".join(poll.options[i] for i in sorted(chosen)))
