"""Voice engines for the call loop: spoken prospect lines, spoken (or recorded) trainee replies.

The trainee side runs one path whatever the audio comes from (microphone, WAV files, the demo's
synthesized replies): voice activity detection finds the reply, the recognizer streams it, and
the transcript with word timings becomes the Reply the session scores.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from simulator.dialog.persona import Persona
from simulator.errors import AudioError
from simulator.session.engines import Audio, AudioSource, Recognizer, Reply

MAX_SILENT_TURNS = 3  # after this many waits with nothing said, the trainee has left the call


def persona_lines(persona: Persona) -> list[str]:
    """Every line the persona can say, for rendering speech before the call starts."""
    lines = list(persona.opening)
    moves = [*persona.anytime]
    for state in persona.states.values():
        lines += state.lines or []
        moves += [*state.on, state.fallback]
    for move in moves:
        lines += move.say or []
    for ending in persona.outcomes.values():
        lines += ending.say
    return list(dict.fromkeys(lines))


class SpokenReplies:
    """TraineeInput: listens for one reply per turn on the next audio source and transcribes it.

    `sources` yields one AudioSource per turn (the microphone again and again, or one WAV file
    per reply); when it runs out the trainee has nothing more to say and the call ends.
    """

    def __init__(self, sources: Iterator[AudioSource], recognizer: Recognizer, settings=None,
                 show=None, source_name: str = "mic", on_close=None):
        self.sources = sources
        self.on_close = on_close  # releases the microphone when the call is over
        self.recognizer = recognizer
        self.settings = settings
        self.show = show  # called with (level, partial transcript) while the trainee speaks
        self.source_name = source_name

    def next_reply(self) -> Reply | None:
        from simulator.voice.vad import listen

        for _attempt in range(MAX_SILENT_TURNS):
            source = next(self.sources, None)
            if source is None:
                return None
            self.recognizer.start(source.rate)
            partial = ""

            def on_frame(level: float, pcm: bytes) -> None:
                nonlocal partial
                partial = self.recognizer.accept(pcm) or partial
                if self.show:
                    self.show(level, partial)

            captured = listen(source, self.settings, on_frame)
            transcript = self.recognizer.finish()
            if captured.spoke and transcript.text.strip():
                return Reply(transcript.text.strip(), tuple(transcript.words),
                             delay=captured.speech_start, duration=captured.duration,
                             source=self.source_name)
        return None


    def close(self) -> None:
        if self.on_close is not None:
            self.on_close()
            self.on_close = None


def read_replies(paths: list[Path]) -> list[Audio]:
    """Every --wav file read and checked before the call starts: a bad one is refused (one line
    naming it) before anything is said or saved."""
    from simulator.voice.wavio import read_wav

    return [read_wav(path) for path in paths]


def wav_sources(replies: list[Audio] | list[Path]) -> Iterator[AudioSource]:
    """One source per recorded reply (files are read now, so a bad one fails before the call)."""
    from simulator.voice.capture import WavSource

    return iter([WavSource(reply) for reply in replies])


def repeat(source: AudioSource) -> Iterator[AudioSource]:
    while True:
        yield source


def output_available(device: str | None) -> bool:
    """Whether speech can be played (a machine with no sound card prints the lines instead)."""
    from simulator.voice import devices

    try:
        devices.resolve_device(device, "output")
        return any(d.channels("output") > 0 for d in devices.list_devices())
    except AudioError:
        return False


def prepare_speech(console, lines: list[tuple[str, object]], cache=None):
    """Render every line before the call so no turn waits for synthesis.

    Pass the `cache` an earlier call of this returned to keep one engine (and one notice) for
    the call. The synthesizer's worker process is closed once the lines are rendered.
    """
    from rich.progress import Progress

    from simulator.voice.speech_cache import SpeechCache
    from simulator.voice.tts import Pyttsx3Synthesizer

    if cache is None:
        cache = SpeechCache(Pyttsx3Synthesizer())
    shown = cache.notice
    missing = [(text, voice) for text, voice in lines if not cache.contains(text, voice)]
    if missing:
        try:
            with Progress(console=console, transient=True) as progress:
                task = progress.add_task("Preparing the prospect's voice", total=len(missing))
                cache.prerender(missing, progress=lambda done, total: progress.update(
                    task, completed=done))
        finally:
            cache.close()
    if cache.notice and cache.notice != shown:
        console.print(cache.notice, style="yellow")
    return cache


def level_meter(console):
    """A one-line level meter and live partial transcript, on terminals only."""
    if not console.is_terminal:
        return None
    last = [0.0]

    def show(level: float, partial: str) -> None:
        now = time.monotonic()
        if now - last[0] < 0.1:
            return
        last[0] = now
        bar = "█" * min(20, int(level * 60))
        console.print(f"\r[green]{bar:<20}[/] {partial[-60:]:<60}", end="", highlight=False)

    return show
