"""A closed poll's results: the text (in the community's language) and a bar chart."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from babel.numbers import format_percent

from bot.core.i18n import Translator
from bot.core.richtext import Rich, join

BAR = 12  # characters of the text bar at 100 %
LABEL = 32  # characters of an option's label on the chart


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a closed poll says: votes per option, how many took part (None: not known), the winners."""

    options: tuple[str, ...]
    counts: tuple[int, ...]
    voters: int | None

    @property
    def votes(self) -> int:
        return sum(self.counts)

    @property
    def winners(self) -> tuple[str, ...]:
        """The options with the most votes (a tie names them all); none when nobody voted."""
        top = max(self.counts, default=0)
        return tuple(o for o, n in zip(self.options, self.counts, strict=False) if n == top) if top else ()

    @property
    def turnout(self) -> int:
        return self.voters if self.voters is not None else self.votes


def outcome(options: Sequence[str], counts: Sequence[int], voters: int | None) -> Outcome:
    padded = tuple(int(counts[i]) if i < len(counts) else 0 for i in range(len(options)))
    return Outcome(tuple(options), padded, voters)


def text(t: Translator, question: str, result: Outcome, anonymous: bool) -> Rich:
    total = result.votes
    lines: list[Rich] = [t.t("polls.results.title", question=question)]
    for i, (option, n) in enumerate(zip(result.options, result.counts, strict=False), start=1):
        share = n / total if total else 0.0
        bar = "█" * round(share * BAR) or "·"
        lines.append(t.t("polls.results.line", i=i, option=option, n=n, share=format_percent(share, locale=t.locale), bar=bar))
    if not total:
        lines.append(t.t("polls.results.nobody"))
    else:
        lines.append(t.t("polls.results.turnout", n=result.turnout))
        winners = result.winners
        key = "polls.results.winner" if len(winners) == 1 else "polls.results.tie"
        lines.append(t.t(key, option=" / ".join(winners)))
    if anonymous:
        lines.append(t.t("polls.results.anonymous"))
    return join(lines, blank_line=False)


@cache
def _font():  # type: ignore[no-untyped-def]
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    return FT2Font(font_manager.findfont(font_manager.FontProperties()))


def _label(i: int, option: str) -> str:
    """``"2. Saturday"``; just ``"2"`` where the chart's font lacks a letter (the caption names every option)."""
    short = option if len(option) <= LABEL else option[: LABEL - 1] + "…"
    font = _font()
    return f"{i}. {short}" if all(font.get_char_index(ord(ch)) for ch in short if not ch.isspace()) else str(i)


def chart_png(result: Outcome) -> bytes:
    """Votes per option as horizontal bars, the first option on top."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg  # imported here: only results need it
    from matplotlib.figure import Figure

    n = len(result.options)
    fig = Figure(figsize=(7, 0.55 * n + 1.0), dpi=100)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [_label(i, o) for i, o in enumerate(result.options, start=1)]
    positions = list(range(n))[::-1]
    winners = set(result.winners)
    colors = ["#1f4e79" if o in winners else "#8fb3d9" for o in result.options]
    ax.barh(positions, result.counts, color=colors)
    ax.set_yticks(positions, labels)
    for y, count in zip(positions, result.counts, strict=False):
        ax.text(count, y, f" {count}", va="center")
    ax.set_xlim(0, max(result.counts, default=0) * 1.15 + 1)
    ax.xaxis.set_visible(False)
    for side in ("top", "right", "bottom"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    return out.getvalue()
