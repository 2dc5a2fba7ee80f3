"""`callsim progress` as plain aligned text (deterministic, no terminal-width wrapping)."""

from __future__ import annotations

from collections.abc import Mapping

from simulator.progress.chart import bar, sparkline
from simulator.progress.stats import DELIVERY_KINDS, TREND_METHOD, Progress, Trend

CHECK_WIDTH = 30


def number(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    if digits == 0:
        return str(round(value))
    return f"{value:.{digits}f}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def trend_text(trend: Trend, scale: float = 1.0, digits: int = 0) -> str:
    """'↑ +25' etc.; `scale` turns a rate into percentage points."""
    if trend.delta is None:
        return "-"
    value = trend.delta * scale
    shown = f"{value:+.{digits}f}" if digits else f"{round(value):+d}"
    return f"{trend.arrow} {shown}"


def heading(progress: Progress) -> str:
    who = f"Progress of {progress.trainee}" if progress.trainee else "Progress of all trainees"
    calls = progress.calls
    span = f"{calls[0].started_at[:10]} to {calls[-1].started_at[:10]}" if calls else "no calls"
    return (f"{who}: {plural(len(calls), 'call')} ({plural(progress.drills, 'drill')}, "
            f"{progress.spoken} spoken), {span}")


def score_lines(progress: Progress) -> list[str]:
    score = progress.score
    if not score.points:
        return ["Score: no scored calls"]
    return [
        f"Score: first {number(score.first)}, best {number(progress.best_score)}, "
        f"latest {number(score.latest)}, mean {number(score.mean, 1)}, "
        f"trend {trend_text(score.trend)}",
        f"  {sparkline(score.values, 0, 100)}",
    ]


def check_lines(progress: Progress, titles: Mapping[str, str]) -> list[str]:
    header = (f"{'Check':<{CHECK_WIDTH}}{'pass rate':<17}{'passed':>8}{'n/a':>5}  "
              f"{'first':<7}{'best':<7}{'latest':<8}trend (points)")
    lines = [header]
    for check in progress.checks:
        rate = check.pass_rate
        shown_rate = "   -" if rate is None else f"{round(100 * rate):3d}%"
        judged = f"{check.passed}/{check.passed + check.failed}"
        title = titles.get(check.check, check.check)[: CHECK_WIDTH - 1]
        lines.append(
            f"{title:<{CHECK_WIDTH}}{bar(rate)} {shown_rate:<6}{judged:>8}"
            f"{check.not_applicable:>5}  {check.first or '-':<7}{check.best or '-':<7}"
            f"{check.latest or '-':<8}{trend_text(check.trend, 100)}"
        )
    return lines


def outcome_lines(progress: Progress) -> list[str]:
    lines = ["Outcomes by persona"]
    for persona in progress.outcomes:
        counts = ", ".join(f"{outcome} {n}" for outcome, n in persona.counts.items())
        lines.append(f"  {persona.persona} ({persona.persona_name}): "
                     f"{plural(persona.calls, 'call')}: {counts}")
    return lines


def delivery_lines(progress: Progress) -> list[str]:
    if not progress.spoken:
        return ["Delivery: no spoken calls yet (typed calls have no timing)"]
    title = f"Delivery ({plural(progress.spoken, 'spoken call')})"
    lines = [f"{title:<28}{'first':>6}{'latest':>8}{'mean':>8}  {'trend':<10} over calls"]
    for kind, figure in zip(DELIVERY_KINDS, progress.delivery, strict=True):
        digits = kind.digits
        lines.append(
            f"  {kind.label:<26}{number(figure.first, digits):>6}"
            f"{number(figure.latest, digits):>8}{number(figure.mean, max(digits, 1)):>8}  "
            f"{trend_text(figure.trend, digits=kind.trend_digits):<10} "
            f"{sparkline(figure.values, width=40)}  ({kind.hint})"
        )
    return lines


def render(progress: Progress, titles: Mapping[str, str]) -> str:
    sections = [
        [heading(progress)],
        score_lines(progress),
        [*check_lines(progress, titles), f"Trend: {TREND_METHOD}."],
        outcome_lines(progress),
        delivery_lines(progress),
    ]
    return "\n\n".join("\n".join(lines) for lines in sections)
