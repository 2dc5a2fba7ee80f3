"""Read-only queries for progress reports: a few columns per call, no turns, no Python JSON.

SQLite's json_extract pulls the ten verdicts and the delivery figures out of the saved JSON in
one pass per row, so 10,000 calls come back as small tuples in a few tens of milliseconds.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Any

from simulator.scoring.rubric import CHECK_IDS
from simulator.storage.calls import CallStore
from simulator.storage.lookup import filter_sql
from simulator.storage.rows import COUNTED_SQL

DELIVERY_KEYS: tuple[str, ...] = (
    "response_delay_s", "speaking_rate_wpm", "talk_share", "filler_words",
)  # fmt: skip
VERDICTS = frozenset({"pass", "fail", "n/a"})


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What progress needs of one finished call."""

    call_id: str
    started_at: str
    trainee: str | None
    persona: str
    persona_name: str
    mode: str
    outcome: str
    score: int | None
    verdicts: tuple[str | None, ...]  # one per CHECK_IDS entry; None when not in the scorecard
    delivery: tuple[float | None, ...] | None  # one per DELIVERY_KEYS entry; None if typed


def _paths(prefix: str, names: tuple[str, ...], suffix: str = "") -> str:
    return ", ".join(f"'{prefix}{name}{suffix}'" for name in names)


# json_valid first: a hand-edited, broken JSON column reads as "no scorecard", not an error.
_FACTS_SQL = f"""
    SELECT call_id, started_at, trainee, persona, persona_name, mode, outcome, score,
        CASE WHEN json_valid(scorecard)
             THEN json_extract(scorecard, {_paths("$.checks.", CHECK_IDS, ".verdict")}) END,
        CASE WHEN json_valid(delivery)
             THEN json_extract(delivery, {_paths("$.", DELIVERY_KEYS)}) END
    FROM calls c
    WHERE {COUNTED_SQL}{{where}}
    ORDER BY started_at, call_id
"""


def _verdicts(text: str | None) -> tuple[str | None, ...]:
    values = json.loads(text) if text else []
    if not isinstance(values, list) or len(values) != len(CHECK_IDS):
        return (None,) * len(CHECK_IDS)
    return tuple(v if v in VERDICTS else None for v in values)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value


def _delivery(text: str | None) -> tuple[float | None, ...] | None:
    values = json.loads(text) if text else None
    if not isinstance(values, list) or len(values) != len(DELIVERY_KEYS):
        return None
    figures = tuple(_number(v) for v in values)
    return None if all(v is None for v in figures) else figures


def call_facts(store: CallStore, trainee: str | None = None, workshop: str | None = None,
               persona: str | None = None) -> list[CallFacts]:
    """Every call that counts in progress (rows.COUNTED_SQL), oldest first.

    `trainee` and `workshop` match ignoring ASCII case; demo calls, unfinished calls and calls
    without a reply are left out (history still lists them).
    """
    where, params = filter_sql(trainee, workshop, persona, joiner=" AND ")
    sql = _FACTS_SQL.format(where=where)

    def read(conn: sqlite3.Connection) -> list[tuple]:
        return conn.execute(sql, params).fetchall()

    # The store's own snapshot transaction and busy handling (queries is part of storage).
    rows = store._read(read)
    return [
        CallFacts(*row[:7], row[7] if isinstance(row[7], int) else None,
                  _verdicts(row[8]), _delivery(row[9]))
        for row in rows
    ]

