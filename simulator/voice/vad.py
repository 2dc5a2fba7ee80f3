"""Finding where a spoken reply starts and ends (webrtcvad), for live and recorded audio alike.

`TurnTracker` decides on frames already judged voiced or not (pure); `Endpointer` adds the voice
detector and is fed 16 kHz PCM, knowing nothing about devices, so WAV files test it exactly as
the microphone uses it. `listen` runs any AudioSource through it and returns the reply.
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from simulator.errors import require
from simulator.session.engines import Audio, AudioSource
from simulator.voice.turn_end import end_pause
from simulator.voice.wavio import SPEECH_RATE, level

FRAME_SECONDS = 0.03  # webrtcvad accepts 10, 20 or 30 ms frames
START_WINDOW = 0.3  # speech starts when `min_speech` of the last 0.3 s is voiced

NO_SPEECH = "no_speech"  # nothing said within `first_word_timeout`
SILENCE = "silence"  # the trainee paused as long as the words so far call for
MAX_LENGTH = "max_length"  # the reply hit `max_reply`
END_OF_INPUT = "end_of_input"  # the source ran out (end of a WAV file)


@dataclass(frozen=True)
class EndpointSettings:
    end_silence: float = 0.6  # the pause that ends a finished sentence (the base; see turn_end)
    adaptive: bool = True  # wait longer when the words so far are unfinished (turn_end.py)
    first_word_timeout: float = 8.0  # a trainee thinking is not a trainee finished
    max_reply: float = 30.0  # seconds from the first word
    min_speech: float = 0.18  # voiced time within START_WINDOW that counts as speech (not a click)
    aggressiveness: int = 2  # webrtcvad 0..3: higher rejects more noise
    pre_roll: float = 0.3  # audio kept before the detected start so the first sound is not cut
    post_roll: float = 0.2  # audio kept after the end

    def __post_init__(self) -> None:
        if not 0 <= self.aggressiveness <= 3:
            raise ValueError("aggressiveness must be 0..3")

    @classmethod
    def whole_input(cls) -> EndpointSettings:
        """A recorded reply: no pause, length or wait ends it, only the end of the file."""
        return cls(end_silence=math.inf, first_word_timeout=math.inf, max_reply=math.inf)


@dataclass(frozen=True)
class EndpointEvent:
    kind: str  # "start" | "end"
    at: float  # seconds since the endpointer was first fed
    reason: str | None = None  # for "end": NO_SPEECH, SILENCE, MAX_LENGTH or END_OF_INPUT


class TurnTracker:
    """The turn-taking decision on 30 ms frames already judged voiced or not: pure, so tables
    of frames and partial transcripts test it. `hear` passes the recognizer's words so far,
    which set how long a pause ends the turn (turn_end.end_pause)."""

    def __init__(self, settings: EndpointSettings | None = None):
        self.settings = settings or EndpointSettings()
        self._frames = 0
        self._window: deque[tuple[int, bool]] = deque(maxlen=round(START_WINDOW / FRAME_SECONDS))
        self._needed = max(1, round(self.settings.min_speech / FRAME_SECONDS))
        self.partial = ""
        self._pause = self.settings.end_silence
        self.hear("")  # no words yet: neither finished nor unfinished
        self.speech_start: float | None = None
        self.speech_end: float | None = None  # end of the last voiced frame so far
        self.reason: str | None = None

    @property
    def done(self) -> bool:
        return self.reason is not None

    @property
    def fed_seconds(self) -> float:
        return self._frames * FRAME_SECONDS

    @property
    def pause_needed(self) -> float:
        """Seconds of silence that would end the turn now."""
        return self._pause

    def hear(self, partial: str) -> None:
        self.partial = partial
        s = self.settings
        self._pause = end_pause(partial, s.end_silence) if s.adaptive else s.end_silence

    def step(self, voiced: bool) -> list[EndpointEvent]:
        if self.done:
            return []
        index = self._frames
        self._frames += 1
        now = self._frames * FRAME_SECONDS
        s = self.settings
        if self.speech_start is None:
            self._window.append((index, voiced))
            voiced_frames = [i for i, v in self._window if v]
            if len(voiced_frames) >= self._needed:
                self.speech_start = voiced_frames[0] * FRAME_SECONDS
                self.speech_end = now
                return [EndpointEvent("start", self.speech_start)]
            if now >= s.first_word_timeout:
                self.reason = NO_SPEECH
                return [EndpointEvent("end", now, NO_SPEECH)]
            return []
        if voiced:
            self.speech_end = now
        if now - self.speech_start >= s.max_reply:
            self.reason = MAX_LENGTH
            self.speech_end = now
            return [EndpointEvent("end", now, MAX_LENGTH)]
        if now - (self.speech_end or now) >= self._pause - 1e-9:  # whole frames of silence
            self.reason = SILENCE
            return [EndpointEvent("end", self.speech_end, SILENCE)]
        return []

    def finish(self) -> list[EndpointEvent]:
        """The input ended: close the reply where the speech stopped."""
        if self.done:
            return []
        self.reason = END_OF_INPUT
        return [EndpointEvent("end", self.speech_end or self.fed_seconds, END_OF_INPUT)]


class Endpointer(TurnTracker):
    """A TurnTracker fed PCM in any chunk sizes (webrtcvad judges each frame); "start" and
    "end" events come once each."""

    def __init__(self, settings: EndpointSettings | None = None, rate: int = SPEECH_RATE):
        super().__init__(settings)
        webrtcvad = require("webrtcvad")
        self.rate = rate
        self._vad = webrtcvad.Vad(self.settings.aggressiveness)
        self._frame_bytes = round(rate * FRAME_SECONDS) * 2
        self._pending = b""

    def feed(self, pcm: bytes, partial: str | None = None) -> list[EndpointEvent]:
        """Audio, and the recognizer's words so far when it has new ones."""
        if partial is not None:
            self.hear(partial)
        events: list[EndpointEvent] = []
        self._pending += pcm
        while not self.done and len(self._pending) >= self._frame_bytes:
            frame = self._pending[: self._frame_bytes]
            self._pending = self._pending[self._frame_bytes :]
            events.extend(self.step(self._vad.is_speech(frame, self.rate)))
        return events


@dataclass(frozen=True)
class CapturedReply:
    """One reply cut out of the input, with timing relative to when listening began."""

    audio: Audio  # the speech plus pre/post roll; empty when nothing was said
    audio_offset: float  # seconds after listening began where `audio` starts
    speech_start: float | None  # seconds to the first word (the reply delay); None: no speech
    duration: float  # seconds from the first word to the end of the last one
    reason: str  # NO_SPEECH, SILENCE, MAX_LENGTH or END_OF_INPUT
    heard: float  # seconds of input listened to

    @property
    def spoke(self) -> bool:
        return self.speech_start is not None


# Called with (level 0..1, 16-bit PCM) for every frame: feeds meters and the recognizer, and
# returns the recognizer's words so far (or None), which the end of turn depends on.
FrameHook = Callable[[float, bytes], "str | None"]


def listen(
    source: AudioSource, settings: EndpointSettings | None = None, on_frame: FrameHook | None = None
) -> CapturedReply:
    """Take one reply from `source`: wait for the first word, stop at the pause after the last
    (longer when `on_frame` reports unfinished words)."""
    endpointer = Endpointer(settings, source.rate)
    chunks: list[bytes] = []
    frames = source.frames()
    try:
        for pcm in frames:
            chunks.append(pcm)
            partial = on_frame(level(pcm), pcm) if on_frame is not None else None
            endpointer.feed(pcm, partial)
            if endpointer.done:
                break
        else:
            endpointer.finish()
    finally:
        close = getattr(frames, "close", None)
        if close is not None:
            close()  # a microphone generator stops reading; the stream itself stays open
    return _cut(b"".join(chunks), source.rate, endpointer)


def _cut(pcm: bytes, rate: int, endpointer: Endpointer) -> CapturedReply:
    heard = len(pcm) / 2 / rate
    start, end, s = endpointer.speech_start, endpointer.speech_end, endpointer.settings
    reason = endpointer.reason or END_OF_INPUT
    if start is None or end is None:
        return CapturedReply(Audio(b"", rate), 0.0, None, 0.0, reason, heard)
    first = max(0.0, start - s.pre_roll)
    last = min(heard, end + s.post_roll)
    a, b = round(first * rate) * 2, round(last * rate) * 2
    return CapturedReply(Audio(pcm[a:b], rate), first, start, end - start, reason, heard)
