"""Terminal charts as plain text: sparklines of a figure over calls, bars for rates."""

from __future__ import annotations

from collections.abc import Sequence

BLOCKS = "▁▂▃▄▅▆▇█"
FULL, EMPTY = "█", "░"


def buckets(values: Sequence[float], width: int) -> list[float]:
    """At most `width` values: consecutive runs averaged, so 10,000 calls fit on one line."""
    if len(values) <= width:
        return list(values)
    out = []
    for n in range(width):
        run = values[n * len(values) // width : (n + 1) * len(values) // width]
        out.append(sum(run) / len(run))
    return out


def sparkline(values: Sequence[float], low: float | None = None, high: float | None = None,
              width: int = 60) -> str:
    """One block per value (or per run of values), ▁ at `low` to █ at `high`.

    `low`/`high` default to the values' own range; a flat series sits mid-height.
    """
    points = buckets(values, width)
    if not points:
        return ""
    low = min(points) if low is None else low
    high = max(points) if high is None else high
    if high <= low:
        return BLOCKS[len(BLOCKS) // 2 - 1] * len(points)
    top = len(BLOCKS) - 1
    levels = (round((min(max(v, low), high) - low) / (high - low) * top) for v in points)
    return "".join(BLOCKS[level] for level in levels)


def bar(fraction: float | None, width: int = 10) -> str:
    """A rate as a bar of `width` cells, e.g. 0.7 -> ███████░░░; None -> blank cells."""
    if fraction is None:
        return " " * width
    filled = round(min(max(fraction, 0.0), 1.0) * width)
    return FULL * filled + EMPTY * (width - filled)
