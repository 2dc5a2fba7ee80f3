"""Inline SVG charts for the HTML report: no scripts, no fonts, every label escaped."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from simulator.progress.chart import buckets

MAX_POINTS = 400  # a line of 10,000 calls is drawn from 400 averaged runs


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(values: Sequence[float], low: float | None = None, high: float | None = None,
               *, label: str, marked: int | None = None, width: int = 720,
               height: int = 160) -> str:
    """A line over calls (oldest left); `marked` circles the value at that call index."""
    if not values:
        return ""
    points = buckets(values, MAX_POINTS)
    low = min(values) if low is None else low
    high = max(values) if high is None else high
    span = (high - low) or 1.0
    pad_left, pad, plot_w, plot_h = 44, 10, width - 54, height - 30

    def x(index: float, count: int) -> float:
        return pad_left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y(value: float) -> float:
        return pad + plot_h * (1 - (min(max(value, low), high) - low) / span)

    line = " ".join(f"{_num(x(n, len(points)))},{_num(y(v))}" for n, v in enumerate(points))
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}">',
        f"<title>{escape(label)}</title>",
        f'<line class="axis" x1="{pad_left}" y1="{pad + plot_h}" x2="{pad_left + plot_w}" '
        f'y2="{pad + plot_h}"/>',
        f'<text class="tick" x="{pad_left - 6}" y="{_num(y(high) + 4)}" text-anchor="end">'
        f"{escape(_num(high))}</text>",
        f'<text class="tick" x="{pad_left - 6}" y="{_num(y(low) + 4)}" text-anchor="end">'
        f"{escape(_num(low))}</text>",
        f'<text class="tick" x="{pad_left}" y="{height - 4}">first call</text>',
        f'<text class="tick" x="{pad_left + plot_w}" y="{height - 4}" text-anchor="end">'
        f"latest ({len(values)} calls)</text>",
        f'<polyline class="line" points="{line}"/>',
    ]
    if len(points) <= 60:
        parts += [f'<circle class="dot" cx="{_num(x(n, len(points)))}" cy="{_num(y(v))}" r="3"/>'
                  for n, v in enumerate(points)]
    if marked is not None and 0 <= marked < len(values):
        cx = x(marked * (len(points) - 1) / max(len(values) - 1, 1), len(points))
        parts.append(f'<circle class="marked" cx="{_num(cx)}" cy="{_num(y(values[marked]))}" '
                     f'r="6"><title>this call: {escape(_num(values[marked]))}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def rate_bars(rows: Sequence[tuple[str, float | None]], *, label: str, width: int = 720) -> str:
    """One horizontal bar per (title, rate in 0..1); no rate -> 'no judged calls'."""
    row_h, label_w, bar_w = 24, 250, width - 310
    height = row_h * len(rows) + 8
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}">',
        f"<title>{escape(label)}</title>",
    ]
    for n, (title, rate) in enumerate(rows):
        top = 4 + n * row_h
        parts.append(f'<text class="label" x="{label_w - 8}" y="{top + 16}" text-anchor="end">'
                     f"{escape(title)}</text>")
        parts.append(f'<rect class="track" x="{label_w}" y="{top + 4}" width="{bar_w}" '
                     f'height="14"/>')
        if rate is None:
            shown = "no judged calls"
        else:
            shown = f"{round(100 * rate)}%"
            parts.append(f'<rect class="fill" x="{label_w}" y="{top + 4}" '
                         f'width="{_num(bar_w * rate)}" height="14"/>')
        parts.append(f'<text class="value" x="{label_w + bar_w + 8}" y="{top + 16}">'
                     f"{escape(shown)}</text>")
    parts.append("</svg>")
    return "".join(parts)
