"""The survey DMs: the recommend question (0-10) and the onboarding "How was your start here?", with buttons.

Every button's data is ``svy:<answer id>:<choice>``: the answer row names the community and the member, so a
press from a DM (no community in it, no guild on Discord) finds its way, and a forged id finds nothing of
anyone else's (the row must be the presser's).
"""

from __future__ import annotations

from bot.core.actions import Button, Buttons, Failed, FailReason, Result
from bot.core.community import CommunityInfo
from bot.core.context import Context
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from storage.models.listening import SurveyAnswer
from storage.models.states import SurveyState
from storage.repos.listening import SurveyRepo

PREFIX = "svy"
START_CHOICES = ("surveys.start.hard", "surveys.start.okay", "surveys.start.great")  # score 0, 1, 2
STOP, SKIP = "stop", "skip"


KINDS = ("nps", "start")  # the recommend question; the onboarding "How was your start here?"


def highest(kind: str) -> int:
    return 10 if kind == "nps" else len(START_CHOICES) - 1


def kinds_taking(score: int) -> tuple[str, ...]:
    """The kinds of question ``score`` is a possible answer to."""
    return tuple(k for k in KINDS if score <= highest(k))


def nps_buttons(t: Translator, answer_id: int) -> Buttons:
    row = lambda scores: tuple(Button(str(n), f"{PREFIX}:{answer_id}:{n}") for n in scores)  # noqa: E731
    return (row(range(0, 6)), row(range(6, 11)), (Button(t.s("surveys.button.stop"), f"{PREFIX}:{answer_id}:{STOP}"),))


def start_buttons(t: Translator, answer_id: int) -> Buttons:
    choices = tuple(Button(t.s(key), f"{PREFIX}:{answer_id}:{n}") for n, key in reversed(list(enumerate(START_CHOICES))))
    return (choices, (Button(t.s("surveys.button.stop"), f"{PREFIX}:{answer_id}:{STOP}"),))


async def ask(ctx: Context, info: CommunityInfo, row: SurveyAnswer, t: Translator) -> Result:
    """Send the question of ``row``; a refused DM marks the row (and, through ``ctx.direct``, the person) closed."""
    user = UserRef(info.chat.platform, row.user_id)
    await ctx.session.flush()  # the row's id goes into the buttons
    if row.kind == "nps":
        result = await ctx.direct(user, t.t("surveys.nps.question", community=info.name), buttons=nps_buttons(t, row.id))
    else:
        result = await ctx.direct(user, t.t("surveys.start.question", community=info.name), buttons=start_buttons(t, row.id))
    if isinstance(result, Failed):
        if result.reason is FailReason.DM_CLOSED:
            row.state = SurveyState.DM_CLOSED
        else:  # the platform is busy or down: the invitation goes, a later batch asks again
            await ctx.session.delete(row)
    return result


async def onboarding_step(ctx: Context, user: UserRef, t: Translator) -> Result:
    """The campaign step of kind "survey": asked once per member (a rejoin is not asked again)."""
    info = ctx.here
    row = await SurveyRepo(ctx.session).invite(info.id, "start", "start", user.id, ctx.now)
    if row is None:
        return Failed(FailReason.BAD_REQUEST, "asked already")
    return await ask(ctx, info, row, t)
