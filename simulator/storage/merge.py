"""Merging export files into this laptop's history: all files in one transaction, idempotent.

A call id already here is compared with the imported call:
- the same call: already present, nothing changes;
- an earlier snapshot of it (exported while it was still running): the finished one is kept;
- a different call (ids are random, so only a hand-made file or a bug): the imported call is
  kept too, under `<id>-<8 hex of its SHA-256>`, the same new id however often it is imported.
Workshops merge by name: the earliest start, the latest end, an open one here stays open.
Recordings come with their call (a reply recorded here and not in the file is kept); the
personas the calls used are written beside this laptop's (storage/shared_personas.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.errors import Cancelled, StorageError
from simulator.storage.exchange import ExportFile, call_line
from simulator.storage.recordings import Recording, call_recordings, insert_recording
from simulator.storage.records import CallRecord
from simulator.storage.rows import TURN_COLUMNS, insert_call, turn_row

if TYPE_CHECKING:
    from simulator.storage.calls import CallStore

# What a call is, as opposed to how far it got.
_IDENTITY = ("persona", "persona_name", "seed", "trainee", "workshop", "mode", "started_at")

# An open workshop elsewhere arrives closed at its export time: it is not open on this laptop.
_WORKSHOP_SQL = """
    INSERT INTO workshops (name, started_at, ended_at) VALUES (?, ?, ?)
    ON CONFLICT (name) DO UPDATE SET
        started_at = min(started_at, excluded.started_at),
        ended_at = CASE WHEN ended_at IS NULL THEN NULL ELSE max(ended_at, excluded.ended_at) END
"""


@dataclass
class ImportReport:
    path: Path
    imported: int = 0  # new calls, and unfinished calls here replaced by their finished version
    present: int = 0
    completed: int = 0  # of `imported`: unfinished calls here now complete
    rekeyed: list[tuple[str, str]] = field(default_factory=list)  # (id in the file, id here)
    recordings: int = 0  # replies' audio added
    damaged: int = 0  # replies' audio left out: it does not play (see `read_export`)

    def summary(self) -> str:
        return f"imported {self.imported} calls ({self.present} already present) from {self.path}"


def _continues(earlier: CallRecord, later: CallRecord) -> bool:
    """Whether `earlier` is `later` saved before the call ended (a prefix of its turns)."""
    return (
        earlier.outcome is None
        and all(getattr(earlier, name) == getattr(later, name) for name in _IDENTITY)
        and later.turns[: len(earlier.turns)] == earlier.turns
    )


def _insert(conn: sqlite3.Connection, record: CallRecord) -> None:
    insert_call(conn, record)  # the caller checked the id is free, in this transaction
    sql = f"INSERT INTO turns (call_id, {TURN_COLUMNS}) VALUES (?{',?' * 9})"
    conn.executemany(sql, [turn_row(record.call_id, turn) for turn in record.turns])


def _add_clips(conn: sqlite3.Connection, call_id: str, clips: list[Recording],
               report: ImportReport) -> None:
    """Keep the clips of turns this call has and that have none here yet."""
    turns = {row[0] for row in conn.execute("SELECT idx FROM turns WHERE call_id = ?",
                                            (call_id,))}  # fmt: skip
    report.recordings += sum(insert_recording(conn, call_id, clip) for clip in clips
                             if clip.idx in turns)


def _saved(store: CallStore, conn: sqlite3.Connection, call_id: str) -> CallRecord | None:
    if conn.execute("SELECT 1 FROM calls WHERE call_id = ?", (call_id,)).fetchone() is None:
        return None
    return store._load(conn, call_id)


def _merge_call(store: CallStore, conn: sqlite3.Connection, record: CallRecord,
                clips: list[Recording], report: ImportReport) -> None:  # fmt: skip
    saved = _saved(store, conn, record.call_id)
    if saved is None:
        _insert(conn, record)
        report.imported += 1
    elif saved == record or _continues(record, saved):
        report.present += 1
    elif _continues(saved, record):
        kept = call_recordings(conn, record.call_id)  # replies recorded here stay recorded
        conn.execute("DELETE FROM calls WHERE call_id = ?", (record.call_id,))  # and its turns
        _insert(conn, record)
        _add_clips(conn, record.call_id, clips, report)
        for clip in kept:  # not counted: they were here already
            insert_recording(conn, record.call_id, clip)
        report.imported += 1
        report.completed += 1
        return
    else:
        suffix = hashlib.sha256(call_line(record)).hexdigest()[:8]
        moved = dataclasses.replace(record, call_id=f"{record.call_id}-{suffix}")
        saved = _saved(store, conn, moved.call_id)
        if saved is None:
            _insert(conn, moved)
            report.imported += 1
            report.rekeyed.append((record.call_id, moved.call_id))
        elif saved == moved:
            report.present += 1
        else:
            raise StorageError(f"cannot import {report.path}: call {record.call_id} clashes "
                               f"with calls {record.call_id} and {moved.call_id} saved here; "
                               "nothing was imported")  # fmt: skip
        _add_clips(conn, moved.call_id, clips, report)
        return
    _add_clips(conn, record.call_id, clips, report)


def _merge_workshop(conn: sqlite3.Connection, workshop: dict[str, Any], exported_at: str):
    ended_at = workshop["ended_at"] or exported_at
    conn.execute(_WORKSHOP_SQL, (workshop["name"], workshop["started_at"], ended_at))


CANCELLED = "import cancelled; nothing was imported"


def import_exports(store: CallStore, exports: list[ExportFile],
                   cancelled: Callable[[], bool] = lambda: False,
                   audio: bool = True) -> list[ImportReport]:
    """Merge the checked files (see `read_export`) in one transaction: all of them or none.
    Their recordings too, unless not `audio`; their personas are left to `place_personas`.

    `cancelled` is asked before each call; when it says yes the transaction is rolled back and
    Cancelled raised. Once it no longer asks (all merged, committing) the import completes.
    """

    def check() -> None:
        if cancelled():
            raise Cancelled(CANCELLED)

    def merge(conn: sqlite3.Connection) -> list[ImportReport]:
        reports = []
        for export in exports:
            report = ImportReport(export.path, damaged=len(export.damaged))
            for workshop in export.workshops:
                _merge_workshop(conn, workshop, export.exported_at)
            for record in export.calls:
                check()
                clips = export.recordings.get(record.call_id, []) if audio else []
                _merge_call(store, conn, record, clips, report)
            reports.append(report)
        check()
        return reports

    return store._write(merge)
