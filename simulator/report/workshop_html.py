"""The workshop report: leaderboard, most improved, a check-by-trainee heatmap, outcomes.

Pure rendering over the workshop's board and its counted calls (drill items left out, as on
the board); the heatmap's rows are the checks, weakest for the room first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from simulator.progress.stats import CheckProgress, progress
from simulator.progress.text import plural
from simulator.report.html import esc, page, table
from simulator.report.progress_html import outcomes_html
from simulator.report.svg import RATE_BANDS, rate_band, rate_text
from simulator.storage.board import RANK_RULE, Board, BoardRow
from simulator.storage.queries import CallFacts
from simulator.storage.workshops import nocase

MOST_IMPROVED = 3


@dataclass(frozen=True)
class HeatmapRow:
    title: str
    room: CheckProgress
    trainees: tuple[CheckProgress, ...]  # in leaderboard order


def heatmap_rows(board: Board, calls: Sequence[CallFacts],
                 titles: Mapping[str, str]) -> list[HeatmapRow]:
    """Pass rate per check for the room and per trainee; the room's weakest check first."""
    by_trainee: dict[str | None, list[CallFacts]] = {}
    for call in calls:
        by_trainee.setdefault(None if call.trainee is None else nocase(call.trainee), []).append(
            call)
    keys = [None if row.trainee is None else nocase(row.trainee) for row in board.rows]
    room = progress(calls).checks
    each = [progress(by_trainee.get(key, [])).checks for key in keys]
    rows = [HeatmapRow(titles.get(check.check, check.check), check,
                       tuple(checks[n] for checks in each)) for n, check in enumerate(room)]
    # Stable: equal rates keep the rubric's order; checks nobody was judged on go last.
    return sorted(rows, key=lambda row: (row.room.pass_rate is None, row.room.pass_rate or 0))


def _rate_cell(check: CheckProgress) -> str:
    css, _ = rate_band(check.pass_rate)
    judged = check.passed + check.failed
    why = (f"{check.passed} of {judged} judged calls passed" if judged
           else "no call judged this check")
    return f'<td class="rate {css}" title="{esc(why)}">{esc(rate_text(check.pass_rate))}</td>'


def weakest_sentence(rows: Sequence[HeatmapRow]) -> str:
    judged = [row for row in rows if row.room.pass_rate is not None]
    if not judged:
        return "<p>No check has been judged yet.</p>"
    weakest = judged[0]
    passed, total = weakest.room.passed, weakest.room.passed + weakest.room.failed
    return (f'<p class="weakest">The room struggles most with <b>{esc(weakest.title)}</b>: '
            f"{passed} of {plural(total, 'judged call')} passed it "
            f"({rate_text(weakest.room.pass_rate)}).</p>")


def heatmap_section(board: Board, calls: Sequence[CallFacts], titles: Mapping[str, str]) -> str:
    rows = heatmap_rows(board, calls, titles)
    names = [row.trainee or "(no name)" for row in board.rows]
    head = "".join(f"<th>{esc(name)}</th>" for name in ["Check", "Room", *names])
    body = "".join(
        f"<tr><td>{esc(row.title)}</td>{_rate_cell(row.room)}"
        + "".join(_rate_cell(check) for check in row.trainees) + "</tr>"
        for row in rows)
    low, mid = (f"{round(100 * limit)}%" for limit, _, _ in RATE_BANDS[:2])
    return ('<section id="checks"><h2>Checks by trainee</h2>' + weakest_sentence(rows)
            + f'<div class="scroll heatmap"><table><thead><tr>{head}</tr></thead>'
            f"<tbody>{body}</tbody></table></div>"
            f'<p class="muted">Pass rate of the calls that judged each check: low under {low} '
            f"(red), fair under {mid} (amber), good from {mid} (green); n/a: no call judged it. "
            "Weakest check for the room first.</p></section>")


def _score(value: int | None) -> str:
    return "-" if value is None else str(value)


def _improvement(value: int | None) -> str:
    return "-" if value is None else f"+{value}" if value > 0 else str(value)


def leaderboard_section(board: Board) -> str:
    rows = [[_score(row.rank), esc(row.trainee or "(no name)"), str(row.calls),
             _score(row.best_score), _score(row.latest_score), _improvement(row.improvement)]
            for row in board.rows]
    return ('<section id="leaderboard"><h2>Leaderboard</h2>'
            + table(["#", "Trainee", "Calls", "Best", "Latest", "Improvement"], rows,
                    {0, 2, 3, 4, 5})
            + f'<p class="muted">{esc(RANK_RULE[0].upper() + RANK_RULE[1:])}.</p></section>')


def _improved(row: BoardRow) -> str:
    return (f"<li><b>{esc(row.trainee or '(no name)')}</b>: {_improvement(row.improvement)} "
            f"(from {row.first_score} to {row.latest_score} over "
            f"{plural(len(row.scores), 'scored call')})</li>")


def most_improved_section(board: Board) -> str:
    improved = board.most_improved[:MOST_IMPROVED]
    if not improved:
        body = ("<p>No one has improved yet: improvement is the latest score minus the first, "
                "so it needs two scored calls.</p>")
    else:
        body = "<ol>" + "".join(_improved(row) for row in improved) + "</ol>"
    return f'<section id="most-improved"><h2>Most improved</h2>{body}</section>'


def workshop_page(board: Board, calls: Sequence[CallFacts], titles: Mapping[str, str]) -> str:
    """The whole page; `calls` are the workshop's counted calls, oldest first."""
    calls = [call for call in calls if call.mode != "drill"]
    trainees = len(board.rows)
    meta = f"{plural(len(calls), 'call')} by {plural(trainees, 'trainee')}"
    if calls:
        meta += f", {esc(calls[0].started_at[:10])} to {esc(calls[-1].started_at[:10])}"
    body = [
        f'<h1>Workshop report: <span class="workshop">{esc(board.workshop)}</span></h1>',
        f'<p class="meta">{meta}. Drill items, demo calls and calls without a reply are left '
        "out.</p>",
        leaderboard_section(board),
        most_improved_section(board),
        heatmap_section(board, calls, titles),
        '<section id="outcomes">'
        + outcomes_html(progress(calls), "<h2>Outcomes per persona</h2>") + "</section>",
    ]
    return page(f"callsim: workshop {board.workshop}", body)
