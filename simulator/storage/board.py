"""A workshop's leaderboard: per trainee calls, best, latest, improvement, best per persona.

It ranks the calls that count in progress (storage.rows.COUNTED_SQL: finished, not a demo, with a
reply), leaving out drill items (one objection, one reply: their scores are not comparable).

The rank rewards improvement, not only a lucky early best: trainees are ordered by their latest
score, then by their improvement (latest minus first score), then by their best score; equal on
all three share a rank. A trainee with one scored call has no improvement yet (counted as 0).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from simulator.errors import InputError, shorten
from simulator.storage.records import OUTCOMES
from simulator.storage.rows import COUNTED_SQL
from simulator.storage.workshops import LIST_HINT, display_name, nocase

if TYPE_CHECKING:
    from simulator.storage.calls import CallStore
    from simulator.storage.queries import CallFacts

RANK_RULE = ("rank: latest score, then improvement (latest minus first score), then best score")
BOARD_OUTCOMES: tuple[str, ...] = tuple(o for o in OUTCOMES if o != "answered")  # drills only
# No JSON read: 10,000 calls come back in a fraction of what progress's query takes.
_BOARD_SQL = f"""
    SELECT c.trainee, c.persona, c.mode, c.outcome, c.score FROM calls c
    WHERE {COUNTED_SQL} AND c.workshop = ? AND c.mode != 'drill'
    ORDER BY c.started_at, c.call_id
"""


class BoardCall(NamedTuple):
    """What the board needs of a call (progress's CallFacts has the same fields)."""

    trainee: str | None
    persona: str
    mode: str
    outcome: str | None
    score: int | None


@dataclass
class BoardRow:
    """One trainee's line. `rank` is None without any score."""

    trainee: str | None  # None: calls saved without a name
    calls: int = 0
    scores: list[int] = field(default_factory=list)  # oldest first
    persona_best: dict[str, int | None] = field(default_factory=dict)  # only personas called
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(BOARD_OUTCOMES, 0))
    rank: int | None = None

    @property
    def best_score(self) -> int | None:
        return max(self.scores) if self.scores else None

    @property
    def first_score(self) -> int | None:
        return self.scores[0] if self.scores else None

    @property
    def latest_score(self) -> int | None:
        return self.scores[-1] if self.scores else None

    @property
    def improvement(self) -> int | None:
        """Latest minus first score; None before a second scored call."""
        return self.scores[-1] - self.scores[0] if len(self.scores) > 1 else None

    def standing(self) -> tuple[int, int, int]:
        """What the rank compares, best first: latest, improvement, best."""
        return (self.latest_score or 0, self.improvement or 0, self.best_score or 0)

    def to_json(self) -> dict[str, Any]:
        return {"rank": self.rank, "trainee": self.trainee, "calls": self.calls,
                "best_score": self.best_score, "first_score": self.first_score,
                "latest_score": self.latest_score, "improvement": self.improvement,
                "persona_best": dict(sorted(self.persona_best.items())),
                "outcomes": dict(self.outcomes)}  # fmt: skip


@dataclass
class Board:
    workshop: str
    personas: tuple[str, ...]  # every persona called in the workshop, sorted
    rows: list[BoardRow]  # best first

    def to_json(self) -> dict[str, Any]:
        return {"workshop": self.workshop, "rank_rule": RANK_RULE,
                "personas": list(self.personas),
                "trainees": [row.to_json() for row in self.rows]}  # fmt: skip

    def csv_header(self) -> list[str]:
        return ["rank", "trainee", "calls", "best_score", "latest_score", "improvement",
                *(f"best_{persona}" for persona in self.personas), *BOARD_OUTCOMES]  # fmt: skip

    def csv_text(self) -> str:
        """The board as CSV (a header row, then one row per trainee; empty cell: none)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.csv_header())
        for row in self.rows:
            writer.writerow([
                _cell(row.rank), row.trainee or "", row.calls, _cell(row.best_score),
                _cell(row.latest_score), _cell(row.improvement),
                *(_cell(row.persona_best.get(p)) for p in self.personas),
                *(row.outcomes[o] for o in BOARD_OUTCOMES),
            ])  # fmt: skip
        return out.getvalue()

    @property
    def most_improved(self) -> list[BoardRow]:
        """Trainees who improved, most first (equal improvement: by rank)."""
        return sorted((row for row in self.rows if (row.improvement or 0) > 0),
                      key=lambda row: -(row.improvement or 0))


def _cell(value: int | None) -> str:
    return "" if value is None else str(value)


def _best(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _order(row: BoardRow) -> tuple:
    # Higher standing first; unscored rows last; then by name (nameless calls at the very end).
    name = row.trainee
    latest, improvement, best = row.standing()
    return (not row.scores, -latest, -improvement, -best, name is None, nocase(name or ""),
            name or "")  # fmt: skip


def build_board(workshop: str, calls: Iterable[BoardCall | CallFacts]) -> Board:
    """Fold a workshop's counted calls (oldest first) into ranked rows; drill items are skipped."""
    rows: dict[str | None, BoardRow] = {}
    personas: set[str] = set()
    for call in calls:
        if call.mode == "drill":
            continue
        key = None if call.trainee is None else nocase(call.trainee)
        row = rows.setdefault(key, BoardRow(call.trainee))
        if call.trainee is not None and call.trainee < row.trainee:
            row.trainee = call.trainee  # the same name for the row whatever order calls came in
        row.calls += 1
        if call.score is not None:
            row.scores.append(call.score)
        row.persona_best[call.persona] = _best(row.persona_best.get(call.persona), call.score)
        if call.outcome in row.outcomes:
            row.outcomes[call.outcome] += 1
        personas.add(call.persona)
    ranked = sorted(rows.values(), key=_order)
    for position, row in enumerate(ranked):
        if not row.scores:
            break
        same_as_above = position and ranked[position - 1].standing() == row.standing()
        row.rank = ranked[position - 1].rank if same_as_above else position + 1
    return Board(workshop, tuple(sorted(personas)), ranked)


def shown_workshop(store: CallStore, name: str) -> str:
    """The workshop's name as first saved (`name` matches ignoring ASCII case), or InputError."""
    shown = store._read(lambda conn: display_name(conn, name))
    if shown is None:
        raise InputError(f"no workshop named {shorten(name)}; {LIST_HINT}")
    return shown


def workshop_board(store: CallStore, name: str) -> Board:
    """The leaderboard of workshop `name` (matched ignoring ASCII case)."""
    shown = shown_workshop(store, name)
    rows = store._read(lambda conn: conn.execute(_BOARD_SQL, (name,)).fetchall())
    return build_board(shown, (BoardCall(*row) for row in rows))
