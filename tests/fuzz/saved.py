"""What the data directory holds before and after a case, and whether a saved call was lost.

A snapshot is read from a copy of the database, so reading it changes nothing: the SQL dump of
its call, turn and recording rows, and each call as the store loads it (its replies' texts, and
the texts they replaced). Only `correct` and `rescore` may change a saved call, and only when
they succeed: the same turns, each earlier text kept beside the new one.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import tempfile
from pathlib import Path

from simulator.storage.rows import load_call
from tests.fuzz.case import Case

REVISABLE_ROWS = ('INSERT INTO "calls"', 'INSERT INTO "turns"')  # a revision re-writes these
CALL_ROWS = (*REVISABLE_ROWS, 'INSERT INTO "recordings"')
REVISING = ("correct", "rescore")  # commands that re-write a call's replies, keeping the old
DAMAGED = "damaged"  # a call the store cannot load


def _calls(conn: sqlite3.Connection) -> dict[str, object]:
    """call id -> ((turn index, text, earlier texts), ...), or DAMAGED."""
    calls: dict[str, object] = {}
    for (call_id,) in conn.execute("SELECT call_id FROM calls").fetchall():
        try:
            record = load_call(conn, call_id)
        except Exception:  # noqa: BLE001 - any failure to read it back is damage
            calls[call_id] = DAMAGED
            continue
        calls[call_id] = tuple(
            (turn.index, turn.text, tuple(e.get("text") for e in turn.extra.get("earlier", [])
                                          if isinstance(e, dict)))
            for turn in record.turns)
    return calls


def _unplayable(conn: sqlite3.Connection) -> frozenset[tuple[str, int]]:
    """(call id, turn) of each stored recording that does not play whole."""
    from simulator.storage.recordings import Recording, plays_whole

    try:
        rows = conn.execute("SELECT call_id, idx, format, rate, seconds, audio FROM recordings"
                            ).fetchall()
    except sqlite3.Error:  # a database from before recordings: none to play
        return frozenset()
    return frozenset((call_id, idx) for call_id, idx, fmt, rate, seconds, audio in rows
                     if not plays_whole(Recording(idx, fmt, rate, seconds, bytes(audio))))


def snapshot(data: Path) -> tuple:
    """("dump", rows, calls, unplayable recordings) for a readable database, else what stands
    in its place."""
    if not data.exists():
        return ("absent",)
    if not data.is_dir():
        return ("file", hashlib.sha256(data.read_bytes()).hexdigest())
    db = data / "callsim.db"
    if not db.is_file():
        return ("no database", db.exists())
    with tempfile.TemporaryDirectory() as scratch:
        for suffix in ("", "-wal"):
            if (data / f"callsim.db{suffix}").is_file():
                shutil.copyfile(data / f"callsim.db{suffix}", Path(scratch) / f"c.db{suffix}")
        conn = sqlite3.connect(Path(scratch) / "c.db")
        try:
            return ("dump", tuple(conn.iterdump()), _calls(conn), _unplayable(conn))
        except sqlite3.Error:
            return ("bytes", hashlib.sha256((Path(scratch) / "c.db").read_bytes()).hexdigest())
        finally:
            conn.close()


def _rows(dump: tuple[str, ...], revised: set[str]) -> set[str]:
    """The saved rows, but for the call and turn rows of the revised calls."""
    return {line for line in dump if line.startswith(CALL_ROWS) and not (
        line.startswith(REVISABLE_ROWS) and any(f"'{c}'" in line for c in revised))}


def _revision_loses(old: object, new: object) -> str | None:
    """What a revision of one call lost: a turn, or a text neither kept nor in 'earlier'."""
    if new == DAMAGED:
        return "cannot be read any more"
    if old == DAMAGED:
        return None
    if [turn[0] for turn in old] != [turn[0] for turn in new]:
        return "has other turns than before"
    for (index, text, _), (_, now, earlier) in zip(old, new, strict=True):
        if text != now and text not in earlier:
            return f"lost the text of turn {index}"
    return None


def data_lost(case: Case, before: tuple, after: tuple, exit_code: int | None) -> str | None:
    """What happened to the saved calls, when that is wrong."""
    if before == after:
        return None
    if before[0] != after[0]:
        return f"the data directory changed from {before[0]} to {after[0]}"
    if before[0] != "dump":
        return f"the data directory's {before[0]} changed"
    old_calls, new_calls = before[2], after[2]
    revised = set()
    if exit_code == 0 and case.argv[0] in REVISING:
        revised = {c for c in old_calls if c in new_calls and old_calls[c] != new_calls[c]}
        for call_id in sorted(revised):
            lost = _revision_loses(old_calls[call_id], new_calls[call_id])
            if lost:
                return f"{case.argv[0]} changed saved call {call_id}, which {lost}"
    old, new = _rows(before[1], revised), _rows(after[1], revised)
    if not old <= new:
        return f"{len(old - new)} of {len(old)} saved call/turn/recording rows changed or vanished"
    if exit_code != 0 and case.argv[0] == "import" and new != old:
        return f"a refused import still added {len(new - old)} call/turn/recording rows"
    damaged = sorted(c for c in old_calls if old_calls[c] != DAMAGED
                     and new_calls.get(c) == DAMAGED)
    if damaged:
        return f"saved call {damaged[0]} could be read before and cannot be now"
    return None


def damaged_audio_kept(before: tuple, after: tuple) -> str | None:
    """Which recording the case stored that does not play (`play` and reports would fail)."""
    if before[0] != "dump" or after[0] != "dump":
        return None
    kept = sorted(after[3] - before[3])
    if not kept:
        return None
    call_id, turn = kept[0]
    return f"{len(kept)} stored recordings do not play (the first: call {call_id} turn {turn})"
