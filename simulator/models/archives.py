"""Model archives (zip, tar) read as a flat list of entries, each a folder, a file or refused.

Nothing here touches the disk outside the archive: `install` decides where entries go. An entry
that is not a plain file or folder (a symbolic or hard link, a device, a pipe) is reported by
what it is, so it can be refused before anything is unpacked: a model needs none of them.
"""

from __future__ import annotations

import stat
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

TAR_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz")
ARCHIVE_SUFFIXES = (".zip", *TAR_SUFFIXES)
# tarfile's errors for damaged compressed data vary by codec; all mean "not a usable archive".
TAR_ERRORS: tuple[type[Exception], ...] = (tarfile.TarError, EOFError)


@dataclass(frozen=True)
class Entry:
    name: str  # as stored in the archive
    kind: str  # "file", "folder", or what it is when a model must not contain it
    size: int
    open: Callable[[], IO[bytes]]


def is_tar(path: Path) -> bool:
    if path.name.lower().endswith(TAR_SUFFIXES):
        return True
    try:
        return not zipfile.is_zipfile(path) and tarfile.is_tarfile(path)
    except OSError:
        return False


def archive_stem(path: Path) -> str:
    """The archive's name without its archive suffix (x.tar.gz -> x)."""
    lowered = path.name.lower()
    for suffix in sorted(ARCHIVE_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix) and len(suffix) < len(path.name):
            return path.name[: -len(suffix)]
    return path.stem


def _zip_kind(info: zipfile.ZipInfo) -> str:
    file_type = stat.S_IFMT(info.external_attr >> 16)
    if stat.S_ISLNK(file_type):
        return "symbolic link"
    if info.is_dir():
        return "folder"
    if file_type in (0, stat.S_IFREG):  # 0: no Unix type recorded (e.g. zipped on Windows)
        return "file"
    if stat.S_ISDIR(file_type):
        return "folder"
    return "device or other special file"


def _tar_kind(member: tarfile.TarInfo) -> str:
    if member.issym():
        return "symbolic link"
    if member.islnk():
        return "hard link"
    if member.isdir():
        return "folder"
    if member.isreg():
        return "file"
    if member.ischr() or member.isblk():
        return "device file"
    if member.isfifo():
        return "named pipe"
    return "special file"


@contextmanager
def open_zip(path: Path) -> Iterator[list[Entry]]:
    with zipfile.ZipFile(path) as zf:
        yield [Entry(info.filename, _zip_kind(info), info.file_size,
                     lambda info=info: zf.open(info)) for info in zf.infolist()]  # fmt: skip


@contextmanager
def open_tar(path: Path) -> Iterator[list[Entry]]:
    with tarfile.open(path, "r:*") as tf:

        def opener(member: tarfile.TarInfo) -> Callable[[], IO[bytes]]:
            return lambda: tf.extractfile(member)  # type: ignore[return-value]

        yield [Entry(m.name, _tar_kind(m), m.size, opener(m)) for m in tf.getmembers()]
