"""Workshops: a trainer's session with many trainees, at most one open at a time.

While a workshop is open every practice call on this laptop is tagged with it, so the trainee's
name is required then (the leaderboard is per trainee).
"""

from __future__ import annotations

import sqlite3
import string
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.errors import InputError, shorten
from simulator.storage.records import is_timestamp, utc_timestamp

if TYPE_CHECKING:
    from simulator.storage.calls import CallStore

NAME_MAX = 60
LIST_HINT = "see `callsim workshop list`"
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

# Named workshops, and workshops only named by calls (tagged by hand or by callsim v1): the
# latter span their calls. Collation NOCASE throughout, like the columns.
_ROWS_SQL = """
    SELECT name, started_at, ended_at FROM workshops
    UNION ALL
    SELECT MIN(workshop COLLATE BINARY), MIN(started_at), MAX(COALESCE(ended_at, started_at))
    FROM calls WHERE workshop IS NOT NULL AND workshop NOT IN (SELECT name FROM workshops)
    GROUP BY workshop
"""
_COUNTS_SQL = "SELECT COUNT(*), COUNT(DISTINCT trainee) FROM calls WHERE workshop = ?"


@dataclass(frozen=True)
class Workshop:
    name: str
    started_at: str
    ended_at: str | None = None  # None while open
    calls: int = 0
    trainees: int = 0

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "started_at": self.started_at, "ended_at": self.ended_at,
                "calls": self.calls, "trainees": self.trainees}  # fmt: skip


def nocase(name: str) -> str:
    """The key SQLite's NOCASE collation compares by (it folds ASCII letters only)."""
    return name.translate(_ASCII_LOWER)


def shown_time(timestamp: str) -> str:
    """2025-03-01T09:30:00.125Z -> 2025-03-01 09:30 UTC (as `callsim history` shows times)."""
    return timestamp.replace("T", " ")[:16] + " UTC"


def check_name(name: str) -> str:
    """The workshop name without surrounding spaces, or InputError saying what is wrong."""
    cleaned = name.strip()
    if not cleaned:
        raise InputError("a workshop needs a name, e.g. callsim workshop start lisbon-2025")
    if len(cleaned) > NAME_MAX:
        raise InputError(f"workshop name {shorten(cleaned)} is too long (at most {NAME_MAX} "
                         "characters)")  # fmt: skip
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise InputError(f"workshop name '{shorten(cleaned)}' contains control characters; use "
                         "letters, digits, spaces and dashes")  # fmt: skip
    return cleaned


def workshop_problem(data: Any) -> str | None:
    """What is wrong with a workshop's JSON form {name, started_at, ended_at}, if anything."""
    keys = {"name", "started_at", "ended_at"}
    if not isinstance(data, dict) or set(data) != keys:
        return "must be an object with exactly name, started_at, ended_at"
    if not isinstance(data["name"], str):
        return "has a name that is not text"
    try:
        if check_name(data["name"]) != data["name"]:
            return "has a name with surrounding spaces"
    except InputError as exc:
        return f"has a bad name ({exc})"
    if not is_timestamp(data["started_at"]):
        return "has no valid started_at time"
    if data["ended_at"] is not None and not is_timestamp(data["ended_at"]):
        return "has an invalid ended_at time"
    return None


def _open_row(conn: sqlite3.Connection) -> tuple[str, str] | None:
    return conn.execute("SELECT name, started_at FROM workshops WHERE ended_at IS NULL").fetchone()


def _row(conn: sqlite3.Connection, name: str) -> tuple[str, str, str | None] | None:
    sql = "SELECT name, started_at, ended_at FROM workshops WHERE name = ?"
    return conn.execute(sql, (name,)).fetchone()


def start_workshop(store: CallStore, name: str, now: str | None = None) -> tuple[Workshop, bool]:
    """Open workshop `name` (reopening it if it ran before); returns it and whether reopened."""
    name = check_name(name)
    now = now or utc_timestamp()

    def start(conn: sqlite3.Connection) -> tuple[Workshop, bool]:
        current = _open_row(conn)
        if current is not None and nocase(current[0]) == nocase(name):
            raise InputError(f"workshop {current[0]} is already open (since "
                             f"{shown_time(current[1])})")  # fmt: skip
        if current is not None:
            raise InputError(f"workshop {current[0]} is still open; end it first: "
                             "callsim workshop end")  # fmt: skip
        before = _row(conn, name)
        if before is None:
            conn.execute("INSERT INTO workshops VALUES (?, ?, NULL)", (name, now))
            return Workshop(name, now), False
        conn.execute("UPDATE workshops SET ended_at = NULL WHERE name = ?", (name,))
        return Workshop(before[0], before[1]), True

    return store._write(start)


def end_workshop(store: CallStore, name: str | None = None, now: str | None = None) -> Workshop:
    """Close the open workshop (which must be `name`, when given)."""
    now = now or utc_timestamp()

    def end(conn: sqlite3.Connection) -> Workshop:
        current = _open_row(conn)
        if name is not None and (current is None or nocase(current[0]) != nocase(name)):
            row = _row(conn, name)
            if row is None:
                raise InputError(f"no workshop named {shorten(name)}; {LIST_HINT}")
            raise InputError(f"workshop {row[0]} already ended at {shown_time(row[2])}")
        if current is None:
            raise InputError(f"no workshop is open; {LIST_HINT}")
        conn.execute("UPDATE workshops SET ended_at = ? WHERE name = ?", (now, current[0]))
        return _with_counts(conn, (current[0], current[1], now))

    return store._write(end)


def _with_counts(conn: sqlite3.Connection, row: tuple[str, str, str | None]) -> Workshop:
    calls, trainees = conn.execute(_COUNTS_SQL, (row[0],)).fetchone()
    return Workshop(row[0], row[1], row[2], calls, trainees)


def workshop_rows(conn: sqlite3.Connection) -> list[tuple[str, str, str | None]]:
    """(name, started_at, ended_at) of every workshop, named or only tagged on calls."""
    return conn.execute(_ROWS_SQL).fetchall()


def list_workshops(store: CallStore) -> list[Workshop]:
    """Every workshop with its call and trainee counts, newest first."""

    def read(conn: sqlite3.Connection) -> list[Workshop]:
        rows = sorted(workshop_rows(conn), key=lambda r: (r[1], r[0]), reverse=True)
        return [_with_counts(conn, row) for row in rows]

    return store._read(read)


def display_name(conn: sqlite3.Connection, name: str) -> str | None:
    """The workshop's name as it was first written, or None when no workshop has that name."""
    row = _row(conn, name)
    if row is not None:
        return row[0]
    sql = "SELECT MIN(workshop COLLATE BINARY) FROM calls WHERE workshop = ?"
    return conn.execute(sql, (name,)).fetchone()[0]


def active_workshop(store: CallStore) -> str | None:
    """The name of the open workshop, if any."""
    row = store._read(_open_row)
    return None if row is None else row[0]


def workshop_for_call(store: CallStore, trainee: str | None, workshop: str | None,
                      mode: str | None) -> str | None:  # fmt: skip
    """The workshop a new call belongs to: the one given, else the open one.

    A demo call is the trainer's, not a trainee's: it joins no workshop unless told to.
    """
    if workshop is not None or mode == "demo":
        return workshop
    active = active_workshop(store)
    if active is not None and not (trainee or "").strip():
        raise InputError(f"workshop {active} is open: give your name with --trainee NAME")
    return active
