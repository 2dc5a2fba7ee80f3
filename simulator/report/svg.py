"""Charts for the HTML report: inline SVG for the shapes, HTML for every word and number.

An SVG scales with its viewBox, so text drawn inside it shrinks on a phone (a 720-unit chart
on a 390 px screen halves 12 px labels). Labels are therefore HTML around the SVG, at the
page's own font size, and the SVG holds only lines, dots and bars.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from simulator.progress.chart import buckets

MAX_POINTS = 400  # a line of 10,000 calls is drawn from 400 averaged runs
# Pass-rate bands: below 50% is low (red), below 80% middling (amber), from 80% good (green).
RATE_BANDS: tuple[tuple[float, str, str], ...] = ((0.5, "low", "low"), (0.8, "mid", "fair"),
                                                  (float("inf"), "high", "good"))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def rate_band(rate: float | None) -> tuple[str, str]:
    """(CSS class, word) for a pass rate in 0..1: low/low, mid/fair, high/good; na/n/a."""
    if rate is None:
        return "na", "n/a"
    return next((css, word) for limit, css, word in RATE_BANDS if rate < limit)


def rate_text(rate: float | None) -> str:
    """"67%", or "n/a" when no call judged the check."""
    return "n/a" if rate is None else f"{round(100 * rate)}%"


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
    pad, plot_w, plot_h = 8, width - 16, height - 16

    def x(index: float, count: int) -> float:
        return pad + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y(value: float) -> float:
        return pad + plot_h * (1 - (min(max(value, low), high) - low) / span)

    line = " ".join(f"{_num(x(n, len(points)))},{_num(y(v))}" for n, v in enumerate(points))
    parts = [
        f'<figure class="line-chart"><div class="y-axis" aria-hidden="true">'
        f"<span>{escape(_num(high))}</span><span>{escape(_num(low))}</span></div>",
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(label)}</title>",
        f'<line class="axis" x1="{pad}" y1="{pad + plot_h}" x2="{pad + plot_w}" '
        f'y2="{pad + plot_h}"/>',
        f'<polyline class="line" points="{line}"/>',
    ]
    if len(points) <= 60:
        parts += [f'<circle class="dot" cx="{_num(x(n, len(points)))}" cy="{_num(y(v))}" r="4"/>'
                  for n, v in enumerate(points)]
    if marked is not None and 0 <= marked < len(values):
        cx = x(marked * (len(points) - 1) / max(len(values) - 1, 1), len(points))
        parts.append(f'<circle class="marked" cx="{_num(cx)}" cy="{_num(y(values[marked]))}" '
                     f'r="8"><title>this call: {escape(_num(values[marked]))}</title></circle>')
    parts.append("</svg>")
    parts.append(f'<figcaption class="x-axis"><span>first call</span>'
                 f"<span>latest ({len(values)} calls)</span></figcaption></figure>")
    return "".join(parts)


def rate_bars(rows: Sequence[tuple[str, float | None]], *, label: str) -> str:
    """One bar per (title, pass rate in 0..1), coloured by band and labelled "67% fair".

    The number and the band's word are text, so colour is never the only signal; a check no
    call judged reads "n/a" and has no bar.
    """
    items = []
    for title, rate in rows:
        css, word = rate_band(rate)
        shown = "n/a" if rate is None else f"{rate_text(rate)} {word}"
        fill = "" if rate is None else (
            f'<rect class="fill {css}" width="{_num(100 * min(max(rate, 0.0), 1.0))}" '
            'height="10"/>')
        items.append(
            f'<li class="rate {css}"><span class="label">{escape(title)}</span>'
            '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">'
            f'<rect class="track" width="100" height="10"/>{fill}</svg>'
            f'<span class="value">{escape(shown)}</span></li>')
    # `label` names the list for screen readers, as element text (saved names stay out of
    # attributes, where the report's static checks could not tell them from markup).
    return (f'<ul class="rates"><li class="caption">{escape(label)}</li>{"".join(items)}'
            "</ul>")
