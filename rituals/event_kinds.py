"""What kind of event it is (AMA, demo, workshop, meetup, challenge): typed as ``[workshop]`` before the title
(in English or the community's words), shown with its sign before the title wherever events are listed: the
card, ``/events`` and the pinned events document (so it lives here, where both features read events)."""

from __future__ import annotations

from bot.core.i18n import Translator

KINDS = ("ama", "demo", "workshop", "meetup", "challenge")
SIGNS = {"ama": "🎤", "demo": "🖥️", "workshop": "🛠️", "meetup": "🤝", "challenge": "🏁"}


def label(t: Translator, kind: str) -> str:
    return t.s(f"core.event_kind.{kind}")


def read_kind(t: Translator, word: str) -> str | None:
    """The kind a word names (``ama``, ``Workshop``, ``мастер-класс``); None when it names none."""
    w = word.strip().strip("[]").casefold()
    for kind in KINDS:
        if w in (kind, label(t, kind).casefold()):
            return kind
    return None


def split_kind(t: Translator, title: str) -> tuple[str, str]:
    """``[workshop] Repair café`` -> ("workshop", "Repair café"); a title without a known ``[kind]`` stays whole."""
    if title.startswith("[") and "]" in title:
        word, _, rest = title[1:].partition("]")
        kind = read_kind(t, word)
        if kind is not None and rest.strip():
            return kind, rest.strip()
    return "", title


def titled(t: Translator, kind: str, title: str) -> str:
    """The title as shown: ``🛠️ Workshop · Repair café``, or the title alone for an event of no kind."""
    return f"{SIGNS[kind]} {label(t, kind)} · {title}" if kind in SIGNS else title
