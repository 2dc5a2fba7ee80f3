"""Choose the speech recognizer: Whisper when installed (setup.sh brings tiny.en), else an
English Vosk model, else bundled PocketSphinx; each fallback says why in one line.

Choosing never loads anything; `make_recognizer` loads the chosen model (once per process) so a
broken model is reported before a call starts rather than after the trainee's first reply.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from simulator.errors import MissingModelError, ModelError, shorten
from simulator.models.registry import INSTALL_HINT, english_model, installed_models
from simulator.session.engines import Recognizer

ENGINES = ("whisper", "vosk", "pocketsphinx")
WHISPER_HINT = "bash setup.sh install"
FALLBACK_NOTICE = (
    "No Whisper or Vosk speech model is installed, so the weaker PocketSphinx recognizer is "
    f"used; install Whisper with: {WHISPER_HINT} (or a Vosk model: {INSTALL_HINT})"
)


@dataclass(frozen=True)
class EngineChoice:
    engine: str  # "whisper" | "vosk" | "pocketsphinx"
    model: Path | None  # the model folder; None for PocketSphinx's bundled model
    notice: str | None  # one line for the user when the choice is a fallback
    name: str | None = None  # the model's name (whisper-tiny.en, vosk-model-...)


def whisper_installed() -> bool:
    """faster-whisper can be imported (looked up, not imported: that costs 0.2 s)."""
    import importlib.util

    return importlib.util.find_spec("faster_whisper") is not None


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
    wants_whisper = engine == "whisper" or engine is None and (
        model is None or model.startswith("whisper-"))
    if wants_whisper:
        from simulator.models.whisper import chosen_whisper

        whisper = chosen_whisper(models, model) if whisper_installed() else None
        if whisper is not None:
            return EngineChoice("whisper", whisper.path, None, whisper.name)
        if engine == "whisper" or model is not None:
            what = f"no Whisper model named '{shorten(model)}'" if model else (
                "no Whisper model is installed")
            raise MissingModelError(f"{what}; install it with: {WHISPER_HINT}, or choose "
                                    f"another recognizer: --engine vosk|pocketsphinx")
    if model is not None:
        chosen = next((m for m in installed_models(models) if m.name == model), None)
        if chosen is None:
            raise ModelError(f"no Vosk model named '{shorten(model)}' in {models}; see: "
                             f"callsim models list")
        return EngineChoice("vosk", chosen.path, None, chosen.name)
    english = english_model(models)
    if english is not None:
        return EngineChoice("vosk", english.path, None, english.name)
    if engine == "vosk":
        others = installed_models(models)
        if others:
            return EngineChoice("vosk", others[0].path, None, others[0].name)
        raise ModelError(f"no Vosk model is installed in {models}; install one with: "
                         f"{INSTALL_HINT}")
    return EngineChoice("pocketsphinx", None, FALLBACK_NOTICE)


def make_recognizer(engine: str | None, models: Path, model: str | None = None,
                    grammar: str | None = None, data_dir: Path | None = None,
                    prompt: str | None = None, notify=None) -> Recognizer:
    """A ready recognizer; its `notice` attribute carries the fallback line(s), if any.

    `grammar` (JSGF) applies to PocketSphinx only and makes it hear nothing but those phrases.
    Without one, PocketSphinx decodes with the sales language model of `data_dir` (built there
    at first use) and falls back to its general one, with a notice, when that model cannot be
    had. `prompt` is Whisper's vocabulary prompt; `notify` prints a line during the call (a
    step down to a smaller engine).
    """
    choice = available_engine(engine, models, model)
    notices = [choice.notice]
    recognizer = None
    if choice.engine == "whisper":
        recognizer = _whisper(choice, models, grammar, data_dir, prompt, notify, notices)
        if recognizer is None:  # damaged: the next engine down, as if Whisper were not there
            choice = _below_whisper(models)
            notices.append(choice.notice)
    if recognizer is None:
        recognizer = _classic(choice, grammar, data_dir, notices)
    recognizer.notice = "\n".join(n for n in notices if n) or None
    return recognizer


def _whisper(choice: EngineChoice, models: Path, grammar, data_dir, prompt, notify,
             notices: list) -> Recognizer | None:
    """Whisper with `choice`'s model, or None (and a notice) when the model is damaged. A step
    down goes to the next smaller Whisper model, then below Whisper."""
    from simulator.models.whisper import WhisperModel, smaller_whisper, verify
    from simulator.voice.asr_whisper import WhisperRecognizer

    whisper = WhisperModel(choice.name, choice.model, not choice.model.is_relative_to(models))
    try:
        verify(whisper, stamps=(data_dir / "models-checked") if data_dir else None)
    except ModelError as exc:
        notices.append(str(exc))
        return None

    def step_down() -> Recognizer:
        smaller = smaller_whisper(models, whisper.name)
        if smaller is not None:
            below = EngineChoice("whisper", smaller.path, None, smaller.name)
            found = _whisper(below, models, grammar, data_dir, prompt, notify, [])
            if found is not None:
                return found
        return _classic(_below_whisper(models), grammar, data_dir, [])

    return WhisperRecognizer(whisper, prompt=prompt, step_down=step_down, notify=notify)


def _below_whisper(models: Path) -> EngineChoice:
    english = english_model(models)
    if english is not None:
        return EngineChoice("vosk", english.path, None, english.name)
    return EngineChoice("pocketsphinx", None, "PocketSphinx recognizes the replies instead "
                        "(weaker)")


def _classic(choice: EngineChoice, grammar, data_dir, notices: list) -> Recognizer:
    if choice.engine == "vosk":
        from simulator.voice.asr_vosk import VoskRecognizer

        return VoskRecognizer(choice.model)
    from simulator.voice.asr_sphinx import PocketSphinxRecognizer

    if grammar is None and data_dir is not None:
        try:
            from simulator.voice.domain_lm import domain_model

            return PocketSphinxRecognizer(domain=domain_model(data_dir))
        except (ModelError, OSError) as exc:
            notices.append(f"{exc}; meanwhile replies are recognized with the general "
                           f"vocabulary, which mishears more")
    return PocketSphinxRecognizer(grammar=grammar)
