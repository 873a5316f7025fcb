"""Welcome texts: the values every onboarding template can use, and the buttons under them.

Names only ever enter as placeholder values (``Mention``), so a member called
``<b>Admin</b>`` or ``[pay here](http://evil)`` is shown as plain text.
"""

from __future__ import annotations

from bot.core.actions import Button, Buttons
from bot.core.community import CommunityInfo
from bot.core.i18n import Translator
from bot.core.ids import UserRef
from bot.core.richtext import Line, Mention, Rich, Span, Value, markup

from .deeplink import payload_for


def link(label: str, url: str | None) -> Rich:
    """One linked label as a placeholder value (plain label when there is no URL)."""
    return Rich((Line((Span(label, link=url or None),)),))


def names(people: list[tuple[UserRef, str]]) -> Rich:
    """``Ann, Bob, Chen`` as mentions."""
    spans: list[Span] = []
    for i, (ref, name) in enumerate(people):
        if i:
            spans.append(Span(", "))
        spans.append(Span(name or ref.id, mention=ref))
    return Rich((Line(tuple(spans)),))


def values(t: Translator, info: CommunityInfo, member: Mention | Rich | str = "") -> dict[str, Value]:
    ob = info.settings.onboarding
    return {
        "member": member,
        "community": info.name,
        "rules_link": link(t.s("onboarding.rules_label"), ob.rules_url),
        "guide_link": link(t.s("onboarding.guide_label"), ob.guide_url),
        "intro_tag": "#" + info.settings.rubrics.intro_tag,
    }


def template_or_key(t: Translator, template: str, key: str, vals: dict[str, Value]) -> Rich:
    """A manager's template when set (validated at config load), else the catalog's text."""
    return markup(template, vals) if template else t.t(key, vals)


def deep_link_line(t: Translator, url: str | None) -> Rich:
    """How to get the welcome DM that could not be sent: a deep link, or (no links, as on Discord) open your DMs and write."""
    if not url:
        return t.t("onboarding.dm_closed")
    return t.t("onboarding.deeplink", link=link(t.s("onboarding.deeplink_label"), url))


def gate_buttons(t: Translator, info: CommunityInfo) -> Buttons:
    gate = info.settings.onboarding.gate
    if gate.mode == "button":
        return ((Button(t.s("onboarding.gate.button"), data="onb:gate"),),)
    if gate.mode == "choice":
        return tuple((Button(label[:64], data=f"onb:pick:{i}"),) for i, label in enumerate(gate.choices))
    return ()


def gate_line(t: Translator, info: CommunityInfo) -> Rich:
    gate = info.settings.onboarding.gate
    if gate.mode == "button":
        return t.t("onboarding.gate.press", values(t, info))
    if gate.mode == "choice":
        return t.t("onboarding.gate.choice", question=gate.question)
    return t.t("onboarding.gate.answer")


def dm_buttons(t: Translator, info: CommunityInfo) -> Buttons:
    ob = info.settings.onboarding
    cid = info.id
    # A link when the community has one, else a button that answers with the text in the DM.
    rules = Button(t.s("onboarding.button.rules"), f"onbdm:rules:{cid}" if not ob.rules_url else None, ob.rules_url or None)
    guide = Button(t.s("onboarding.button.guide"), f"onbdm:guide:{cid}" if not ob.guide_url else None, ob.guide_url or None)
    return (
        (rules, guide),
        (Button(t.s("onboarding.button.events"), f"onbdm:events:{cid}"),),
        (Button(t.s("onboarding.button.stop"), f"onbdm:stop:{cid}"),),
    )


def start_payload(info: CommunityInfo) -> str:
    return payload_for(info.id)
