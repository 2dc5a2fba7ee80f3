"""The prospect's voice: text to a verified WAV with pyttsx3, falling back to the espeak-ng CLI.

pyttsx3 2.99's espeak driver keeps only one pending `save_to_file` per `runAndWait`, has left
empty/missing files and stale properties, its getters return garbage, it prints to stdout and it
has segfaulted. So pyttsx3 runs in a worker process (tts_worker.py), each line is rendered alone
to its own new file with every property set again, then checked (non-empty, audible, duration
plausible for the words and rate); a failed line is retried once in a fresh worker and then
rendered by the `espeak-ng` command line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from simulator.errors import AudioError, InputError, shorten
from simulator.session.engines import Audio, VoiceSettings
from simulator.voice.tts_worker import TtsWorker
from simulator.voice.wavio import peak, read_wav

DEFAULT_LANGUAGE = "en-us"
FEMALE_VARIANT = "f3"  # espeak-ng's female variants are f1..f5; f3 is the clearest
MIN_PEAK = 500  # a rendered line quieter than this (of 32767) is broken, not speech


def expected_seconds(text: str, rate_wpm: int) -> tuple[float, float]:
    """The range of durations a correct rendering of `text` at `rate_wpm` can have.

    Wide on purpose: punctuation pauses, numbers read out and engines' own ideas of "words per
    minute" all stretch speech; the check exists to catch empty, truncated or stale-rate output.
    """
    words = max(1, len(re.findall(r"\w+", text)))
    nominal = words * 60.0 / max(40, rate_wpm)
    return 0.3 * nominal, 2.5 * nominal + 1.5


def speech_problem(audio: Audio, text: str, voice: VoiceSettings) -> str | None:
    """Why `audio` is not a plausible rendering of `text`, or None when it is."""
    if not audio.pcm:
        return "empty audio"
    if peak(audio.pcm) < MIN_PEAK:
        return "silent audio"
    low, high = expected_seconds(text, voice.rate)
    if not low <= audio.seconds <= high:
        return f"{audio.seconds:.2f} s of audio, expected {low:.2f}..{high:.2f} s"
    return None


def espeak_voice_name(voice: VoiceSettings, voices: dict[str, str] | None = None) -> str:
    """espeak-ng voice spec, e.g. `gmw/en+f3`: the hint's voice file plus a gender variant.

    `voices` maps languages to voice files (`en-gb` -> `gmw/en`): espeak-ng ignores a variant
    appended to a bare language name, so the file is used. A hint naming a variant
    (`en-gb+klatt`) is used as given.
    """
    hint = (voice.variant or DEFAULT_LANGUAGE).strip()
    if "+" in hint:
        return hint
    base = (voices or {}).get(hint.lower(), hint)
    return f"{base}+{FEMALE_VARIANT}" if voice.gender == "female" else base


def espeak_voice_files(executable: str | None) -> dict[str, str]:
    """Language -> voice file from `espeak-ng --voices` (mbrola voices are rarely installed)."""
    if not executable:
        return {}
    try:
        listing = subprocess.run([executable, "--voices"], capture_output=True, timeout=30,
                                 check=False).stdout.decode("utf-8", "replace")
    except (OSError, subprocess.TimeoutExpired):
        return {}
    files: dict[str, str] = {}
    for line in listing.splitlines()[1:]:
        cols = line.split()
        if len(cols) >= 5 and not cols[4].startswith("mb/"):
            files.setdefault(cols[1].lower(), cols[4])
    return files


def _words(text: str) -> str:
    text = " ".join(text.split())
    if not text:
        raise AudioError("cannot speak an empty line: give the persona line some text")
    return text


class EspeakSynthesizer:
    """Synthesizer running the espeak-ng command line (no pyttsx3 involved)."""

    name = "espeak-ng"

    def __init__(self, executable: str | None = None):
        self.executable = executable or shutil.which("espeak-ng") or shutil.which("espeak")
        self._voice_files: dict[str, str] | None = None

    def voice_name(self, voice: VoiceSettings) -> str:
        if self._voice_files is None:
            self._voice_files = espeak_voice_files(self.executable)
        return espeak_voice_name(voice, self._voice_files)

    @property
    def available(self) -> bool:
        return self.executable is not None and shutil.which(self.executable) is not None

    def render(self, text: str, voice: VoiceSettings) -> Audio:
        text = _words(text)
        if not self.available:
            raise AudioError("espeak-ng is not installed: install it (apt install espeak-ng)")
        with tempfile.TemporaryDirectory(prefix="callsim-tts-") as tmp:
            out = Path(tmp) / "line.wav"
            command = [
                # The text goes on stdin as UTF-8, so a line starting with "-" is not an option.
                self.executable, "--stdin", "-b", "1",
                "-v", self.voice_name(voice), "-s", str(voice.rate),
                "-p", str(min(99, max(0, voice.pitch))), "-w", str(out),
            ]
            try:
                run = subprocess.run(command, input=text.encode("utf-8"), capture_output=True,
                                     timeout=60, check=False)
            except (OSError, subprocess.TimeoutExpired) as exc:
                raise AudioError(f"espeak-ng failed to run ({exc}): reinstall espeak-ng") from exc
            if run.returncode != 0 or not out.exists():
                detail = run.stderr.decode("utf-8", "replace").strip().splitlines()
                raise AudioError(f"espeak-ng could not render speech ({' '.join(detail[:1])}): "
                                 f"check the persona's voice settings")
            audio = read_wav(out)
        problem = speech_problem(audio, text, voice)
        if problem:
            raise AudioError(f"espeak-ng rendered unusable speech ({problem}): "
                             f"check the persona's voice settings")
        return audio


class Pyttsx3Synthesizer:
    """Synthesizer using pyttsx3 (espeak-ng, SAPI5 or NSSS), falling back to the espeak-ng CLI.

    pyttsx3 runs in a worker process (tts_worker.py): a crash, a hang (`timeout` seconds per line)
    or a bad rendering is retried once in a fresh worker. When that fails too, pyttsx3 is given
    up for the rest of this synthesizer's life (every further line would cost two more failures,
    hangs included) and the espeak-ng command line renders instead; `notice` then says so in
    one line. `driver` forces a pyttsx3 driver name (None: the platform's). `last_engine` tells
    which engine rendered the last line and `fallbacks` counts lines the CLI had to render.
    `close()` ends the worker; a later line starts a new one.
    """

    name = "pyttsx3"
    timeout = 15.0  # seconds for one line, engine start included; a line takes well under 1 s

    def __init__(self, driver: str | None = None, fallback: EspeakSynthesizer | None = None,
                 timeout: float | None = None):
        self.driver = driver
        self.fallback = fallback if fallback is not None else EspeakSynthesizer()
        if timeout is not None:
            self.timeout = timeout
        self._worker: TtsWorker | None = None
        self.last_engine: str | None = None
        self.last_problem: str | None = None
        self.notice: str | None = None  # set when pyttsx3 is given up: one line for the user
        self.fallbacks = 0

    def render(self, text: str, voice: VoiceSettings) -> Audio:
        text = _words(text)
        if self.notice is None:
            audio = self._render_pyttsx3(text, voice)
            if audio is not None:
                self.last_engine, self.last_problem = "pyttsx3", None
                return audio
            self.close()
            self.notice = (f"pyttsx3 failed ({shorten(self.last_problem)}): the voices of this "
                           f"call are spoken by the espeak-ng command line instead")
        if not self.fallback.available:
            raise AudioError(f"pyttsx3 could not render speech ({self.last_problem}) and espeak-ng "
                             f"is not installed: install it (apt install espeak-ng)")
        self.fallbacks += 1
        audio = self.fallback.render(text, voice)
        self.last_engine = "espeak-ng"
        return audio

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def __enter__(self) -> Pyttsx3Synthesizer:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def _render_pyttsx3(self, text: str, voice: VoiceSettings) -> Audio | None:
        """The line rendered by pyttsx3, trying twice; None (and `last_problem`) if both fail."""
        for attempt in range(2):
            if attempt:
                self.close()  # the retry gets a fresh worker
            problem = self._start_worker()  # first: it starts up while the request is prepared
            with tempfile.TemporaryDirectory(prefix="callsim-tts-") as tmp:
                out = Path(tmp) / "line.wav"  # a new path per line: never a stale file from before
                if problem is None:
                    problem = self._worker.render(
                        {"text": text, "path": str(out), **asdict(voice),
                         "espeak_voice": self.fallback.voice_name(voice)}, self.timeout)
                if problem is None:
                    try:
                        audio = read_wav(out)
                        problem = speech_problem(audio, text, voice) or self._rate_problem(
                            audio, text, voice)
                    except InputError as exc:  # no file written, or a broken one
                        problem = str(exc)
            if problem is None:
                return audio
            self.last_problem = problem
        return None

    def _rate_problem(self, audio: Audio, text: str, voice: VoiceSettings) -> str | None:
        """Why the line's length is not the one its rate gives, or None.

        The 2.99 espeak driver now and then speaks a line at the previous or default rate, on a
        busy machine even in a fresh process. The espeak-ng command line uses the same library
        and voice, so a correct line lasts what its rendering lasts (within a few percent)."""
        espeak_driver = self.driver == "espeak" or (
            self.driver is None and sys.platform.startswith("linux"))
        if not espeak_driver or not self.fallback.available:
            return None
        reference = self.fallback.render(text, voice).seconds
        if abs(audio.seconds - reference) <= 0.12 * reference + 0.15:
            return None
        return f"pyttsx3 spoke at the wrong rate ({audio.seconds:.2f} s, not {reference:.2f} s)"

    def _start_worker(self) -> str | None:
        if self._worker is None:
            try:
                self._worker = TtsWorker(self.driver)
            except OSError as exc:
                return f"cannot start the pyttsx3 worker: {exc}"
        return None
