"""Pre-rendered speech on disk, so no turn of a call waits for synthesis.

Files are keyed by the synthesizer's name, the text and every voice setting; a rendered line is
reused by every later call (which also makes what the trainee hears identical each time: the
in-process espeak library keeps some state between utterances, so re-rendering can differ by a
few samples). A line the fallback engine rendered (pyttsx3 failed) is kept for this call only:
the next call tries pyttsx3 again, and says again which engine speaks.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path

from simulator.errors import AudioError, InputError
from simulator.session.engines import Audio, Synthesizer, VoiceSettings
from simulator.voice.wavio import read_wav, write_wav

Progress = Callable[[int, int], None]  # (lines done, lines in total)


def default_cache_dir() -> Path:
    """$CALLSIM_CACHE, else the platform's user cache dir for callsim."""
    configured = os.environ.get("CALLSIM_CACHE")
    if configured:
        return Path(configured)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("callsim"))


class SpeechCache:
    """`get(text, voice)` returns rendered speech, rendering and storing it on a miss."""

    def __init__(self, synth: Synthesizer, cache_dir: str | Path | None = None):
        self.synth = synth
        self.dir = Path(cache_dir) if cache_dir is not None else default_cache_dir() / "speech"
        self.hits = 0
        self.misses = 0
        self._this_call: dict[Path, Audio] = {}  # rendered by a fallback engine: not stored

    @property
    def notice(self) -> str | None:
        """One line for the user when the synthesizer fell back to another engine."""
        return getattr(self.synth, "notice", None)

    def close(self) -> None:
        """Release the synthesizer's resources (its worker process); a later miss restarts it."""
        close = getattr(self.synth, "close", None)
        if close is not None:
            close()

    def _engine(self) -> str:
        return getattr(self.synth, "name", type(self.synth).__name__)

    def key(self, text: str, voice: VoiceSettings) -> str:
        blob = json.dumps({"engine": self._engine(), "text": " ".join(text.split()),
                           **asdict(voice)}, sort_keys=True)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]

    def path(self, text: str, voice: VoiceSettings) -> Path:
        return self.dir / f"{self.key(text, voice)}.wav"

    def contains(self, text: str, voice: VoiceSettings) -> bool:
        path = self.path(text, voice)
        return path in self._this_call or path.is_file()

    def get(self, text: str, voice: VoiceSettings) -> Audio:
        path = self.path(text, voice)
        if path in self._this_call:
            self.hits += 1
            return self._this_call[path]
        if path.is_file():
            try:
                audio = read_wav(path)
            except InputError:
                audio = None  # a damaged cache file is rendered again, not an error
            if audio is not None and audio.pcm:
                self.hits += 1
                return audio
        self.misses += 1
        audio = self.synth.render(text, voice)
        if getattr(self.synth, "last_engine", None) not in (None, self._engine()):
            self._this_call[path] = audio
            return audio
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            write_wav(path, audio)
        except OSError as exc:
            raise AudioError(f"cannot write the speech cache {self.dir} ({exc.strerror}): "
                             f"free disk space or set CALLSIM_CACHE to a writable dir") from exc
        return audio

    def prerender(
        self, lines: Iterable[tuple[str, VoiceSettings]], progress: Progress | None = None
    ) -> int:
        """Render every line not cached yet; returns how many were rendered.

        `progress(done, total)` is called once before starting and after each distinct line.
        """
        unique = list(dict.fromkeys((" ".join(t.split()), v) for t, v in lines if t.strip()))
        total = len(unique)
        if progress:
            progress(0, total)
        rendered = 0
        for done, (text, voice) in enumerate(unique, start=1):
            if not self.contains(text, voice):
                self.get(text, voice)
                rendered += 1
            if progress:
                progress(done, total)
        return rendered
