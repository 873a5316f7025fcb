"""Charts drawn on the server as SVG: no script, no library in the browser, readable by a screen reader
(a title, a description, and the page shows the figures as a table beside each chart)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT, PAD = 640, 180, 24


def bars(ident: str, values: Sequence[float], labels: Sequence[str], title: str, colour: str = "#2f6fb5") -> str:
    """A bar per value (days, weeks), the highest one reaching the top; every fifth label under its bar."""
    n = max(len(values), 1)
    top = max(max(values, default=0), 1)
    step = (WIDTH - 2 * PAD) / n
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT + PAD}" role="img" aria-labelledby="{ident}-title">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<line x1="{PAD}" y1="{HEIGHT}" x2="{WIDTH - PAD}" y2="{HEIGHT}" stroke="#666" stroke-width="1"/>',
        f'<text x="{PAD}" y="{PAD - 8}" font-size="12" fill="#333">{escape(_number(top))}</text>',
    ]
    for i, v in enumerate(values):
        h = (HEIGHT - PAD) * v / top
        x = PAD + i * step
        label = escape(f"{labels[i]}: {_number(v)}") if i < len(labels) else ""
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{HEIGHT - h:.1f}" width="{max(step - 2, 1):.1f}" height="{h:.1f}" fill="{colour}">'
            f"<title>{label}</title></rect>"
        )
        if i < len(labels) and (i % 5 == 0 or n <= 8):
            mid = x + step / 2
            label_y = HEIGHT + 16
            parts.append(f'<text x="{mid:.1f}" y="{label_y}" font-size="11" text-anchor="middle" fill="#333">{escape(labels[i])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _number(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"
