"""Forgetting a trainee: their calls, drills and recordings leave the database for good.

Deleting a call deletes its turns and recordings with it (ON DELETE CASCADE). `secure_delete`
overwrites the freed pages and a checkpoint empties the write-ahead log, so the words and the
voice are gone from the file itself, not only from its index.
"""

from __future__ import annotations

import contextlib
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.storage.calls import CallStore

_COUNT_SQL = """
    SELECT COUNT(*), COALESCE(SUM(mode = 'drill'), 0),
           (SELECT COUNT(*) FROM recordings r JOIN calls c ON c.call_id = r.call_id
            WHERE c.trainee = ?)
    FROM calls WHERE trainee = ?
"""


@dataclass(frozen=True)
class TraineeData:
    """What is saved under a trainee's name (matched ignoring ASCII case)."""

    calls: int  # drills included
    drills: int
    recordings: int

    def describe(self) -> str:
        practice = self.calls - self.drills
        return (f"{_count(practice, 'call')}, {_count(self.drills, 'drill')} and "
                f"{_count(self.recordings, 'recording')}")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _counted(conn: sqlite3.Connection, trainee: str) -> TraineeData:
    calls, drills, recordings = conn.execute(_COUNT_SQL, (trainee, trainee)).fetchone()
    return TraineeData(calls, drills, recordings)


def trainee_data(store: CallStore, trainee: str) -> TraineeData:
    return store._read(lambda conn: _counted(conn, trainee))


def forget_trainee(store: CallStore, trainee: str) -> TraineeData:
    """Delete every call of `trainee` with its turns and recordings; what was deleted."""

    def delete(conn: sqlite3.Connection) -> TraineeData:
        found = _counted(conn, trainee)
        conn.execute("DELETE FROM calls WHERE trainee = ?", (trainee,))
        return found

    with store._lock:
        store._conn.execute("PRAGMA secure_delete = ON")  # a connection setting, not a write
    deleted = store._write(delete)
    with store._lock, contextlib.suppress(sqlite3.Error):
        # Best effort: a reader in another process may hold old pages until it finishes.
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return deleted
