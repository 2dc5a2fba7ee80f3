"""Playing rendered speech: a sounddevice output stream of its own, opened per line.

Speech is never played through pyttsx3 itself: its Linux driver shells out to `aplay` (silent
without alsa-utils) and may return before the audio ends. Here `play` returns only after PortAudio
reports the last buffer played, which is what half-duplex capture relies on.
"""

from __future__ import annotations

import threading
import time

from simulator.errors import AudioError
from simulator.session.engines import Audio, AudioSource, VoiceSettings
from simulator.voice import devices
from simulator.voice.wavio import resample

MIN_LATENCY = 0.05  # seconds; lower settings underrun on busy 2-core machines and over pulse
BLOCK = 1024  # frames per callback
TAIL_MARGIN = 0.1  # seconds of silence past the stream latency after each clip (see play)


class SoundDeviceSink:
    """AudioSink playing each clip on a fresh sounddevice output stream."""

    def __init__(self, device: str | int | None = None, latency: float = 0.1):
        self.device = devices.resolve_device(device, "output")
        self.latency = max(MIN_LATENCY, latency)
        self.last_first_sample_at: float | None = None  # monotonic time, for latency benchmarks
        self.last_play_started_at: float | None = None  # when play() was called
        self.underflows = 0

    def play(self, audio: Audio) -> None:
        if not audio.pcm:
            return
        sd = devices.sounddevice()
        self.last_play_started_at = time.monotonic()
        self.last_first_sample_at = None
        rate = devices.device_rate(self.device, "output", audio.rate)
        pcm = resample(audio, rate).pcm
        seconds = len(pcm) / 2 / rate
        # Closing a stream drops what the sound server still holds (~latency + 0.1 s over ALSA's
        # pulse plugin, whatever the wait): silence after the clip is what gets dropped.
        pcm += b"\x00" * (2 * int(rate * (self.latency + TAIL_MARGIN)))
        position = 0
        done = threading.Event()

        def callback(outdata, frames, _time, status) -> None:
            # Runs on PortAudio's thread: only copies bytes, never blocks.
            nonlocal position
            if status.output_underflow:
                self.underflows += 1
            if self.last_first_sample_at is None:
                self.last_first_sample_at = time.monotonic()
            chunk = pcm[position : position + frames * 2]
            position += len(chunk)
            outdata[: len(chunk)] = chunk
            if len(chunk) < len(outdata):
                outdata[len(chunk) :] = b"\x00" * (len(outdata) - len(chunk))
                raise sd.CallbackStop

        try:
            stream = sd.RawOutputStream(
                samplerate=rate,
                channels=1,
                dtype="int16",
                device=self.device,
                latency=self.latency,
                blocksize=BLOCK,
                callback=callback,
                finished_callback=done.set,
            )
        except sd.PortAudioError as exc:
            raise AudioError(f"cannot open the audio output: {_reason(exc)}; "
                             f"pick another with --output-device (see `callsim devices`)") from exc
        try:
            with stream:
                # CallbackStop lets PortAudio drain its buffers before finished_callback fires.
                finished = done.wait(len(pcm) / 2 / rate + self.latency + 5.0)
                # Some hosts (ALSA's pulse plugin) report the end one buffer early: wait until the
                # last sample has really left, or the microphone would hear the prospect's tail.
                if finished and self.last_first_sample_at is not None:
                    ends_at = self.last_first_sample_at + seconds + float(stream.latency)
                    time.sleep(max(0.0, ends_at - time.monotonic()))
        except sd.PortAudioError as exc:
            raise AudioError(f"the audio output failed: {_reason(exc)}; check the device "
                             f"and pick one with --output-device") from exc
        if not finished:
            raise AudioError("the audio output stopped playing (device disconnected?): "
                             "check it and pick one with --output-device")


def _reason(exc: Exception) -> str:
    return str(exc.args[0]) if exc.args else str(exc)


class SpokenProspect:
    """ProspectOutput for voice mode: cached speech, played with the microphone paused.

    `speech` is anything with `get(text, voice) -> Audio` (a SpeechCache or a Synthesizer adapter).
    """

    def __init__(self, speech, sink, source: AudioSource | None = None):
        self.speech = speech
        self.sink = sink
        self.source = source
        self.last_line_ended_at: float | None = None  # monotonic; the reply delay counts from it

    def say(self, text: str, voice: VoiceSettings) -> None:
        audio = self.speech.get(text, voice)
        if self.source is not None:
            self.source.pause()
        try:
            self.sink.play(audio)
        finally:
            self.last_line_ended_at = time.monotonic()
            if self.source is not None:
                self.source.resume()
