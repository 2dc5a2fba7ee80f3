"""Building the domain model and keeping it in <data dir>/lm/<key>/, one folder per content.

The key is a hash of everything the model comes from (rubric, persona files, templates, this
builder's code), so a changed persona or rubric gives a new model at first use and an
unchanged one is found again in milliseconds. A model is built in a temporary folder and
renamed into place when complete: two processes building at once, or a build killed half way,
never leave a half model where a decoder would load it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

from simulator.errors import DomainModelError, PersonaError
from simulator.voice.domain_lm import corpus, variants
from simulator.voice.domain_lm.kneser_ney import arpa
from simulator.voice.domain_lm.pronounce import derive, dictionary_path, known_words

# The builder's own code is part of the key too: a changed corpus or estimation rebuilds.
BUILDER_SOURCES = sorted(Path(__file__).parent.glob("*.py"))
LM_FOLDER = "lm"
LM_FILE, ARPA_FILE, WORDS_FILE, DICTIONARY_FILE = "domain.lm.bin", "domain.arpa", "added.dict", \
    "dictionary.dict"
VARIANTS_FILE = "variants.dict"
KEEP_MODELS = 3  # the newest few stay: another process (other personas) may be using one
STALE_BUILD_SECONDS = 600  # a temporary folder this old is a killed build's leftovers

Sentence = tuple[tuple[str, ...], int]


def source_key(rubric: Path, personas: Iterable[Path]) -> str:
    """The hash of the content a model is built from (and of the code that builds it)."""
    digest = hashlib.sha256(b"callsim domain lm\0")
    for path in (*BUILDER_SOURCES, corpus.TEMPLATES, variants.SHIPPED, rubric, *personas):
        digest.update(path.name.encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"\0unreadable\0")
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def sentences(rubric, personas: Iterable[Path]) -> list[Sentence]:
    """Every sentence of the corpus (see corpus.py); broken persona files are left out."""
    found = list(corpus.template_sentences(corpus.load_templates()))
    found += corpus.rubric_sentences(rubric)
    for path in personas:
        try:
            loaded = corpus_persona(path)
        except PersonaError:
            continue  # `personas validate` names its problems; the rest still count
        found += corpus.persona_sentences(loaded)
    return found


def corpus_persona(path: Path):
    from simulator.dialog.loader import load_persona_file

    return load_persona_file(path).persona


def pronounceable(found: list[Sentence]) -> tuple[list[Sentence], dict[str, str]]:
    """(sentences cut where a word has no pronunciation, pronunciations added for the rest)."""
    known = known_words()
    vocabulary = sorted({word for words, _ in found for word in words})
    added = derive([word for word in vocabulary if word not in known])
    usable = known | set(added)
    kept: list[Sentence] = []
    for words, times in found:
        run: list[str] = []
        for word in (*words, None):
            if word is not None and word in usable:
                run.append(word)
            elif run:
                kept.append((tuple(run), times))
                run = []
    return kept, added


def write_model(folder: Path, found: list[Sentence], added: dict[str, str]) -> None:
    """The model's files in `folder`: ARPA and binary LM, added words, their second
    pronunciations, full dictionary."""
    from simulator.errors import require

    pocketsphinx = require("pocketsphinx")
    (folder / ARPA_FILE).write_text(arpa(found), encoding="utf-8")
    words = "".join(f"{word} {phones}\n" for word, phones in sorted(added.items()))
    (folder / WORDS_FILE).write_text(words, encoding="utf-8")
    second = variants.variants({word for sentence, _ in found for word in sentence})
    (folder / VARIANTS_FILE).write_text(variants.lines(second), encoding="utf-8")
    shutil.copyfile(dictionary_path(), folder / DICTIONARY_FILE)
    with open(folder / DICTIONARY_FILE, "a", encoding="utf-8") as dictionary:
        dictionary.write(words)
        # Numbered past cmudict's own alternates ("read(2)"); a repeat of one is harmless.
        dictionary.writelines(f"{word}({variants.FIRST_NUMBER + i}) {phones}\n"
                              for word in sorted(second) for i, phones in enumerate(second[word]))
    pocketsphinx.set_loglevel("FATAL")  # its own errors are reported below, in one line
    model = pocketsphinx.NGramModel.readfile(str(folder / ARPA_FILE))
    model.write(str(folder / LM_FILE), pocketsphinx.NGramModel.str_to_type("bin"))


def build(root: Path, key: str, rubric, personas: list[Path]) -> Path:
    """Build the model for `key` into root/key (atomically); its folder."""
    final = root / key
    try:
        root.mkdir(parents=True, exist_ok=True)
        temporary = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=root))
    except OSError as exc:
        raise _cannot_build(root, exc) from None
    try:
        found, added = pronounceable(sentences(rubric, personas))
        write_model(temporary, found, added)
        try:
            os.rename(temporary, final)
        except OSError:
            if not complete(final):  # not another process's finished model: a real failure
                raise
    except (OSError, RuntimeError, ValueError) as exc:
        raise _cannot_build(root, exc) from None
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
    return final


def complete(folder: Path) -> bool:
    return all((folder / name).is_file()
               for name in (LM_FILE, WORDS_FILE, VARIANTS_FILE, DICTIONARY_FILE))


def _cannot_build(root: Path, exc: Exception) -> DomainModelError:
    from simulator.storage.files import disk_is_full, is_full_disk_error

    if (isinstance(exc, OSError) and is_full_disk_error(exc)) or disk_is_full(root):
        reason = "the disk is full"
        fix = "free some space"
    else:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        fix = "make it writable or pass --data-dir with a writable folder"
    return DomainModelError(f"cannot build the recognizer's sales language model in {root} "
                            f"({reason}); {fix}")


def prune(root: Path, keep: str) -> None:
    """Old models beyond the newest KEEP_MODELS, and killed builds' leftovers, removed."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    now = time.time()
    models = []
    for entry in entries:
        try:
            modified = entry.stat().st_mtime
        except OSError:
            continue
        if entry.name.startswith("."):
            if now - modified > STALE_BUILD_SECONDS:
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.is_dir() and entry.name != keep:
            models.append((modified, entry.name, entry))
    for _modified, _name, entry in sorted(models, reverse=True)[KEEP_MODELS - 1:]:
        shutil.rmtree(entry, ignore_errors=True)
