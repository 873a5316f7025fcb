"""Pulse surveys: the recommend question (0-10) by DM to a sample of members each period, with an optional
"why?" that lands in the feedback inbox, and the onboarding survey as a campaign step (``kind = "survey"``).

Opting out reuses ``people.dm_opt_out``: one flag for "no unasked DMs from this bot", already honoured by the
welcome DM and the campaign, so a member who says stop is not asked by any feature again (``/optin`` undoes it).
"""

from __future__ import annotations

from pathlib import Path

from bot.core import priorities
from bot.core.commands import Command
from bot.core.runtime import Runtime

from .answers import SurveyComment, on_button, optin_command, optout_command
from .asking import PREFIX, onboarding_step
from .figures import METRICS
from .pulse import PulseSurvey


def setup(rt: Runtime) -> None:
    rt.add_handler(SurveyComment(), priorities.LISTENING)
    rt.buttons.add(PREFIX, on_button)
    rt.commands.add(Command("optout", optout_command, "surveys.cmd.optout"))
    rt.commands.add(Command("optin", optin_command, "surveys.cmd.optin"))
    rt.add_ritual(PulseSurvey())
    rt.campaign_steps["survey"] = onboarding_step
    for name, fn in METRICS.items():
        rt.add_metric(name, fn)
    rt.add_locales(Path(__file__).parent / "locales")
