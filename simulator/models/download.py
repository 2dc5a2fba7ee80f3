"""Download a known model, resumably, check it, then install it.

A Vosk model is one zip from the Vosk model site, fetched into
`<models>/.downloads/<name>.zip.part`.
A Whisper model is the files of its Hugging Face repository (config.json, tokenizer.json,
vocabulary.txt, model.bin), each fetched into `<models>/.downloads/<name>/<file>.part` and
renamed to `<file>` once whole; that hidden folder is renamed into place when all are there.
An interrupted download keeps the .part so the next attempt resumes with an HTTP Range request;
a download that fails its size or checksum check is deleted. The model folder appears only after
a complete, verified install.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import os
import shutil
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import ModelError, shorten
from simulator.models import whisper
from simulator.models.install import install_downloaded, install_zip
from simulator.models.registry import CATALOG, InstalledModel, KnownModel, check_name

DEFAULT_BASE_URL = "https://alphacephei.com/vosk/models"
BASE_URL_ENV = "CALLSIM_MODEL_URL"
# Whisper models: <base>/<repo>/resolve/<revision>/<file>, as on Hugging Face (or a mirror of it).
DEFAULT_WHISPER_URL = "https://huggingface.co"
WHISPER_URL_ENV = "CALLSIM_WHISPER_URL"
CHUNK = 1 << 16

Progress = Callable[[int, "int | None"], None]  # (bytes so far, total bytes or None)


@dataclass(frozen=True)
class Downloaded:
    model: InstalledModel
    checked: str  # what was verified, said plainly for the user


class _Interrupted(Exception):
    """The connection ended before the whole body arrived; the .part is kept."""


def download_model(
    name: str,
    models: Path,
    *,
    base_url: str | None = None,
    progress: Progress | None = None,
    catalog: dict[str, KnownModel] = CATALOG,
    retries: int = 2,
    timeout: float = 30.0,
) -> Downloaded:
    """Fetch `name`.zip, verify what is known about it, install it under `models`."""
    check_name(name)
    known = catalog.get(name)
    if known is None and name == whisper.BUNDLED_NAME:
        raise ModelError(f"{name} comes with callsim, there is nothing to download; if it is "
                         f"missing, install it with: {whisper.BUNDLED_INSTALL}")
    if known is None:
        raise ModelError(f"unknown model '{shorten(name)}'; downloadable models: "
                         f"{', '.join(catalog)}")
    if (models / name).exists():
        raise ModelError(f"{name} is already installed in {models}; "
                         f"remove it first with: callsim models remove {name}")
    if known.kind == "whisper":
        base = (base_url or os.environ.get(WHISPER_URL_ENV) or DEFAULT_WHISPER_URL).rstrip("/")
        return _download_whisper(known, models, base, progress, retries, timeout)
    base = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    url = f"{base}/{name}.zip"
    part = models / ".downloads" / f"{name}.zip.part"
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot write to {models}: {exc.strerror or exc}") from exc

    _fetch_retrying(url, part, known.size, progress, timeout, retries, name)
    checked = _verify(part, known)
    try:
        model = install_zip(part, models, name, expect="vosk")
    except ModelError:
        # A complete download that does not install would fail the same way when resumed.
        part.unlink(missing_ok=True)
        raise
    part.unlink()
    with contextlib.suppress(OSError):
        part.parent.rmdir()  # only if no other download is pending
    return Downloaded(model, checked)


def _download_whisper(known: KnownModel, models: Path, base: str, progress: Progress | None,
                      retries: int, timeout: float) -> Downloaded:
    """Fetch each file of a Whisper model into a hidden folder, check model.bin, install."""
    name = known.name
    folder = models / ".downloads" / name
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot write to {models}: {exc.strerror or exc}") from exc
    by_hand = (f"copy the model folder (with {', '.join(known.files)}) by hand and run: "
               f"callsim models install FOLDER")
    for file in known.files:
        whole = folder / file
        if whole.is_file():
            continue  # fetched (and checked) by an earlier attempt
        part = folder / f"{file}.part"
        weights = file == "model.bin"
        size = known.size if weights else None
        if weights and size is not None:
            _check_space(models, size - (part.stat().st_size if part.exists() else 0), name)
        url = f"{base}/{known.repo}/resolve/{known.revision}/{file}"
        _fetch_retrying(url, part, size, progress, timeout, retries, name, by_hand)
        if weights:
            _verify_weights(part, known)
        os.replace(part, whole)
    model = install_downloaded(folder, models, name)
    with contextlib.suppress(OSError):
        folder.parent.rmdir()  # only if no other download is pending
    return Downloaded(model, _whisper_checked(known))


def _whisper_checked(known: KnownModel) -> str:
    if known.sha256 is not None:
        return ("size and sha256 checksum of model.bin verified" if known.size is not None
                else "sha256 checksum of model.bin verified (size not known here)")
    if known.size is not None:
        return (f"the sha256 checksum of {known.name} is not known here, so only the size of "
                f"its model.bin was checked")
    return (f"the size and checksum of {known.name} are not known here, so nothing was checked "
            f"but that every file arrived whole")


def _verify_weights(part: Path, known: KnownModel) -> None:
    """model.bin of a Whisper download: its size, then its sha256, where known; else deleted."""
    _refuse_mismatch(part, known, f"model.bin of {known.name}")


def _refuse_mismatch(part: Path, known: KnownModel, what: str) -> None:
    """Delete `part` and say so when its size or sha256 is known and not what it should be."""
    size = part.stat().st_size
    if known.size is not None and size != known.size:
        part.unlink()
        raise ModelError(f"downloaded {what} has {size} bytes, expected {known.size}; "
                         f"it was deleted, run the same command again")
    if known.sha256 is not None and whisper.file_sha256(part) != known.sha256:
        part.unlink()
        raise ModelError(f"downloaded {what} has the wrong sha256 checksum; "
                         f"it was deleted, run the same command again")


def _check_space(models: Path, needed: int, name: str) -> None:
    free = shutil.disk_usage(models).free
    if needed > free:
        raise ModelError(f"not enough disk space in {models} to download {name}: needs "
                         f"{needed / 1e6:.0f} MB, {free / 1e6:.0f} MB free")


def _fetch_retrying(url: str, part: Path, size: int | None, progress: Progress | None,
                    timeout: float, retries: int, name: str, by_hand: str | None = None) -> None:
    for attempt in range(retries + 1):
        try:
            _fetch(url, part, size, progress, timeout, by_hand)
            return
        except _Interrupted as exc:
            if attempt == retries:
                raise ModelError(f"download of {name} was interrupted ({exc}); run the same "
                                 f"command again to resume") from exc


def _fetch(url: str, part: Path, size: int | None, progress: Progress | None,
           timeout: float, by_hand: str | None = None) -> None:
    have = part.stat().st_size if part.exists() else 0
    if size is not None and have == size:
        return  # finished earlier, verification or install failed after it
    if size is not None and have > size:
        part.unlink()
        have = 0
    request = urllib.request.Request(url, headers={"User-Agent": "callsim"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and have:  # our .part is no prefix of what the server has
            part.unlink()
            raise _Interrupted("the partial download did not match; starting over") from exc
        raise ModelError(f"cannot download {url}: HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = _unreachable(getattr(exc, "reason", None) or exc)
        by_hand = by_hand or "copy the zip by hand and run: callsim models install FILE.zip"
        raise ModelError(f"cannot download {url}: {reason}; check the network, or "
                         f"{by_hand}") from exc

    with response:
        if have and response.status != 206:
            have = 0  # the server ignored the Range header and sends everything
        length = response.headers.get("Content-Length")
        total = have + int(length) if length is not None else size
        done = have
        try:
            with open(part, "ab" if have else "wb") as out:
                while chunk := response.read(CHUNK):
                    out.write(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
        except (http.client.IncompleteRead, ConnectionError, TimeoutError) as exc:
            raise _Interrupted(f"{done} of {total or '?'} bytes received") from exc
        except OSError as exc:
            raise ModelError(f"cannot write {part}: {exc.strerror or exc}") from exc
        if total is not None and done < total:
            raise _Interrupted(f"{done} of {total} bytes received")


OFFLINE = {errno.ENETUNREACH, errno.ENETDOWN, errno.EHOSTUNREACH}


def _unreachable(reason: object) -> str:
    """Why the server cannot be reached, in plain words (no "[Errno 101]")."""
    if not isinstance(reason, OSError):
        return shorten(reason)
    words = reason.strerror or type(reason).__name__
    if isinstance(reason, TimeoutError):
        return "the server did not answer in time"
    if isinstance(reason, socket.gaierror) or reason.errno in OFFLINE:
        return f"no network connection ({words})"
    return f"the server cannot be reached ({words})"


def _verify(part: Path, known: KnownModel) -> str:
    _refuse_mismatch(part, known, f"{known.name}.zip")
    if known.sha256 is None:
        what = "size" if known.size is not None else "size and checksum"
        return (f"the {what} of {known.name} {'is' if what == 'size' else 'are'} not known "
                f"here, so only the zip's own CRCs were checked")
    return "size and sha256 checksum verified" if known.size is not None else (
        "sha256 checksum verified (size not known here)")
