"""CallStore: save calls turn by turn, list them fast, read them back whole.

Every method is a short transaction of its own, so several callsim processes (two trainees on
one laptop, a report running during a call) can share the file.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, TypeVar

from simulator.errors import CallsimError, StorageError, UnknownCallError
from simulator.storage import db
from simulator.storage.lookup import filter_sql, resolve_call_id
from simulator.storage.paths import database_path, resolve_data_dir
from simulator.storage.records import (
    CallRecord,
    CallSummary,
    TurnRecord,
    check_ending,
    new_call_id,
    utc_timestamp,
)
from simulator.storage.rows import (
    SUMMARY_COLUMNS,
    TURN_COLUMNS,
    insert_call,
    json_text,
    load_call,
    no_call,
    turn_row,
)

T = TypeVar("T")
IMPORT_BATCH = 200  # calls per transaction, so a big merge never blocks a live call for long


class CallStore:
    """The call history in `<data dir>/callsim.db`. Use `CallStore.open()`, ideally as `with`."""

    def __init__(self, conn: sqlite3.Connection, path: Path):
        self._conn = conn
        self.path = path
        self._lock = threading.Lock()  # one connection, possibly used from a worker thread

    @classmethod
    def open(cls, data_dir: str | Path | None = None) -> CallStore:
        path = database_path(resolve_data_dir(data_dir))
        return cls(db.connect(path), path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> CallStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            return db.write(self._conn, self.path, work)

    def _read(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run `work` in one read transaction so it sees a single consistent snapshot."""

        def snapshot() -> T:
            self._conn.execute("BEGIN")
            try:
                return work(self._conn)
            finally:
                self._conn.execute("COMMIT")

        with self._lock:
            return db.retry_busy(snapshot, self.path)

    def start_call(
        self,
        persona: str,
        persona_name: str,
        seed: int | None = None,
        trainee: str | None = None,
        workshop: str | None = None,
        mode: str = "text",
    ) -> CallRecord:
        """Create and save a new, unfinished call (no turns, no outcome)."""
        record = CallRecord(
            call_id=new_call_id(),
            persona=persona,
            persona_name=persona_name,
            mode=mode,
            started_at=utc_timestamp(),
            seed=seed,
            trainee=trainee,
            workshop=workshop,
        )

        def insert(conn: sqlite3.Connection) -> None:
            while not insert_call(conn, record):  # 32 random bits clashed within a second
                record.call_id = new_call_id()

        self._write(insert)
        return record

    def add_turn(self, call_id: str, turn: TurnRecord) -> None:
        """Save one turn; it is committed to disk when this returns."""
        row = turn_row(call_id, turn)

        def insert(conn: sqlite3.Connection) -> None:
            if conn.execute("SELECT 1 FROM calls WHERE call_id = ?", (call_id,)).fetchone() is None:
                raise no_call(call_id)
            taken = "SELECT 1 FROM turns WHERE call_id = ? AND idx = ?"
            if conn.execute(taken, (call_id, turn.index)).fetchone() is not None:
                raise StorageError(
                    f"call {call_id} already has a turn {turn.index}; saved turns are never "
                    "overwritten (number turns 0, 1, 2...)"
                )
            conn.execute(f"INSERT INTO turns (call_id, {TURN_COLUMNS}) VALUES (?{',?' * 9})", row)

        self._write(insert)

    def set_hearings(self, call_id: str, index: int, also_heard: list[str]) -> None:
        """Set a saved reply's other hearings (extra.also_heard): a recognizer pass that was not
        waited for while the trainee waited for the prospect may finish after the turn is saved."""
        where = f"call {call_id} turn {index}"

        def update(conn: sqlite3.Connection) -> None:
            row = conn.execute("SELECT extra FROM turns WHERE call_id = ? AND idx = ?",
                               (call_id, index)).fetchone()
            if row is None:
                raise StorageError(f"{where} is not saved, so its hearings cannot be added")
            extra = {**json.loads(row[0]), "also_heard": list(also_heard)}
            conn.execute("UPDATE turns SET extra = ? WHERE call_id = ? AND idx = ?",
                         (json_text(extra, f"{where} extra"), call_id, index))

        self._write(update)

    def finish_call(
        self,
        call_id: str,
        outcome: str,
        scorecard: dict[str, Any] | None = None,
        delivery: dict[str, Any] | None = None,
        *,
        score: int | None = None,
        ended_at: str | None = None,
    ) -> None:
        """Record how the call ended. `score` defaults to the scorecard's integer "score"."""
        if score is None and isinstance(scorecard, dict):
            total = scorecard.get("score")
            score = total if isinstance(total, int) and not isinstance(total, bool) else None
        ended_at = ended_at or utc_timestamp()
        check_ending(outcome, score, ended_at, scorecard, delivery)
        values = (
            ended_at,
            outcome,
            score,
            None if scorecard is None else json_text(scorecard, "the scorecard"),
            None if delivery is None else json_text(delivery, "the delivery figures"),
            call_id,
        )

        def update(conn: sqlite3.Connection) -> None:
            sql = (
                "UPDATE calls SET ended_at = ?, outcome = ?, score = ?, scorecard = ?, "
                "delivery = ? WHERE call_id = ?"
            )
            if conn.execute(sql, values).rowcount == 0:
                raise no_call(call_id)

        self._write(update)

    def revise_call(self, call_id: str, revise: Callable[[CallRecord], tuple[
            list[TurnRecord], dict[str, Any], dict[str, Any] | None]]) -> CallRecord:
        """Re-write turns and re-score a finished call in one transaction (`callsim correct`,
        `callsim rescore`): `revise` gets the call as saved and returns the changed turns (same
        indexes; each keeps what it replaces in its extra), the new scorecard and delivery."""

        def update(conn: sqlite3.Connection) -> CallRecord:
            record = self._load(conn, resolve_call_id(conn, call_id))
            turns, scorecard, delivery = revise(record)
            total = scorecard.get("score")
            check_ending(record.outcome or "interrupted", total, utc_timestamp(), scorecard,
                         delivery)
            for turn in turns:
                row = turn_row(record.call_id, turn)
                conn.execute("UPDATE turns SET text = ?, detections = ?, words = ?, extra = ? "
                             "WHERE call_id = ? AND idx = ?",
                             (row[3], row[7], row[8], row[9], record.call_id, turn.index))
            conn.execute("UPDATE calls SET score = ?, scorecard = ?, delivery = ? "
                         "WHERE call_id = ?",
                         (total, json_text(scorecard, "the scorecard"),
                          None if delivery is None else json_text(delivery, "the delivery "
                                                                   "figures"), record.call_id))
            return self._load(conn, record.call_id)

        return self._write(update)

    def import_calls(self, records: Iterable[CallRecord]) -> int:
        """Add whole calls (e.g. another laptop's history); ids already here are skipped.

        Returns how many calls were added. Ids are unique across machines, so merging the same
        file twice adds nothing the second time.
        """
        added = 0
        batch: list[CallRecord] = []

        def insert(conn: sqlite3.Connection) -> int:
            count = 0
            for record in batch:
                if insert_call(conn, record):
                    rows = [turn_row(record.call_id, t) for t in record.turns]
                    sql = f"INSERT INTO turns (call_id, {TURN_COLUMNS}) VALUES (?{',?' * 9})"
                    conn.executemany(sql, rows)
                    count += 1
            return count

        for record in records:
            batch.append(record)
            if len(batch) == IMPORT_BATCH:
                added += self._write(insert)
                batch = []
        if batch:
            added += self._write(insert)
        return added

    # -- workshops -------------------------------------------------------------------------

    def active_workshop(self) -> str | None:
        """The name of the open workshop (`callsim workshop start`), if any."""
        from simulator.storage.workshops import active_workshop

        return active_workshop(self)

    def workshop_for(self, trainee: str | None, workshop: str | None,
                     mode: str | None = None) -> str | None:
        """The workshop a new call belongs to: the one named, else the open one.

        InputError when a workshop is open and no trainee is named.
        """
        from simulator.storage.workshops import workshop_for_call

        return workshop_for_call(self, trainee, workshop, mode)

    # -- reading ---------------------------------------------------------------------------

    def resolve_id(self, call_id_or_prefix: str) -> str:
        """The full id of the one call whose id is, or starts with, the given text."""
        return self._read(lambda conn: resolve_call_id(conn, call_id_or_prefix))

    def get_call(self, call_id_or_prefix: str) -> CallRecord:
        """The whole call with this id, or with the only id starting with this prefix."""

        return self._read(lambda conn: self._load(conn, resolve_call_id(conn, call_id_or_prefix)))

    def list_calls(
        self,
        trainee: str | None = None,
        workshop: str | None = None,
        persona: str | None = None,
        limit: int | None = None,
    ) -> list[CallSummary]:
        """Summaries, newest first; trainee and workshop match ignoring ASCII case."""
        where, params = filter_sql(trainee, workshop, persona)
        sql = (
            f"SELECT {SUMMARY_COLUMNS} FROM calls c{where} "
            "ORDER BY c.started_at DESC, c.call_id DESC LIMIT ?"
        )
        params.append(-1 if limit is None else limit)
        rows = self._read(lambda conn: conn.execute(sql, params).fetchall())
        return [CallSummary(*row) for row in rows]

    def count_calls(self, trainee: str | None = None, workshop: str | None = None,
                    persona: str | None = None) -> int:
        where, params = filter_sql(trainee, workshop, persona)
        sql = f"SELECT count(*) FROM calls c{where}"
        return self._read(lambda conn: conn.execute(sql, params).fetchone()[0])

    def iter_calls(
        self,
        trainee: str | None = None,
        workshop: str | None = None,
        persona: str | None = None,
        limit: int | None = None,
    ) -> Iterator[CallRecord]:
        """Whole records, newest first, loaded one at a time (for reports and exports)."""
        for summary in self.list_calls(trainee, workshop, persona, limit):
            yield self._read(lambda conn, call_id=summary.call_id: self._load(conn, call_id))

    def _load(self, conn: sqlite3.Connection, call_id: str) -> CallRecord:
        try:
            return load_call(conn, call_id)
        except UnknownCallError:
            raise
        except (ValueError, CallsimError) as exc:  # bad JSON or a field edited by hand
            raise StorageError(
                f"{self.path}: saved call {call_id} is damaged ({exc}); "
                "export the other calls and move the file aside"
            ) from None
