"""Choose the speech recognizer: Vosk when a model is installed, else bundled PocketSphinx.

Choosing never loads anything; `make_recognizer` loads the chosen model (once per process) so a
broken model is reported before a call starts rather than after the trainee's first reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.errors import ModelError, shorten
from simulator.models.registry import INSTALL_HINT, english_model, installed_models
from simulator.session.engines import Recognizer

ENGINES = ("vosk", "pocketsphinx")
FALLBACK_NOTICE = (
    "No Vosk speech model is installed, so the weaker PocketSphinx recognizer is used; "
    f"install the better model with: {INSTALL_HINT}"
)


@dataclass(frozen=True)
class EngineChoice:
    engine: str  # "vosk" | "pocketsphinx"
    model: Path | None  # the Vosk model folder; None for PocketSphinx's bundled model
    notice: str | None  # one line for the user when the choice is a fallback


def available_engine(engine: str | None, models: Path, model: str | None = None) -> EngineChoice:
    """Which recognizer `engine` (None = auto) means with the models installed in `models`.

    Auto picks Vosk only for an English model; asking for "vosk" explicitly also accepts any other
    installed model (or the one named by `model`).
    """
    if engine is not None and engine not in ENGINES:
        raise ModelError(f"unknown speech recognizer '{shorten(engine)}'; choose one of: "
                         f"{', '.join(ENGINES)}")
    if engine == "pocketsphinx":
        return EngineChoice("pocketsphinx", None, None)
    if model is not None:
        chosen = next((m for m in installed_models(models) if m.name == model), None)
        if chosen is None:
            raise ModelError(f"no Vosk model named '{shorten(model)}' in {models}; see: "
                             f"callsim models list")
        return EngineChoice("vosk", chosen.path, None)
    english = english_model(models)
    if english is not None:
        return EngineChoice("vosk", english.path, None)
    if engine == "vosk":
        others = installed_models(models)
        if others:
            return EngineChoice("vosk", others[0].path, None)
        raise ModelError(f"no Vosk model is installed in {models}; install one with: "
                         f"{INSTALL_HINT}")
    return EngineChoice("pocketsphinx", None, FALLBACK_NOTICE)


def make_recognizer(engine: str | None, models: Path, model: str | None = None,
                    grammar: str | None = None, data_dir: Path | None = None) -> Recognizer:
    """A ready recognizer; its `notice` attribute carries the fallback line(s), if any.

    `grammar` (JSGF) applies to PocketSphinx only and makes it hear nothing but those phrases.
    Without one, PocketSphinx decodes with the sales language model of `data_dir` (built there
    at first use) and falls back to its general one, with a notice, when that model cannot be
    had.
    """
    choice = available_engine(engine, models, model)
    notices = [choice.notice]
    if choice.engine == "vosk":
        from simulator.voice.asr_vosk import VoskRecognizer

        recognizer = VoskRecognizer(choice.model)
    else:
        from simulator.voice.asr_sphinx import PocketSphinxRecognizer

        recognizer = None
        if grammar is None and data_dir is not None:
            try:
                from simulator.voice.domain_lm import domain_model

                recognizer = PocketSphinxRecognizer(domain=domain_model(data_dir))
            except (ModelError, OSError) as exc:
                notices.append(f"{exc}; meanwhile replies are recognized with the general "
                               f"vocabulary, which mishears more")
        if recognizer is None:
            recognizer = PocketSphinxRecognizer(grammar=grammar)
    recognizer.notice = "\n".join(n for n in notices if n) or None
    return recognizer
