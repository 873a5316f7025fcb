"""Neutral light markup.

Bot texts are written once, in a tiny markup, and rendered by each adapter to
its platform's format. The template markup is trusted (it comes from our
catalogs or a manager's document); values put into placeholders are never
parsed as markup, so a member called ``<b>*evil*</b>`` stays plain text on every
platform.

Template syntax (line oriented):

- ``# Heading`` at the start of a line, ``- item`` for a list item;
- ``**bold**``, ``__italic__``, ``` `code` ```, ``[label](https://url)``;
- ``{name}`` placeholders; ``{{`` and ``}}`` for literal braces.

Spans that need the platform to be written (a mention, a moment, a link to a message) carry a neutral
reference and a text that stands in where the platform has nothing better.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from bot.core.ids import MessageRef, UserRef


@dataclass(frozen=True, slots=True)
class Moment:
    """An instant a platform may show in each reader's own zone, language and clock.

    ``style``: ``full`` (weekday, date and time), ``date``, ``time`` or ``relative`` ("in 3 days"). The span
    that carries it keeps a text written in the community's zone, for platforms (and clients) that cannot.
    """

    unix: int
    style: str = "full"


MOMENT_STYLES = ("full", "date", "time", "relative")


@dataclass(frozen=True, slots=True)
class MessageLink:
    """A link to a message, labelled ``label``, written by each platform's outbox (``resolve_links``).

    The span that carries it keeps a textual reference ("message 42") as its text: what a platform
    without links to that message shows (the local simulator, Telegram's basic groups, a DM).
    """

    ref: MessageRef
    label: str


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None
    mention: UserRef | None = None
    time: Moment | None = None
    message: MessageLink | None = None


@dataclass(frozen=True, slots=True)
class Line:
    """One line of a document; ``style`` is ``"p"``, ``"h"`` (heading) or ``"li"``."""

    spans: tuple[Span, ...]
    style: str = "p"


@dataclass(frozen=True, slots=True)
class Rich:
    """A document: lines of styled spans. Empty lines separate paragraphs."""

    lines: tuple[Line, ...]

    def plain(self) -> str:
        return render(self, PLAIN)

    def __add__(self, other: Rich) -> Rich:
        return Rich(self.lines + other.lines)

    def paragraphs(self) -> list[Rich]:
        """Split at empty lines, keeping order; empty paragraphs are dropped."""
        out: list[Rich] = []
        cur: list[Line] = []
        for line in self.lines:
            if not line.spans or all(not s.text for s in line.spans):
                if cur:
                    out.append(Rich(tuple(cur)))
                    cur = []
            else:
                cur.append(line)
        if cur:
            out.append(Rich(tuple(cur)))
        return out


@dataclass(frozen=True, slots=True)
class Mention:
    """A placeholder value that renders as a mention of a user."""

    user: UserRef
    name: str


def message_link(ref: MessageRef, label: str, unlinked: str) -> Rich:
    """A link to ``ref`` labelled ``label`` where the platform has one, else the textual reference ``unlinked``."""
    return Rich((Line((Span(unlinked, message=MessageLink(ref, label)),)),))


LinkOf = Callable[[MessageRef], str | None]


def has_links(doc: Rich) -> bool:
    return any(s.message is not None for line in doc.lines for s in line.spans)


def resolve_links(doc: Rich, link_of: LinkOf) -> Rich:
    """Each message link as the platform writes it: its label linked to ``link_of(ref)``, or (None) its textual reference."""
    if not has_links(doc):
        return doc
    return Rich(tuple(replace(line, spans=tuple(_resolved(s, link_of) for s in line.spans)) for line in doc.lines))


def _resolved(s: Span, link_of: LinkOf) -> Span:
    if s.message is None:
        return s
    url = link_of(s.message.ref)
    return replace(s, text=s.message.label, link=url, message=None) if url else replace(s, message=None)


def plain(text: str) -> Rich:
    """Untrusted text as a document, one line per line, never parsed."""
    return Rich(tuple(Line((Span(line),)) for line in text.split("\n")))


_INLINE = re.compile(
    r"(?P<bold>\*\*)|(?P<italic>__)|(?P<code>`)|"
    r"\[(?P<label>[^\]\n]+)\]\((?P<url>[^)\s]+)\)|"
    r"(?P<lb>\{\{)|(?P<rb>\}\})|\{(?P<ph>[a-zA-Z_][a-zA-Z0-9_]*)\}"
)

Value = str | int | float | Mention | Rich


def placeholders(template: str) -> set[str]:
    """The placeholder names a template uses."""
    return {m.group("ph") for m in _INLINE.finditer(template) if m.group("ph")}


def markup(template: str, values: Mapping[str, Value] | None = None, /, **kw: Value) -> Rich:
    """Parse a trusted template and fill its placeholders with untrusted values."""
    vals: dict[str, Value] = dict(values or {})
    vals.update(kw)
    lines: list[Line] = []
    for raw in template.split("\n"):
        style = "p"
        if raw.startswith("# "):
            style, raw = "h", raw[2:]
        elif raw.startswith("- "):
            style, raw = "li", raw[2:]
        lines.append(Line(tuple(_parse_line(raw, vals)), style))
    return Rich(tuple(lines))


def _parse_line(raw: str, vals: Mapping[str, Value]) -> list[Span]:
    spans: list[Span] = []
    bold = italic = code = False
    pos = 0
    for m in _INLINE.finditer(raw):
        if m.start() > pos:
            spans.append(Span(raw[pos : m.start()], bold, italic, code))
        pos = m.end()
        if m.group("bold"):
            bold = not bold
        elif m.group("italic"):
            italic = not italic
        elif m.group("code"):
            code = not code
        elif m.group("label"):
            label = m.group("label")
            for ph in placeholders(label):
                label = label.replace("{" + ph + "}", _as_text(vals.get(ph, "")))
            spans.append(Span(label, bold, italic, code, m.group("url")))
        elif m.group("lb"):
            spans.append(Span("{", bold, italic, code))
        elif m.group("rb"):
            spans.append(Span("}", bold, italic, code))
        else:
            name = m.group("ph")
            if name not in vals:
                raise KeyError(f"missing value for placeholder {{{name}}}")
            spans.extend(_value_spans(vals[name], bold, italic, code))
    if pos < len(raw):
        spans.append(Span(raw[pos:], bold, italic, code))
    return spans


def _as_text(v: Value) -> str:
    if isinstance(v, Mention):
        return v.name
    if isinstance(v, Rich):
        return v.plain()
    return str(v)


# Bidi controls, and the blocks of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, NKo, ... and
# their presentation forms): a value with any of these is isolated.
_TURNS_TEXT = re.compile(
    "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\U00010800-\U00010fff\U0001e800-\U0001efff]"
)


def isolate(text: str) -> str:
    """``text`` in a first-strong isolate (FSI ... PDI) when it could turn the text around it: a name with
    an unterminated right-to-left override (U+202E) would otherwise reverse the bot's own words after it,
    and a right-to-left name would pull the punctuation next to it. Other text is left as it is."""
    return f"\u2068{text}\u2069" if _TURNS_TEXT.search(text) else text


def _value_spans(v: Value, bold: bool, italic: bool, code: bool) -> list[Span]:
    if isinstance(v, Mention):
        return [Span(isolate(v.name), bold, italic, code, None, v.user)]
    if isinstance(v, Rich):
        out: list[Span] = []
        for i, line in enumerate(v.lines):
            if i:
                out.append(Span(" "))
            out.extend(replace(s, bold=s.bold or bold, italic=s.italic or italic) for s in line.spans)
        return out
    return [Span(isolate(str(v)), bold, italic, code)]


def join(parts: Iterable[Rich], blank_line: bool = True) -> Rich:
    lines: list[Line] = []
    for i, p in enumerate(parts):
        if i and blank_line:
            lines.append(Line(()))
        lines.extend(p.lines)
    return Rich(tuple(lines))


@dataclass(frozen=True, slots=True)
class Renderer:
    """How one platform writes spans and lines."""

    span: Callable[[Span], str]
    heading: Callable[[str], str]
    bullet: str = "• "


def _plain_span(s: Span) -> str:
    if s.link and s.link != s.text:
        return f"{s.text} ({s.link})"
    return s.text


PLAIN = Renderer(span=_plain_span, heading=lambda t: t)


def render(doc: Rich, renderer: Renderer) -> str:
    out: list[str] = []
    for line in doc.lines:
        # Neighbours of one style are written as one span: "**Rules of ****Town**" is not bold on Discord.
        body = "".join(renderer.span(s) for s in _merge(list(line.spans)))
        if line.style == "h":
            body = renderer.heading(body)
        elif line.style == "li":
            body = renderer.bullet + body
        out.append(body)
    return "\n".join(out)


def split(doc: Rich, renderer: Renderer, limit: int) -> list[str]:
    """Render ``doc`` into parts of at most ``limit`` characters, in the document's order.

    The cuts are made in the document, not in the rendered text (see ``split_rich``),
    so a part never ends inside a bold run, a link or a heading's markup.
    """
    return [render(part, renderer) for part in split_rich(doc, renderer, limit)]


def split_rich(doc: Rich, renderer: Renderer, limit: int) -> list[Rich]:
    """Cut ``doc`` into documents that each render within ``limit`` characters.

    Splits at paragraph boundaries first, then at line boundaries, and only
    cuts inside a line (between spans, then inside a span's text, at a space
    when there is one) when a single line is longer than the limit. Every piece
    of a cut span keeps the span's style and link, so markup is closed and
    reopened around the cut instead of being broken. Parts keep the order.
    """
    if limit < 1:
        raise ValueError("limit must be positive")
    parts: list[Rich] = []
    cur: list[Line] = []
    cur_len = 0

    def flush() -> None:
        nonlocal cur, cur_len
        if cur:
            parts.append(Rich(tuple(cur)))
        cur, cur_len = [], 0

    def push(lines: list[Line], size: int, blank: bool) -> None:
        """Append ``lines`` to the current part, separated by a blank line or a newline."""
        nonlocal cur_len
        sep = (2 if blank else 1) if cur else 0
        if cur and cur_len + sep + size > limit:
            flush()
            sep = 0
        if sep == 2:
            cur.append(Line(()))
        cur.extend(lines)
        cur_len += sep + size

    for para in doc.paragraphs():
        sizes = [_line_len(line, renderer) for line in para.lines]
        total = sum(sizes) + len(sizes) - 1
        if total <= limit:
            push(list(para.lines), total, blank=True)
            continue
        for i, (line, size) in enumerate(zip(para.lines, sizes, strict=True)):
            pieces = [line] if size <= limit else _cut_line(line, renderer, limit)
            for j, piece in enumerate(pieces):
                push([piece], size if len(pieces) == 1 else _line_len(piece, renderer), blank=(i == 0 and j == 0))
    flush()
    return parts


def _line_len(line: Line, renderer: Renderer) -> int:
    return len(render(Rich((line,)), renderer))


def _cut_line(line: Line, renderer: Renderer, limit: int) -> list[Line]:
    """Cut an over-long line between spans, or inside a span's text; never inside markup."""
    follow = "p" if line.style == "li" else line.style  # a list item's continuation gets no second bullet
    out: list[Line] = []
    spans: list[Span] = []

    def style() -> str:
        return line.style if not out else follow

    def fits(candidate: list[Span]) -> bool:
        return _line_len(Line(tuple(candidate), style()), renderer) <= limit

    queue = list(line.spans)
    while queue:
        span = queue.pop(0)
        if fits([*spans, span]):
            spans.append(span)
            continue
        if spans and fits([span]):
            out.append(Line(tuple(spans), style()))
            spans = [span]
            continue
        if spans and not fits([*spans, replace(span, text=span.text[:1])]):
            out.append(Line(tuple(spans), style()))
            spans = []
        if not fits([*spans, replace(span, text=span.text[:1])]):
            if span.link is not None or span.mention is not None or span.time is not None or span.message is not None:
                queue.insert(0, replace(span, link=None, mention=None, time=None, message=None))  # the markup alone is too long
                continue
            spans.append(replace(span, text=span.text[:1]))  # a limit smaller than one character of markup
            if len(span.text) > 1:
                queue.insert(0, replace(span, text=span.text[1:]))
            out.append(Line(tuple(spans), style()))
            spans = []
            continue
        if span.message is not None:  # a message link is never cut in two links: too long for a line, it is its reference
            queue.insert(0, replace(span, message=None))
            continue
        # The longest prefix of this span that still fits, cut at a space when one is near.
        lo, hi = 1, len(span.text)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if fits([*spans, replace(span, text=span.text[:mid])]):
                lo = mid
            else:
                hi = mid - 1
        cut = span.text.rfind(" ", 0, lo + 1)
        if cut <= lo // 2:
            cut = lo
        head, tail = span.text[:cut].rstrip(" ") or span.text[:cut], span.text[cut:].lstrip(" ")
        spans.append(replace(span, text=head))
        out.append(Line(tuple(spans), style()))
        spans = []
        if tail:
            queue.insert(0, replace(span, text=tail))
    if spans:
        out.append(Line(tuple(spans), style()))
    return out


# ---- Markdown documents -----------------------------------------------------
#
# Managers write long documents (the pinned rules) as Markdown files. They are
# trusted like templates, but braces are literal (no placeholders) and the
# common Markdown spellings are understood: ``*italic*``/``_italic_``,
# ``**bold**``/``__bold__``, ``## headings``, ``* items``, ``1. items``,
# ``<https://autolinks>`` and backslash escapes. Unclosed markers stay text.

_MD_INLINE = re.compile(
    r"(?P<esc>\\[\\`*_{}\[\]()#+\-.!<>~|])"
    r"|`(?P<code>[^`\n]+)`"
    r"|\[(?P<label>[^\]\n]+)\]\((?P<url>(?:https?://|mailto:|tg://)[^)\s]+)\)"
    r"|<(?P<auto>(?:https?://|mailto:)[^>\s]+)>"
    r"|\*\*(?P<b1>[^\s*](?:.*?[^\s\\])?)\*\*"
    r"|(?<![\w_])__(?P<b2>[^\s_](?:.*?[^\s\\])?)__(?![\w_])"
    r"|\*(?P<i1>[^\s*](?:.*?[^\s*\\])?)\*"
    r"|(?<![\w_])_(?P<i2>[^\s_](?:.*?[^\s_\\])?)_(?![\w_])"
    r"|~~(?P<strike>[^\s~](?:.*?[^\s~])?)~~"
)
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_ITEM = re.compile(r"^\s*[-*+]\s+(.*)$")
_MD_NUMBERED = re.compile(r"^\s*(\d{1,9})[.)]\s+(.*)$")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_MD_FENCE = re.compile(r"^\s{0,3}(```|~~~)")


def from_markdown(text: str) -> Rich:
    """A manager's Markdown document as a ``Rich`` document (braces are literal)."""
    lines: list[Line] = []
    in_fence = False
    for raw in text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        raw = raw.rstrip()
        if _MD_FENCE.match(raw):
            in_fence = not in_fence
            continue
        if in_fence:
            lines.append(Line((Span(raw, code=True),) if raw else ()))
            continue
        if not raw.strip() or _MD_RULE.match(raw):
            lines.append(Line(()))
            continue
        if m := _MD_HEADING.match(raw):
            lines.append(Line(tuple(_md_spans(m.group(1))), "h"))
        elif m := _MD_ITEM.match(raw):
            lines.append(Line(tuple(_md_spans(m.group(1))), "li"))
        elif m := _MD_NUMBERED.match(raw):
            lines.append(Line((Span(f"{m.group(1)}. "), *_md_spans(m.group(2)))))
        else:
            body = raw.strip()
            if body.startswith(">"):
                body = body.lstrip(">").strip()
            lines.append(Line(tuple(_md_spans(body))))
    return Rich(tuple(lines))


def _md_spans(text: str, bold: bool = False, italic: bool = False, link: str | None = None) -> list[Span]:
    spans: list[Span] = []
    pos = 0
    for m in _MD_INLINE.finditer(text):
        if m.start() > pos:
            spans.append(Span(text[pos : m.start()], bold, italic, False, link))
        pos = m.end()
        if m.group("esc"):
            spans.append(Span(m.group("esc")[1], bold, italic, False, link))
        elif m.group("code") is not None:
            spans.append(Span(m.group("code"), bold, italic, True, link))
        elif m.group("label") is not None:
            spans.extend(_md_spans(m.group("label"), bold, italic, m.group("url")))
        elif m.group("auto") is not None:
            spans.append(Span(m.group("auto"), bold, italic, False, m.group("auto")))
        elif m.group("b1") is not None or m.group("b2") is not None:
            spans.extend(_md_spans(m.group("b1") or m.group("b2"), True, italic, link))
        elif m.group("i1") is not None or m.group("i2") is not None:
            spans.extend(_md_spans(m.group("i1") or m.group("i2"), bold, True, link))
        else:
            spans.extend(_md_spans(m.group("strike"), bold, italic, link))  # no strike-through on every platform
    if pos < len(text):
        spans.append(Span(text[pos:], bold, italic, False, link))
    return _merge(spans)


def _merge(spans: list[Span]) -> list[Span]:
    """Join neighbouring spans of the same style (escapes split them)."""
    out: list[Span] = []
    for s in spans:
        if not s.text:
            continue
        if out and s.mention is None and s.time is None and s.message is None and replace(out[-1], text="") == replace(s, text=""):
            out[-1] = replace(out[-1], text=out[-1].text + s.text)
        else:
            out.append(s)
    return out
