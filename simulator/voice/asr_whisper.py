"""Whisper as the call's recognizer, its decode hidden in the trainee's pause.

Whisper decodes a whole stretch of audio at once (no streaming), which costs ~0.2 s on two
cores. Done after the turn ends, the trainee would wait that long for every answer; so while
the trainee pauses (PAUSE_DECODE of silence after voiced audio), the reply so far is decoded in
the worker. If the turn then ends with no voiced audio since, that decode is the transcript;
if the trainee went on, the next pause decodes again. The transcript of each pause is also the
live partial (the meter's words) and tells the end of turn whether the sentence is finished.

Deterministic: the audio decoded is always from just before the first voiced frame to
PAUSE_DECODE after the last one, so a reply gets the same words however fast it arrived.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from simulator.errors import ModelError, require
from simulator.models.whisper import WhisperModel
from simulator.scoring.confidence import unsure_threshold
from simulator.session.engines import Audio, Transcript
from simulator.voice.whisper_client import shared_worker
from simulator.voice.whisper_text import plain, recognizer_form, transcript
from simulator.voice.whisper_worker import SAMPLE_RATE

PAUSE_DECODE = 0.25  # seconds of silence after speech before the reply so far is decoded
PRE_ROLL = 0.3  # seconds kept before the first voiced frame
MIN_VOICED = 0.18  # seconds of voiced frames below which nothing is decoded (a click, a knock)
FRAME = 0.03
SLOW_RTF = 0.5  # decode seconds per second of audio above which the machine is too slow
JUDGE_SPEED_AFTER = 3.0  # seconds of reply audio it takes to judge that
TRUST_PUNCTUATION = 0.75  # mean word probability below which Whisper's full stop is not read
_BYTES = 2  # 16-bit samples


def words_for_turn_end(words) -> str:
    """A pause decode's words as the end of turn should read them: without the unsure words at
    their end, and without punctuation when Whisper was unsure of the words as a whole (a
    mishearing of "...your honesty and" as "...it's the end." must not end the turn early)."""
    words = list(words)
    while words and words[-1].conf < unsure_threshold("whisper"):
        words.pop()
    text = " ".join(w.text for w in words)
    if words and sum(w.conf for w in words) / len(words) < TRUST_PUNCTUATION:
        text = plain(text)  # the words rule alone (turn_end.py)
    return text


@dataclass
class _Decode:
    ticket: int
    end: int  # bytes of the reply audio it covers
    offset: float  # seconds into the reply audio where it starts
    last: int  # the end of the last voiced frame when it was asked for


class WhisperRecognizer:
    """engines.Recognizer over a Whisper model. `prompt` is a vocabulary prompt (names and
    nouns the persona uses, never the rubric's moves). `step_down` makes the engine to use from
    now on when this one cannot (the worker failed, or the machine is too slow); `notify` tells
    the user why, in one line."""

    def __init__(self, model: WhisperModel, prompt: str | None = None,
                 step_down: Callable[[], object] | None = None,
                 notify: Callable[[str], None] | None = None):
        require("faster_whisper", "whisper")
        self.model = model
        self.prompt = prompt
        self.notice: str | None = None
        self.step_down = step_down
        self.notify = notify or (lambda line: None)
        self.last_rtf: float | None = None
        self.written = Transcript("")  # the last reply as Whisper wrote it, punctuation and all
        self._worker = shared_worker(model)
        self._instead = None  # the smaller engine used after a step down
        self.live = True  # decode in pauses; SpokenReplies clears it for a recorded reply
        self.start(SAMPLE_RATE)

    @property
    def name(self) -> str:
        return self._instead.name if self._instead is not None else "whisper"

    def ready(self) -> bool:
        """Wait for the worker's model; False when it failed to load (see `failure`)."""
        return self._worker.ready()

    @property
    def failure(self) -> str | None:
        return self._worker.failure

    # -- Recognizer ---------------------------------------------------------------------
    def start(self, rate: int) -> None:
        if self._instead is not None:
            self._partial = ""
            self._instead.start(rate)
            return
        self.given_rate = rate  # audio at another rate is kept and resampled when it ends
        self.rate = SAMPLE_RATE
        self._given = bytearray()
        self._audio = bytearray()
        self._vad = require("webrtcvad").Vad(2)
        self._frame = round(SAMPLE_RATE * FRAME) * _BYTES
        self._judged = 0  # bytes already judged voiced or not
        self._voiced = 0  # voiced frames so far
        self._first: int | None = None  # byte where the first voiced frame starts
        self._last = 0  # byte where the last voiced frame ends
        self._pending: _Decode | None = None
        self._shown: int | None = None  # the ticket whose words are the partial
        self._partial = ""
        self._turn_text = ""
        self._turn_covers = -1

    def accept(self, pcm: bytes) -> str:
        if self._instead is not None:
            self._partial = self._instead.accept(pcm)
            return self._partial
        if self.given_rate != SAMPLE_RATE:
            self._given += pcm
            return ""
        self._audio += pcm
        while self._judged + self._frame <= len(self._audio):
            frame = bytes(self._audio[self._judged:self._judged + self._frame])
            if self._vad.is_speech(frame, self.rate):
                self._voiced += 1
                self._first = self._judged if self._first is None else self._first
                self._last = self._judged + self._frame
            self._judged += self._frame
        if self.live:
            self._decode_in_pause()
        return self._partial

    def finish(self) -> Transcript:
        if self._instead is not None:
            return self._instead.finish()
        if self._given:
            from simulator.voice.wavio import resample

            given, self._given = Audio(bytes(self._given), self.given_rate), bytearray()
            self.given_rate = SAMPLE_RATE
            self.accept(resample(given, SAMPLE_RATE).pcm)
        if self._voiced * FRAME < MIN_VOICED:
            return Transcript("")  # a click or a knock: nothing to decode, nothing imagined
        end = self._span_end()
        decode = self._pending if self._pending and self._pending.end == end else self._ask(end)
        seconds = (end - self._span_start()) / (self.rate * _BYTES)
        answer = self._worker.answer(decode.ticket, seconds)
        if "error" in answer:
            return self._fall_back(answer["error"])
        self.written = transcript(answer.get("segments", []), decode.offset)
        heard = recognizer_form(self.written)
        if self.prompt:
            heard = replace(heard, pending_hearings=self._hearing_without_prompt(
                decode, seconds, heard.text))
        if self.last_rtf is None and seconds >= JUDGE_SPEED_AFTER:
            # Judged once, on the first reply long enough to tell (Whisper's fixed 30 s window
            # makes a short reply's ratio meaningless), by the worker's CPU time per thread:
            # what the machine can do, not a moment when something else had the cores.
            self.last_rtf = float(answer.get("cpu_seconds", 0.0)) / seconds
            if self.last_rtf > SLOW_RTF and self.step_down is not None:
                self._step_down(f"this machine decodes Whisper too slowly for a call (RTF "
                                f"{self.last_rtf:.2f} on a {seconds:.1f} s reply; 0.5 at most)")
        return heard

    def _hearing_without_prompt(self, decode: _Decode, seconds: float, said: str):
        """The same audio decoded without the prompt, as another hearing (a move found only
        there still counts: scoring/hearings.py). Asked for now, decoded while the prospect
        answers; read when the call is ready for it. On 94 spoken labelled replies it put
        93.5% -> 94.3% of verdicts as labelled (benchmarks/asr_wer.py --engine whisper)."""
        start = round(decode.offset * self.rate) * _BYTES
        ticket = self._worker.ask(bytes(self._audio[start:decode.end]), prompted=False)
        worker, read = self._worker, []

        def hearings() -> tuple[str, ...]:
            if not read:
                answer = worker.answer(ticket, seconds)
                other = recognizer_form(transcript(answer.get("segments", []))).text
                read.append((other,) if other and other != said else ())
            return read[0]

        return hearings

    # -- the pause decode ---------------------------------------------------------------
    def _span_start(self) -> int:
        first = self._first or 0
        pre = round(PRE_ROLL * self.rate) * _BYTES
        return max(0, first - pre)

    def _span_end(self) -> int:
        tail = round(PAUSE_DECODE * self.rate) * _BYTES
        return min(len(self._audio), self._last + tail)

    def turn_text(self) -> str:
        """The words so far for the end of turn (turn_end.py reads Whisper's punctuation):
        those of the latest pause decode while it covers every voiced frame, without the unsure
        words at its end ("…your honesty and." misheard as "…your Augusti -end." must not read
        as a finished sentence); "" (neither finished nor not) once the trainee spoke again."""
        if self._instead is not None:
            return self._partial  # the smaller engine's words keep pace with the audio
        return self._turn_text if self._turn_covers == self._last else ""

    def _decode_in_pause(self) -> None:
        pending = self._pending
        if pending is not None and pending.ticket != self._shown:
            answer = self._worker.poll(pending.ticket)
            if answer is not None and "skipped" not in answer:
                self._shown = pending.ticket
                heard = transcript(answer.get("segments", []))
                self._partial = heard.text or self._partial
                self._turn_text = words_for_turn_end(heard.words)
                self._turn_covers = pending.last
        if self._voiced * FRAME < MIN_VOICED:
            return
        end = self._span_end()
        paused = len(self._audio) >= self._last + round(PAUSE_DECODE * self.rate) * _BYTES
        if paused and (self._pending is None or self._pending.end != end):
            self._ask(end)

    def _ask(self, end: int) -> _Decode:
        start = self._span_start()
        self._worker.prompt(self.prompt)
        self._pending = _Decode(self._worker.ask(bytes(self._audio[start:end])), end,
                                start / (self.rate * _BYTES), self._last)
        return self._pending

    # -- when Whisper cannot ------------------------------------------------------------
    def _fall_back(self, why: str) -> Transcript:
        """Decode this reply's audio with the smaller engine, and use it from now on."""
        if self.step_down is None:
            raise ModelError(f"{why}; recognize with another engine: --engine pocketsphinx")
        audio = bytes(self._audio)
        self._step_down(why)
        self._instead.start(self.rate)
        self._instead.accept(audio)
        return self._instead.finish()

    def _step_down(self, why: str) -> None:
        self._instead = self.step_down()
        self.notify(f"{why}; {self._instead.name} recognizes the rest of this call")
