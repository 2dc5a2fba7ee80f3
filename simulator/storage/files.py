"""Writing a whole file or nothing: a temporary file beside it, renamed over it when complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from simulator.errors import StorageError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _cannot_write(path: Path, exc: OSError) -> StorageError:
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
