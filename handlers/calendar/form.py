"""``/event add`` as a form (#22.1): on Discord a bare ``/event add`` slash command opens a modal with a box
per part (title, when, repeat, place or link, description), each with an example, so a manager need not learn
the one-line syntax. What comes back is put together as that one line and read the same way, so the form and
the typed command can never disagree. Telegram has no forms: there the command is typed."""

from __future__ import annotations

from bot.core.actions import AskForm, FormField
from bot.core.context import Context
from bot.core.events import FormSubmitted

PREFIX = "evform"
KEYS = ("title", "when", "repeat", "where", "about")


def ask(ctx: Context, interaction_id: str) -> AskForm:
    t = ctx.t
    fields = (
        FormField("title", t.s("calendar.form.title"), t.s("calendar.form.title_hint"), max_length=200),
        FormField("when", t.s("calendar.form.when"), t.s("calendar.form.when_hint"), max_length=60),
        FormField("repeat", t.s("calendar.form.repeat"), t.s("calendar.form.repeat_hint"), required=False, max_length=80),
        FormField("where", t.s("calendar.form.where"), t.s("calendar.form.where_hint"), required=False, max_length=500),
        FormField("about", t.s("calendar.form.about"), t.s("calendar.form.about_hint"), long=True, required=False, max_length=2000),
    )
    return AskForm(interaction_id, f"{PREFIX}:add", t.s("calendar.form.heading"), fields)


def typed(ev: FormSubmitted) -> str:
    """The form as ``/event add`` reads it: ``<when> [repeat <rule>] <title> | <place or link> | <description>``.
    A ``|`` typed in a box would start another part, so it becomes ``/``."""
    v = {k: ev.value(k).replace("|", "/").replace("\n", " ") for k in KEYS[:-1]}
    about = ev.value("about").replace("|", "/")
    rule = v["repeat"].removeprefix("repeat ").strip()
    line = " ".join(p for p in (v["when"], f"repeat {rule}" if rule else "", v["title"]) if p)
    if v["where"] or about:
        line += f" | {v['where']}"
    if about:
        line += f" | {about}"
    return line
