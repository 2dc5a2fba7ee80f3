"""The leaderboard as a terminal table: made for an 80-column terminal and a projector.

Six columns by default (rank, trainee, calls, best, latest, improvement); `--wide` adds the best
score per persona and the outcomes. No header is ever cut: each column is at least as wide as
its header, long names wrap instead of being cut, and when even that cannot fit the terminal
the table is printed wider (the terminal wraps the line; nothing is lost). Piped output is
printed at the table's natural width, so a file or `grep` sees every cell on one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console

    from simulator.storage.board import Board, BoardRow

OUTCOME_LABELS = {"meeting_agreed": "meeting", "callback_agreed": "callback",
                  "opted_out": "opted out", "hung_up": "hung up", "trainee_ended": "ended",
                  "max_turns": "max turns", "interrupted": "interrupted",
                  "error": "error"}  # fmt: skip
RANK_NOTE = "Ranked by latest score, then improvement (latest minus first), then best score."


def _score(value: int | None) -> Text:
    if value is None:
        return Text("-", style="dim")
    style = "bold green" if value >= 75 else "bold yellow" if value >= 50 else "bold red"
    return Text(str(value), style=style)


def _improvement(value: int | None) -> Text:
    if value is None:
        return Text("-", style="dim")
    if value > 0:
        return Text(f"+{value}", style="green")
    return Text(str(value), style="red" if value < 0 else "")


def _persona_cell(row: BoardRow, persona: str) -> str:
    if persona not in row.persona_best:
        return ""
    value = row.persona_best[persona]
    return "-" if value is None else str(value)


def board_table(board: Board, wide: bool = False) -> Table:
    table = Table(title=f"{board.workshop} leaderboard", title_style="bold", box=box.HEAVY_HEAD,
                  header_style="bold", padding=(0, 1))  # fmt: skip

    def column(header: str, wraps: bool = False, **options) -> None:
        # At least as wide as its header. Numbers never wrap (rich would squeeze their column
        # and cut it); a long name or outcome list wraps, folding a long word, never cut.
        table.add_column(header, min_width=len(header), no_wrap=not wraps, overflow="fold",
                         **options)

    column("#", justify="right")
    column("Trainee", wraps=True, style="bold")
    for header in ("Calls", "Best", "Latest", "Improvement"):
        column(header, justify="right")
    if wide:
        for persona in board.personas:
            column(persona, justify="right")
        column("Outcomes", wraps=True)
    for row in board.rows:
        cells = ["-" if row.rank is None else str(row.rank), row.trainee or "(no name)",
                 str(row.calls), _score(row.best_score), _score(row.latest_score),
                 _improvement(row.improvement)]
        if wide:
            cells += [_persona_cell(row, p) for p in board.personas]
            cells.append(", ".join(f"{count} {OUTCOME_LABELS.get(outcome, outcome)}"
                                   for outcome, count in row.outcomes.items() if count))
        table.add_row(*cells)
    return table


def print_board(board: Board, console: Console, wide: bool = False) -> None:
    table = board_table(board, wide)
    needed = Measurement.get(console, console.options.update_width(10_000), table)
    if not console.is_terminal:
        console.width = max(console.width, needed.maximum)  # piped: every row on one line
    elif needed.minimum > console.width:
        console.width = needed.minimum  # too many columns for this terminal: wider, not cut
    console.print(table)
    if board.rows:
        console.print(RANK_NOTE, style="dim")
    else:
        console.print(f"No calls yet in workshop {board.workshop}.")
