"""Small interfaces for the engines a call is built from.

The session loop is written once against these; typed text, WAV files and the microphone are
trainee-side engines, printed text and synthesized speech are prospect-side engines.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Word:
    """A recognized word with its timing (seconds from the start of the reply audio)."""

    text: str
    start: float
    end: float
    conf: float = 1.0


@dataclass(frozen=True)
class Reply:
    """What the trainee said in one turn.

    `words` carries recognizer timings when the reply was spoken; typed replies have none.
    `delay` is seconds from the end of the prospect's line to the first word, when known;
    `duration` is the seconds of speech in the reply, when known.
    `audio` is what the trainee said, as heard (spoken replies only), kept for recordings.
    `also_heard` are the recognizer's other hearings of it and `pending_hearings` the rest of
    them to wait for (as in Transcript): `hearings()` has them all.
    """

    text: str
    words: tuple[Word, ...] = ()
    delay: float | None = None
    duration: float | None = None
    source: str = "text"
    audio: Audio | None = None
    also_heard: tuple[str, ...] = ()
    pending_hearings: Callable[[], tuple[str, ...]] | None = field(default=None, compare=False,
                                                                   repr=False)

    def hearings(self) -> tuple[str, ...]:
        return self.pending_hearings() if self.pending_hearings else self.also_heard


@dataclass(frozen=True)
class VoiceSettings:
    """How a persona sounds: mapped onto the platform's voices by the synthesizer."""

    rate: int = 170  # words per minute
    pitch: int = 50  # 0..99, espeak's scale
    gender: str = "male"  # male | female
    variant: str | None = None  # platform voice hint, e.g. "en-us", "en-gb"


@dataclass(frozen=True)
class Audio:
    """Mono 16-bit PCM."""

    pcm: bytes
    rate: int

    @property
    def seconds(self) -> float:
        return len(self.pcm) / 2 / self.rate


@dataclass
class Transcript:
    """A reply as recognized; `also_heard`: other hearings of the same audio, most likely
    first (a move found only there still counts: scoring/hearings.py). A slower pass's hearings
    may still be coming: then `pending_hearings` waits for them and returns every hearing, and
    is called once the trainee's wait for the prospect is over (`hearings()` does that now)."""

    text: str
    words: list[Word] = field(default_factory=list)
    also_heard: tuple[str, ...] = ()
    pending_hearings: Callable[[], tuple[str, ...]] | None = field(default=None, compare=False,
                                                                   repr=False)

    def hearings(self) -> tuple[str, ...]:
        return self.pending_hearings() if self.pending_hearings else self.also_heard


class Recognizer(Protocol):
    """Speech to text for one reply at a time (a fresh stream per turn)."""

    name: str
    notice: str | None  # one line for the user when this engine is a fallback

    def start(self, rate: int) -> None: ...
    def accept(self, pcm: bytes) -> str:
        """Feed audio; return the live partial transcript."""
        ...

    def finish(self) -> Transcript: ...


class Synthesizer(Protocol):
    """Text to speech, rendered to audio before it is played."""

    def render(self, text: str, voice: VoiceSettings) -> Audio: ...


class AudioSink(Protocol):
    """Where rendered speech is played."""

    def play(self, audio: Audio) -> None: ...


class AudioSource(Protocol):
    """Where the trainee's voice comes from: 16-bit mono frames at `rate`."""

    rate: int

    def frames(self) -> Iterator[bytes]: ...
    def pause(self) -> None:
        """Ignore input (half-duplex while the prospect speaks)."""
        ...

    def resume(self) -> None: ...


class TraineeInput(Protocol):
    """One reply per call; None when the trainee has ended the call (end of input, Ctrl-C)."""

    def next_reply(self) -> Reply | None: ...


class ProspectOutput(Protocol):
    """How the trainee hears the prospect: printed now, spoken with voice."""

    def say(self, text: str, voice: VoiceSettings) -> None: ...
