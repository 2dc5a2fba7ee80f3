"""Writing a whole file or nothing: a temporary file beside it, renamed over it when complete.

Also how a full disk is told apart from other write failures, and said to the user.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from simulator.errors import StorageError

# Below this much free space a failed write is put down to a full disk. SQLite reports some
# out-of-space failures only as a generic I/O error (e.g. growing its -shm file), and by then
# the disk is full to the last block, so the margin only needs to absorb other writers.
FULL_BELOW_BYTES = 1 << 20
_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})


def disk_is_full(path: Path) -> bool:
    """Whether the file system holding `path` (or its nearest existing folder) is full."""
    for folder in (path, *path.parents):
        try:
            return shutil.disk_usage(folder).free < FULL_BELOW_BYTES
        except OSError:
            continue  # not there (yet): its parent is on the same disk or an ancestor's
    return False


def is_full_disk_error(exc: OSError) -> bool:
    return exc.errno in _FULL_ERRNOS


def disk_full(path: Path, safe: str = "calls already saved are safe") -> StorageError:
    """The one line for a write to `path` that failed because its disk is full."""
    return StorageError(f"the disk holding {path} is full; free some space and try again "
                        f"({safe})")  # fmt: skip


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(path: Path, exc: OSError) -> StorageError:
    if is_full_disk_error(exc):
        return disk_full(path, f"nothing was written to {path.name}")
    reason = exc.strerror or str(exc)
    return StorageError(f"cannot write {path} ({reason}); choose a file in a writable directory")


def write_atomically(path: str | Path, write: Callable[[BinaryIO], None]) -> None:
    """Call `write` with a binary file that becomes `path` only once `write` has returned.

    A reader never sees half a file, and a failure (full disk, Ctrl-C) leaves any old file as
    it was. An unwritable path is one StorageError line.
    """
    path = Path(path)
    if path.is_dir():
        raise StorageError(f"cannot write {path}: it is a directory; give a file name")
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part",
                                             dir=path.parent)  # fmt: skip
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with os.fdopen(handle, "wb") as out:
            os.fchmod(out.fileno(), 0o666 & ~_umask())  # as open() would; mkstemp gives 0600
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise _cannot_write(path, exc) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
