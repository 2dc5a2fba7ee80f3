"""A workshop's leaderboard: per trainee the best score, calls, best per persona, outcomes.

It ranks calls: drill items (one objection, one reply) are left out, their scores are not
comparable. One GROUP BY over the covering index `calls_for_board` (workshop, trainee,
persona, outcome, score, mode): no turn and no JSON is read, so 10,000 calls take milliseconds.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simulator.errors import InputError, shorten
from simulator.storage.records import OUTCOMES
from simulator.storage.workshops import LIST_HINT, display_name, nocase

if TYPE_CHECKING:
    from simulator.storage.calls import CallStore

UNFINISHED = "unfinished"  # a call still running, or one whose process died
BOARD_OUTCOMES: tuple[str, ...] = (*OUTCOMES, UNFINISHED)

# GROUP BY trainee folds case (the column is NOCASE); MIN(... BINARY) names each group the
# same way whatever rows it holds.
_BOARD_SQL = """
    SELECT MIN(trainee COLLATE BINARY), persona, outcome, COUNT(*), MAX(score)
    FROM calls WHERE workshop = ? AND mode != 'drill'
    GROUP BY trainee, persona, outcome
"""


@dataclass
class BoardRow:
    """One trainee's line. `rank` is shared by equal best scores; None without any score."""

    trainee: str | None  # None: calls saved without a name
    calls: int = 0
    best_score: int | None = None
    persona_best: dict[str, int | None] = field(default_factory=dict)  # only personas called
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BOARD_OUTCOMES, 0))
    rank: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"rank": self.rank, "trainee": self.trainee, "best_score": self.best_score,
                "calls": self.calls, "persona_best": dict(sorted(self.persona_best.items())),
                "outcomes": dict(self.outcomes)}  # fmt: skip


@dataclass
class Board:
    workshop: str
    personas: tuple[str, ...]  # every persona called in the workshop, sorted
    rows: list[BoardRow]  # best first

    def to_json(self) -> dict[str, Any]:
        return {"workshop": self.workshop, "personas": list(self.personas),
                "trainees": [row.to_json() for row in self.rows]}  # fmt: skip

    def csv_header(self) -> list[str]:
        return ["rank", "trainee", "best_score", "calls",
                *(f"best_{persona}" for persona in self.personas), *BOARD_OUTCOMES]  # fmt: skip

    def csv_text(self) -> str:
        """The board as CSV (a header row, then one row per trainee; empty cell: none)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.csv_header())
        for row in self.rows:
            writer.writerow([
                _cell(row.rank), row.trainee or "", _cell(row.best_score), row.calls,
                *(_cell(row.persona_best.get(p)) for p in self.personas),
                *(row.outcomes[o] for o in BOARD_OUTCOMES),
            ])  # fmt: skip
        return out.getvalue()


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def _best(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _order(row: BoardRow) -> tuple:
    # Best score first; unscored rows last; then by name (nameless calls at the very end).
    name = row.trainee
    return (row.best_score is None, -(row.best_score or 0), name is None,
            nocase(name or ""), name or "")  # fmt: skip


def build_board(workshop: str, groups: list[tuple]) -> Board:
    """Fold (trainee, persona, outcome, count, best score) groups into ranked rows."""
    rows: dict[str | None, BoardRow] = {}
    personas: set[str] = set()
    for trainee, persona, outcome, count, best in groups:
        key = None if trainee is None else nocase(trainee)
        row = rows.setdefault(key, BoardRow(trainee))
        if trainee is not None and trainee < row.trainee:
            row.trainee = trainee  # the same name for the row however its groups came back
        row.calls += count
        row.best_score = _best(row.best_score, best)
        row.persona_best[persona] = _best(row.persona_best.get(persona), best)
        row.outcomes[outcome if outcome in OUTCOMES else UNFINISHED] += count
        personas.add(persona)
    ranked = sorted(rows.values(), key=_order)
    for position, row in enumerate(ranked):
        if row.best_score is None:
            break
        same_as_above = position and ranked[position - 1].best_score == row.best_score
        row.rank = ranked[position - 1].rank if same_as_above else position + 1
    return Board(workshop, tuple(sorted(personas)), ranked)


def workshop_board(store: CallStore, name: str) -> Board:
    """The leaderboard of workshop `name` (matched ignoring ASCII case)."""

    def read(conn: sqlite3.Connection) -> Board:
        shown = display_name(conn, name)
        if shown is None:
            raise InputError(f"no workshop named {shorten(name)}; {LIST_HINT}")
        return build_board(shown, conn.execute(_BOARD_SQL, (name,)).fetchall())

    return store._read(read)
