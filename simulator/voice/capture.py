"""Where the trainee's voice comes from: the microphone (sounddevice) or WAV files.

Both deliver 16 kHz mono 16-bit frames of FRAME_SECONDS, so the VAD and the recognizers see the
same thing whichever source a call uses.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from simulator.errors import AudioError
from simulator.session.engines import Audio
from simulator.voice import devices
from simulator.voice.vad import FRAME_SECONDS
from simulator.voice.wavio import SPEECH_RATE, peak, read_wav, resample

SILENT_MIC = (
    "the microphone delivers only silence: check it is unmuted and selected with --input-device"
)
LOST_MIC = (
    "the microphone stopped delivering audio (disconnected?): reconnect it or pick another "
    "with --input-device"
)


class WavSource:
    """A recorded reply: any WAV (rate, channels, width) as 16 kHz mono frames.

    pause/resume do nothing: a file does not hear the prospect. The file is one whole reply
    (`whole_reply`): a call decodes all of it, pauses included.
    """

    rate = SPEECH_RATE
    whole_reply = True

    def __init__(self, wav: str | Path | Audio):
        audio = wav if isinstance(wav, Audio) else read_wav(wav)
        self.audio = resample(audio, SPEECH_RATE)
        self.name = str(wav) if not isinstance(wav, Audio) else "<audio>"

    def frames(self) -> Iterator[bytes]:
        size = round(SPEECH_RATE * FRAME_SECONDS) * 2
        pcm = self.audio.pcm
        for at in range(0, len(pcm), size):
            yield pcm[at : at + size]

    def pause(self) -> None:
        pass

    def resume(self) -> None:
        pass


class MicrophoneSource:
    """Live input from a sounddevice input stream, opened once and kept open for the call.

    The device is opened at 16 kHz when it accepts that, else at its default rate and resampled.
    The PortAudio callback only queues; `frames()` does the rest on the caller's thread. While
    paused (the prospect speaks) input is dropped, and for `resume_tail` seconds after resume it
    is replaced by silence, so the end of the prospect's line is never taken for the trainee.
    """

    rate = SPEECH_RATE
    whole_reply = False  # a pause ends a reply (vad.py)

    def __init__(
        self,
        device: str | int | None = None,
        resume_tail: float = 0.2,
        silence_check: float = 2.5,
        silence_floor: int = 4,
        stall_timeout: float = 2.0,
    ):
        self.device = devices.resolve_device(device, "input")
        self.resume_tail = resume_tail
        self.silence_check = silence_check  # seconds of listening that must not be all silence
        self.silence_floor = silence_floor  # peak sample value counted as silence (of 32767)
        self.stall_timeout = stall_timeout
        self.device_rate = devices.device_rate(self.device, "input", SPEECH_RATE)
        self.overflows = 0
        self._queue: queue.Queue[bytes] = queue.Queue(maxsize=2000)
        self._paused = False
        self._silence_until = 0.0
        self._failed = threading.Event()
        self._flowing = threading.Event()
        self._stream = None

    # -- stream ---------------------------------------------------------------------------
    def open(self) -> MicrophoneSource:
        if self._stream is not None:
            return self
        sd = devices.sounddevice()
        self._finished_expected = False
        self._failed.clear()
        self._flowing.clear()
        try:
            self._stream = sd.RawInputStream(
                samplerate=self.device_rate, channels=1, dtype="int16", device=self.device,
                blocksize=round(self.device_rate * FRAME_SECONDS), callback=self._callback,
                finished_callback=self._finished,
            )
            self._stream.start()
            # The first callback can come a second after start(); listening before it would
            # shift every reply timing, so wait for the audio to flow.
            if not self._flowing.wait(self.stall_timeout + 1.0):
                self.close()
                raise AudioError(LOST_MIC)
        except sd.PortAudioError as exc:
            self._stream = None
            reason = exc.args[0] if exc.args else exc
            raise AudioError(f"cannot open the microphone: {reason}; pick another with "
                             f"--input-device (see `callsim devices`)") from exc
        return self

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None:
            self._finished_expected = True
            try:
                stream.abort()
                stream.close()
            except Exception:  # closing a vanished device may fail again; nothing left to do
                pass

    def __enter__(self) -> MicrophoneSource:
        return self.open()

    def __exit__(self, *exc) -> None:
        self.close()

    _finished_expected = False

    def _finished(self) -> None:
        if not self._finished_expected:
            self._failed.set()  # PortAudio ended the stream by itself: the device went away

    def _callback(self, indata, frames, _time, status) -> None:
        # PortAudio's thread: count, copy, queue; never block.
        self._flowing.set()
        if status.input_overflow:
            self.overflows += 1
        if self._paused:
            return
        data = bytes(indata)
        if time.monotonic() < self._silence_until:
            data = bytes(len(data))
        try:
            self._queue.put_nowait(data)
        except queue.Full:
            self.overflows += 1

    # -- AudioSource ----------------------------------------------------------------------
    def pause(self) -> None:
        self._paused = True

    def resume(self) -> None:
        self._drain()
        self._silence_until = time.monotonic() + self.resume_tail
        self._paused = False

    def wait_until_listening(self) -> None:
        """Return once the input after `resume` is real again (its tail is silenced), so that
        a cue shown now is not followed by clipped words."""
        time.sleep(max(0.0, self._silence_until - time.monotonic()))

    def _drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def frames(self) -> Iterator[bytes]:
        """Frames from now on; raises AudioError for a silent, stalled or vanished device."""
        self.open()
        resampler = _Resampler(self.device_rate)
        size = round(SPEECH_RATE * FRAME_SECONDS) * 2
        pending = b""
        heard = 0.0
        loudest = 0
        last_data = time.monotonic()
        while True:
            if self._failed.is_set():
                raise AudioError(LOST_MIC)
            try:
                raw = self._queue.get(timeout=0.1)
            except queue.Empty:
                stream = self._stream
                stalled = time.monotonic() - last_data > self.stall_timeout
                if not self._paused and (stalled or stream is None or not stream.active):
                    raise AudioError(LOST_MIC) from None
                continue
            last_data = time.monotonic()
            pending += resampler(raw)
            while len(pending) >= size:
                frame, pending = pending[:size], pending[size:]
                if loudest <= self.silence_floor:
                    loudest = max(loudest, peak(frame))
                    heard += FRAME_SECONDS
                    if loudest <= self.silence_floor and heard >= self.silence_check:
                        raise AudioError(SILENT_MIC)
                yield frame


class _Resampler:
    """Streaming device-rate -> 16 kHz conversion (soxr keeps state between chunks)."""

    def __init__(self, rate: int):
        self.rate = rate
        self._stream = None
        if rate != SPEECH_RATE:
            import soxr

            self._stream = soxr.ResampleStream(rate, SPEECH_RATE, 1, dtype="int16")

    def __call__(self, pcm: bytes) -> bytes:
        if self._stream is None:
            return pcm
        import numpy as np

        out = self._stream.resample_chunk(np.frombuffer(pcm, dtype="<i2"))
        return np.asarray(out, dtype="<i2").tobytes()


def record(source: MicrophoneSource, seconds: float) -> Audio:
    """A fixed-length recording (for `callsim devices --test` style checks and benchmarks)."""
    chunks: list[bytes] = []
    needed = round(seconds * SPEECH_RATE) * 2
    got = 0
    for frame in source.frames():
        chunks.append(frame)
        got += len(frame)
        if got >= needed:
            break
    return Audio(b"".join(chunks)[:needed], SPEECH_RATE)
