"""Download a known model from the Vosk model site, resumably, check it, then install it.

The zip is fetched into `<models>/.downloads/<name>.zip.part`. An interrupted download keeps the
.part so the next attempt resumes with an HTTP Range request; a download that fails its size or
checksum check is deleted. The model folder appears only after a complete, verified install.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import http.client
import os
import socket
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import ModelError, shorten
from simulator.models.install import install_zip
from simulator.models.registry import CATALOG, InstalledModel, KnownModel, check_name

DEFAULT_BASE_URL = "https://alphacephei.com/vosk/models"
BASE_URL_ENV = "CALLSIM_MODEL_URL"
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
    if known is None:
        raise ModelError(f"unknown model '{shorten(name)}'; downloadable models: "
                         f"{', '.join(catalog)}")
    if (models / name).exists():
        raise ModelError(f"{name} is already installed in {models}; "
                         f"remove it first with: callsim models remove {name}")
    base = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    url = f"{base}/{name}.zip"
    part = models / ".downloads" / f"{name}.zip.part"
    try:
        part.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ModelError(f"cannot write to {models}: {exc.strerror or exc}") from exc

    for attempt in range(retries + 1):
        try:
            _fetch(url, part, known.size, progress, timeout)
            break
        except _Interrupted as exc:
            if attempt == retries:
                raise ModelError(f"download of {name} was interrupted ({exc}); run the same "
                                 f"command again to resume") from exc

    checked = _verify(part, known)
    try:
        model = install_zip(part, models, name)
    except ModelError:
        # A complete download that does not install would fail the same way when resumed.
        part.unlink(missing_ok=True)
        raise
    part.unlink()
    with contextlib.suppress(OSError):
        part.parent.rmdir()  # only if no other download is pending
    return Downloaded(model, checked)


def _fetch(url: str, part: Path, size: int | None, progress: Progress | None,
           timeout: float) -> None:
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
        raise ModelError(f"cannot download {url}: {reason}; check the network, or copy the "
                         f"zip by hand and run: callsim models install FILE.zip") from exc

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
    size = part.stat().st_size
    if known.size is not None and size != known.size:
        part.unlink()
        raise ModelError(f"downloaded {known.name}.zip has {size} bytes, expected {known.size}; "
                         f"it was deleted, run the same command again")
    if known.sha256 is None:
        what = "size" if known.size is not None else "size and checksum"
        return (f"the {what} of {known.name} {'is' if what == 'size' else 'are'} not known "
                f"here, so only the zip's own CRCs were checked")
    digest = hashlib.sha256()
    with open(part, "rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    if digest.hexdigest() != known.sha256:
        part.unlink()
        raise ModelError(f"downloaded {known.name}.zip has the wrong sha256 checksum; "
                         f"it was deleted, run the same command again")
    return "size and sha256 checksum verified" if known.size is not None else (
        "sha256 checksum verified (size not known here)")
