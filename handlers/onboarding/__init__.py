"""Onboarding: join requests, group welcome (and join waves), welcome DM with a deep-link fallback, rules gate,
welcome campaign, newcomers of the week, activation tracking, goodbye and the farewell question."""

from __future__ import annotations

from pathlib import Path

from bot.core import priorities
from bot.core.runtime import MEMBER_REMOVED, Runtime

from .activation import ActivationTracker
from .campaign import Campaign
from .direct import DirectStart, DirectText, on_dm_button
from .gate import GateTimeout, on_button
from .goodbye import Goodbye
from .join_requests import JoinRequests, JoinRequestTimeout
from .join_requests import on_button as on_join_request_button
from .newcomers import NewcomersOfTheWeek
from .waves import JoinWaves, WaveWelcome
from .welcome import Welcomer


def setup(rt: Runtime) -> None:
    """Register the feature's handlers, buttons, rituals and catalogs."""
    activation = ActivationTracker()
    rt.add_handler(Welcomer(JoinWaves(), activation), priorities.ONBOARDING)
    goodbye = Goodbye(activation)
    rt.add_handler(goodbye, priorities.ONBOARDING)
    rt.add_handler(JoinRequests(), priorities.ONBOARDING)
    rt.add_handler(DirectStart(), priorities.ONBOARDING)
    rt.add_handler(DirectText(), priorities.ONBOARDING)
    rt.add_handler(activation, priorities.ONBOARDING)
    rt.buttons.add("onb", on_button)
    rt.buttons.add("onbdm", on_dm_button)
    rt.buttons.add("jr", on_join_request_button)
    rt.add_ritual(WaveWelcome())
    rt.add_ritual(GateTimeout())
    rt.add_ritual(JoinRequestTimeout())
    rt.add_ritual(Campaign())
    rt.add_ritual(NewcomersOfTheWeek())
    rt.on(MEMBER_REMOVED, goodbye.member_removed)
    rt.add_forget_hook(activation.forget_member)
    rt.add_locales(Path(__file__).parent / "locales")
