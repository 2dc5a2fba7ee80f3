"""Where the call history lives: --data-dir, else $CALLSIM_HOME, else the user's data directory."""

from __future__ import annotations

import os
from pathlib import Path

from simulator.errors import PathTooLongError, StorageError
from simulator.storage.files import disk_full, is_full_disk_error

APP_NAME = "callsim"
HOME_ENV = "CALLSIM_HOME"
DB_FILENAME = "callsim.db"


NAME_MAX = 255  # bytes in one file or folder name (ext4, APFS, NTFS)
PATH_MAX = 4095  # bytes in a whole path (Linux; the kernel's 4096 includes the ending NUL)


def path_too_long(path: str | os.PathLike) -> bool:
    raw = os.fsencode(path)
    return len(raw) > PATH_MAX or any(len(name) > NAME_MAX for name in raw.split(b"/"))


def check_path_length(path: str | os.PathLike) -> None:
    """Raise PathTooLongError if the file system would refuse the path as too long."""
    if path_too_long(path):
        raise PathTooLongError(path)


def default_data_dir() -> Path:
    import platformdirs

    # appauthor=False: on Windows this is %LOCALAPPDATA%\callsim, not callsim\callsim.
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def data_dir_path(arg: str | Path | None = None) -> Path:
    """The data directory by precedence argument > $CALLSIM_HOME > platform default."""
    if arg is not None and str(arg) != "":
        directory = Path(arg)
    elif os.environ.get(HOME_ENV):
        directory = Path(os.environ[HOME_ENV])
    else:
        directory = default_data_dir()
    check_path_length(directory)  # $CALLSIM_HOME too: "File name too long" is no message
    return directory.expanduser().absolute()


def resolve_data_dir(arg: str | Path | None = None) -> Path:
    """data_dir_path(arg), created if missing."""
    directory = data_dir_path(arg)
    fix = f"pass --data-dir or set {HOME_ENV} to a writable directory"
    if directory.exists() and not directory.is_dir():
        raise StorageError(f"data directory {directory} is a file, not a directory; {fix}")
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        if is_full_disk_error(exc):
            raise disk_full(directory) from None
        reason = exc.strerror or str(exc)
        raise StorageError(f"cannot create data directory {directory} ({reason}); {fix}") from None
    return directory


def database_path(data_dir: Path) -> Path:
    return data_dir / DB_FILENAME
