"""Vosk recognizer: streaming Kaldi decoding with word timings and confidences.

A Vosk model takes seconds to load, so each model folder is loaded once per process; every turn
gets a fresh KaldiRecognizer over it. Vosk 0.3.45 cannot tune its endpointer at run time, so the
end of a reply is decided by our VAD; Vosk's own endpoints only split the reply into segments,
which are stitched back together here.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

from simulator.errors import ModelError, require
from simulator.models.registry import INSTALL_HINT, vosk_layout_problem
from simulator.session.engines import Transcript, Word

_models: dict[str, object] = {}
_lock = threading.Lock()
_SKIP = {"[unk]", "<unk>"}


def load_model(path: Path):
    """The vosk.Model for `path`, loaded on first use and kept for the life of the process."""
    key = str(Path(path).resolve())
    with _lock:
        if key not in _models:
            vosk = require("vosk")
            vosk.SetLogLevel(-1)
            problem = vosk_layout_problem(Path(key))
            if problem:
                raise ModelError(f"{path} is not a Vosk model ({problem}); install one with: "
                                 f"{INSTALL_HINT}")
            try:
                _models[key] = vosk.Model(key)
            except Exception as exc:  # vosk raises a bare Exception on a corrupt model
                raise ModelError(f"cannot load the Vosk model in {path} (damaged?); remove it "
                                 f"and install it again with: {INSTALL_HINT}") from exc
        return _models[key]


class VoskRecognizer:
    """engines.Recognizer over a Vosk model folder."""

    name = "vosk"

    def __init__(self, model_path: Path):
        self.model_path = Path(model_path)
        self.notice: str | None = None
        self._model = load_model(self.model_path)
        self._recognizer = None

    def start(self, rate: int) -> None:
        vosk = require("vosk")
        # Vosk resamples to the model's rate itself.
        recognizer = vosk.KaldiRecognizer(self._model, float(rate))
        recognizer.SetWords(True)
        if hasattr(recognizer, "SetPartialWords"):
            recognizer.SetPartialWords(True)
        self._recognizer = recognizer
        self._words: list[Word] = []

    def accept(self, pcm: bytes) -> str:
        if self._recognizer is None:
            self.start(16000)
        if self._recognizer.AcceptWaveform(pcm):
            self._take(json.loads(self._recognizer.Result()))
            partial = ""
        else:
            partial = json.loads(self._recognizer.PartialResult()).get("partial", "")
        return " ".join([w.text for w in self._words] + _words_of(partial))

    def finish(self) -> Transcript:
        if self._recognizer is None:
            self.start(16000)
        self._take(json.loads(self._recognizer.FinalResult()))
        self._recognizer = None
        words, self._words = self._words, []
        return Transcript(" ".join(w.text for w in words), words)

    def _take(self, result: dict) -> None:
        """Keep one endpointed segment's words (their times already count from the turn start)."""
        for item in result.get("result", []):
            if item["word"] in _SKIP:
                continue
            conf = min(max(float(item.get("conf", 1.0)), 0.0), 1.0)
            self._words.append(Word(item["word"], float(item["start"]), float(item["end"]), conf))


def _words_of(text: str) -> list[str]:
    return [t for t in text.split() if t not in _SKIP]
