"""A full disk, a read-only directory, a damaged file, a lock that never clears: one line each.

Each error names the file and what to do; none of them loses a turn already saved.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import pytest
from store_helpers import make_record, make_turn

from simulator.errors import StorageError
from simulator.storage import CallStore, TurnRecord, db

ELSEWHERE = "or point --data-dir / CALLSIM_HOME at another directory"


def disk_full(path: Path) -> str:
    return (f"the disk holding {path} is full; free some space and try again (calls already "
            "saved are safe)")


def read_only(path: Path) -> str:
    return f"cannot write {path}: it or its directory is read-only; {ELSEWHERE}"


def damaged(path: Path) -> str:
    return (
        f"{path} is not a readable callsim database (damaged or another kind of file); "
        "move it aside (e.g. rename it to callsim.db.broken) and callsim starts a new one"
    )


def fill_with_turns(store: CallStore, call_id: str, first: int) -> tuple[int, StorageError]:
    """Add 3 kB turns until saving fails; returns the next index and the error."""
    index = first
    while index < first + 10_000:
        try:
            store.add_turn(call_id, TurnRecord(index, "trainee", f"{index} " + "x" * 3000))
        except StorageError as exc:
            return index, exc
        index += 1
    raise AssertionError("the disk never filled up")


def test_full_disk_on_a_tiny_tmpfs(tmpfs):
    mount = tmpfs(320)
    ballast = mount / "ballast"
    with CallStore.open(mount / "data") as store:
        call = store.start_call("busy-cfo", "Dana", None, "ana", None, "mic")
        ballast.write_bytes(bytes(64 * 1024))  # so space can be freed again below
        saved, error = fill_with_turns(store, call.call_id, 0)
        assert str(error) == disk_full(store.path)
        assert saved > 0
        assert [t.index for t in store.get_call(call.call_id).turns] == list(range(saved))
        ballast.unlink()
        store.add_turn(call.call_id, make_turn(saved))  # the same call carries on
        store.finish_call(call.call_id, "hung_up")
    with CallStore.open(mount / "data") as reopened:
        again = reopened.get_call(call.call_id)
    assert [t.index for t in again.turns] == list(range(saved + 1))
    assert again.outcome == "hung_up"


def test_full_disk_by_page_limit(tmp_path: Path):
    # max_page_count makes SQLite fail with SQLITE_FULL, the error a full disk gives.
    with CallStore.open(tmp_path) as store:
        call = store.start_call("busy-cfo", "Dana", None, "ana", None, "mic")
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = store._conn.execute("PRAGMA page_count").fetchone()[0]
        store._conn.execute(f"PRAGMA max_page_count = {pages + 8}")
        saved, error = fill_with_turns(store, call.call_id, 0)
        assert str(error) == disk_full(store.path)
        assert [t.index for t in store.get_call(call.call_id).turns] == list(range(saved))


def remount_read_only(mount: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)


READ_ONLY = [  # data directory on the read-only file system, what is there already
    ("data", "existing"),
    ("data", "empty dir"),
    ("data/new", "nothing"),
]


@pytest.mark.parametrize(("where", "content"), READ_ONLY, ids=[r[1] for r in READ_ONLY])
def test_read_only_file_system(tmpfs, where, content):
    mount = tmpfs(256)
    if content == "existing":
        with CallStore.open(mount / where) as store:
            store.import_calls([make_record("a", "2025-03-01T09:30:00.000Z")])
    elif content == "empty dir":
        (mount / where).mkdir()
    remount_read_only(mount)
    with pytest.raises(StorageError) as caught:
        CallStore.open(mount / where)
    if content == "nothing":
        assert str(caught.value) == (
            f"cannot create data directory {mount / where} (Read-only file system); "
            "pass --data-dir or set CALLSIM_HOME to a writable directory"
        )
    else:
        assert str(caught.value) == read_only(mount / where / "callsim.db")


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_by_permissions(tmp_path: Path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data").chmod(0o555)
    try:
        with pytest.raises(StorageError) as caught:
            CallStore.open(tmp_path / "data")
        assert str(caught.value) == read_only(tmp_path / "data" / "callsim.db")
    finally:
        (tmp_path / "data").chmod(0o755)


def _damage_pages(path: Path) -> None:
    """Overwrite everything after the first page (the schema) with garbage."""
    size = path.stat().st_size
    page = 4096
    path.write_bytes(path.read_bytes()[:page] + bytes(range(7, 256)) * ((size - page) // 249 + 1))


CORRUPT = [
    ("garbage bytes", lambda p: p.write_bytes(bytes(range(256)) * 16)),
    ("a text file", lambda p: p.write_text("name,score\nana,73\n")),
    ("a truncated header", lambda p: p.write_bytes(b"SQLite format 3\x00\x10\x00")),
    ("damaged pages", _damage_pages),
]


@pytest.mark.parametrize(("case", "spoil"), CORRUPT, ids=[c[0] for c in CORRUPT])
def test_corrupt_file(tmp_path: Path, case, spoil):
    with CallStore.open(tmp_path) as store:
        store.import_calls(make_record(f"c{i}", "2025-03-01T09:30:00.000Z") for i in range(50))
    path = tmp_path / "callsim.db"
    assert not (tmp_path / "callsim.db-wal").exists()  # all of it is in the main file now
    spoil(path)
    with pytest.raises(StorageError) as caught, CallStore.open(tmp_path) as store:
        for summary in store.list_calls():
            store.get_call(summary.call_id)
    assert str(caught.value) == damaged(path)


def test_lock_held_too_long(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 0.05)
    with CallStore.open(tmp_path) as store:
        call = store.start_call("busy-cfo", "Dana", None, "ana", None, "text")
        other = sqlite3.connect(store.path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process holding the write lock
        try:
            with pytest.raises(StorageError) as caught:
                store.add_turn(call.call_id, make_turn(0))
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert str(caught.value) == (
            f"{store.path} stayed locked by another callsim process; "
            "close the other callsim and retry"
        )
        assert store.get_call(call.call_id).turns == []
        store.add_turn(call.call_id, make_turn(0))  # lock gone: saving works again
        assert len(store.get_call(call.call_id).turns) == 1


def test_lock_released_during_retries(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 0.05)
    with CallStore.open(tmp_path) as store:
        call = store.start_call("busy-cfo", "Dana", None, "ana", None, "text")
        other = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
        other.execute("BEGIN IMMEDIATE")
        release = threading.Thread(target=lambda: (time.sleep(0.2), other.execute("ROLLBACK")))
        release.start()
        store.add_turn(call.call_id, make_turn(0))  # outlasts one busy timeout, then succeeds
        release.join()
        other.close()
        assert [t.index for t in store.get_call(call.call_id).turns] == [0]
