"""The SQLite file: connection settings, schema migrations, and errors as one plain line.

Each write is its own short `BEGIN IMMEDIATE` transaction, so a turn is on disk the moment
`add_turn` returns and a killed process loses nothing already said. WAL lets readers run while
another process writes; writers queue on the busy timeout and retry if SQLite still says busy.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from simulator.errors import InputError, StorageError
from simulator.storage.files import disk_full, disk_is_full
from simulator.storage.limits import INT_RANGE

T = TypeVar("T")

BUSY_TIMEOUT_SECONDS = 5.0
WRITE_ATTEMPTS = 4  # after each busy timeout; waits grow 0.1 s, 0.2 s, 0.4 s

# One tuple of statements per schema version; step N (1-based) upgrades version N-1 to N.
# Never edit a released step: append a new one.
SCHEMA_V1: tuple[str, ...] = (
    """CREATE TABLE calls (
        call_id      TEXT PRIMARY KEY,
        persona      TEXT NOT NULL,
        persona_name TEXT NOT NULL,
        seed         INTEGER,
        trainee      TEXT COLLATE NOCASE,
        workshop     TEXT COLLATE NOCASE,
        mode         TEXT NOT NULL,
        started_at   TEXT NOT NULL,
        ended_at     TEXT,
        outcome      TEXT,
        score        INTEGER,
        scorecard    TEXT,
        delivery     TEXT
    )""",
    """CREATE TABLE turns (
        call_id    TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
        idx        INTEGER NOT NULL,
        speaker    TEXT NOT NULL,
        text       TEXT NOT NULL,
        started_at TEXT,
        ended_at   TEXT,
        state      TEXT,
        detections TEXT NOT NULL,
        words      TEXT NOT NULL,
        extra      TEXT NOT NULL,
        PRIMARY KEY (call_id, idx)
    ) WITHOUT ROWID""",
    "CREATE INDEX calls_by_start ON calls(started_at, call_id)",
    "CREATE INDEX calls_by_trainee ON calls(trainee, started_at, call_id)",
    "CREATE INDEX calls_by_workshop ON calls(workshop, started_at, call_id)",
    "CREATE INDEX calls_by_persona ON calls(persona, started_at, call_id)",
)

# v2: workshops. At most one is open (ended_at NULL): the partial unique index allows one row
# whose key (always 1) is indexed. Workshops named by v1 calls become ended workshops spanning
# their calls. calls_for_board covers the leaderboard's GROUP BY, so it never reads the table.
SCHEMA_V2: tuple[str, ...] = (
    """CREATE TABLE workshops (
        name       TEXT PRIMARY KEY COLLATE NOCASE,
        started_at TEXT NOT NULL,
        ended_at   TEXT
    )""",
    "CREATE UNIQUE INDEX workshops_one_open ON workshops((ended_at IS NULL)) "
    "WHERE ended_at IS NULL",
    """INSERT INTO workshops (name, started_at, ended_at)
        SELECT MIN(workshop COLLATE BINARY), MIN(started_at),
               MAX(COALESCE(ended_at, started_at))
        FROM calls WHERE workshop IS NOT NULL GROUP BY workshop""",
    "CREATE INDEX calls_for_board ON calls(workshop, trainee, persona, outcome, score, mode)",
)

# v3: the trainee's replies as heard, one compressed clip per turn (storage/recordings.py).
# Inside the database so a call stays one unit: deleting or exporting it takes its audio along.
SCHEMA_V3: tuple[str, ...] = (
    """CREATE TABLE recordings (
        call_id TEXT NOT NULL REFERENCES calls(call_id) ON DELETE CASCADE,
        idx     INTEGER NOT NULL,
        format  TEXT NOT NULL,
        rate    INTEGER NOT NULL,
        seconds REAL NOT NULL,
        audio   BLOB NOT NULL,
        PRIMARY KEY (call_id, idx)
    )""",  # a rowid table: SQLite advises against WITHOUT ROWID for rows of kilobytes
    # Drill items were saved as max_turns before they had an outcome of their own.
    "UPDATE calls SET outcome = 'answered' WHERE mode = 'drill' AND outcome = 'max_turns'",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (SCHEMA_V1, SCHEMA_V2, SCHEMA_V3)
OUR_TABLES = frozenset({"calls", "turns", "workshops", "recordings"})


def _error_kind(exc: sqlite3.Error) -> str:
    """SQLite's error name (Python 3.11+), else recognized from the message."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    kinds = (
        ("SQLITE_FULL", "disk is full", "full"),
        ("SQLITE_NOTADB", "not a database", "corrupt"),
        ("SQLITE_CORRUPT", "malformed", "corrupt"),
        ("SQLITE_READONLY", "readonly database", "readonly"),
        ("SQLITE_CANTOPEN", "unable to open", "cantopen"),
        ("SQLITE_BUSY", "database is locked", "busy"),
        ("SQLITE_LOCKED", "database table is locked", "busy"),
        ("SQLITE_IOERR", "disk i/o error", "ioerr"),
    )
    for code, phrase, kind in kinds:
        if name.startswith(code) or phrase in text:
            return kind
    return "other"


def is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.Error) and _error_kind(exc) == "busy"


def storage_error(exc: sqlite3.Error, path: Path) -> StorageError:
    """The one line a user sees for a SQLite failure on `path`, with what to do about it."""
    elsewhere = "or point --data-dir / CALLSIM_HOME at another directory"
    kind = _error_kind(exc)
    if kind == "cantopen" and path.parent.is_dir() and not os.access(path.parent, os.W_OK):
        kind = "readonly"  # SQLite cannot create its -wal/-shm files beside the database
    if kind in ("ioerr", "cantopen") and disk_is_full(path):
        kind = "full"  # e.g. SQLITE_IOERR_SHMSIZE: the -shm file could not grow
    if kind == "full":
        return disk_full(path)
    if kind == "corrupt":
        return StorageError(
            f"{path} is not a readable callsim database (damaged or another kind of file); "
            f"move it aside (e.g. rename it to {path.name}.broken) and callsim starts a new one"
        )
    if kind == "readonly":
        return StorageError(f"cannot write {path}: it or its directory is read-only; {elsewhere}")
    if kind == "cantopen":
        return StorageError(
            f"cannot open {path}: check that its directory exists and is writable, {elsewhere}"
        )
    if kind == "busy":
        return StorageError(
            f"{path} stayed locked by another callsim process; close the other callsim and retry"
        )
    if kind == "ioerr":
        return StorageError(
            f"cannot read or write {path}: disk I/O error; check the disk, {elsewhere}"
        )
    detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StorageError(f"call database {path}: {detail}; if this persists, move the file aside")


def connect(path: Path, migrations: Sequence[tuple[str, ...]] = MIGRATIONS) -> sqlite3.Connection:
    """Open (creating if needed) and upgrade the database at `path`; StorageError on failure."""
    try:
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, one short transaction per write.
        conn = sqlite3.connect(
            str(path), timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as exc:
        raise storage_error(exc, path) from None
    try:
        # The first statement reads the header: a garbage file fails here with NOTADB.
        retry_busy(lambda: conn.execute("PRAGMA journal_mode=WAL").fetchone(), path)
        # FULL: a committed turn survives a power cut too, not only a killed process.
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        migrate(conn, path, migrations)
    except BaseException:
        conn.close()
        raise
    return conn


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def _newer_error(path: Path, found: int, known: int) -> StorageError:
    return StorageError(
        f"{path} was written by a newer callsim (schema v{found}, this one reads up to "
        f"v{known}); upgrade callsim"
    )


def migrate(conn: sqlite3.Connection, path: Path, migrations: Sequence[tuple[str, ...]]) -> None:
    """Apply the missing steps in one transaction: all of them or, on failure, none."""
    target = len(migrations)
    try:
        found = schema_version(conn)
    except sqlite3.Error as exc:
        raise storage_error(exc, path) from None
    if found > target:
        raise _newer_error(path, found, target)
    if found == target:
        return

    def upgrade(conn: sqlite3.Connection) -> None:
        current = schema_version(conn)  # again: another process may have upgraded meanwhile
        if current > target:
            raise _newer_error(path, current, target)
        if current == 0:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
            if tables and not tables <= OUR_TABLES:
                raise StorageError(
                    f"{path} is a database of another program, not callsim's; "
                    "point --data-dir / CALLSIM_HOME at another directory"
                )
        for version in range(current, target):
            for statement in migrations[version]:
                _run_step(conn, path, version + 1, statement)
        conn.execute(f"PRAGMA user_version = {target}")

    write(conn, path, upgrade)


def _run_step(conn: sqlite3.Connection, path: Path, version: int, statement: str) -> None:
    try:
        conn.execute(statement)
    except sqlite3.Error as exc:
        if _error_kind(exc) != "other":
            raise  # full disk, read-only, busy...: reported as such by write()
        raise StorageError(
            f"cannot upgrade {path} to schema v{version}: {exc}; report this as a callsim bug"
        ) from None


def retry_busy(action: Callable[[], T], path: Path) -> T:
    """Run `action`, retrying when SQLite reports busy beyond the busy timeout.

    Values SQLite cannot take are checked where records are built; should one still reach it,
    it is refused in one line here rather than a traceback.
    """
    for attempt in range(WRITE_ATTEMPTS):
        try:
            return action()
        except sqlite3.Error as exc:
            if not is_busy(exc) or attempt == WRITE_ATTEMPTS - 1:
                raise storage_error(exc, path) from None
            time.sleep(0.1 * 2**attempt)
        except OverflowError:
            raise InputError(f"a number is too large for {path}: it must be {INT_RANGE}; "
                             "give a smaller one") from None  # fmt: skip
        except UnicodeEncodeError:
            raise InputError("text holding a lone surrogate (not valid Unicode, e.g. a badly "
                             "encoded name) cannot be saved or searched; retype it") from None
    raise AssertionError("unreachable")  # pragma: no cover


def write(conn: sqlite3.Connection, path: Path, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run `work` in its own IMMEDIATE transaction and commit; roll back on any failure.

    IMMEDIATE takes the write lock up front, so a busy database is met at BEGIN (where the busy
    timeout waits) rather than mid-transaction (where SQLite would give up at once).
    """

    def attempt() -> T:
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):  # keep the first error, not this one
                    conn.execute("ROLLBACK")
            raise
        return result

    return retry_busy(attempt, path)
