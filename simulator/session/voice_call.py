"""Voice engines for the call loop: spoken prospect lines, spoken (or recorded) trainee replies.

The trainee side runs one path whatever the audio comes from (microphone, WAV files, the demo's
synthesized replies): voice activity detection finds the reply, the recognizer streams it, and
the transcript with word timings becomes the Reply the session scores.
"""

from __future__ import annotations

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
    per reply); when it runs out the trainee has nothing more to say and the call ends. A source
    with `whole_reply` set (a WAV file) is one whole reply: pauses in it never end it. `turn`
    (listening.YourTurn) cues the trainee and shows the meter while listening.
    """

    def __init__(self, sources: Iterator[AudioSource], recognizer: Recognizer, settings=None,
                 turn=None, source_name: str = "mic", on_close=None):
        self.sources = sources
        self.on_close = on_close  # releases the microphone when the call is over
        self.recognizer = recognizer
        self.settings = settings  # vad.EndpointSettings for live sources; None: the defaults
        self.turn = turn
        self.source_name = source_name

    def next_reply(self) -> Reply | None:
        from simulator.voice.vad import EndpointSettings, listen

        for _attempt in range(MAX_SILENT_TURNS):
            source = next(self.sources, None)
            if source is None:
                return None
            whole = getattr(source, "whole_reply", False)
            settings = EndpointSettings.whole_input() if whole else self.settings
            # A recorded reply is decoded once, whole; a live one also in its pauses.
            self.recognizer.live = not whole
            self.recognizer.start(source.rate)
            partial = ""

            def on_frame(level: float, pcm: bytes, rate: int = source.rate) -> str:
                nonlocal partial
                partial = self.recognizer.accept(pcm) or partial
                if self.turn:
                    self.turn.update(level, partial, len(pcm) / 2 / rate)
                # The end of the turn waits longer for unfinished words; a recognizer whose
                # words lag the audio (Whisper) says which of them still apply.
                ending = getattr(self.recognizer, "turn_text", None)
                return ending() if ending is not None else partial

            if self.turn:
                self.turn.begin(source)
            try:
                captured = listen(source, settings, on_frame)
            finally:
                if self.turn:
                    self.turn.end()
            transcript = self.recognizer.finish()
            if captured.spoke and transcript.text.strip():
                return Reply(transcript.text.strip(), tuple(transcript.words),
                             delay=captured.speech_start, duration=captured.duration,
                             source=self.source_name, audio=captured.audio,
                             also_heard=tuple(transcript.also_heard),
                             pending_hearings=transcript.pending_hearings)
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
