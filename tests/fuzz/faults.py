"""Broken data directories: a file where the directory goes, a damaged database, a read-only
or full file system.

`Fault.setup` lays the trainer's calls out broken; the runner snapshots the calls, `arm`s the
fault (the file system turns read-only or fills up), runs the command, `disarm`s it to snapshot
again, and `cleanup` unmounts. Read-only and full file systems are small tmpfs mounts, as the
`tmpfs` fixture in tests/conftest.py makes them (root only); without root a read-only directory
is made with chmod and a full disk cannot be made, so that case is skipped.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import uuid
from pathlib import Path

DB = "callsim.db"
PAGE = 4096


class Unavailable(Exception):
    """The fault cannot be made on this machine (no privilege to mount)."""


def _damage_pages(db: Path) -> None:
    """Overwrite everything after the first page (the schema) with garbage."""
    data = db.read_bytes()
    db.write_bytes(data[:PAGE] + bytes(range(7, 256)) * ((len(data) - PAGE) // 249 + 1))


def _newer_schema(db: Path) -> None:
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA user_version = 99")
    finally:
        conn.close()


DAMAGE = {  # fault -> what it does to the copied database
    "db-garbage": lambda db: db.write_bytes(bytes(range(256)) * 16),
    "db-text": lambda db: db.write_text("name,score\nana,73\n"),
    "db-truncated-header": lambda db: db.write_bytes(b"SQLite format 3\x00\x10\x00"),
    "db-damaged-pages": _damage_pages,
    "db-newer-schema": _newer_schema,
    "wal-garbage": lambda db: db.with_name(DB + "-wal").write_bytes(bytes(range(256)) * 64),
}
ON_TMPFS = ("read-only", "full-disk")
FAULTS = ("data-is-file", "parent-is-file", "db-is-dir", *DAMAGE, *ON_TMPFS)
UNOPENABLE = ("data-is-file", "parent-is-file", "db-is-dir", "db-garbage", "db-text",
              "db-truncated-header", "db-newer-schema")  # no command can open the store


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, capture_output=True, text=True, check=False)


def _fill(path: Path, block: int) -> None:
    """Write `block`-byte chunks to `path` until the file system is full."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        while True:
            os.write(fd, bytes(block))
    except OSError:
        pass  # ENOSPC: full
    finally:
        os.close(fd)


class Fault:
    def __init__(self, name: str, case_dir: Path):
        self.name, self.case_dir = name, case_dir
        self.mount: Path | None = None
        self.data = case_dir / "data"

    def setup(self, template: Path) -> Path:
        """Lay out the data directory with the fault; returns the --data-dir to give."""
        if self.name == "data-is-file":
            self.data.write_text("not a directory\n")
            return self.data
        if self.name == "parent-is-file":
            self.data.write_text("not a directory\n")
            return self.data / "sub"
        if self.name in ON_TMPFS:
            self.data = self._mount(size_kb=1024) / "data"
        shutil.copytree(template, self.data)
        db = self.data / DB
        if self.name == "db-is-dir":
            db.unlink()
            db.mkdir()
        elif self.name in DAMAGE:
            DAMAGE[self.name](db)
        return self.data

    def _mount(self, size_kb: int) -> Path:
        point = self.case_dir / f"tmpfs-{uuid.uuid4().hex[:6]}"
        point.mkdir()
        if os.geteuid() != 0:
            if self.name == "full-disk":
                raise Unavailable("a full disk needs root to mount a tmpfs")
            return point  # read-only by chmod instead
        done = _run("mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(point))
        if done.returncode != 0:
            raise Unavailable(f"cannot mount a tmpfs here ({done.stderr.strip()})")
        self.mount = point
        return point

    def arm(self) -> None:
        if self.name == "read-only":
            if self.mount is not None:
                _run("mount", "-o", "remount,ro", str(self.mount))
            else:
                for path in [self.data, *self.data.iterdir()]:
                    path.chmod(0o555 if path.is_dir() else 0o444)
        elif self.name == "full-disk":
            for name, block in (("ballast", 64 * 1024), ("ballast2", 512)):
                _fill(self.mount / name, block)

    def disarm(self) -> None:
        if self.name == "read-only":
            if self.mount is not None:
                _run("mount", "-o", "remount,rw", str(self.mount))
            else:
                for path in [self.data, *self.data.iterdir()]:
                    path.chmod(0o755 if path.is_dir() else 0o644)
        elif self.name == "full-disk":
            for name in ("ballast", "ballast2"):
                (self.mount / name).unlink(missing_ok=True)

    def cleanup(self) -> None:
        if self.mount is not None:
            _run("umount", "-l", str(self.mount))
            self.mount = None
