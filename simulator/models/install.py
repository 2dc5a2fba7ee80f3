"""Install a model from a zip, a tar archive or a folder (e.g. a USB stick), and remove one.

A model is a Vosk model (am/, conf/, graph/) or a Whisper one (a CTranslate2 conversion:
model.bin, config.json and tokenizer.json or vocabulary.txt), installed as whisper-<name>.
Installs are atomic: everything is unpacked or copied into a hidden temporary folder inside the
models folder, checked to be a whole model (a Whisper model.bin against the sha256 pinned for its
name, if any), then renamed into place. A failure at any point leaves no model folder behind.
Archives are unpacked as plain files and folders only: an entry that is a link, a device or a
path leading out of the model folder refuses the whole archive.
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
from simulator.models import whisper
from simulator.models.archives import TAR_ERRORS, Entry, archive_stem, is_tar, open_tar, open_zip
from simulator.models.registry import (
    InstalledModel,
    check_name,
    find_installed,
    folder_size,
    model_language,
    vosk_layout_problem,
    whisper_name,
)

VOSK_PARTS = "am/, conf/ and graph/"
WHISPER_PARTS = "model.bin, config.json and tokenizer.json"


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
    kind = folder_kind(folder)
    name = _model_name(name or folder.resolve().name, kind)
    target = _free_target(models, name)
    with _staging(models, name) as staging:
        try:
            # Follows symlinks: the installed copy must not depend on the source medium.
            shutil.copytree(folder, staging / name)
        except OSError as exc:
            raise _cannot(f"cannot copy {folder} into {models}", models, exc) from exc
        if kind == "whisper":
            _check_weights(staging / name, name, folder)
        return _commit(staging / name, target, kind)


def folder_kind(folder: Path) -> str:
    """"whisper" or "vosk", or a one-line ModelError naming what the folder lacks."""
    whisper_problem = whisper.whisper_layout_problem(folder)
    if whisper_problem is None:
        return "whisper"
    vosk_problem = vosk_layout_problem(folder)
    if vosk_problem is None:
        return "vosk"
    meant_whisper = (folder.name.startswith((whisper.WHISPER_PREFIX, "faster-whisper-"))
                     or (folder / "model.bin").exists() or (folder / "config.json").exists())
    meant_vosk = any((folder / part).exists() for part in ("am", "conf", "graph"))
    if meant_vosk:
        raise ModelError(f"{folder} is not a Vosk model ({vosk_problem}); "
                         f"give the folder that contains {VOSK_PARTS}")
    if meant_whisper:
        raise ModelError(f"{folder} is not a whole Whisper model ({whisper_problem}); "
                         f"give the folder that contains {WHISPER_PARTS}")
    raise ModelError(f"{folder} is neither a Vosk model ({vosk_problem}) nor a Whisper model "
                     f"({whisper_problem}); give the folder that contains {VOSK_PARTS} (Vosk) "
                     f"or {WHISPER_PARTS} (Whisper)")


def _model_name(name: str, kind: str) -> str:
    """The folder name to install under: checked, and whisper-<name> for a Whisper model."""
    check_name(name)
    return check_name(whisper_name(name)) if kind == "whisper" else name


def _check_weights(root: Path, name: str, source: Path) -> None:
    """A Whisper model installed under a name callsim knows must have that model's weights."""
    pinned = whisper.PINNED_SHA256.get(name)
    if pinned is not None and whisper.file_sha256(root / "model.bin") != pinned:
        raise ModelError(f"the model.bin in {source} is not the one of {name} (its sha256 "
                         f"differs); install it under another name with --name, e.g. "
                         f"--name {name}-custom, or copy it again if it is damaged")


def install_zip(archive: Path, models: Path, name: str | None = None,
                expect: str | None = None) -> InstalledModel:
    """Install the zip's model; `expect` ("vosk") refuses any other kind."""
    try:
        with open_zip(archive) as entries:
            return _install_entries(entries, archive, models, name, expect)
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
    bundled = whisper.bundled_whisper()
    if bundled is not None and name == bundled.name and not (models / name).exists():
        raise ModelError(f"{name} comes with callsim (the {whisper.BUNDLED_PACKAGE} package in "
                         f"{bundled.path.parent.parent}) and cannot be removed; to use another "
                         f"recognizer, choose one with --engine vosk|pocketsphinx")
    model = find_installed(models, name)
    # Rename first so a half-deleted folder is never mistaken for a model.
    trash = Path(tempfile.mkdtemp(dir=models, prefix=f".remove-{name}-"))
    os.replace(model.path, trash / name)
    shutil.rmtree(trash, ignore_errors=True)
    return model


def install_downloaded(folder: Path, models: Path, name: str) -> InstalledModel:
    """Put a downloaded, verified Whisper model (a hidden folder inside `models`) in place."""
    problem = whisper.whisper_layout_problem(folder)
    if problem:
        raise ModelError(f"the download of {name} is incomplete ({problem}); run the same "
                         f"command again")
    return _commit(folder, _free_target(models, name), "whisper")


def _install_entries(entries: list[Entry], archive: Path, models: Path,
                     name: str | None, expect: str | None = None) -> InstalledModel:  # fmt: skip
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
    kind = expect or _archive_kind(places, prefix, archive)
    name = _model_name(name or prefix or archive_stem(archive), kind)
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
        if kind == "whisper":
            problem = whisper.whisper_layout_problem(root)
            if problem:
                raise ModelError(f"{archive} does not contain a whole Whisper model ({problem})")
            _check_weights(root, name, archive)
        else:
            problem = vosk_layout_problem(root)
            if problem:
                raise ModelError(f"{archive} does not contain a Vosk model ({problem})")
        return _commit(root, target, kind)


def _archive_kind(places: list[tuple[Entry, tuple[str, ...]]], prefix: str | None,
                  archive: Path) -> str:
    """What the archive holds, from its entries' names (before anything is unpacked)."""
    inside = {parts[1:] if prefix is not None else parts for _, parts in places}
    if ("model.bin",) in inside or ("config.json",) in inside:
        return "whisper"
    if any(parts and parts[0] in ("am", "conf", "graph") for parts in inside):
        return "vosk"
    raise ModelError(f"{archive} contains neither a Vosk model (no am/final.mdl) nor a Whisper "
                     f"model (no model.bin)")


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


def _commit(staged: Path, target: Path, kind: str = "vosk") -> InstalledModel:
    # rename (not replace): never overwrite a model someone installed meanwhile.
    try:
        os.rename(staged, target)
    except OSError as exc:
        raise ModelError(f"cannot install into {target}: {_reason(exc)}") from exc
    return InstalledModel(target.name, target, folder_size(target), model_language(target.name),
                          kind)


def _cannot(action: str, models: Path, exc: OSError) -> ModelError:
    """`action` failed; a full disk is said as such (copytree reports it only in its text)."""
    full = exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
    if full or (isinstance(exc, shutil.Error) and os.strerror(errno.ENOSPC) in str(exc)):
        return ModelError(f"the disk holding {models} is full; free some space and try again "
                          "(nothing was installed)")
    return ModelError(f"{action}: {_reason(exc)}")


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)
