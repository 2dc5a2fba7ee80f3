"""Between records and SQL rows: the column lists and JSON columns of the v1 schema."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from simulator.errors import InputError, UnknownCallError, shorten
from simulator.storage.records import CallRecord, TurnRecord, word_from_json, word_to_json

CALL_COLUMNS = (
    "call_id, persona, persona_name, seed, trainee, workshop, mode, started_at, ended_at, "
    "outcome, score, scorecard, delivery"
)
TURN_COLUMNS = "idx, speaker, text, started_at, ended_at, state, detections, words, extra"
# Replies the trainee actually gave (a silent microphone or Ctrl-C before any reply gives none).
REPLIES_SQL = (
    "(SELECT COUNT(*) FROM turns r WHERE r.call_id = c.call_id AND r.speaker = 'trainee' "
    "AND r.text != '')"
)
# What counts in progress, trends and boards: a finished call, not a demo, with a reply in it.
# Every other call stays in history, marked.
COUNTED_SQL = (
    "(c.outcome IS NOT NULL AND c.mode != 'demo' AND EXISTS (SELECT 1 FROM turns r "
    "WHERE r.call_id = c.call_id AND r.speaker = 'trainee' AND r.text != ''))"
)

SUMMARY_COLUMNS = (
    "c.call_id, c.started_at, c.trainee, c.workshop, c.persona, c.persona_name, c.mode, "
    f"c.outcome, c.score, (SELECT COUNT(*) FROM turns t WHERE t.call_id = c.call_id), {REPLIES_SQL}"
)


def no_call(call_id: str) -> UnknownCallError:
    return UnknownCallError(f"no call with id {shorten(call_id)}; run `callsim history` to list "
                            "calls")


def json_text(value: Any, what: str) -> str:
    """JSON text that reads back exactly as `value`, or InputError (tuples, non-text keys...)."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} cannot be saved as JSON: {exc}") from None
    if json.loads(text) != value:
        raise InputError(f"{what} does not read back the same from JSON (tuples or non-text keys?)")
    return text


def insert_call(conn: sqlite3.Connection, record: CallRecord) -> bool:
    """Insert the call row unless its id exists; True when inserted."""
    values = (
        record.call_id,
        record.persona,
        record.persona_name,
        record.seed,
        record.trainee,
        record.workshop,
        record.mode,
        record.started_at,
        record.ended_at,
        record.outcome,
        record.score,
        None if record.scorecard is None else json_text(record.scorecard, "the scorecard"),
        None if record.delivery is None else json_text(record.delivery, "the delivery figures"),
    )
    sql = f"INSERT OR IGNORE INTO calls ({CALL_COLUMNS}) VALUES (?{',?' * 12})"
    return conn.execute(sql, values).rowcount == 1


def turn_row(call_id: str, turn: TurnRecord) -> tuple[Any, ...]:
    where = f"turn {turn.index}"
    return (
        call_id,
        turn.index,
        turn.speaker,
        turn.text,
        turn.started_at,
        turn.ended_at,
        turn.state,
        json_text(turn.detections, f"{where} detections"),
        json_text([word_to_json(w) for w in turn.words], f"{where} words"),
        json_text(turn.extra, f"{where} extra"),
    )


def load_call(conn: sqlite3.Connection, call_id: str) -> CallRecord:
    row = conn.execute(f"SELECT {CALL_COLUMNS} FROM calls WHERE call_id = ?", (call_id,)).fetchone()
    if row is None:
        raise no_call(call_id)
    turn_sql = f"SELECT {TURN_COLUMNS} FROM turns WHERE call_id = ? ORDER BY idx"
    turns = [
        TurnRecord(
            index=t[0],
            speaker=t[1],
            text=t[2],
            started_at=t[3],
            ended_at=t[4],
            state=t[5],
            detections=json.loads(t[6]),
            words=[word_from_json(w, f"turn {t[0]} word") for w in json.loads(t[7])],
            extra=json.loads(t[8]),
        )
        for t in conn.execute(turn_sql, (call_id,))
    ]
    return CallRecord(
        call_id=row[0],
        persona=row[1],
        persona_name=row[2],
        seed=row[3],
        trainee=row[4],
        workshop=row[5],
        mode=row[6],
        started_at=row[7],
        ended_at=row[8],
        outcome=row[9],
        score=row[10],
        turns=turns,
        scorecard=None if row[11] is None else json.loads(row[11]),
        delivery=None if row[12] is None else json.loads(row[12]),
    )
