"""Install a model from a zip, a tar archive or a folder (e.g. a USB stick), and remove one.

Installs are atomic: everything is unpacked or copied into a hidden temporary folder inside the
models folder, checked to be a Vosk model, then renamed into place. A failure at any point leaves
no model folder behind. Archives are unpacked as plain files and folders only: an entry that is
a link, a device or a path leading out of the model folder refuses the whole archive.
"""

from __future__ import annotations

import errno
import lzma
import os
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from simulator.errors import ModelError
from simulator.models.archives import TAR_ERRORS, Entry, archive_stem, is_tar, open_tar, open_zip
from simulator.models.registry import (
    InstalledModel,
    check_name,
    find_installed,
    folder_size,
    model_language,
    vosk_layout_problem,
)


def install(source: Path, models: Path, name: str | None = None) -> InstalledModel:
    """Install the model in `source` (a .zip or a model folder) under `name`."""
    source = Path(source).expanduser()
    if source.is_dir():
        return install_folder(source, models, name)
    if source.is_file():
        if is_tar(source):
            return install_tar(source, models, name)
        return install_zip(source, models, name)
    raise ModelError(f"{source}: no such file or folder; give a model .zip or a model folder")


def install_folder(folder: Path, models: Path, name: str | None = None) -> InstalledModel:
    problem = vosk_layout_problem(folder)
    if problem:
        raise ModelError(f"{folder} is not a Vosk model ({problem}); "
                         f"give the folder that contains am/, conf/ and graph/")
    name = check_name(name or folder.resolve().name)
    target = _free_target(models, name)
    with _staging(models, name) as staging:
        try:
            # Follows symlinks: the installed copy must not depend on the source medium.
            shutil.copytree(folder, staging / name)
        except OSError as exc:
            raise _cannot(f"cannot copy {folder} into {models}", models, exc) from exc
        return _commit(staging / name, target)


def install_zip(archive: Path, models: Path, name: str | None = None) -> InstalledModel:
    try:
        with open_zip(archive) as entries:
            return _install_entries(entries, archive, models, name)
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{archive} is not a valid zip file ({exc}); "
                         f"download it again or give the unpacked model folder") from exc
    except OSError as exc:
        raise _cannot(f"cannot install {archive}", models, exc) from exc


def install_tar(archive: Path, models: Path, name: str | None = None) -> InstalledModel:
    try:
        with open_tar(archive) as entries:
            return _install_entries(entries, archive, models, name)
    except (*TAR_ERRORS, zlib.error, lzma.LZMAError) as exc:
        text = str(exc).lower()  # the codecs' own words vary by version: not shown
        cut = isinstance(exc, EOFError) or "end of" in text or "ended before" in text
        reason = "it is cut short" if cut else "it is damaged or not a tar file"
        raise ModelError(f"{archive} is not a valid tar archive ({reason}); "
                         f"download it again or give the unpacked model folder") from exc
    except OSError as exc:
        raise _cannot(f"cannot install {archive}", models, exc) from exc


def remove(name: str, models: Path) -> InstalledModel:
    model = find_installed(models, name)
    # Rename first so a half-deleted folder is never mistaken for a model.
    trash = Path(tempfile.mkdtemp(dir=models, prefix=f".remove-{name}-"))
    os.replace(model.path, trash / name)
    shutil.rmtree(trash, ignore_errors=True)
    return model


def _install_entries(entries: list[Entry], archive: Path, models: Path,
                     name: str | None) -> InstalledModel:  # fmt: skip
    """Check every entry, then unpack them into a fresh hidden folder and rename it into place.

    Only plain files and folders are ever created (never a link), each at a path checked to
    resolve inside that folder; on any failure the folder and all in it are removed.
    """
    places = [(entry, _place(entry.name, archive)) for entry in entries]
    for entry, _ in places:
        if entry.kind not in ("file", "folder"):
            raise ModelError(f"refusing to install {archive}: entry {entry.name!r} is a "
                             f"{entry.kind}, which a model never needs; nothing was installed")
    prefix = _common_folder(places)
    name = check_name(name or prefix or archive_stem(archive))
    target = _free_target(models, name)
    _check_space(models, sum(entry.size for entry in entries if entry.kind == "file"), archive)
    with _staging(models, name) as staging:
        root = staging / name
        root.mkdir()
        inside = root.resolve()
        for entry, parts in places:
            parts = parts[1:] if prefix is not None else parts
            if parts:
                _unpack(entry, root.joinpath(*parts), inside, archive)
        problem = vosk_layout_problem(root)
        if problem:
            raise ModelError(f"{archive} does not contain a Vosk model ({problem})")
        return _commit(root, target)


def _place(entry: str, archive: Path) -> tuple[str, ...]:
    """The entry's path parts inside the model folder; refused if it could lead outside."""
    path = entry.replace("\\", "/")
    parts = PurePosixPath(path).parts
    if (path.startswith("/") or (parts and ":" in parts[0]) or ".." in parts
            or "\x00" in path):  # fmt: skip
        raise ModelError(f"refusing to install {archive}: entry {entry!r} points outside "
                         f"the model folder")
    return tuple(part for part in parts if part not in ("", "."))


def _common_folder(places: list[tuple[Entry, tuple[str, ...]]]) -> str | None:
    """The single top-level folder every entry lives in (how Vosk archives are made), if any."""
    tops = {parts[0] for _, parts in places if parts}
    if len(tops) != 1:
        return None
    nested = all(len(parts) > 1 or entry.kind == "folder" for entry, parts in places if parts)
    return tops.pop() if nested else None


def _unpack(entry: Entry, dest: Path, inside: Path, archive: Path) -> None:
    if entry.kind == "folder":
        dest.mkdir(parents=True, exist_ok=True)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
    # No links are ever created, so nothing can lead out; checked all the same, resolved.
    where = dest.resolve() if entry.kind == "folder" else dest.parent.resolve() / dest.name
    if not where.is_relative_to(inside):
        raise ModelError(f"refusing to install {archive}: entry {entry.name!r} points outside "
                         f"the model folder")
    if entry.kind == "file":
        # O_EXCL and O_NOFOLLOW: never write through anything already there.
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        flags |= getattr(os, "O_BINARY", 0)
        try:
            handle = os.open(where, flags, 0o666)
        except FileExistsError:
            raise ModelError(f"refusing to install {archive}: entry {entry.name!r} appears "
                             f"twice; download it again") from None
        with entry.open() as src, os.fdopen(handle, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)


def _free_target(models: Path, name: str) -> Path:
    target = models / name
    if target.exists() or target.is_symlink():
        raise ModelError(f"a model named {name!r} is already installed in {models}; "
                         f"remove it first with: callsim models remove {name}")
    return target


def _check_space(models: Path, needed: int, archive: Path) -> None:
    models.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(models).free
    if needed > free:
        raise ModelError(f"not enough disk space in {models} to unpack {archive}: needs "
                         f"{needed / 1e6:.0f} MB, {free / 1e6:.0f} MB free")


class _staging:
    """A hidden temporary folder inside `models`, always removed on exit."""

    def __init__(self, models: Path, name: str):
        self.models, self.name = models, name

    def __enter__(self) -> Path:
        try:
            self.models.mkdir(parents=True, exist_ok=True)
            self.path = Path(tempfile.mkdtemp(dir=self.models, prefix=f".install-{self.name}-"))
        except OSError as exc:
            raise ModelError(f"cannot write to {self.models}: {_reason(exc)}") from exc
        return self.path

    def __exit__(self, *exc_info) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _commit(staged: Path, target: Path) -> InstalledModel:
    # rename (not replace): never overwrite a model someone installed meanwhile.
    try:
        os.rename(staged, target)
    except OSError as exc:
        raise ModelError(f"cannot install into {target}: {_reason(exc)}") from exc
    return InstalledModel(target.name, target, folder_size(target), model_language(target.name))


def _cannot(action: str, models: Path, exc: OSError) -> ModelError:
    """`action` failed; a full disk is said as such (copytree reports it only in its text)."""
    full = exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    if full or (isinstance(exc, shutil.Error) and os.strerror(errno.ENOSPC) in str(exc)):
        return ModelError(f"the disk holding {models} is full; free some space and try again "
                          "(nothing was installed)")
    return ModelError(f"{action}: {_reason(exc)}")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
