"""Non-speech stays silent: Whisper must not write words for noise, whatever the prompt.

Whisper writes stock phrases on noise ("Thank you.", "You", "Thanks for watching!"), loops on a
tone ("Beep beep beep ..."), and under a persona's vocabulary prompt whole made-up sentences
on breathing ("We're going to go to the next one."). A made-up "thank you" is a gratitude pass
the rep never earned, so each clip below, made by a seeded generator, must give no words at all,
recorded or live. whisper_text.py's docstring lists what Whisper wrote on each of them."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.models.whisper import bundled_whisper
from simulator.session.engines import Audio
from simulator.voice.whisper_text import plain
from tests.voice.audio_helpers import read_golden

pytest.importorskip("faster_whisper")

RATE = 16000
SECONDS = 3.0
SEED = 0
# The persona whose prompt made Whisper write the most on non-speech (breathing, the tone).
PROMPTED = "covered-carl"


def _samples(seconds: float = SECONDS) -> int:
    return int(RATE * seconds)


def _band(noise: np.ndarray, low: float, high: float) -> np.ndarray:
    spectrum = np.fft.rfft(noise)
    freqs = np.fft.rfftfreq(len(noise), 1 / RATE)
    spectrum[(freqs < low) | (freqs > high)] = 0
    return np.fft.irfft(spectrum, len(noise))


def _at(x: np.ndarray, dbfs: float) -> np.ndarray:
    return x * (10 ** (dbfs / 20) / np.sqrt(np.mean(x ** 2)))


def _pink(rng, n: int) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n, 1 / RATE)
    spectrum[1:] /= np.sqrt(freqs[1:])
    spectrum[0] = 0
    return np.fft.irfft(spectrum, n)


def silence(rng, seconds=SECONDS):  # a quiet room through a good microphone
    return _at(rng.standard_normal(_samples(seconds)), -70)


def zeros(rng, seconds=SECONDS):  # a muted microphone
    return np.zeros(_samples(seconds))


def room_pink(rng, seconds=SECONDS):
    return _at(_pink(rng, _samples(seconds)), -45)


def room_white(rng, seconds=SECONDS):
    return _at(rng.standard_normal(_samples(seconds)), -50)


def breathing(rng, seconds=SECONDS):  # in, then out: band-passed noise under a slow swell
    n = _samples(seconds)
    t = np.arange(n) / RATE
    envelope = np.zeros(n)
    for start, length in ((0.2 * seconds / 3, 1.0 * seconds / 3), (1.6 * seconds / 3,
                                                                       1.1 * seconds / 3)):
        inside = (t >= start) & (t < start + length)
        envelope[inside] = np.sin(np.pi * (t[inside] - start) / length) ** 2
    return _at(_band(rng.standard_normal(n), 400, 2500) * envelope, -32)


def keyboard(rng, seconds=SECONDS):  # 12 ms decaying clicks, 80-250 ms apart
    out = np.zeros(_samples(seconds))
    at = 0.15
    while at < seconds - 0.05:
        i, length = int(at * RATE), int(0.012 * RATE)
        click = rng.standard_normal(length) * np.exp(-np.arange(length) / (0.002 * RATE))
        out[i:i + length] += click * rng.uniform(0.2, 0.5)
        at += rng.uniform(0.08, 0.25)
    return out


def cough(rng, seconds=SECONDS):  # three loud bursts: a sharp attack, an 80 ms decay
    out = np.zeros(_samples(seconds))
    for start in (0.3, 1.1, 2.0):
        i, length = int(start * seconds / 3 * RATE), int(0.35 * RATE)
        t = np.arange(length) / RATE
        burst = _band(rng.standard_normal(length), 200, 4000) * (
            (1 - np.exp(-t / 0.005)) * np.exp(-t / 0.08))
        out[i:i + length] += burst / np.abs(burst).max() * 0.6
    return out


def tone(rng, seconds=SECONDS):
    return 0.3 * np.sin(2 * np.pi * 440 * np.arange(_samples(seconds)) / RATE)


def hum(rng, seconds=SECONDS):  # 50 Hz mains with its harmonics
    t = np.arange(_samples(seconds)) / RATE
    return 0.1 * sum(np.sin(2 * np.pi * 50 * k * t) / k for k in (1, 2, 3, 5))


def chords(rng, seconds=SECONDS):  # four plucked triads with two overtones
    n = _samples(seconds)
    t = np.arange(n) / RATE
    out = np.zeros(n)
    progression = ((261.6, 329.6, 392.0), (220.0, 261.6, 329.6), (174.6, 220.0, 261.6),
                   (196.0, 246.9, 293.7))
    step = seconds / len(progression)
    for k, chord in enumerate(progression):
        inside = (t >= k * step) & (t < (k + 1) * step)
        local = t[inside] - k * step
        for f in chord:
            for h in (1, 2, 3):
                out[inside] += np.exp(-local / 0.6) * np.sin(2 * np.pi * f * h * local) / h
    return out / np.abs(out).max() * 0.3


CLIPS = {f.__name__: f for f in (silence, zeros, room_pink, room_white, breathing, keyboard,
                                 cough, tone, hum, chords)}


def pcm(x: np.ndarray) -> bytes:
    return (np.clip(x, -1, 1) * 32767).astype("<i2").tobytes()


def clip(name: str, seconds: float = SECONDS) -> bytes:
    return pcm(CLIPS[name](np.random.default_rng(SEED), seconds))


@pytest.fixture(scope="module")
def prompt() -> str:
    from simulator.dialog.validate import get_persona
    from simulator.voice.whisper_prompt import persona_prompt

    return persona_prompt(get_persona(PROMPTED).persona)


@pytest.fixture(scope="module")
def recognizer():
    from simulator.voice.asr_whisper import WhisperRecognizer

    model = bundled_whisper()
    if model is None:
        pytest.skip("the bundled Whisper model is not installed (bash setup.sh install)")
    r = WhisperRecognizer(model)
    assert r.ready(), r.failure
    return r


def hear(recognizer, audio: bytes, live: bool, prompt: str | None) -> tuple[str, list[str]]:
    """(transcript, partials): recorded (one chunk), or live in 30 ms frames."""
    recognizer.prompt, recognizer.live = prompt, live
    recognizer.start(RATE)
    step = int(RATE * 0.03) * 2 if live else len(audio)
    partials = [recognizer.accept(audio[i:i + step]) for i in range(0, len(audio), step)]
    return recognizer.finish().text, partials


def test_the_generator_is_seeded():
    assert clip("breathing") == clip("breathing")
    assert all(len(clip(name)) == SECONDS * RATE * 2 for name in CLIPS)


@pytest.mark.slow
@pytest.mark.parametrize("name", CLIPS)
@pytest.mark.parametrize("live", [False, True], ids=["recorded", "live"])
def test_non_speech_gives_no_words(recognizer, prompt, name, live):
    # A call always has a persona's prompt (the harder case); without one, recorded only (a
    # live reply decodes the same audio: test_whisper_engine checks they agree).
    for vocabulary in ((None, prompt) if not live else (prompt,)):
        text, partials = hear(recognizer, clip(name), live, vocabulary)
        assert text == "", (name, vocabulary)
        assert not any(partials), (name, vocabulary)


@pytest.mark.slow
@pytest.mark.parametrize(("before", "after"), [("breathing", "keyboard"),
                                               ("room_pink", "cough")])
def test_speech_between_noises_keeps_its_words(recognizer, prompt, before, after):
    speech, rate = read_golden("en_thank_you_how_come")
    assert rate == RATE
    voice = np.frombuffer(speech, dtype="<i2") / 32768
    rng = np.random.default_rng(SEED)
    audio = np.concatenate([CLIPS[before](rng, 1.5), voice, CLIPS[after](rng, 1.5)])
    audio += _at(_pink(rng, len(audio)), -50)  # the room, under everything
    for live in (False, True):
        text, _ = hear(recognizer, pcm(audio), live, prompt)
        assert plain(text) == "thank you how come the price is the problem", (live, text)


def test_clips_are_sixteen_bit_audio():
    assert Audio(clip("tone"), RATE).seconds == SECONDS
