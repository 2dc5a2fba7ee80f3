"""The progress part of the HTML report: score over time, pass rate per check, delivery."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from simulator.progress.stats import DELIVERY_KINDS, TREND_METHOD, Progress, Trend
from simulator.progress.text import number, plural, trend_text
from simulator.report.html import LEGEND, esc, table, transcript, verdict_html
from simulator.report.svg import line_chart, rate_bars, rate_text

MAX_LISTED_CALLS = 500


def _trend(trend: Trend, scale: float = 1.0, digits: int = 0) -> str:
    return esc(trend_text(trend, scale, digits))


def progress_section(progress: Progress, titles: Mapping[str, str],
                     current_call: str | None = None) -> str:
    """Charts and tables over all of `progress.calls`; `current_call` is circled on the line."""
    who = progress.trainee or "all trainees"
    score = progress.score
    counts = (f"{plural(len(progress.calls), 'call')} ({plural(progress.drills, 'drill')}, "
              f"{progress.spoken} spoken)")
    parts = [f'<section id="progress"><h2>Progress of {esc(who)}</h2>',
             f'<p class="meta">{counts}']
    if progress.calls:
        parts.append(f", {esc(progress.calls[0].started_at[:10])} to "
                     f"{esc(progress.calls[-1].started_at[:10])}")
    parts.append("</p>")
    if score.points:
        ids = [call_id for call_id, _ in score.points]
        marked = ids.index(current_call) if current_call in ids else None
        parts.append(
            f"<p>Score: first <b>{number(score.first)}</b>, best "
            f"<b>{number(progress.best_score)}</b>, latest <b>{number(score.latest)}</b>, mean "
            f"<b>{number(score.mean, 1)}</b>, trend <b>{_trend(score.trend)}</b></p>")
        parts.append(line_chart(score.values, 0, 100, label=f"Score over calls of {who}",
                                marked=marked))
    parts.append("<h3>Pass rate per check</h3>")
    parts.append(rate_bars([(titles.get(c.check, c.check), c.pass_rate) for c in progress.checks],
                           label=f"Pass rate per check of {who}"))
    rows = [[esc(titles.get(c.check, c.check)),
             rate_text(c.pass_rate),
             f"{c.passed}/{c.passed + c.failed}", str(c.not_applicable), verdict_html(c.first),
             verdict_html(c.best), verdict_html(c.latest), _trend(c.trend, 100)]
            for c in progress.checks]
    parts.append(table(["Check", "Pass rate", "Passed", "n/a", "First", "Best", "Latest",
                        "Trend (points)"], rows, {1, 2, 3}))
    parts.append(f'<p class="muted">Trend: {esc(TREND_METHOD)}.</p>')
    parts.append(outcomes_html(progress))
    parts.append(delivery_html(progress))
    parts.append("</section>")
    return "".join(parts)


def outcomes_html(progress: Progress, heading: str = "<h3>Outcomes by persona</h3>") -> str:
    rows = [[f"{esc(p.persona_name)} <span class='muted'>({esc(p.persona)})</span>", str(p.calls),
             esc(", ".join(f"{outcome} {n}" for outcome, n in p.counts.items()))]
            for p in progress.outcomes]
    return heading + table(["Persona", "Calls", "Outcomes"], rows, {1})


def delivery_html(progress: Progress) -> str:
    if not progress.spoken:
        return ('<h3>Delivery over time</h3><p class="muted">No spoken calls yet (typed calls '
                "have no timing).</p>")
    parts = [f"<h3>Delivery over time ({progress.spoken} spoken calls)</h3>"]
    rows = []
    for kind, figure in zip(DELIVERY_KINDS, progress.delivery, strict=True):
        rows.append([esc(kind.label), number(figure.first, kind.digits),
                     number(figure.latest, kind.digits),
                     number(figure.mean, max(kind.digits, 1)),
                     _trend(figure.trend, digits=kind.trend_digits), esc(kind.hint)])
    parts.append(table(["Figure", "First", "Latest", "Mean", "Trend", ""], rows, {1, 2, 3}))
    for kind, figure in zip(DELIVERY_KINDS, progress.delivery, strict=True):
        if figure.points:
            parts.append(f"<p><b>{esc(kind.label)}</b></p>")
            parts.append(line_chart(figure.values, label=f"{kind.label} over spoken calls",
                                    height=110))
    return "".join(parts)


def call_anchor(call_id: str) -> str:
    """The id of a call's transcript within the trainee report."""
    return f"call-{call_id}"


def listed_calls(progress: Progress) -> list:
    """The calls the trainee report lists and shows, newest first (at most MAX_LISTED_CALLS)."""
    return list(reversed(progress.calls))[:MAX_LISTED_CALLS]


def calls_html(progress: Progress) -> str:
    """The trainee's calls, newest first, each linked to its transcript further down."""
    newest = listed_calls(progress)
    rows = [[esc(call.started_at.replace("T", " ")[:16]),
             f'<a href="#{esc(call_anchor(call.call_id))}">{esc(call.call_id)}</a>',
             esc(call.persona_name), esc(call.mode), esc(call.outcome),
             "-" if call.score is None else str(call.score)] for call in newest]
    more = len(progress.calls) - len(newest)
    note = f'<p class="muted">{more} older calls not listed.</p>' if more > 0 else ""
    return ('<section id="calls"><h2>Calls</h2>'
            + table(["Started (UTC)", "Call", "Persona", "Mode", "Outcome", "Score"], rows, {5})
            + note + "</section>")


def transcripts_html(calls: Sequence[Mapping[str, Any]], titles: Mapping[str, str],
                     players: Mapping[str, Mapping[int, str]] | None = None) -> str:
    """Each listed call's transcript (whole records, newest first), the target of its link.

    `players`: by call id, its recorded replies' <audio> HTML by turn index (see `transcript`).
    """
    if not calls:
        return ""
    parts = ['<section id="transcripts"><h2>Transcripts</h2>', LEGEND]
    for call in calls:
        score = "-" if call.get("score") is None else call["score"]
        heading = (f'<h3>{esc(call["started_at"].replace("T", " ")[:16])} UTC &middot; '
                   f'{esc(call["persona_name"])} &middot; {esc(call["outcome"] or "unfinished")}'
                   f' &middot; score {esc(score)}/100</h3><p class="muted">Call '
                   f'{esc(call["call_id"])} &middot; <a href="#calls">back to the calls</a></p>')
        parts.append(transcript(call, titles, (players or {}).get(call["call_id"]),
                                section_id=call_anchor(call["call_id"]), heading=heading,
                                legend=False))
    parts.append("</section>")
    return "".join(parts)
