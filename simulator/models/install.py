"""Install a model from a zip or a folder (e.g. a USB stick), and remove one.

Installs are atomic: everything is unpacked or copied into a hidden temporary folder inside the
models folder, checked to be a Vosk model, then renamed into place. A failure at any point leaves
no model folder behind.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
import zipfile
from pathlib import Path, PurePosixPath

from simulator.errors import ModelError
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
            raise ModelError(f"cannot copy {folder} into {models}: {_reason(exc)}") from exc
        return _commit(staging / name, target)


def install_zip(archive: Path, models: Path, name: str | None = None) -> InstalledModel:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = zf.infolist()
            prefix = _common_folder(members)
            name = check_name(name or prefix or archive.stem)
            target = _free_target(models, name)
            _check_space(models, sum(m.file_size for m in members), archive)
            with _staging(models, name) as staging:
                root = staging / name
                root.mkdir()
                for member in members:
                    _extract(zf, member, prefix, root, archive)
                problem = vosk_layout_problem(root)
                if problem:
                    raise ModelError(f"{archive} does not contain a Vosk model ({problem})")
                return _commit(root, target)
    except zipfile.BadZipFile as exc:
        raise ModelError(f"{archive} is not a valid zip file ({exc}); "
                         f"download it again or give the unpacked model folder") from exc
    except OSError as exc:
        raise ModelError(f"cannot install {archive}: {_reason(exc)}") from exc


def remove(name: str, models: Path) -> InstalledModel:
    model = find_installed(models, name)
    # Rename first so a half-deleted folder is never mistaken for a model.
    trash = Path(tempfile.mkdtemp(dir=models, prefix=f".remove-{name}-"))
    os.replace(model.path, trash / name)
    shutil.rmtree(trash, ignore_errors=True)
    return model


def _common_folder(members: list[zipfile.ZipInfo]) -> str | None:
    """The single top-level folder every entry lives in (how Vosk zips are made), if any."""
    tops = {PurePosixPath(m.filename.replace("\\", "/")).parts[0] for m in members
            if m.filename.strip("/")}
    if len(tops) != 1:
        return None
    top = tops.pop()
    nested = all(m.filename.replace("\\", "/").startswith(top + "/") for m in members)
    return top if nested else None


def _extract(zf: zipfile.ZipFile, member: zipfile.ZipInfo, prefix: str | None, root: Path,
             archive: Path) -> None:
    relative = _safe_relative(member.filename, prefix, archive)
    if relative is None:
        return  # the top-level folder entry itself
    dest = root.joinpath(*relative.parts)
    mode = member.external_attr >> 16
    if stat.S_ISLNK(mode):
        link = zf.read(member).decode("utf-8", "replace")
        if _leaves(relative.parent, link):
            raise ModelError(f"refusing to install {archive}: symlink {member.filename!r} "
                             f"points outside the model folder ({link})")
        dest.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(link, dest)
    elif member.is_dir():
        dest.mkdir(parents=True, exist_ok=True)
    else:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with zf.open(member) as src, open(dest, "wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)


def _safe_relative(entry: str, prefix: str | None, archive: Path) -> PurePosixPath | None:
    path = entry.replace("\\", "/")
    parts = PurePosixPath(path).parts
    if path.startswith("/") or (parts and ":" in parts[0]) or ".." in parts:
        raise ModelError(f"refusing to install {archive}: entry {entry!r} points outside "
                         f"the model folder")
    if prefix is not None:
        parts = parts[1:]
    parts = tuple(p for p in parts if p not in ("", "."))
    return PurePosixPath(*parts) if parts else None


def _leaves(folder: PurePosixPath, link: str) -> bool:
    """Whether a symlink at `folder`/x with target `link` resolves outside the model root."""
    if link.startswith("/") or "\\" in link or ":" in link.split("/")[0]:
        return True
    depth = len(folder.parts)
    for part in PurePosixPath(link).parts:
        depth += -1 if part == ".." else (0 if part == "." else 1)
        if depth < 0:
            return True
    return False


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


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
