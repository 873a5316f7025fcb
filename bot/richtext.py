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
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from bot.ids import UserRef


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None
    mention: UserRef | None = None


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


def _value_spans(v: Value, bold: bool, italic: bool, code: bool) -> list[Span]:
    if isinstance(v, Mention):
        return [Span(v.name, bold, italic, code, None, v.user)]
    if isinstance(v, Rich):
        out: list[Span] = []
        for i, line in enumerate(v.lines):
            if i:
                out.append(Span(" "))
            out.extend(replace(s, bold=s.bold or bold, italic=s.italic or italic) for s in line.spans)
        return out
    return [Span(str(v), bold, italic, code)]


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
        body = "".join(renderer.span(s) for s in line.spans)
        if line.style == "h":
            body = renderer.heading(body)
        elif line.style == "li":
            body = renderer.bullet + body
        out.append(body)
    return "\n".join(out)


def split(doc: Rich, renderer: Renderer, limit: int) -> list[str]:
    """Render ``doc`` into parts of at most ``limit`` characters.

    Splits at paragraph boundaries first, then at line boundaries, and only
    cuts inside a line when a single line is longer than the limit: between
    spans first, then inside one span's text. Cuts happen before rendering,
    so a part never ends inside a tag or an escape the renderer wrote (an HTML
    ``<b>`` is always closed in the part that opened it). Parts keep the
    document's order.
    """
    parts: list[str] = []
    current = ""

    def push(chunk: str, sep: str) -> None:
        nonlocal current
        candidate = current + sep + chunk if current else chunk
        if len(candidate) <= limit:
            current = candidate
            return
        if current:
            parts.append(current)
        current = chunk

    for para in doc.paragraphs():
        text = render(para, renderer)
        if len(text) <= limit:
            push(text, "\n\n")
            continue
        first = True
        for line in para.lines:
            sep = "\n\n" if first else "\n"
            first = False
            rendered = render(Rich((line,)), renderer)
            if len(rendered) <= limit:
                push(rendered, sep)
                continue
            pieces = _cut_line(line, renderer, limit)
            push(pieces[0], sep)
            for piece in pieces[1:]:
                parts.append(current)
                current = piece
    if current:
        parts.append(current)
    return parts


def _cut_line(line: Line, renderer: Renderer, limit: int) -> list[str]:
    """Render an over-long line as pieces of at most ``limit`` characters, cut between or inside spans."""
    prefix = renderer.bullet if line.style == "li" else ""
    wrap = renderer.heading if line.style == "h" else (lambda body: body)
    room = limit - len(wrap("")) - len(prefix)
    if room < 1:
        raise ValueError(f"limit {limit} leaves no room for text")
    bodies: list[str] = []
    cur = ""
    for span in line.spans:
        r = renderer.span(span)
        if len(cur) + len(r) <= room:
            cur += r
            continue
        if cur:
            bodies.append(cur)
            cur = ""
        if len(r) <= room:
            cur = r
            continue
        chunks = _cut_span(span, renderer, room)
        bodies.extend(chunks[:-1])
        cur = chunks[-1]
    if cur:
        bodies.append(cur)
    return [wrap((prefix if i == 0 else "") + body) for i, body in enumerate(bodies)]


def _cut_span(span: Span, renderer: Renderer, room: int) -> list[str]:
    """Cut one span's text (at spaces where possible) so each rendered piece fits in ``room``."""
    out: list[str] = []
    text = span.text
    while text:
        if len(renderer.span(replace(span, text=text))) <= room:
            out.append(renderer.span(replace(span, text=text)))
            break
        lo, hi = 0, len(text)  # the longest prefix whose rendering fits: rendering grows with the text
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if len(renderer.span(replace(span, text=text[:mid]))) <= room:
                lo = mid
            else:
                hi = mid - 1
        if lo == 0:
            raise ValueError(f"limit too small to render any of {text[:20]!r}")
        cut = text.rfind(" ", 0, lo)
        if cut <= lo // 2:
            cut = lo
        out.append(renderer.span(replace(span, text=text[:cut])))
        text = text[cut:].lstrip(" ")
    return out
