"""SoundDeviceSink plays every sample of a clip: a prospect's line that ends loud (the cue tone,
a clipped word) is heard to its last sample on the test sound server's monitor, not cut about
0.15 s short when the stream closes."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest

from simulator.session.engines import Audio
from simulator.voice.wavio import concat, silence
from tests.voice.audio_helpers import monitor_recording

pytestmark = pytest.mark.sound

RATE = 16000
WINDOW = 160  # 10 ms
TONE_SECONDS = 0.6
LOUD = 0.05  # RMS of full scale: the tone is 0.35, the null sink's silence 0
LEAD = 0.5  # seconds of silence before the tone


def tone(seconds: float, hz: float = 440.0, volume: float = 0.5) -> Audio:
    """A sine at full `volume` from its first sample to its last (no fade to hide a cut)."""
    count = round(seconds * RATE)
    samples = (round(volume * 32767 * math.sin(2 * math.pi * hz * i / RATE))
               for i in range(count))
    return Audio(struct.pack(f"<{count}h", *samples), RATE)


def loud_span(pcm: bytes) -> float:
    """Seconds from the first to the end of the last loud 10 ms window (0 if none is loud)."""
    samples = np.frombuffer(pcm[: len(pcm) // (2 * WINDOW) * 2 * WINDOW], dtype="<i2")
    rms = np.sqrt(np.mean(samples.reshape(-1, WINDOW).astype(np.float64) ** 2, axis=1)) / 32768
    loud = np.flatnonzero(rms > LOUD)
    return 0.0 if not loud.size else (loud[-1] + 1 - loud[0]) * WINDOW / RATE


def test_the_tone_is_measured_whole():
    """The measure itself: a tone cut 50 ms short measures 50 ms shorter."""
    clip = concat(silence(0.3), tone(TONE_SECONDS), silence(0.3)).pcm
    cut = concat(silence(0.3), tone(TONE_SECONDS - 0.05), silence(0.35)).pcm
    assert loud_span(clip) == pytest.approx(TONE_SECONDS, abs=0.011)
    assert loud_span(cut) == pytest.approx(TONE_SECONDS - 0.05, abs=0.011)


@pytest.mark.parametrize("seconds", [TONE_SECONDS, 0.12], ids=["0.6-s", "0.12-s"])
def test_a_clip_ending_loud_is_heard_to_its_last_sample(sound_server, seconds):
    """The tone runs to the clip's last sample: all of it, its last 50 ms included, is heard,
    though the stream is closed as soon as play() returns; a tone shorter
    than what closing used to cut (the 0.12 s "your turn" beep) too. The clip starts with
    silence, as espeak's speech does."""
    from simulator.voice.playback import SoundDeviceSink

    sink = SoundDeviceSink()
    with monitor_recording() as chunks:
        sink.play(concat(silence(LEAD), tone(seconds)))
    heard = loud_span(b"".join(chunks))
    assert heard >= seconds - 0.02, f"heard {heard:.3f} s of a {seconds} s tone"
    assert heard <= seconds + 0.05  # one tone, not two, and no echo
